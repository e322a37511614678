// DescribeKey — https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
// Accepts key ID, key ARN, alias name or alias ARN; works in every key state.
import type { Handler } from '../context.ts';
import { toKeyMetadata } from '../keys/key-metadata.ts';
import { keySet } from '../keys/multi-region.ts';
import { ANY_KEY, withKey } from './with-key.ts';

export const describeKey: Handler = (input, ctx) =>
  withKey(ctx, 'DescribeKey', input.KeyId, ANY_KEY, async (tx, { key }) => ({ KeyMetadata: toKeyMetadata(key, await keySet(tx, key)) }));
