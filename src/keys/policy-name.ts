// A KMS key has exactly one key policy, named "default" (API GetKeyPolicy/PutKeyPolicy PolicyName).
import { KmsError } from '../errors.ts';
import { DEFAULT_POLICY_NAME } from './default-policy.ts';

/** PolicyName is optional and defaults to "default"; any other well-formed name names no policy. */
export function checkPolicyName(name: unknown): void {
  // AWS's text for another name is unrecorded; NotFound is the natural answer for a missing policy.
  if (name !== undefined && name !== DEFAULT_POLICY_NAME) throw new KmsError('NotFoundException', `No such policy exists: ${String(name)}`);
}
