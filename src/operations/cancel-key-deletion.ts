// CancelKeyDeletion — https://docs.aws.amazon.com/kms/latest/APIReference/API_CancelKeyDeletion.html
// A cancelled key comes back Disabled, not Enabled (LS-snap test_schedule_and_cancel_key_deletion).
import type { Handler } from '../context.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

export const cancelKeyDeletion: Handler = (input, ctx) =>
  withKey(ctx, 'CancelKeyDeletion', input.KeyId, KEY_ONLY, async (tx, { key, arn }) => {
    await tx.updateKey({ ...key, keyState: 'Disabled', deletionDate: undefined });
    return { KeyId: arn };
  });
