// Automatic rotation of symmetric keys: a new material version becomes current when nextRotationAt falls due.
import type { Tx } from '../store/store.ts';
import type { MaterialVault } from './vault.ts';

/** Rotates every key whose automatic rotation is due; returns how many were rotated. */
export async function rotateDueKeys(_tx: Tx, _now: number, _vault: MaterialVault): Promise<number> {
  return 0;
}
