// Finds the key a request names, with AWS's NotFound texts, and checks the operation's key-state rule.
// A key whose deletion date has passed is gone even before the sweeper removes its rows.
import type { Ctx } from '../context.ts';
import { KmsError } from '../errors.ts';
import type { KeyRecord, Tx } from '../store/store.ts';
import { keyArn, parseKeyIdentifier, type KeyIdentifier } from './key-id.ts';
import { assertKeyState } from './key-state.ts';
import { keySet } from './multi-region.ts';
import { releasePrimary, released, settled } from './transitions.ts';

export interface ResolvedKey {
  key: KeyRecord;
  arn: string;
  /** How the request named the key (for kms:RequestAlias and error texts). */
  via: KeyIdentifier;
}

export interface ResolveOptions {
  /** Key-management operations take only a key ID or key ARN. */
  allowAlias: boolean;
  /** Operations AWS allows across accounts (DescribeKey, cryptographic operations, grants). */
  allowCrossAccount?: boolean;
  /**
   * Where aliases are refused, an alias name gets InvalidArnException like an alias ARN, not NotFound
   * (the grant operations: [O] boto/boto#3202, CreateGrant with `alias/…`).
   */
  aliasNameIsInvalidArn?: boolean;
}

export const isDeletionDue = (key: KeyRecord, now: number): boolean =>
  key.keyState === 'PendingDeletion' && key.deletionDate !== undefined && key.deletionDate <= now;

/** The keys of `key`'s multi-Region set that exist at `now`: one past its deletion date is gone before the sweeper runs. */
export async function liveKeySet(tx: Tx, key: KeyRecord, now: number): Promise<KeyRecord[]> {
  return (await keySet(tx, key)).filter((k) => !isDeletionDue(k, now));
}

/**
 * The key as of `now`: a Creating or Updating state that has ended is over (keys/transitions.ts); imported material past its ValidTo is gone at once and the key is PendingImport
 * (DG importing-keys-set-expiration), even before the sweeper deletes the material.
 */
export function asOf(stored: KeyRecord, now: number): KeyRecord {
  const key = settled(stored, now);
  if (key.validTo === undefined || key.validTo > now || key.keyState === 'PendingImport') return key;
  if (key.keyState === 'PendingDeletion' || key.keyState === 'PendingReplicaDeletion') return key;
  return { ...key, keyState: 'PendingImport' };
}

export const notFound = (arn: string) => new KmsError('NotFoundException', `Key '${arn}' does not exist`);

/** Resolves `keyIdInput` for `operation` and asserts the key state; throws AWS's errors. */
export async function resolveKey(
  tx: Tx,
  ctx: Ctx,
  operation: string,
  keyIdInput: string,
  opts: ResolveOptions,
): Promise<ResolvedKey> {
  const resolved = await findKey(tx, ctx, keyIdInput, opts);
  assertKeyState(operation, resolved.key.keyState, resolved.arn);
  return resolved;
}

/** The alias name a request named its key by, for kms:RequestAlias. */
export const requestAliasOf = (via: KeyIdentifier): string | undefined =>
  via.kind === 'aliasName' || via.kind === 'aliasArn' ? via.aliasName : undefined;

/** Finds the key `keyIdInput` names (NotFound / InvalidArn as AWS words them) without judging its state. */
export async function findKey(
  tx: Tx,
  ctx: Ctx,
  keyIdInput: string,
  opts: ResolveOptions,
): Promise<ResolvedKey> {
  const via = parseKeyIdentifier(keyIdInput, ctx.caller.accountId, ctx.region);
  let keyId: string;
  if (via.kind === 'aliasName' || via.kind === 'aliasArn') {
    if (!opts.allowAlias) {
      // An alias ARN on a key-only operation: InvalidArnException (spec §1.8, [O]). An alias name is
      // not a well-formed key ID, which AWS reports as such (except on the grant operations).
      if (via.kind === 'aliasArn' || opts.aliasNameIsInvalidArn) {
        throw new KmsError('InvalidArnException', 'Key Aliases are not supported for this operation');
      }
      throw new KmsError('NotFoundException', `Invalid keyId '${keyIdInput}'`);
    }
    const alias = await tx.getAlias(via.account, via.region, via.aliasName);
    const target = alias && (await tx.getKey({ account: via.account, region: via.region, keyId: alias.targetKeyId }));
    if (!alias || !target || isDeletionDue(target, ctx.clock.now())) {
      throw new KmsError('NotFoundException', `Alias arn:aws:kms:${via.region}:${via.account}:${via.aliasName} is not found.`);
    }
    keyId = alias.targetKeyId;
  } else {
    keyId = via.keyId;
  }
  const arn = keyArn(via.region, via.account, keyId);
  if (via.account !== ctx.caller.accountId && !opts.allowCrossAccount) throw notFound(arn);
  const stored = await tx.getKey({ account: via.account, region: via.region, keyId });
  const now = ctx.clock.now();
  if (!stored || isDeletionDue(stored, now)) throw notFound(arn);
  let key = asOf(stored, now);
  if (key.keyState === 'PendingReplicaDeletion') {
    key = await releasedAsOf(tx, key, now);
    if (isDeletionDue(key, now)) throw notFound(arn);
  }
  return { key, arn, via };
}

/**
 * A primary in PendingReplicaDeletion as of `now`: once every replica's deletion date has passed the replicas
 * are gone, so the primary is PendingDeletion from the last of those dates on, exactly as the sweeper will store
 * it (purgeDueKeys), even before the sweeper runs.
 */
async function releasedAsOf(tx: Tx, primary: KeyRecord, now: number): Promise<KeyRecord> {
  const replicas = (await tx.listKeysById(primary.account, primary.keyId)).filter((k) => k.region !== primary.region);
  if (replicas.length === 0 || !replicas.every((k) => isDeletionDue(k, now))) return primary;
  return released(primary, Math.max(...replicas.map((k) => k.deletionDate!)));
}

/**
 * Deletes `key` (with its tags, aliases, materials and grants) as of `at`, the moment it is gone; a primary
 * waiting for this, its last replica, starts its own waiting period then (keys/transitions.ts releasePrimary).
 * Every path that deletes a key goes through here.
 */
export async function purgeKey(tx: Tx, key: KeyRecord, at: number): Promise<void> {
  await tx.deleteKey(key);
  await releasePrimary(tx, key, at);
}

/**
 * Removes every key whose waiting period has ended, with its tags and aliases. A replica is gone at its own
 * DeletionDate, so a primary it releases counts its waiting period from there (the DG's "latest DeletionDate of
 * the replicas plus PendingDeletionWindowInDays"), not from when the sweeper ran; a primary thus already due
 * goes in the same sweep.
 */
export async function purgeDueKeys(tx: Tx, now: number): Promise<number> {
  let n = 0;
  for (;;) {
    const before = n;
    for (const ref of await tx.listKeysDueForDeletion(now)) {
      const key = await tx.getKey(ref);
      if (!key) continue;
      await purgeKey(tx, key, key.deletionDate ?? now);
      n++;
    }
    if (n === before) return n;
  }
}
