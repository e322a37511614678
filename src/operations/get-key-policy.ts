// GetKeyPolicy — https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html
// Returns the stored document byte for byte; every key state.
import type { Handler } from '../context.ts';
import { DEFAULT_POLICY_NAME } from '../keys/default-policy.ts';
import { checkPolicyName } from '../keys/policy-name.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

export const getKeyPolicy: Handler = (input, ctx) =>
  withKey(ctx, 'GetKeyPolicy', input.KeyId, KEY_ONLY, async (_tx, { key }) => {
    checkPolicyName(input.PolicyName);
    return { Policy: key.policy, PolicyName: DEFAULT_POLICY_NAME };
  });
