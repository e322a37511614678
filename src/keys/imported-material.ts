// Imported key material as the key sees it: what KeyMetadata shows (KeyState, ValidTo, ExpirationModel) follows
// from the key's materials, and material past its ValidTo is deleted — by the sweeper, and by any request
// that reaches the key first (expireKeyIfDue), so expired material is never used between sweeps. Keys of a
// multi-Region set each import the primary's material themselves (DG multi-region-keys-import): a replica
// knows the primary's materials by ID and fingerprint only, until the same material is imported into it.
import { createHash } from 'node:crypto';
import type { KeyMaterialRecord, KeyRecord, KeyRef, Tx } from '../store/store.ts';
import { keySet, primaryOf } from './multi-region.ts';

/**
 * The KeyMaterialId of imported material. AWS "assigns a unique identifier to the key material based on the
 * KMS key ID and the imported key material" (ImportKeyMaterial.KeyMaterialId), so re-imports get the same ID.
 * Derived from the keyed fingerprint, never from the material itself, so the ID reveals nothing.
 */
export function importedMaterialId(keyId: string, fingerprint: Uint8Array): string {
  return createHash('sha256').update(`trent imported key material\0${keyId}\0`).update(fingerprint).digest('hex');
}

/** Materials permanently associated with the key: all but imported material waiting for RotateKeyOnDemand. */
const isPermanent = (m: KeyMaterialRecord): boolean => m.state !== 'PENDING_ROTATION';

/**
 * The key record as its materials make it: PendingImport while any permanently associated material is
 * missing (for symmetric keys, "you will need to import all of the key materials ... to change its state to
 * Enabled"), Enabled when the last one arrives; ValidTo is the earliest expiry among them (KeyMetadata.ValidTo)
 * and ExpirationModel is absent while none is imported (LS-snap test_import_key_symmetric,
 * describe-key-after-deleted-import). PendingDeletion keys keep their state (DeleteImportedKeyMaterial docs).
 */
export function summarizeImportedKey(key: KeyRecord, materials: readonly KeyMaterialRecord[]): KeyRecord {
  const permanent = materials.filter(isPermanent);
  const present = permanent.filter((m) => m.wrapped !== undefined);
  const expiring = present.filter((m) => m.expirationModel === 'KEY_MATERIAL_EXPIRES' && m.validTo !== undefined);
  const next: KeyRecord = { ...key };
  delete next.validTo;
  delete next.expirationModel;
  if (present.length > 0) {
    next.expirationModel = expiring.length > 0 ? 'KEY_MATERIAL_EXPIRES' : 'KEY_MATERIAL_DOES_NOT_EXPIRE';
  }
  if (expiring.length > 0) next.validTo = Math.min(...expiring.map((m) => m.validTo!));
  if (key.keyState !== 'PendingDeletion' && key.keyState !== 'PendingReplicaDeletion') {
    const complete = permanent.length > 0 && present.length === permanent.length;
    if (!complete) next.keyState = 'PendingImport';
    else if (key.keyState === 'PendingImport') next.keyState = 'Enabled';
  }
  return next;
}

/** The material with its secret deleted: it keeps its ID and fingerprint, so only the same material re-imports. */
export function withoutSecret(m: KeyMaterialRecord): KeyMaterialRecord {
  const next: KeyMaterialRecord = { ...m, importState: 'PENDING_IMPORT' };
  delete next.wrapped;
  delete next.validTo;
  delete next.expirationModel;
  return next;
}

/** Deletes the key's material whose ValidTo is at or before `now`; returns the key as it now stands. */
async function expireKey(tx: Tx, ref: KeyRef, now: number): Promise<KeyRecord | undefined> {
  const key = await tx.getKey(ref);
  if (!key) return undefined;
  const materials = await tx.listMaterials(ref);
  let changed = false;
  const after = materials.map((m) => {
    if (m.wrapped === undefined || m.validTo === undefined || m.validTo > now) return m;
    changed = true;
    return withoutSecret(m);
  });
  if (!changed) return key;
  for (let i = 0; i < after.length; i++) if (after[i] !== materials[i]) await tx.putMaterial(after[i]!);
  const next = summarizeImportedKey(key, after);
  await tx.updateKey(next);
  return next;
}

/** Expires imported material whose ValidTo has passed; returns how many keys were affected. */
export async function expireImportedMaterial(tx: Tx, now: number): Promise<number> {
  const due = await tx.listKeysWithExpiredMaterial(now);
  for (const ref of due) await expireKey(tx, ref, now);
  return due.length;
}

/**
 * For request paths: if some material of `key` is past its ValidTo, deletes it now and returns the updated
 * key, so that a request between ValidTo and the next sweep sees the key PendingImport, as AWS shows it.
 */
export async function expireKeyIfDue(tx: Tx, key: KeyRecord, now: number): Promise<KeyRecord> {
  if (key.origin !== 'EXTERNAL') return key;
  const materials = await tx.listMaterials(key);
  if (!materials.some((m) => m.wrapped !== undefined && m.validTo !== undefined && m.validTo <= now)) return key;
  return (await expireKey(tx, key, now)) ?? key;
}

/**
 * Material `m` of another key of the set as `to` knows it before importing it: same ID, fingerprint, state
 * and rotation facts, no secret and no expiry of its own ("You set the expiration model and expiration dates
 * for each key independently", DG multi-region-keys-import).
 */
export function awaitingImport(m: KeyMaterialRecord, to: KeyRef): KeyMaterialRecord {
  const { seq: _seq, wrapped: _wrapped, validTo: _validTo, expirationModel: _model, ...rest } = m;
  return { ...rest, account: to.account, region: to.region, keyId: to.keyId, importState: 'PENDING_IMPORT' };
}

/**
 * IDs of the new material of a multi-Region set with imported material that some key of the set has not
 * imported yet: ListKeyRotations shows it PENDING_MULTI_REGION_IMPORT_AND_ROTATION, "key material that has
 * been imported into the primary Region key but not all of the replica Region keys. When this key material
 * is imported in to all of the replica Region keys, the key material state will change to PENDING_ROTATION"
 * (API RotationsListEntry).
 */
export async function awaitingSetImport(tx: Tx, key: KeyRecord): Promise<Set<string>> {
  const waiting = new Set<string>();
  if (key.origin !== 'EXTERNAL' || !key.multiRegion) return waiting;
  const set = await keySet(tx, key);
  if (set.length < 2) return waiting;
  const primary = primaryOf(set);
  if (!primary) return waiting;
  const pending = (await tx.listMaterials(primary)).filter((m) => m.state === 'PENDING_ROTATION');
  for (const k of set) {
    const held = new Map((await tx.listMaterials(k)).map((m) => [m.materialId, m]));
    for (const m of pending) if (held.get(m.materialId)?.wrapped === undefined) waiting.add(m.materialId);
  }
  return waiting;
}
