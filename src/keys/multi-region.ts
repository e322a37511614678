// Multi-Region keys (DG multi-region-keys-overview): a primary and its replicas share key ID, material, key
// spec, usage, origin and automatic rotation; tags, aliases, description, policy and enabled state are each
// key's own. Trent keeps one key row per Region, each with its own copy of every material, sealed for it.
import { KmsError } from '../errors.ts';
import type { KeyMaterialRecord, KeyRecord, KeyRef, Tx } from '../store/store.ts';
import { keyArn } from './key-id.ts';
import type { MaterialVault } from './vault.ts';

/** The Region of the set's primary key (a single-Region key is its own). */
export const primaryRegionOf = (key: KeyRecord): string => key.primaryRegion ?? key.region;

export const isMultiRegionPrimary = (key: KeyRecord): boolean => key.multiRegion && primaryRegionOf(key) === key.region;

export const isMultiRegionReplica = (key: KeyRecord): boolean => key.multiRegion && primaryRegionOf(key) !== key.region;

/** The primary among the keys of a set (undefined if none is, which a consistent store never shows). */
export const primaryOf = (set: readonly KeyRecord[]): KeyRecord | undefined => set.find(isMultiRegionPrimary);

/**
 * What an operation reserved to the primary answers for a replica. AWS's text is recorded for ReplicateKey
 * (spec §5.3 [V]); for the rotation operations, which "set the property on the primary key" (API
 * EnableKeyRotation, DisableKeyRotation, RotateKeyOnDemand), it is unrecorded and Trent answers alike.
 */
export const notMultiRegionPrimary = (arn: string): KmsError =>
  new KmsError('UnsupportedOperationException', `${arn} is not a multi-region primary key.`);

/** Refuses a multi-Region replica (single-Region keys and primaries pass). */
export function assertNotReplica(key: KeyRecord, arn: string): void {
  if (isMultiRegionReplica(key)) throw notMultiRegionPrimary(arn);
}

/** Every key of the set `key` belongs to, itself included, in creation order; a single-Region key alone. */
export async function keySet(tx: Tx, key: KeyRecord): Promise<KeyRecord[]> {
  if (!key.multiRegion) return [key];
  const set = await tx.listKeysById(key.account, key.keyId);
  return set.length > 0 ? set : [key];
}

/** The other keys of the set (for a single-Region key: none). */
export async function peersOf(tx: Tx, key: KeyRecord): Promise<KeyRecord[]> {
  return (await keySet(tx, key)).filter((k) => k.region !== key.region);
}

/**
 * KeyMetadata.MultiRegionConfiguration: PrimaryKey is the primary (the key itself when it is the primary);
 * ReplicaKeys lists every replica, the key itself included when it is one (API MultiRegionConfiguration).
 */
export function multiRegionConfiguration(key: KeyRecord, set: readonly KeyRecord[]): Record<string, unknown> {
  const primaryRegion = primaryRegionOf(key);
  return {
    MultiRegionKeyType: primaryRegion === key.region ? 'PRIMARY' : 'REPLICA',
    PrimaryKey: { Arn: keyArn(primaryRegion, key.account, key.keyId), Region: primaryRegion },
    ReplicaKeys: set
      .filter((k) => k.region !== primaryRegion)
      .map((k) => ({ Arn: keyArn(k.region, k.account, k.keyId), Region: k.region })),
  };
}

/** The copy of material `m` that the key `to` of the same set keeps: same ID and bytes, sealed for `to`. */
export function materialCopy(vault: MaterialVault, m: KeyMaterialRecord, to: KeyRef): KeyMaterialRecord {
  const { seq: _seq, ...rest } = m;
  const copy: KeyMaterialRecord = { ...rest, account: to.account, region: to.region, keyId: to.keyId };
  if (m.wrapped !== undefined) copy.wrapped = vault.seal(to, m.materialId, vault.open(m, m.materialId, m.wrapped));
  return copy;
}

/** Stores material `m` of one key of a set on every other key of the set as well (rotations reach every Region). */
export async function putMaterialOnPeers(tx: Tx, vault: MaterialVault, key: KeyRecord, m: KeyMaterialRecord): Promise<void> {
  for (const peer of await peersOf(tx, key)) await tx.putMaterial(materialCopy(vault, m, peer));
}

/**
 * Writes the shared properties of `source` (automatic rotation schedule, current material) to every other
 * key of its set: KMS synchronizes them (API ReplicateKey).
 */
export async function syncSharedProperties(tx: Tx, source: KeyRecord): Promise<void> {
  for (const peer of await peersOf(tx, source)) {
    await tx.updateKey({
      ...peer,
      rotationPeriodInDays: source.rotationPeriodInDays,
      nextRotationAt: source.nextRotationAt,
      currentKeyMaterialId: source.currentKeyMaterialId,
    });
  }
}
