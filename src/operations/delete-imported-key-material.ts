// DeleteImportedKeyMaterial — https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteImportedKeyMaterial.html
// Checks: resolve key → key state → authorize → origin EXTERNAL → which material (KeyMaterialId, else the
// current one) → its secret is deleted; ID and fingerprint stay, so only the same material can come back.
// Multi-Region keys: new material deleted from the primary goes from every key of the set; whatever a
// replica deletes is its own ("the primary Region key and other replica Region keys remain unchanged").
import type { Handler } from '../context.ts';
import { KmsError } from '../errors.ts';
import { expireKeyIfDue, summarizeImportedKey, withoutSecret } from '../keys/imported-material.ts';
import { isMultiRegionReplica, keySet } from '../keys/multi-region.ts';
import { originNotExternal } from './get-parameters-for-import.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

export const deleteImportedKeyMaterial: Handler = (input, ctx) =>
  withKey(ctx, 'DeleteImportedKeyMaterial', input.KeyId, KEY_ONLY, async (tx, { key: resolved, arn }) => {
    if (resolved.origin !== 'EXTERNAL') throw originNotExternal(arn, resolved.origin);
    const key = await expireKeyIfDue(tx, resolved, ctx.clock.now());
    const materials = await tx.listMaterials(key);
    const requestedId = input.KeyMaterialId as string | undefined;
    // "If no KeyMaterialId is specified, KMS deletes the current key material."
    const target =
      requestedId === undefined ? materials.find((m) => m.state === 'CURRENT') : materials.find((m) => m.materialId === requestedId);
    if (requestedId !== undefined && !target) {
      // AWS's text is not recorded; Trent names the key and the material it could not find.
      throw new KmsError('NotFoundException', `Key material ${requestedId} is not associated with ${arn}.`);
    }
    // A key that never had material: "PendingImport ✓ (no effect)" (DG key-state table).
    if (!target) return { KeyId: arn };
    if (target.state === 'PENDING_ROTATION' && !isMultiRegionReplica(key)) {
      // Material that never became current is not bound to the key yet: it goes entirely, so that
      // different material may be imported in its place (API ImportKeyMaterial, ImportType). "When you delete
      // the key material of a primary Region key that is in PENDING_ROTATION or
      // PENDING_MULTI_REGION_IMPORT_AND_ROTATION state, you'll also be deleting the key materials for the
      // replica Region keys" (API DeleteImportedKeyMaterial).
      for (const k of await keySet(tx, key)) await tx.deleteMaterial(k, target.materialId);
    } else if (target.wrapped !== undefined) {
      // A replica's new material stays known by its fingerprint, so that it can import it again.
      const deleted = withoutSecret(target);
      await tx.putMaterial(deleted);
      const after = materials.map((m) => (m.materialId === deleted.materialId ? deleted : m));
      await tx.updateKey(summarizeImportedKey(key, after));
    }
    return { KeyId: arn, KeyMaterialId: target.materialId };
  });
