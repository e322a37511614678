// Grant rules with no I/O: which grant operations a key supports, which principals a grant may name,
// grant constraints (shape, where they apply, whether a child grant is at least as strict), and whether a
// grant gives a caller an operation. Sources: API_CreateGrant, API_GrantConstraints, DG grants.html and
// create-grant-overview.html.
import { KmsError } from '../errors.ts';
import type { GrantConstraints, GrantRecord, KeyRecord } from '../store/store.ts';

/** The GrantOperation enum of the model, in its order. */
export const GRANT_OPERATIONS: readonly string[] = [
  'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'Sign',
  'Verify', 'GetPublicKey', 'CreateGrant', 'RetireGrant', 'DescribeKey', 'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret',
];

/** Allowed in a grant for every key. */
const ANY_KEY = ['CreateGrant', 'RetireGrant', 'DescribeKey'];
/** The grant operations whose requests carry an encryption context (so constraints can apply to them). */
const WITH_CONTEXT = new Set([
  'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo',
]);
/** Operations a grant constraint never applies to (API_CreateGrant Constraints: "the constraint doesn't apply"). */
const UNCONSTRAINED = new Set(['DescribeKey', 'RetireGrant', 'CreateGrant']);

/** Grant operations by key type: DG grants.html "Grant operations" (and API_CreateGrant Operations). */
function supportedOperations(key: Pick<KeyRecord, 'keySpec' | 'keyUsage'>): ReadonlySet<string> {
  let own: string[];
  if (key.keySpec === 'SYMMETRIC_DEFAULT') own = [...WITH_CONTEXT];
  else if (key.keyUsage === 'ENCRYPT_DECRYPT') own = ['Decrypt', 'Encrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GetPublicKey'];
  else if (key.keyUsage === 'SIGN_VERIFY') own = ['Sign', 'Verify', 'GetPublicKey'];
  else if (key.keyUsage === 'GENERATE_VERIFY_MAC') own = ['GenerateMac', 'VerifyMac'];
  else if (key.keyUsage === 'KEY_AGREEMENT') own = ['DeriveSharedSecret', 'GetPublicKey'];
  else own = [];
  return new Set([...own, ...ANY_KEY]);
}

const validation = (message: string) => new KmsError('ValidationException', message);

/**
 * Checks CreateGrant's Operations and Constraints against the key; returns the operations without repeats,
 * in the order given. AWS answers a ValidationException ("ValidationError" in API_CreateGrant) whose texts
 * are unrecorded except the two marked [O]; the others are Trent's.
 */
export function checkGrantRequest(
  key: Pick<KeyRecord, 'keySpec' | 'keyUsage'>,
  operations: readonly string[],
  constraints: GrantConstraints | undefined,
): string[] {
  const ops = [...new Set(operations)];
  // [O] ansible/ansible#31960 (a CreateGrant call that listed only CreateGrant).
  if (ops.length === 1 && ops[0] === 'CreateGrant') throw validation('Grants must not contain only the CreateGrant operation.');
  const supported = supportedOperations(key);
  const unsupported = ops.filter((op) => !supported.has(op));
  if (unsupported.length > 0) {
    throw validation(`Grant operations [${unsupported.join(', ')}] are not supported for a KMS key with KeySpec ${key.keySpec} and KeyUsage ${key.keyUsage}.`);
  }
  if (constraints !== undefined) checkConstraints(key, ops, constraints);
  return ops;
}

/** Most encryption-context pairs in one constraint, and longest value (API_CreateGrant Constraints). */
export const MAX_CONSTRAINT_PAIRS = 8;
export const MAX_CONSTRAINT_VALUE_LENGTH = 384;

function checkConstraints(key: Pick<KeyRecord, 'keySpec'>, ops: readonly string[], c: GrantConstraints): void {
  // [O] hashicorp/terraform-provider-aws internal/service/kms/grant.go: "ValidationException: More than one
  // constraint supplied".
  if (c.encryptionContextEquals !== undefined && c.encryptionContextSubset !== undefined) {
    throw validation('More than one constraint supplied');
  }
  const context = c.encryptionContextEquals ?? c.encryptionContextSubset;
  if (context === undefined) return;
  const pairs = Object.entries(context);
  if (pairs.length > MAX_CONSTRAINT_PAIRS) {
    throw validation(`A grant constraint can include at most ${MAX_CONSTRAINT_PAIRS} encryption context pairs.`);
  }
  if (pairs.some(([, v]) => v.length > MAX_CONSTRAINT_VALUE_LENGTH)) {
    throw validation(`An encryption context value in a grant constraint cannot exceed ${MAX_CONSTRAINT_VALUE_LENGTH} characters.`);
  }
  // "supported only on grant operations that include an EncryptionContext parameter … You cannot use an
  // encryption context grant constraint for cryptographic operations with asymmetric KMS keys or HMAC KMS keys."
  const refused = ops.filter((op) => !WITH_CONTEXT.has(op) && !UNCONSTRAINED.has(op));
  if (key.keySpec !== 'SYMMETRIC_DEFAULT' || refused.length > 0) {
    throw validation(
      refused.length > 0
        ? `Grant constraints are not supported for the grant operations [${refused.join(', ')}].`
        : `Grant constraints are not supported for a KMS key with KeySpec ${key.keySpec}.`,
    );
  }
}

/**
 * Whether `grant` gives `operation` (a GrantOperation name: `Encrypt`, `ReEncryptFrom`, `CreateGrant`) to
 * a request with `encryptionContext`. EncryptionContextEquals: the same pairs exactly (keys ignoring case, any
 * order); EncryptionContextSubset: every constraint pair present in the request (DG create-grant-overview).
 * Constraints do not apply to DescribeKey, RetireGrant and CreateGrant (CreateGrant narrows the child
 * grant instead: isAtLeastAsStrict).
 */
export function grantPermits(
  grant: GrantRecord,
  operation: string,
  encryptionContext: Readonly<Record<string, string>> | undefined,
): boolean {
  if (!grant.operations.includes(operation)) return false;
  const c = grant.constraints;
  if (c === undefined || !WITH_CONTEXT.has(operation)) return true;
  // "in a grant constraint, the key in each key-value pair is not case sensitive, but the value is case
  // sensitive" (API_GrantConstraints).
  const request = lowerKeys(encryptionContext ?? {});
  if (c.encryptionContextEquals !== undefined) return sameContext(lowerKeys(c.encryptionContextEquals), request);
  if (c.encryptionContextSubset !== undefined) return includes(request, lowerKeys(c.encryptionContextSubset));
  return true;
}

const lowerKeys = (ec: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(ec).map(([k, v]) => [k.toLowerCase(), v]));

const includes = (outer: Readonly<Record<string, string>>, inner: Readonly<Record<string, string>>): boolean =>
  Object.entries(inner).every(([k, v]) => Object.hasOwn(outer, k) && outer[k] === v);

const sameContext = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean =>
  Object.keys(a).length === Object.keys(b).length && includes(a, b);

/** Whether two constraints are the same (CreateGrant's Name idempotency). */
export function sameConstraints(a: GrantConstraints | undefined, b: GrantConstraints | undefined): boolean {
  const kind = (c: GrantConstraints | undefined) =>
    c?.encryptionContextEquals !== undefined ? 'equals' : c?.encryptionContextSubset !== undefined ? 'subset' : 'none';
  if (kind(a) !== kind(b)) return false;
  const ca = a?.encryptionContextEquals ?? a?.encryptionContextSubset;
  const cb = b?.encryptionContextEquals ?? b?.encryptionContextSubset;
  return ca === undefined || cb === undefined || sameContext(ca, cb);
}

/**
 * Whether a child grant created through a parent grant's CreateGrant permission keeps within it: "some or
 * all of the operations in the parent grant", and constraints "at least as strict" — a child may add pairs
 * to a Subset constraint or turn it into Equals, never the reverse (DG create-grant-overview.html).
 */
export function isAtLeastAsStrict(parent: GrantRecord, operations: readonly string[], child: GrantConstraints | undefined): boolean {
  if (!operations.every((op) => parent.operations.includes(op))) return false;
  const p = parent.constraints;
  if (p?.encryptionContextEquals !== undefined) {
    return child?.encryptionContextEquals !== undefined && sameContext(child.encryptionContextEquals, p.encryptionContextEquals);
  }
  if (p?.encryptionContextSubset !== undefined) {
    const c = child?.encryptionContextEquals ?? child?.encryptionContextSubset;
    return c !== undefined && includes(c, p.encryptionContextSubset);
  }
  return true;
}

const ACCOUNT_ID = /^\d{12}$/;
const PRINCIPAL_ARN =
  /^arn:aws(?:-cn|-us-gov)?:(?:iam::\d{12}:(?:root|user\/.+|role\/.+)|sts::\d{12}:(?:assumed-role\/[^/]+\/.+|federated-user\/.+))$/;
/** AWS service principals appear as grantees of the grants AWS services create (DG grant-manage.html). */
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(?:\.cn)?$/;

/**
 * Whether a GranteePrincipal or RetiringPrincipal names something a grant can name: an account (ID or root
 * ARN), IAM user or role, assumed-role or federated session, or a service principal. Groups and other ARNs
 * are not principals (IAM ARNs); AWS refuses them with InvalidArnException (terraform-provider-aws retries
 * CreateGrant on InvalidArnException for principals IAM does not know yet).
 */
export const isGrantPrincipal = (p: string): boolean => ACCOUNT_ID.test(p) || PRINCIPAL_ARN.test(p) || SERVICE_PRINCIPAL.test(p);

/** The account a principal belongs to, when it names one. */
export function principalAccount(p: string): string | undefined {
  if (ACCOUNT_ID.test(p)) return p;
  return /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(p)?.[1];
}

/**
 * How a grant's principal (grantee or retiring) names the caller: 'principal' when it is the caller's ARN or
 * the role ARN of the caller's session (principalArn); 'account' when it names the caller's account
 * (`arn:aws:iam::<account>:root` or the bare account ID), which lets the account delegate through IAM.
 */
export function granteeMatch(
  granteePrincipal: string,
  caller: { arn: string; principalArn: string; accountId: string },
): 'principal' | 'account' | undefined {
  // A bare account ID is that account's root, as in a key policy's Principal.
  const named = ACCOUNT_ID.test(granteePrincipal) ? `arn:aws:iam::${granteePrincipal}:root` : granteePrincipal;
  if (named === caller.arn || named === caller.principalArn) return 'principal';
  if (/^arn:aws(?:-cn|-us-gov)?:iam::(\d{12}):root$/.exec(named)?.[1] === caller.accountId) return 'account';
  return undefined;
}
