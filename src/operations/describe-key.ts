// DescribeKey — https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
// Accepts key ID, key ARN, alias name or alias ARN; works in every key state.
import type { Handler } from '../context.ts';
import { toKeyMetadata } from '../keys/key-metadata.ts';
import { keySet } from '../keys/multi-region.ts';
import { isDeletionDue } from '../keys/resolve-key.ts';
import { ANY_KEY, withKey } from './with-key.ts';

export const describeKey: Handler = (input, ctx) =>
  withKey(ctx, 'DescribeKey', input.KeyId, ANY_KEY, async (tx, { key }) => {
    // A replica whose waiting period is over is gone for every read, before the sweeper removes its rows.
    const set = (await keySet(tx, key)).filter((k) => !isDeletionDue(k, ctx.clock.now()));
    return { KeyMetadata: toKeyMetadata(key, set) };
  });
