// DeleteAlias — https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteAlias.html
// Allowed whatever the state of the target key. Needs kms:DeleteAlias on the alias (IAM only) and on the
// key it points to (DG alias-access.md).
import type { Handler } from '../context.ts';
import { aliasNotFound, checkAliasName } from '../keys/alias-name.ts';
import { aliasArn, keyArn } from '../keys/key-id.ts';
import { noteAliasChange } from './access-changes.ts';
import { purgeDueKeys } from '../keys/resolve-key.ts';

export const deleteAlias: Handler = async (input, ctx) => {
  const aliasName = input.AliasName as string;
  checkAliasName(aliasName);
  const { accountId } = ctx.caller;
  const arn = aliasArn(ctx.region, accountId, aliasName);
  await ctx.transaction(async (tx) => {
    await ctx.authorize(tx, { action: 'kms:DeleteAlias', resource: arn });
    await purgeDueKeys(tx, ctx.clock.now());
    const alias = await tx.getAlias(accountId, ctx.region, aliasName);
    if (!alias) throw aliasNotFound(arn);
    const key = await tx.getKey({ account: accountId, region: ctx.region, keyId: alias.targetKeyId });
    if (key) {
      await ctx.authorize(tx, { action: 'kms:DeleteAlias', resource: keyArn(key.region, key.account, key.keyId), key });
      await noteAliasChange(ctx, tx, key);
    }
    await tx.deleteAlias(accountId, ctx.region, aliasName);
  });
  return undefined;
};
