// ListKeyPolicies — https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeyPolicies.html
// Always the single policy "default", never truncated.
import type { Handler } from '../context.ts';
import { DEFAULT_POLICY_NAME } from '../keys/default-policy.ts';
import { startAfter } from './paginate.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

export const listKeyPolicies: Handler = (input, ctx) =>
  withKey(ctx, 'ListKeyPolicies', input.KeyId, KEY_ONLY, async (_tx, { arn }) => {
    // Trent never truncates this listing, so no marker is ever valid here.
    startAfter(ctx.markers, `ListKeyPolicies:${arn}`, input.Marker);
    return { PolicyNames: [DEFAULT_POLICY_NAME], Truncated: false };
  });
