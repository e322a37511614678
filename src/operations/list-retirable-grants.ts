// ListRetirableGrants — https://docs.aws.amazon.com/kms/latest/APIReference/API_ListRetirableGrants.html
// Grants in the request's Region whose RetiringPrincipal is the one given, on keys of this account and of
// other accounts ("include grants for KMS keys in your … account and other … accounts"), in creation order;
// Limit 1..100, default 50. Authorized by kms:ListRetirableGrants alone (IAM policy), never by the keys or
// grants it returns. The principal must be of the caller's account; another account's gets an empty list.
import type { Handler } from '../context.ts';
import { purgeDueKeys } from '../keys/resolve-key.ts';
import { principalAccount } from '../keys/grant-rules.ts';
import { grantLimit, grantListEntry } from './grant-common.ts';
import { pageOf, pageOutput, startAfter } from './paginate.ts';

export const listRetirableGrants: Handler = (input, ctx) => {
  const retiring = input.RetiringPrincipal as string;
  const account = ctx.caller.accountId;
  const scope = `ListRetirableGrants:${account}:${ctx.region}:${retiring}`;
  const limit = grantLimit(input.Limit);
  return ctx.transaction(async (tx) => {
    await ctx.authorize(tx, { action: 'kms:ListRetirableGrants', resource: '*' });
    // Grants go with their key: one whose waiting period ended is gone even before the sweeper runs.
    await purgeDueKeys(tx, ctx.clock.now());
    const after = startAfter(ctx.markers, scope, input.Marker);
    // Chosen: "Enter a principal in your account" (API reference); another account's retiring grants stay private.
    const rows =
      principalAccount(retiring) === account
        ? await tx.listRetirableGrants(ctx.region, retiring, after === undefined ? undefined : Number(after), limit + 1)
        : [];
    const page = pageOf(rows, limit, ctx.markers, scope, (g) => String(g.seq));
    return pageOutput('Grants', page, grantListEntry);
  });
};
