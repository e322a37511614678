// Key states that end on their own. Creating (ReplicateKey) and Updating (UpdatePrimaryRegion) last a moment in
// AWS ("usually takes a few seconds", API ReplicateKey): Trent stores when such a state ends and the state that
// follows; a read applies a transition that has fallen due at once, and the sweeper stores it. A primary in
// PendingReplicaDeletion starts its own waiting period when its last replica is deleted (releasePrimary).
import type { KeyRecord, KeyState, Tx } from '../store/store.ts';
import { isMultiRegionPrimary, isMultiRegionReplica } from './multi-region.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** `key` entering `state` until `endsAt`, then taking `after`. */
export function inTransition(key: KeyRecord, state: 'Creating' | 'Updating', endsAt: number, after: KeyState): KeyRecord {
  return { ...key, keyState: state, transitionEndsAt: endsAt, stateAfterTransition: after };
}

/** The key as of `now`: a transition that has ended is applied. */
export function settled(key: KeyRecord, now: number): KeyRecord {
  if (key.transitionEndsAt === undefined || key.transitionEndsAt > now) return key;
  const { transitionEndsAt: _ends, stateAfterTransition, ...rest } = key;
  return { ...rest, keyState: stateAfterTransition ?? 'Enabled' };
}

/** `key` without a pending Creating/Updating transition (another state replaces it, e.g. PendingDeletion). */
export function withoutTransition(key: KeyRecord): KeyRecord {
  const { transitionEndsAt: _ends, stateAfterTransition: _after, ...rest } = key;
  return rest;
}

/** Stores every transition that has ended by `now`; returns how many. */
export async function settleTransitions(tx: Tx, now: number): Promise<number> {
  let n = 0;
  for (const ref of await tx.listKeysInTransition(now)) {
    const key = await tx.getKey(ref);
    if (!key) continue;
    await tx.updateKey(settled(key, now));
    n++;
  }
  return n;
}

/**
 * Called once `deleted` is gone (deleted at `at`). When it was the last replica of a primary waiting in
 * PendingReplicaDeletion, the primary becomes PendingDeletion and its own waiting period begins then: "When the
 * waiting period of the last replica key expires, AWS KMS deletes the last replica key. The key state of the
 * primary key changes from PendingReplicaDeletion to PendingDeletion and the 7-30 day waiting period for the
 * primary key begins" (DG multi-region-keys-delete). A replica that is itself PendingDeletion still counts.
 * Returns the primary as it now stands when it changed.
 */
export async function releasePrimary(tx: Tx, deleted: KeyRecord, at: number): Promise<KeyRecord | undefined> {
  if (!isMultiRegionReplica(deleted)) return undefined;
  const set = await tx.listKeysById(deleted.account, deleted.keyId);
  const primary = set.find(isMultiRegionPrimary);
  if (!primary || primary.keyState !== 'PendingReplicaDeletion' || set.length > 1) return undefined;
  const next = released(primary, at);
  await tx.updateKey(next);
  return next;
}

/** A primary in PendingReplicaDeletion whose last replica is gone at `at`: PendingDeletion, its window running from `at`. */
export function released(primary: KeyRecord, at: number): KeyRecord {
  // Every path that sets PendingReplicaDeletion stores the window; 30 is ScheduleKeyDeletion's default.
  const days = primary.pendingDeletionWindowInDays ?? 30;
  const { pendingDeletionWindowInDays: _days, ...rest } = primary;
  return { ...rest, keyState: 'PendingDeletion', deletionDate: at + days * DAY_MS };
}
