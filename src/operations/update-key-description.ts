// UpdateKeyDescription — https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdateKeyDescription.html
import type { Handler } from '../context.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

export const updateKeyDescription: Handler = (input, ctx) =>
  withKey(ctx, 'UpdateKeyDescription', input.KeyId, KEY_ONLY, async (tx, { key }) => {
    await tx.updateKey({ ...key, description: input.Description as string });
    return undefined;
  });
