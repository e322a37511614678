// ListAliases — https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html
// Aliases of the caller's account and Region by name, optionally of one key (key ID or ARN); Limit 1..100, default 50.
import type { Handler } from '../context.ts';
import { aliasArn } from '../keys/key-id.ts';
import { epochSeconds } from '../keys/key-metadata.ts';
import { purgeDueKeys, resolveKey } from '../keys/resolve-key.ts';
import { CONSTRAINT, failureText, validationError } from '../protocol/validation-messages.ts';
import { pageOf, pageOutput, startAfter } from './paginate.ts';

const MAX_LIMIT = 100;

export const listAliases: Handler = async (input, ctx) => {
  const { accountId } = ctx.caller;
  const limit = (input.Limit as number | undefined) ?? 50;
  // The shared model LimitType allows 1000, but ListAliases documents 1..100: refuse more in the model's wording.
  if (limit > MAX_LIMIT) {
    throw validationError([failureText(`Value '${limit}'`, 'limit', CONSTRAINT.maxValue(MAX_LIMIT))]);
  }
  await ctx.authorize(undefined, { action: 'kms:ListAliases', resource: '*' });
  return ctx.transaction(async (tx) => {
    await purgeDueKeys(tx, ctx.clock.now());
    const target = input.KeyId === undefined ? undefined : await resolveKey(tx, ctx, 'ListAliases', input.KeyId as string, { allowAlias: false });
    const scope = `ListAliases:${accountId}:${ctx.region}:${target?.key.keyId ?? ''}`;
    const after = startAfter(ctx.markers, scope, input.Marker);
    const rows = await tx.listAliases(accountId, ctx.region, target?.key.keyId, after, limit + 1);
    const page = pageOf(rows, limit, ctx.markers, scope, (a) => a.aliasName);
    return pageOutput('Aliases', page, (a) => ({
      AliasName: a.aliasName,
      AliasArn: aliasArn(a.region, a.account, a.aliasName),
      TargetKeyId: a.targetKeyId,
      CreationDate: epochSeconds(a.createdAt),
      LastUpdatedDate: epochSeconds(a.updatedAt),
    }));
  });
};
