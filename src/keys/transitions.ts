// Creating (ReplicateKey) and Updating (UpdatePrimaryRegion) last a moment in AWS ("usually takes a few
// seconds", API ReplicateKey). Trent stores when such a state ends and the state that follows; a read applies
// a transition that has fallen due at once, and the sweeper stores it.
import type { KeyRecord, KeyState, Tx } from '../store/store.ts';

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
