// RetireGrant — https://docs.aws.amazon.com/kms/latest/APIReference/API_RetireGrant.html
// The grant is named by a grant token, or by KeyId (key ID or key ARN, other accounts too) and GrantId.
// The grant decides who may retire it (DG grant-manage.html#grant-delete): its retiring principal, its
// grantee when it allows RetireGrant, and as a backup the account that created it; a grant naming an account
// lets that account delegate through kms:RetireGrant. Works in every key state. DryRun stops before the delete.
import { accessDenied } from '../authz/access-denied.ts';
import type { Ctx, Handler } from '../context.ts';
import { KmsError } from '../errors.ts';
import { granteeMatch, principalAccount } from '../keys/grant-rules.ts';
import { parseGrantToken } from '../keys/grant-token.ts';
import { keyArn } from '../keys/key-id.ts';
import { asOf, findKey, isDeletionDue } from '../keys/resolve-key.ts';
import type { GrantRecord, KeyRecord, Tx } from '../store/store.ts';
import { stopIfDryRun } from './dry-run.ts';
import { checkGrantId, GRANT_KEY, grantNotFound } from './grant-common.ts';

export const retireGrant: Handler = (input, ctx) => {
  const token = input.GrantToken as string | undefined;
  const keyIdInput = input.KeyId as string | undefined;
  let grantId = input.GrantId as string | undefined;
  if (token !== undefined) {
    grantId = parseGrantToken(ctx.markers, token);
  } else if (keyIdInput === undefined || grantId === undefined) {
    // AWS's type and text for this case are unrecorded: Trent's choice.
    throw new KmsError('ValidationException', 'Grant token OR (grant ID, key ID) must be specified');
  } else {
    checkGrantId(grantId);
  }
  const id = grantId;
  return ctx.transaction(async (tx) => {
    const { grant, key } = token !== undefined ? await byToken(tx, ctx, id) : await byKey(tx, ctx, keyIdInput!, id);
    await authorizeRetire(tx, ctx, grant, key);
    stopIfDryRun(input);
    await tx.deleteGrant(key, grant.grantId);
    return undefined;
  });
};

/** The grant a token names, on whichever key and account it is; a token of a grant that is gone is NotFound. */
async function byToken(tx: Tx, ctx: Ctx, grantId: string): Promise<{ grant: GrantRecord; key: KeyRecord }> {
  const grant = await tx.findGrant(grantId);
  const key = grant && (await tx.getKey(grant));
  if (!grant || !key || isDeletionDue(key, ctx.clock.now())) throw grantNotFound(grantId);
  return { grant, key: asOf(key, ctx.clock.now()) };
}

async function byKey(tx: Tx, ctx: Ctx, keyIdInput: string, grantId: string): Promise<{ grant: GrantRecord; key: KeyRecord }> {
  const { key } = await findKey(tx, ctx, keyIdInput, GRANT_KEY);
  const grant = await tx.getGrant(key, grantId);
  if (grant === undefined) throw grantNotFound(grantId);
  return { grant, key };
}

async function authorizeRetire(tx: Tx, ctx: Ctx, grant: GrantRecord, key: KeyRecord): Promise<void> {
  const arn = keyArn(key.region, key.account, key.keyId);
  const retiring = grant.retiringPrincipal === undefined ? undefined : granteeMatch(grant.retiringPrincipal, ctx.caller);
  const grantee = grant.operations.includes('RetireGrant') ? granteeMatch(grant.granteePrincipal, ctx.caller) : undefined;
  if (retiring === 'principal' || grantee === 'principal') return;
  const issuing = ctx.caller.accountId === principalAccount(grant.issuingAccount);
  // The account itself (its root) may retire what it issued; its IAM principals, and those of an account the
  // grant names, need kms:RetireGrant delegated to them (grant-manage.html#grant-delete).
  if (issuing && ctx.caller.principalType === 'Account') return;
  if (issuing || retiring === 'account' || grantee === 'account') {
    await ctx.authorize(tx, { action: 'kms:RetireGrant', resource: arn, key });
    return;
  }
  throw accessDenied(ctx.caller, { action: 'kms:RetireGrant', resource: arn }, 'resource');
}
