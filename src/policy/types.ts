// The contract of the pure policy engine: what a compiled policy is, what a request looks like to it,
// and what evaluating one policy yields. Imports nothing else of the project.

/** Which grammar a document follows: key policies need Principal; identity policies must not have it. */
export type PolicyKind = 'key' | 'identity';

/** A policy document that failed validation; `message` is AWS's MalformedPolicyDocumentException text. */
export class PolicyDocumentError extends Error {}

/**
 * Request facts conditions and policy variables read. `get` takes a condition key in lower case
 * (`aws:resourcetag/project`, `kms:encryptioncontext:purpose`, `kms:callerraccount`) and returns its
 * values as strings (booleans `true`/`false`, numbers in decimal, dates ISO 8601), or undefined when the
 * request has no such key. Single-valued keys return one value.
 */
export interface ConditionContext {
  get(lowerKey: string): readonly string[] | undefined;
}

/** Who is asking, as Principal / NotPrincipal elements of key policies match it. */
export interface PrincipalFacts {
  account: string;
  /** The caller's ARN (user, assumed-role session or account root). */
  arn: string;
  /** For sessions the role's ARN (`arn:aws:iam::<acct>:role/<path><name>`); otherwise `arn`. */
  principalArn: string;
  /** The account root itself: a Principal naming the account names it directly. */
  isRoot: boolean;
}

export interface EvalRequest {
  /** `kms:Encrypt`; matched case-insensitively against Action / NotAction patterns. */
  action: string;
  /** A key ARN, an alias ARN or `*`. */
  resource: string;
  principal: PrincipalFacts;
  context: ConditionContext;
}

/**
 * The outcome of one policy. A key-policy Allow whose Principal names the caller's account
 * (`arn:aws:iam::<acct>:root` or the bare account ID) delegates to that account's IAM policies:
 * it sets `allowAccount`, not `allow` (unless the caller is the root). A Deny naming an account applies
 * to every principal of it. Identity policies have no Principal: a matching Allow sets `allow`.
 */
export interface EvalResult {
  deny: boolean;
  allow: boolean;
  allowAccount: boolean;
}

export interface CompiledPolicy {
  kind: PolicyKind;
  /** Lower-cased condition keys and variable names the policy refers to, so callers fetch only what is read. */
  readonly referencedKeys: ReadonlySet<string>;
  /** Whether any statement is a Deny: a policy without one can only add permissions. */
  readonly hasDeny: boolean;
  evaluate(req: EvalRequest): EvalResult;
}
