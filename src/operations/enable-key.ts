// EnableKey — https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKey.html
// Enabling an enabled key is a no-op success; pending deletion/import are refused by the state table.
import type { Handler } from '../context.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

export const enableKey: Handler = (input, ctx) =>
  withKey(ctx, 'EnableKey', input.KeyId, KEY_ONLY, async (tx, { key }) => {
    if (key.keyState !== 'Enabled') await tx.updateKey({ ...key, keyState: 'Enabled' });
    return undefined;
  });
