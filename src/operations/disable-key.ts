// DisableKey — https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKey.html
import type { Handler } from '../context.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

export const disableKey: Handler = (input, ctx) =>
  withKey(ctx, 'DisableKey', input.KeyId, KEY_ONLY, async (tx, { key }) => {
    if (key.keyState !== 'Disabled') await tx.updateKey({ ...key, keyState: 'Disabled' });
    return undefined;
  });
