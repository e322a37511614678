// CancelKeyDeletion — https://docs.aws.amazon.com/kms/latest/APIReference/API_CancelKeyDeletion.html
// A cancelled key comes back Disabled, not Enabled (LS-snap test_schedule_and_cancel_key_deletion); an
// EXTERNAL key that never received key material goes back to PendingImport, the only state it can use.
import type { Handler } from '../context.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

export const cancelKeyDeletion: Handler = (input, ctx) =>
  withKey(ctx, 'CancelKeyDeletion', input.KeyId, KEY_ONLY, async (tx, { key, arn }) => {
    const awaitingMaterial = key.origin === 'EXTERNAL' && key.currentKeyMaterialId === undefined;
    await tx.updateKey({ ...key, keyState: awaitingMaterial ? 'PendingImport' : 'Disabled', deletionDate: undefined });
    return { KeyId: arn };
  });
