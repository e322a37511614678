// Which keys may rotate and how a rotation swaps the current material. Shared by EnableKeyRotation,
// DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand, ListKeyRotations and the sweeper.
import { KmsError } from '../errors.ts';
import type { KeyMaterialRecord, KeyRecord, Tx } from '../store/store.ts';
import { showsCurrentMaterialId } from './key-material.ts';
import { materialCopy, peersOf } from './multi-region.ts';
import type { MaterialVault } from './vault.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** EnableKeyRotation's RotationPeriodInDays when omitted (API Reference). */
export const DEFAULT_ROTATION_PERIOD_DAYS = 365;
/** "You can perform on-demand key rotation a maximum of 25 times per KMS key" (DG rotating-keys-on-demand,
 * botocore model 1.43: raised from the 10 older pages and the LS-snap recording still show). */
export const MAX_ON_DEMAND_ROTATIONS = 25;

const wrongOrigin = (key: KeyRecord, arn: string) =>
  new KmsError('UnsupportedOperationException', `${arn} origin is ${key.origin} which is not valid for this operation.`);

// AWS answers RotateKeyOnDemand on an asymmetric key with an empty message (LS-snap
// test_rotate_key_on_demand_raises_error_given_non_symmetric_key); its other rotation operations are
// unrecorded for such keys and are answered alike.
const notSymmetric = () => new KmsError('UnsupportedOperationException', '');

export const isSymmetricEncryption = (key: KeyRecord): boolean => key.keySpec === 'SYMMETRIC_DEFAULT';

/** EnableKeyRotation / DisableKeyRotation: symmetric keys whose material AWS KMS generated (DG key-state [6][7]). */
export function assertAutomaticRotationSupported(key: KeyRecord, arn: string): void {
  if (key.origin !== 'AWS_KMS') throw wrongOrigin(key, arn);
  if (!isSymmetricEncryption(key)) throw notSymmetric();
}

/** RotateKeyOnDemand and ListKeyRotations: symmetric keys, AWS_KMS or imported (EXTERNAL, since 2025). */
export function assertOnDemandRotationSupported(key: KeyRecord, arn: string): void {
  if (!isSymmetricEncryption(key)) throw notSymmetric();
  if (key.origin !== 'AWS_KMS' && key.origin !== 'EXTERNAL') throw wrongOrigin(key, arn);
}

/** Whether automatic rotation is on as GetKeyRotationStatus reports it. */
export function automaticRotationEnabled(key: KeyRecord): boolean {
  // "While a KMS key is pending deletion, its key rotation status is false … If you cancel the deletion,
  // the original key rotation status returns to true" (API GetKeyRotationStatus): the schedule is kept.
  if (key.keyState === 'PendingDeletion' || key.keyState === 'PendingReplicaDeletion') return false;
  return key.rotationPeriodInDays !== undefined && key.nextRotationAt !== undefined;
}

export const countOnDemandRotations = (materials: readonly KeyMaterialRecord[]): number =>
  materials.filter((m) => m.rotationType === 'ON_DEMAND').length;

/** Makes `next` current on one key: its previous current material stays for decryption (NON_CURRENT). */
async function makeCurrentOnKey(tx: Tx, key: KeyRecord, next: KeyMaterialRecord): Promise<KeyRecord> {
  for (const m of await tx.listMaterials(key)) {
    if (m.state === 'CURRENT' && m.materialId !== next.materialId) await tx.putMaterial({ ...m, state: 'NON_CURRENT' });
  }
  await tx.putMaterial({ ...next, state: 'CURRENT' });
  const updated: KeyRecord = { ...key };
  if (showsCurrentMaterialId(key)) updated.currentKeyMaterialId = next.materialId;
  await tx.updateKey(updated);
  return updated;
}

/**
 * Makes `next` the key's current material: the previous current one stays for decryption (NON_CURRENT).
 * `next` is stored as given (its createdAt is the rotation date ListKeyRotations shows). Returns the
 * updated key record, already written.
 *
 * A multi-Region key rotates as a set, in this transaction: "When AWS KMS rotates the key material, it
 * creates new key material for the primary key and then copies the new key material across Region boundaries
 * to all related replica keys" (DG multi-region-keys-manage, Rotating multi-Region keys). A peer that already
 * holds material `next.materialId` (imported material, which each key imports itself with its own ValidTo)
 * promotes its own copy; any other peer gets a copy sealed for it by `vault`.
 */
export async function makeCurrent(tx: Tx, key: KeyRecord, next: KeyMaterialRecord, vault: MaterialVault): Promise<KeyRecord> {
  const updated = await makeCurrentOnKey(tx, key, next);
  if (!key.multiRegion) return updated;
  for (const peer of await peersOf(tx, key)) {
    const own = (await tx.listMaterials(peer)).find((m) => m.materialId === next.materialId);
    let copy: KeyMaterialRecord;
    if (own) {
      copy = { ...own, createdAt: next.createdAt };
      if (next.rotationType !== undefined) copy.rotationType = next.rotationType;
    } else {
      copy = materialCopy(vault, next, peer);
    }
    await makeCurrentOnKey(tx, peer, copy);
  }
  return updated;
}
