// Automatic rotation of symmetric keys: a new material version becomes current when nextRotationAt falls due.
// Disabled and pending-deletion keys are not rotated; their overdue date stays, so they rotate at the first
// sweep after they are enabled again ("If the key material in the re-enabled KMS key hasn't been rotated in
// one year, KMS rotates it immediately", API GetKeyRotationStatus).
import type { Tx } from '../store/store.ts';
import { generateMaterial } from './key-material.ts';
import { DAY_MS, makeCurrent } from './rotation-rules.ts';
import type { MaterialVault } from './vault.ts';

/** Rotates every key whose automatic rotation is due; returns how many were rotated. */
export async function rotateDueKeys(tx: Tx, now: number, vault: MaterialVault): Promise<number> {
  let rotated = 0;
  for (const ref of await tx.listKeysDueForRotation(now)) {
    const key = await tx.getKey(ref);
    if (!key || key.keyState !== 'Enabled') continue;
    if (key.rotationPeriodInDays === undefined || key.nextRotationAt === undefined || key.nextRotationAt > now) continue;
    const material = await generateMaterial(vault, key, { createdAt: now, state: 'CURRENT', rotationType: 'AUTOMATIC' });
    const updated = await makeCurrent(tx, key, material);
    // "… and every year thereafter": the next period counts from this rotation.
    await tx.updateKey({ ...updated, nextRotationAt: now + key.rotationPeriodInDays * DAY_MS });
    rotated++;
  }
  return rotated;
}
