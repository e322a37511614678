// PutKeyPolicy — https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html
// Stores the document as given; every key state. Enforcement arrives with authorization.
import type { Handler } from '../context.ts';
import { checkPolicyName } from '../keys/policy-name.ts';
import { checkPolicyDocument } from '../policy/policy-document.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

export const putKeyPolicy: Handler = (input, ctx) =>
  withKey(ctx, 'PutKeyPolicy', input.KeyId, KEY_ONLY, async (tx, { key }) => {
    checkPolicyName(input.PolicyName);
    const policy = input.Policy as string;
    checkPolicyDocument(policy);
    await tx.updateKey({ ...key, policy });
    return undefined;
  });
