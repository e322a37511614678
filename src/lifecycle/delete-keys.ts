// A reset's deletion: every key in a scope with its tags, aliases, materials, grants and usage. A multi-Region
// set goes whole once any of its keys is in scope: a replica left without its primary, or a primary made anew
// beside old replicas, would be a set KMS never has.
import type { KeyRecord, Tx } from '../store/store.ts';

export async function deleteKeysIn(tx: Tx, scope: { account?: string; region?: string }): Promise<KeyRecord[]> {
  const doomed = new Map<string, KeyRecord>();
  for (const key of await tx.listKeysIn(scope)) {
    const set = key.multiRegion ? await tx.listKeysById(key.account, key.keyId) : [key];
    for (const k of set) doomed.set(`${k.account}\n${k.region}\n${k.keyId}`, k);
  }
  // Opened material is cached by its sealed record (vault.ts), so a seed that brings the same key ID and
  // KeyMaterialId back with other material finds nothing stale.
  for (const key of doomed.values()) await tx.deleteKey(key);
  return [...doomed.values()];
}
