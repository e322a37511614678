// ListKeyRotations — https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeyRotations.html
// Key ID or key ARN, same account; every key state. ROTATIONS_ONLY (default) lists the materials that
// rotations made current; ALL_KEY_MATERIAL adds the first material and imported material pending rotation.
// Every key of a multi-Region set lists the same materials: rotations reach them all, and a replica with
// imported material lists its primary's materials, imported into it or not.
import type { Handler } from '../context.ts';
import { awaitingSetImport } from '../keys/imported-material.ts';
import { epochSeconds } from '../keys/key-metadata.ts';
import { assertOnDemandRotationSupported } from '../keys/rotation-rules.ts';
import type { KeyMaterialRecord } from '../store/store.ts';
import { pageOf, pageOutput, startAfter } from './paginate.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

/** "If you do not include a value, it defaults to 100" (API Reference); the model caps Limit at 1000. */
const DEFAULT_LIMIT = 100;

export const listKeyRotations: Handler = (input, ctx) =>
  withKey(ctx, 'ListKeyRotations', input.KeyId, KEY_ONLY, async (tx, { key, arn }) => {
    assertOnDemandRotationSupported(key, arn);
    const scope = `ListKeyRotations:${arn}:${(input.IncludeKeyMaterial as string | undefined) ?? 'ROTATIONS_ONLY'}`;
    const limit = (input.Limit as number | undefined) ?? DEFAULT_LIMIT;
    const after = startAfter(ctx.markers, scope, input.Marker);
    let rows = await tx.listMaterials(key);
    const awaiting = await awaitingSetImport(tx, key);
    if (input.IncludeKeyMaterial !== 'ALL_KEY_MATERIAL') rows = rows.filter((m) => m.rotationType !== undefined && m.state !== 'PENDING_ROTATION');
    if (after !== undefined) rows = rows.slice(rows.findIndex((m) => m.materialId === after) + 1);
    const page = pageOf(rows, limit, ctx.markers, scope, (m) => m.materialId);
    const external = key.origin === 'EXTERNAL';
    return pageOutput('Rotations', page, (m: KeyMaterialRecord) => {
      // The key ID, not the ARN, as in the API Reference's and the CLI's examples.
      const entry: Record<string, unknown> = { KeyId: key.keyId, KeyMaterialId: m.materialId };
      // Description, import state and expiry are "only present for symmetric encryption KMS keys with
      // EXTERNAL origin" (RotationsListEntry).
      if (external && m.description !== undefined) entry.KeyMaterialDescription = m.description;
      if (external && m.importState !== undefined) entry.ImportState = m.importState;
      entry.KeyMaterialState = awaiting.has(m.materialId) ? 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION' : m.state;
      if (external && m.expirationModel !== undefined) entry.ExpirationModel = m.expirationModel;
      if (external && m.validTo !== undefined && m.expirationModel === 'KEY_MATERIAL_EXPIRES') entry.ValidTo = epochSeconds(m.validTo);
      // "not present for the first key material or an imported key material in PENDING_ROTATION state".
      if (m.rotationType !== undefined && m.state !== 'PENDING_ROTATION') {
        entry.RotationDate = epochSeconds(m.createdAt);
        entry.RotationType = m.rotationType;
      }
      return entry;
    });
  });
