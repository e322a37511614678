// What falls due with time, applied in one transaction by the server's sweeper: Creating/Updating states that
// ended, deletions whose waiting period ended (a primary whose last replica goes starts its own waiting period
// in the same transaction), automatic rotations, and imported material past its ValidTo.
import type { Tx } from '../store/store.ts';
import { expireImportedMaterial } from './imported-material.ts';
import { purgeDueKeys } from './resolve-key.ts';
import { rotateDueKeys } from './rotation.ts';
import { settleTransitions } from './transitions.ts';
import type { MaterialVault } from './vault.ts';

export interface SweepResult {
  /** Keys whose Creating or Updating state ended. */
  settled: number;
  /** Keys deleted, primaries released by their last replica's deletion and deleted in the same sweep included. */
  deleted: number;
  rotated: number;
  expired: number;
}

export async function sweepDue(tx: Tx, now: number, vault: MaterialVault): Promise<SweepResult> {
  const settledCount = await settleTransitions(tx, now);
  const deleted = await purgeDueKeys(tx, now);
  const rotated = await rotateDueKeys(tx, now, vault);
  const expired = await expireImportedMaterial(tx, now);
  return { settled: settledCount, deleted, rotated, expired };
}
