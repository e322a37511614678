// AWS KMS's authorization of one action: explicit deny anywhere wins; the key policy is the gate (an
// Allow naming the account hands the decision to the caller's IAM policies); other accounts need both
// the key policy and their own IAM policy; grants allow their operations (DG control-access.md,
// key-policy-default.md, grants.html). Resources other than keys are governed by IAM policies alone.
import type { AuthzOutcome, AuthzRequest, Caller } from '../context.ts';
import { granteeMatch, grantPermits } from '../keys/grant-rules.ts';
import { cachedPolicy } from '../policy/policy-cache.ts';
import { PolicyDocumentError, type CompiledPolicy, type EvalRequest, type EvalResult, type PrincipalFacts } from '../policy/types.ts';
import type { KeyRecord, Tx } from '../store/store.ts';
import { accessDenied } from './access-denied.ts';
import { RequestConditionContext, type RequestFacts, type ResourceFacts } from './condition-context.ts';
import type { PropagationDelay } from './propagation.ts';
import { requestEncryptionContext } from './request-conditions.ts';

export type { RequestFacts };

const NONE: EvalResult = Object.freeze({ deny: false, allow: false, allowAccount: false });
/** The root user's identity side: allowed everything, denied nothing (it has no identity policies). */
const ROOT_IDENTITY: EvalResult = Object.freeze({ deny: false, allow: true, allowAccount: false });
const NO_POLICIES: readonly CompiledPolicy[] = Object.freeze([]);
/** Allowed by policy, not by a grant. */
const ALLOWED: AuthzOutcome = Object.freeze({});
const principals = new WeakMap<Caller, PrincipalFacts>();

function principalOf(caller: Caller): PrincipalFacts {
  let p = principals.get(caller);
  if (!p) {
    p = { account: caller.accountId, arn: caller.arn, principalArn: caller.principalArn, isRoot: caller.principalType === 'Account' };
    principals.set(caller, p);
  }
  return p;
}

const evalRequest = (req: AuthzRequest, principal: PrincipalFacts, context: RequestConditionContext): EvalRequest => ({
  action: req.action,
  resource: req.resource,
  principal,
  context,
});

/** The caller's identity policies, compiled (the cache holds them; callers are fixed at startup). */
const compiledIdentity = new WeakMap<Caller, readonly CompiledPolicy[]>();

function identityPolicies(caller: Caller): readonly CompiledPolicy[] {
  if (caller.policies.length === 0) return NO_POLICIES;
  let list = compiledIdentity.get(caller);
  if (!list) {
    list = caller.policies.map((t) => cachedPolicy(t, 'identity'));
    compiledIdentity.set(caller, list);
  }
  return list;
}

function evaluateAll(policies: readonly CompiledPolicy[], req: EvalRequest): EvalResult {
  let allow = false;
  for (const p of policies) {
    const r = p.evaluate(req);
    if (r.deny) return { deny: true, allow: false, allowAccount: false };
    allow ||= r.allow;
  }
  return { deny: false, allow, allowAccount: false };
}

/** Grants nothing: what a stored key policy that no longer parses amounts to. */
const EMPTY_POLICY: CompiledPolicy = { kind: 'key', referencedKeys: new Set(), hasDeny: false, evaluate: () => NONE };

/**
 * The compiled key policy. Documents are validated when stored, but a database written before policies were
 * parsed may hold one that does not compile; it allows nothing (not a 500 on every request to the key).
 */
function keyPolicy(text: string): CompiledPolicy {
  try {
    return cachedPolicy(text, 'key');
  } catch (e) {
    if (e instanceof PolicyDocumentError) return EMPTY_POLICY;
    throw e;
  }
}

/** Which of the key's IAM-only facts a caller's identity policies read, worked out once per caller. */
interface Reads {
  tags: boolean;
  aliases: boolean;
}
const reads = new WeakMap<readonly CompiledPolicy[], Reads>();

function readsOf(policies: readonly CompiledPolicy[]): Reads {
  let r = reads.get(policies);
  if (!r) {
    const keys = policies.flatMap((p) => [...p.referencedKeys]);
    r = { tags: keys.some((k) => k.startsWith('aws:resourcetag/')), aliases: keys.includes('kms:resourcealiases') };
    reads.set(policies, r);
  }
  return r;
}

const NO_FACTS: ResourceFacts = Object.freeze({});

/**
 * The key's tags and aliases as authorization sees them, read only when an identity policy tests them;
 * undefined when that needs an await (aliases, or a store that cannot read tags synchronously).
 */
function resourceFactsNow(tx: Tx | undefined, key: KeyRecord, arn: string, reads: Reads, now: number, propagation: PropagationDelay): ResourceFacts | undefined {
  // A key being created (CreateKey's lockout check) has no stored tags or aliases yet.
  if (tx === undefined || !(reads.tags || reads.aliases)) return NO_FACTS;
  if (reads.aliases || tx.tagsNow === undefined) return undefined;
  return { tags: propagation.tagsAt(arn, tx.tagsNow(key), now) };
}

async function resourceFacts(tx: Tx, key: KeyRecord, arn: string, reads: Reads, now: number, propagation: PropagationDelay): Promise<ResourceFacts> {
  const out: ResourceFacts = {};
  if (reads.tags) out.tags = propagation.tagsAt(arn, tx.tagsNow?.(key) ?? (await tx.listTags(key, undefined, 50)), now);
  if (reads.aliases) {
    const aliases = (await tx.listAliases(key.account, key.region, key.keyId, undefined, 100)).map((a) => a.aliasName);
    // AWS evaluates kms:ResourceAliases only for keys with at most 50 aliases (DG conditions-kms.md).
    out.aliases = propagation.aliasesAt(arn, aliases.length > 50 ? [] : aliases, now);
  }
  return out;
}

export class Authorizer {
  constructor(private readonly propagation: PropagationDelay) {}

  /** Throws AccessDeniedException unless `facts.caller` may perform `req.action` on `req.resource`. */
  async authorize(facts: RequestFacts, tx: Tx | undefined, req: AuthzRequest, keyPolicyText?: string): Promise<AuthzOutcome> {
    const { caller } = facts;
    const principal = principalOf(caller);
    const isRoot = principal.isRoot;
    const context = new RequestConditionContext(facts, req);
    const identity = identityPolicies(caller);

    if (!req.key) {
      // Not a key (`*`, an alias): IAM policies alone decide; the root user may do anything in its account.
      if (isRoot) return ALLOWED;
      const ip = evaluateAll(identity, evalRequest(req, principal, context));
      if (ip.deny) throw accessDenied(caller, req, 'identity-deny');
      if (!ip.allow) throw accessDenied(caller, req, 'identity');
      return ALLOWED;
    }

    const key = req.key;
    const kp = keyPolicy(keyPolicyText ?? key.policy).evaluate(evalRequest(req, principal, context));
    if (kp.deny) throw accessDenied(caller, req, 'resource-deny');
    const sameAccount = caller.accountId === key.account;
    // Identity policies can only deny once the key policy has allowed the caller by name in its own account:
    // without a Deny among them there is nothing left to decide (and no tags to read).
    const settled = kp.allow && sameAccount && !identity.some((p) => p.hasDeny);
    let ip = ROOT_IDENTITY;
    if (!isRoot) {
      if (identity.length === 0 || settled) ip = NONE;
      else {
        const r = readsOf(identity);
        const resource = resourceFactsNow(tx, key, req.resource, r, facts.now, this.propagation) ?? (await resourceFacts(tx!, key, req.resource, r, facts.now, this.propagation));
        ip = evaluateAll(identity, evalRequest(req, principal, context.withResource(resource)));
      }
    }
    if (ip.deny) throw accessDenied(caller, req, 'identity-deny');

    // In the key's account the key policy may name the caller directly; other accounts always need their
    // own IAM policy as well (DG key-policy-modifying-external-accounts.md).
    if (sameAccount ? kp.allow || (kp.allowAccount && ip.allow) : (kp.allow || kp.allowAccount) && ip.allow) return ALLOWED;

    const grant = keyPolicyText === undefined && tx !== undefined ? await this.grantFor(facts, tx, key, req, ip.allow) : undefined;
    if (grant) return { grant };
    throw accessDenied(caller, req, kp.allow || kp.allowAccount ? 'identity' : 'resource');
  }

  /** A grant on the key that gives the caller this operation, if any. */
  private async grantFor(facts: RequestFacts, tx: Tx, key: KeyRecord, req: AuthzRequest, identityAllows: boolean) {
    const operation = req.action.slice(4);
    const ec = requestEncryptionContext(facts.operation, req.action, facts.input);
    for (const grant of await tx.listGrants(key, undefined, 50_000)) {
      const match = granteeMatch(grant.granteePrincipal, facts.caller);
      // A grant to an account is like a key policy naming it: its IAM policies decide who uses it.
      if (match === undefined || (match === 'account' && !identityAllows && facts.caller.principalType !== 'Account')) continue;
      if (grantPermits(grant, operation, ec)) return grant;
    }
    return undefined;
  }
}
