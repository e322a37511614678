// PutKeyPolicy — https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html
// Checks: key ID/ARN → authorize → key state → policy name → document grammar and principals → lockout
// safety check (unless BypassPolicyLockoutSafetyCheck). Stores the document byte for byte.
import type { Handler } from '../context.ts';
import { checkPolicyName } from '../keys/policy-name.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

export const putKeyPolicy: Handler = (input, ctx) =>
  withKey(ctx, 'PutKeyPolicy', input.KeyId, KEY_ONLY, async (tx, { key, arn }) => {
    checkPolicyName(input.PolicyName);
    const policy = input.Policy as string;
    await ctx.checkKeyPolicy(tx, key, arn, policy, input.BypassPolicyLockoutSafetyCheck === true);
    await tx.updateKey({ ...key, policy });
    return undefined;
  });
