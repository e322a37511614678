// DescribeKey — https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
// Accepts key ID, key ARN, alias name or alias ARN; works in every key state.
import type { Handler } from '../context.ts';
import { toKeyMetadata } from '../keys/key-metadata.ts';
import { liveKeySet } from '../keys/resolve-key.ts';
import { ANY_KEY, withKey } from './with-key.ts';

export const describeKey: Handler = (input, ctx) =>
  withKey(ctx, 'DescribeKey', input.KeyId, ANY_KEY, async (tx, { key }) => ({
    // A replica past its deletion date is gone from the set before the sweeper removes it.
    KeyMetadata: toKeyMetadata(key, await liveKeySet(tx, key, ctx.clock.now())),
  }));
