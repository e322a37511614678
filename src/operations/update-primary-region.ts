// UpdatePrimaryRegion — https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdatePrimaryRegion.html
// Checks: the primary (key ID or ARN, this account) → kms:UpdatePrimaryRegion on it → its key state → a
// multi-Region primary → a replica in PrimaryRegion → kms:UpdatePrimaryRegion on that replica → its key state.
// Then every key of the set names the new primary Region, and both swapped keys are Updating for a moment.
import type { Handler } from '../context.ts';
import { KmsError } from '../errors.ts';
import { keyArn } from '../keys/key-id.ts';
import { assertKeyState } from '../keys/key-state.ts';
import { isMultiRegionPrimary, keySet, notMultiRegionPrimary } from '../keys/multi-region.ts';
import { asOf, isDeletionDue, notFound } from '../keys/resolve-key.ts';
import { inTransition } from '../keys/transitions.ts';
import type { KeyRecord, KeyState } from '../store/store.ts';
import { authorizedKey, KEY_ONLY } from './with-key.ts';

/** The state a key returns to after Updating: its own, or the one it already waits for when Updating. */
const stateAfter = (key: KeyRecord): KeyState =>
  key.keyState === 'Updating' ? (key.stateAfterTransition ?? 'Enabled') : key.keyState;

export const updatePrimaryRegion: Handler = async (input, ctx) => {
  const newRegion = input.PrimaryRegion as string;
  return ctx.transaction(async (tx) => {
    const operation = 'UpdatePrimaryRegion';
    const { key: primary, arn } = await authorizedKey(tx, ctx, operation, input.KeyId, KEY_ONLY);
    // "Specify the key ID or key ARN of a multi-Region primary key" (API KeyId). AWS's text is unrecorded
    // here; ReplicateKey's recorded one (spec §5.3 [V]) names the same condition.
    if (!isMultiRegionPrimary(primary)) throw notMultiRegionPrimary(arn);
    if (newRegion === primary.region) {
      // The API needs "an existing replica key in this Region"; AWS's answer for the primary's own Region
      // is unrecorded: refused rather than a silent no-op, so that a wrong Region does not pass unnoticed.
      throw new KmsError('UnsupportedOperationException', `${arn} is already the primary key in ${newRegion}.`);
    }
    const now = ctx.clock.now();
    const set = (await keySet(tx, primary)).map((k) => asOf(k, now));
    const replicaArn = keyArn(newRegion, primary.account, primary.keyId);
    const replica = set.find((k) => k.region === newRegion && !isDeletionDue(k, now));
    // "If the primary key doesn't already have a replica in the new primary Region, the operation fails"
    // (DG multi-region-update); NotFoundException is in the modelled errors, the text is the usual one.
    if (!replica) throw notFound(replicaArn);
    // "kms:UpdatePrimaryRegion on the current replica key (in the replica key's Region)" (API, Required permissions).
    await ctx.authorize(tx, { action: `kms:${operation}`, resource: replicaArn, key: replica, region: newRegion });
    // "Both the primary key and the replica key must be in the Enabled key state" (DG multi-region-update):
    // the replica answers the same key-state row as the primary, naming its own ARN.
    assertKeyState(operation, replica.keyState, replicaArn);

    const endsAt = now + ctx.multiRegionDelayMs;
    for (const k of set) {
      const moved: KeyRecord = { ...k, primaryRegion: newRegion };
      // The old and the new primary are Updating, then "the original key state is restored" (API); the
      // other replicas simply follow the new primary.
      const swapped = k.region === primary.region || k.region === newRegion;
      await tx.updateKey(swapped ? inTransition(moved, 'Updating', endsAt, stateAfter(k)) : moved);
    }
    return undefined;
  });
};
