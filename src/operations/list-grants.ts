// ListGrants — https://docs.aws.amazon.com/kms/latest/APIReference/API_ListGrants.html
// Key ID or key ARN (other accounts too; aliases refused); every key state. Grants in creation order,
// optionally only the one with GrantId and/or those for GranteePrincipal; Limit 1..100, default 50.
import type { Handler } from '../context.ts';
import { MAX_GRANTS_PER_KEY } from './create-grant.ts';
import { checkGrantId, GRANT_KEY, grantLimit, grantListEntry } from './grant-common.ts';
import { pageOf, pageOutput, startAfter } from './paginate.ts';
import { withKey } from './with-key.ts';

export const listGrants: Handler = (input, ctx) => {
  const grantId = input.GrantId as string | undefined;
  // A GrantId that cannot be one is InvalidGrantIdException (declared by ListGrants); a well-formed one that
  // names no grant of the key is a filter that matches nothing.
  if (grantId !== undefined) checkGrantId(grantId);
  const grantee = input.GranteePrincipal as string | undefined;
  return withKey(ctx, 'ListGrants', input.KeyId, GRANT_KEY, async (tx, { key, arn }) => {
    const scope = `ListGrants:${arn}`;
    const limit = grantLimit(input.Limit);
    const after = startAfter(ctx.markers, scope, input.Marker);
    const afterSeq = after === undefined ? 0 : Number(after);
    const rows = (await tx.listGrants(key, undefined, MAX_GRANTS_PER_KEY)).filter(
      (g) => g.seq! > afterSeq && (grantId === undefined || g.grantId === grantId) && (grantee === undefined || g.granteePrincipal === grantee),
    );
    const page = pageOf(rows.slice(0, limit + 1), limit, ctx.markers, scope, (g) => String(g.seq));
    return pageOutput('Grants', page, grantListEntry);
  });
};
