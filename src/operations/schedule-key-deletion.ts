// ScheduleKeyDeletion — https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html
// The model allows 1..365 days; AWS itself accepts 7..30 (default 30). The response names the key by ARN.
// A multi-Region primary that still has replicas waits in PendingReplicaDeletion, its window not yet running.
import type { Handler } from '../context.ts';
import { KmsError } from '../errors.ts';
import { epochSeconds } from '../keys/key-metadata.ts';
import { isMultiRegionPrimary } from '../keys/multi-region.ts';
import { liveKeySet } from '../keys/resolve-key.ts';
import { withoutTransition } from '../keys/transitions.ts';
import type { KeyRecord, Tx } from '../store/store.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Replicas count until they are deleted, even while they are PendingDeletion themselves (DG multi-region-keys-delete). */
async function hasReplicas(tx: Tx, primary: KeyRecord, now: number): Promise<boolean> {
  return (await liveKeySet(tx, primary, now)).some((k) => k.region !== primary.region);
}

export const scheduleKeyDeletion: Handler = (input, ctx) => {
  const days = (input.PendingWindowInDays as number | undefined) ?? 30;
  // Observed AWS text (Skyscanner/kms-issuer#8): "ValidationException: PendingWindowInDays must be between 7 and 30".
  if (days < 7 || days > 30) throw new KmsError('ValidationException', 'PendingWindowInDays must be between 7 and 30');
  return withKey(ctx, 'ScheduleKeyDeletion', input.KeyId, KEY_ONLY, async (tx, { key, arn }) => {
    const now = ctx.clock.now();
    // A replica still Creating may be scheduled (key-state table); deletion replaces the state it was heading for.
    const base = withoutTransition(key);
    if (isMultiRegionPrimary(key) && (await hasReplicas(tx, key, now))) {
      // "If any replica keys remain, the key state of the primary key is PendingReplicaDeletion and DeletionDate
      // is omitted because it is uncertain" (DG multi-region-keys-delete, API response example).
      await tx.updateKey({ ...base, keyState: 'PendingReplicaDeletion', deletionDate: undefined, pendingDeletionWindowInDays: days });
      return { KeyId: arn, KeyState: 'PendingReplicaDeletion', PendingWindowInDays: days };
    }
    const deletionDate = now + days * DAY_MS;
    await tx.updateKey({ ...base, keyState: 'PendingDeletion', deletionDate, pendingDeletionWindowInDays: undefined });
    return { KeyId: arn, DeletionDate: epochSeconds(deletionDate), KeyState: 'PendingDeletion', PendingWindowInDays: days };
  });
};
