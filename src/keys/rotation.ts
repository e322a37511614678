// Automatic rotation of symmetric keys: a new material version becomes current when nextRotationAt falls due.
// Disabled and pending-deletion keys are not rotated; their overdue date stays, so they rotate at the first
// sweep after they are enabled again ("If the key material in the re-enabled KMS key hasn't been rotated in
// one year, KMS rotates it immediately", API GetKeyRotationStatus). A multi-Region set rotates once, through
// its primary: every key of the set carries the same schedule, and the primary's rotation reaches them all.
import type { Tx } from '../store/store.ts';
import { generateMaterial } from './key-material.ts';
import { isMultiRegionReplica, syncSharedProperties } from './multi-region.ts';
import { DAY_MS, makeCurrent } from './rotation-rules.ts';
import type { MaterialVault } from './vault.ts';

/** Rotates every key whose automatic rotation is due; returns how many were rotated (a set counts once). */
export async function rotateDueKeys(tx: Tx, now: number, vault: MaterialVault): Promise<number> {
  let rotated = 0;
  for (const ref of await tx.listKeysDueForRotation(now)) {
    const key = await tx.getKey(ref);
    // "You manage automatic key rotation only on the primary key" (DG multi-region-keys-manage): a replica
    // is rotated by its primary, in the same transaction, and never on its own.
    if (!key || key.keyState !== 'Enabled' || isMultiRegionReplica(key)) continue;
    if (key.rotationPeriodInDays === undefined || key.nextRotationAt === undefined || key.nextRotationAt > now) continue;
    const material = await generateMaterial(vault, key, { createdAt: now, state: 'CURRENT', rotationType: 'AUTOMATIC' });
    const updated = await makeCurrent(tx, key, material, vault);
    // "… and every year thereafter": the next period counts from this rotation.
    const scheduled = { ...updated, nextRotationAt: now + key.rotationPeriodInDays * DAY_MS };
    await tx.updateKey(scheduled);
    await syncSharedProperties(tx, scheduled);
    rotated++;
  }
  return rotated;
}
