// DeleteAlias — https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteAlias.html
// Allowed whatever the state of the target key.
import type { Handler } from '../context.ts';
import { aliasNotFound, checkAliasName } from '../keys/alias-name.ts';
import { aliasArn } from '../keys/key-id.ts';
import { purgeDueKeys } from '../keys/resolve-key.ts';

export const deleteAlias: Handler = async (input, ctx) => {
  const aliasName = input.AliasName as string;
  checkAliasName(aliasName);
  const { accountId } = ctx.caller;
  const arn = aliasArn(ctx.region, accountId, aliasName);
  await ctx.authorize({ action: 'kms:DeleteAlias', resource: arn, resourceAccount: accountId });
  await ctx.transaction(async (tx) => {
    await purgeDueKeys(tx, ctx.clock.now());
    if (!(await tx.getAlias(accountId, ctx.region, aliasName))) throw aliasNotFound(arn);
    await tx.deleteAlias(accountId, ctx.region, aliasName);
  });
  return undefined;
};
