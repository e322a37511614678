// The checks CreateKey and PutKeyPolicy apply to a new key policy: AWS's grammar and principal rules
// (MalformedPolicyDocumentException), then the lockout safety check — the caller must still be allowed
// kms:PutKeyPolicy under the new policy unless BypassPolicyLockoutSafetyCheck (API_PutKeyPolicy.html).
import type { KeyRecord, Tx } from '../store/store.ts';
import { isKmsError, KmsError } from '../errors.ts';
import { compilePolicy } from '../policy/compile.ts';
import { PolicyDocumentError } from '../policy/types.ts';
import type { Authorizer, RequestFacts } from './authorizer.ts';

// AWS's text for a policy that fails the lockout safety check (spec §2; widely quoted from KMS).
export const LOCKOUT_MESSAGE = 'The new key policy will not allow you to update the key policy in the future.';

/** "The key policy size quota is 32 kilobytes (32768 bytes)" (API_PutKeyPolicy Policy). */
export const MAX_KEY_POLICY_BYTES = 32768;

export async function checkKeyPolicy(
  authorizer: Authorizer,
  facts: RequestFacts,
  isKnownPrincipal: (arn: string) => boolean,
  tx: Tx | undefined,
  key: KeyRecord,
  arn: string,
  text: string,
  bypassLockout: boolean,
): Promise<void> {
  // The model allows 131072 characters; the quota is smaller. AWS's text is unrecorded: Trent's wording.
  if (Buffer.byteLength(text, 'utf8') > MAX_KEY_POLICY_BYTES) {
    throw new KmsError('MalformedPolicyDocumentException', `The key policy exceeds the maximum size of ${MAX_KEY_POLICY_BYTES} bytes.`);
  }
  try {
    compilePolicy(text, 'key', { isKnownPrincipal });
  } catch (e) {
    if (e instanceof PolicyDocumentError) throw new KmsError('MalformedPolicyDocumentException', e.message);
    throw e;
  }
  if (bypassLockout) return;
  try {
    // Decided in the key's own Region: a replica's policy (ReplicateKey) is checked as it will be used there.
    await authorizer.authorize(facts, tx, { action: 'kms:PutKeyPolicy', resource: arn, key, region: key.region }, text);
  } catch (e) {
    if (isKmsError(e) && e.type === 'AccessDeniedException') throw new KmsError('MalformedPolicyDocumentException', LOCKOUT_MESSAGE);
    throw e;
  }
}
