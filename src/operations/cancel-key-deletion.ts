// CancelKeyDeletion — https://docs.aws.amazon.com/kms/latest/APIReference/API_CancelKeyDeletion.html
// A cancelled key comes back Disabled, not Enabled (LS-snap test_schedule_and_cancel_key_deletion), whether it
// was PendingDeletion or a primary in PendingReplicaDeletion (DG multi-region-keys-delete: "The key state changes
// to Disabled"). An EXTERNAL key missing imported material goes back to PendingImport, the only state it can use.
import type { Handler } from '../context.ts';
import { summarizeImportedKey } from '../keys/imported-material.ts';
import type { KeyRecord } from '../store/store.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

export const cancelKeyDeletion: Handler = (input, ctx) =>
  withKey(ctx, 'CancelKeyDeletion', input.KeyId, KEY_ONLY, async (tx, { key, arn }) => {
    let next: KeyRecord = { ...key, keyState: 'Disabled', deletionDate: undefined, pendingDeletionWindowInDays: undefined };
    // Imported material may be missing: never imported, deleted during the waiting period, or (a replica of an
    // EXTERNAL key) not yet imported into this Region; the materials decide, as they do everywhere else.
    if (key.origin === 'EXTERNAL') next = summarizeImportedKey(next, await tx.listMaterials(key));
    await tx.updateKey(next);
    return { KeyId: arn };
  });
