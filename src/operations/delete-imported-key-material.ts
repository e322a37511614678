// DeleteImportedKeyMaterial — https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteImportedKeyMaterial.html
// Checks: resolve key → key state → authorize → origin EXTERNAL → which material (KeyMaterialId, else the
// current one) → its secret is deleted; ID and fingerprint stay, so only the same material can come back.
import type { Handler } from '../context.ts';
import { KmsError } from '../errors.ts';
import { expireKeyIfDue, summarizeImportedKey, withoutSecret } from '../keys/imported-material.ts';
import { originNotExternal } from './get-parameters-for-import.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

export const deleteImportedKeyMaterial: Handler = (input, ctx) =>
  withKey(ctx, 'DeleteImportedKeyMaterial', input.KeyId, KEY_ONLY, async (tx, { key: resolved, arn }) => {
    if (resolved.origin !== 'EXTERNAL') throw originNotExternal(arn, resolved.origin);
    const key = await expireKeyIfDue(tx, resolved, ctx.clock.now(), ctx.vault);
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
    if (target.state === 'PENDING_ROTATION') {
      // Material that never became current is not bound to the key yet: it goes entirely, so that
      // different material may be imported in its place (API ImportKeyMaterial, ImportType).
      ctx.vault.forget(key, target.materialId);
      await tx.deleteMaterial(key, target.materialId);
    } else if (target.wrapped !== undefined) {
      const deleted = withoutSecret(target, ctx.vault);
      await tx.putMaterial(deleted);
      const after = materials.map((m) => (m.materialId === deleted.materialId ? deleted : m));
      await tx.updateKey(summarizeImportedKey(key, after));
    }
    return { KeyId: arn, KeyMaterialId: target.materialId };
  });
