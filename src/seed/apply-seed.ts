// Applies a seed inside one store transaction through the operations themselves: CreateKey (with the seed's key
// ID and material), EnableKeyRotation, ReplicateKey, CreateAlias and DisableKey, each input validated against the
// model first. So a seed key obeys every rule an API call obeys, and a bad entry fails the whole seed.
// Each entry is applied once per database (a marker in meta); a later start leaves the key as it then stands.
import { PropagationDelay } from '../authz/propagation.ts';
import type { ResetScope } from '../public-types.ts';
import { isKmsError } from '../errors.ts';
import { rootCaller } from '../iam/principal.ts';
import { settleTransitions } from '../keys/transitions.ts';
import { createKeyWith } from '../operations/create-key.ts';
import { OPERATIONS } from '../operations/index.ts';
import { parseInput } from '../protocol/validate.ts';
import type { Services } from '../request-context.ts';
import type { Tx } from '../store/store.ts';
import { SeedContext } from './seed-context.ts';
import { SeedError, type Seed, type SeedKey, type SeedKeyProperties } from './seed-file.ts';

/** Which entries a reset applies again: those with a key in this account and/or Region. */
export type SeedScope = ResetScope;

export interface SeedOutcome {
  /** Entries applied now. */
  created: number;
  /** Entries applied before (or whose key ID is taken), left as they stand. */
  present: number;
  /** Entries applied before whose text has changed since: named so the operator knows a reset would apply them. */
  changed: string[];
}

/** Whether an entry has a key in `scope` (a multi-Region set is in scope when any of its Regions is). */
export function seedKeyInScope(key: SeedKey, scope: SeedScope): boolean {
  if (scope.account !== undefined && key.account !== scope.account) return false;
  return scope.region === undefined || key.region === scope.region || key.replicas.some((r) => r.region === scope.region);
}

const markerName = (key: SeedKey) => `seed:${key.account}:${key.keyId}`;

/**
 * Applies the entries of `seed` in `scope` within `tx`. Without `again`, entries applied before are skipped;
 * with it (a reset, which has just deleted their keys) every entry in scope is applied.
 */
export async function applySeed(
  tx: Tx,
  services: Services,
  seed: Seed,
  opts: { scope?: SeedScope; again?: boolean } = {},
): Promise<SeedOutcome> {
  // Seeded keys are the starting state: no tag or alias change is pending, and replicas need no Creating moment.
  const seedServices: Services = { ...services, propagation: new PropagationDelay(0), multiRegionDelayMs: 0 };
  const outcome: SeedOutcome = { created: 0, present: 0, changed: [] };
  for (const key of seed.keys) {
    if (opts.scope !== undefined && !seedKeyInScope(key, opts.scope)) continue;
    if (!opts.again) {
      const marker = await tx.getMeta(markerName(key));
      if (marker !== undefined || (await tx.listKeysById(key.account, key.keyId)).length > 0) {
        outcome.present++;
        if (marker !== undefined && (JSON.parse(marker) as { digest: string }).digest !== key.digest) outcome.changed.push(key.where);
        continue;
      }
    }
    await applyKey(tx, seedServices, seed.source, key);
    await tx.setMeta(markerName(key), JSON.stringify({ digest: key.digest, appliedAt: new Date(services.clock.now()).toISOString() }));
    outcome.created++;
  }
  await settleTransitions(tx, services.clock.now());
  return outcome;
}

async function applyKey(tx: Tx, services: Services, source: string, key: SeedKey): Promise<void> {
  const call = async (op: string, where: string, region: string, body: Record<string, unknown>) => {
    try {
      const input = parseInput(op, withoutUndefined(body));
      const ctx = new SeedContext(services, tx, rootCaller(key.account, 'trent-seed'), region, op, input);
      if (op === 'CreateKey') return await createKeyWith(input, ctx, { keyId: key.keyId, ...(key.material ? { materials: key.material } : {}) });
      return await OPERATIONS.get(op)!(input, ctx);
    } catch (e) {
      if (isKmsError(e)) throw new SeedError(`${source}: ${where} (key ${key.keyId}): ${e.type}: ${e.message}`);
      throw e;
    }
  };
  const own = (p: SeedKeyProperties) => ({
    Description: p.description,
    Policy: p.policy,
    BypassPolicyLockoutSafetyCheck: p.bypassPolicyLockoutSafetyCheck || undefined,
    Tags: p.tags.length > 0 ? p.tags : undefined,
  });

  await call('CreateKey', key.where, key.region, {
    ...own(key),
    KeySpec: key.keySpec,
    KeyUsage: key.keyUsage,
    MultiRegion: key.multiRegion || undefined,
  });
  if (key.rotation !== undefined) {
    await call('EnableKeyRotation', `${key.where}.rotation`, key.region, { KeyId: key.keyId, RotationPeriodInDays: key.rotation.periodInDays });
  }
  // Replicas after rotation: it is a shared property the primary hands on.
  for (const replica of key.replicas) {
    await call('ReplicateKey', replica.where, key.region, { ...own(replica), KeyId: key.keyId, ReplicaRegion: replica.region });
  }
  for (const k of [key, ...key.replicas]) {
    for (const [i, aliasName] of k.aliases.entries()) {
      await call('CreateAlias', `${k.where}.aliases[${i}]`, k.region, { AliasName: aliasName, TargetKeyId: key.keyId });
    }
    if (!k.enabled) await call('DisableKey', `${k.where}.enabled`, k.region, { KeyId: key.keyId });
  }
}

function withoutUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
