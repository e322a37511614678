// Builds the KeyMetadata structure AWS returns from a key record. Tags never appear in it (spec §5.3);
// absent optional members are omitted, not null; dates are epoch seconds.
import type { KeyRecord } from '../store/store.ts';
import { keyArn } from './key-id.ts';
import { algorithmsFor } from './key-spec.ts';
import { multiRegionConfiguration } from './multi-region.ts';

export const epochSeconds = (ms: number): number => ms / 1000;

/** `set`: the keys of a multi-Region key's set (keys/multi-region.ts keySet), for MultiRegionConfiguration. */
export function toKeyMetadata(key: KeyRecord, set: readonly KeyRecord[] = [key]): Record<string, unknown> {
  const arn = keyArn(key.region, key.account, key.keyId);
  const md: Record<string, unknown> = {
    AWSAccountId: key.account,
    KeyId: key.keyId,
    Arn: arn,
    CreationDate: epochSeconds(key.createdAt),
    Enabled: key.keyState === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.keyState,
  };
  if (key.deletionDate !== undefined) md.DeletionDate = epochSeconds(key.deletionDate);
  if (key.validTo !== undefined) md.ValidTo = epochSeconds(key.validTo);
  md.Origin = key.origin;
  if (key.customKeyStoreId !== undefined) md.CustomKeyStoreId = key.customKeyStoreId;
  if (key.expirationModel !== undefined) md.ExpirationModel = key.expirationModel;
  md.KeyManager = key.keyManager;
  md.CustomerMasterKeySpec = key.keySpec;
  md.KeySpec = key.keySpec;
  const algs = algorithmsFor(key.keySpec, key.keyUsage);
  if (algs) md[algs.field] = [...algs.algorithms];
  md.MultiRegion = key.multiRegion;
  if (key.multiRegion) md.MultiRegionConfiguration = multiRegionConfiguration(key, set);
  if (key.pendingDeletionWindowInDays !== undefined && key.keyState === 'PendingReplicaDeletion') {
    md.PendingDeletionWindowInDays = key.pendingDeletionWindowInDays;
  }
  if (key.currentKeyMaterialId !== undefined) md.CurrentKeyMaterialId = key.currentKeyMaterialId;
  return md;
}
