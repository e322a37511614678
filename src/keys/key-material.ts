// A key's material versions as the domain sees them: which one is current, creating one, opening one.
import { generateKeyMaterial } from '../crypto/key-generation.ts';
import { pooledRandomBytes } from '../crypto/random-pool.ts';
import { KmsError } from '../errors.ts';
import type { KeyMaterialRecord, KeyRecord, KeyRef, Tx } from '../store/store.ts';
import type { MaterialVault } from './vault.ts';

/** A fresh KeyMaterialId: 64 lower-case hex characters (BackingKeyIdType). */
export const newMaterialId = (): string => pooledRandomBytes(32).toString('hex');

/** The material new encryptions and signatures use; undefined when the key has none (PendingImport). */
export async function currentMaterial(tx: Tx, key: KeyRef): Promise<KeyMaterialRecord | undefined> {
  const all = await tx.listMaterials(key);
  return all.find((m) => m.state === 'CURRENT' && m.wrapped !== undefined);
}

/**
 * The current material, or the state table's PendingImport error when there is none: the table refuses
 * PendingImport keys up front, so this is material that expired or was deleted in between.
 */
export async function requireCurrentMaterial(tx: Tx, key: KeyRef, arn: string): Promise<KeyMaterialRecord> {
  const material = await currentMaterial(tx, key);
  if (!material) throw new KmsError('KMSInvalidStateException', `${arn} is pending import.`);
  return material;
}

/** The SubjectPublicKeyInfo of an asymmetric key's material (every such material has one). */
export function publicKeyOf(m: KeyMaterialRecord): Uint8Array {
  if (m.publicKey === undefined) throw new Error(`material ${m.materialId} of ${m.keyId} has no public key`);
  return m.publicKey;
}

/** The secret bytes of a material (cached in memory by the vault, never stored in the clear). */
export function openMaterial(vault: MaterialVault, m: KeyMaterialRecord): Buffer {
  if (m.wrapped === undefined) throw new Error(`material ${m.materialId} of ${m.keyId} has no sealed secret`);
  return vault.open(m, m.materialId, m.wrapped);
}

/** Material given rather than generated (a seed's): in stored form, with its KeyMaterialId. */
export interface GivenMaterial {
  materialId: string;
  secret: Uint8Array;
  publicKey?: Uint8Array;
}

/**
 * Seals given material versions, oldest first, for a new key: the last is current, earlier ones stay for
 * decryption as if automatic rotations had replaced them.
 */
export function givenMaterials(vault: MaterialVault, key: KeyRef, given: readonly GivenMaterial[], createdAt: number): KeyMaterialRecord[] {
  return given.map((g, i) => {
    const record: KeyMaterialRecord = {
      account: key.account,
      region: key.region,
      keyId: key.keyId,
      materialId: g.materialId,
      createdAt,
      state: i === given.length - 1 ? 'CURRENT' : 'NON_CURRENT',
      wrapped: vault.seal(key, g.materialId, g.secret),
    };
    if (i > 0) record.rotationType = 'AUTOMATIC';
    if (g.publicKey !== undefined) record.publicKey = g.publicKey;
    return record;
  });
}

/** Generates new material for a key of `keySpec` and seals it: the record is ready for tx.putMaterial. */
export async function generateMaterial(
  vault: MaterialVault,
  key: KeyRef & { keySpec: string },
  fields: Pick<KeyMaterialRecord, 'createdAt' | 'state' | 'rotationType'>,
): Promise<KeyMaterialRecord> {
  const generated = await generateKeyMaterial(key.keySpec);
  const materialId = newMaterialId();
  const record: KeyMaterialRecord = {
    account: key.account,
    region: key.region,
    keyId: key.keyId,
    materialId,
    createdAt: fields.createdAt,
    state: fields.state,
    wrapped: vault.seal(key, materialId, generated.secret),
  };
  if (fields.rotationType !== undefined) record.rotationType = fields.rotationType;
  if (generated.publicKey !== undefined) record.publicKey = generated.publicKey;
  return record;
}

/** Whether the key is a symmetric encryption key that shows CurrentKeyMaterialId (spec §5.3). */
export const showsCurrentMaterialId = (key: Pick<KeyRecord, 'keySpec'>): boolean => key.keySpec === 'SYMMETRIC_DEFAULT';
