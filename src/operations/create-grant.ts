// CreateGrant — https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html
// Checks: Operations not empty → principals → key ID or key ARN (other accounts too; aliases refused) →
// authorize kms:CreateGrant → key state → operations and constraints for this key → within the grant that
// authorized the call, if a grant did → Name retry → 50,000 grants per key → DryRun → insert.
import { randomBytes } from 'node:crypto';
import { accessDenied } from '../authz/access-denied.ts';
import type { Handler } from '../context.ts';
import { KmsError } from '../errors.ts';
import { checkGrantRequest, isAtLeastAsStrict, isGrantPrincipal, sameConstraints } from '../keys/grant-rules.ts';
import { issueGrantToken } from '../keys/grant-token.ts';
import { CONSTRAINT, failureText, validationError } from '../protocol/validation-messages.ts';
import type { GrantConstraints, GrantRecord } from '../store/store.ts';
import { stopIfDryRun } from './dry-run.ts';
import { GRANT_KEY } from './grant-common.ts';
import { withKey } from './with-key.ts';

/** Resource quota "Grants per KMS key" (DG resource-limits.html; the per-principal quota of 500 is gone). */
export const MAX_GRANTS_PER_KEY = 50_000;

export const createGrant: Handler = (input, ctx) => {
  const operations = input.Operations as string[];
  // The model sets no minimum; answered in Coral's wording for one (AWS's text is unrecorded).
  if (operations.length === 0) throw validationError([failureText("Value '[]'", 'operations', CONSTRAINT.minLength(1))]);
  const grantee = input.GranteePrincipal as string;
  const retiring = input.RetiringPrincipal as string | undefined;
  for (const p of retiring === undefined ? [grantee] : [grantee, retiring]) {
    // AWS answers InvalidArnException for a principal IAM does not know (terraform-provider-aws retries
    // CreateGrant on it); its text is unrecorded.
    if (!isGrantPrincipal(p)) throw new KmsError('InvalidArnException', `Invalid principal: ${p}`);
  }
  const constraints = toConstraints(input.Constraints);
  return withKey(ctx, 'CreateGrant', input.KeyId, GRANT_KEY, async (tx, { key, arn, authz }) => {
    const ops = checkGrantRequest(key, operations, constraints);
    // CreateGrant through a grant: "only create grants that allow some or all of the operations in the
    // parent grant" with constraints "at least as strict" (DG create-grant-overview.html).
    if (authz.grant !== undefined && !isAtLeastAsStrict(authz.grant, ops, constraints)) {
      throw accessDenied(ctx.caller, { action: 'kms:CreateGrant', resource: arn }, 'resource');
    }
    const wanted: Omit<GrantRecord, 'grantId' | 'createdAt'> = {
      account: key.account,
      region: key.region,
      keyId: key.keyId,
      granteePrincipal: grantee,
      issuingAccount: `arn:aws:iam::${ctx.caller.accountId}:root`,
      operations: ops,
    };
    if (input.Name !== undefined) wanted.name = input.Name as string;
    if (retiring !== undefined) wanted.retiringPrincipal = retiring;
    if (constraints !== undefined) wanted.constraints = constraints;

    // "If AWS KMS gets a CreateGrant request for a grant with the same properties as an existing grant,
    // including the name, it recognizes the request as a retry" (DG create-grant-overview.html); a new
    // token comes back all the same. The same Name with other properties makes another grant.
    if (wanted.name !== undefined) {
      const existing = (await tx.listGrants(key, undefined, MAX_GRANTS_PER_KEY)).find((g) => sameGrant(g, wanted));
      if (existing !== undefined) {
        stopIfDryRun(input);
        return { GrantToken: issueGrantToken(ctx.markers, existing.grantId), GrantId: existing.grantId };
      }
    }
    if ((await tx.countGrants(key)) >= MAX_GRANTS_PER_KEY) {
      // AWS's text is unrecorded.
      throw new KmsError('LimitExceededException', `The grant limit has been reached for this KMS key: ${arn}`);
    }
    stopIfDryRun(input);
    const grantId = randomBytes(32).toString('hex');
    await tx.insertGrant({ ...wanted, grantId, createdAt: ctx.clock.now() });
    return { GrantToken: issueGrantToken(ctx.markers, grantId), GrantId: grantId };
  });
};

function toConstraints(value: unknown): GrantConstraints | undefined {
  const c = value as { EncryptionContextEquals?: Record<string, string>; EncryptionContextSubset?: Record<string, string> } | undefined;
  if (c === undefined || (c.EncryptionContextEquals === undefined && c.EncryptionContextSubset === undefined)) return undefined;
  const out: GrantConstraints = {};
  if (c.EncryptionContextEquals !== undefined) out.encryptionContextEquals = { ...c.EncryptionContextEquals };
  if (c.EncryptionContextSubset !== undefined) out.encryptionContextSubset = { ...c.EncryptionContextSubset };
  return out;
}

function sameGrant(g: GrantRecord, w: Omit<GrantRecord, 'grantId' | 'createdAt'>): boolean {
  return (
    g.name === w.name &&
    g.granteePrincipal === w.granteePrincipal &&
    g.retiringPrincipal === w.retiringPrincipal &&
    g.issuingAccount === w.issuingAccount &&
    g.operations.length === w.operations.length &&
    w.operations.every((op) => g.operations.includes(op)) &&
    sameConstraints(g.constraints, w.constraints)
  );
}
