// CreateAlias — https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html
// Checks: alias-name rules → target key (ID or ARN) → authorize on the key, then on the alias (IAM only:
// aliases have no policy of their own, DG alias-access.md) → key state → unique name.
import type { Handler } from '../context.ts';
import { KmsError } from '../errors.ts';
import { checkAliasName } from '../keys/alias-name.ts';
import { aliasArn } from '../keys/key-id.ts';
import { purgeDueKeys } from '../keys/resolve-key.ts';
import { noteAliasChange } from './access-changes.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

export const createAlias: Handler = (input, ctx) => {
  const aliasName = input.AliasName as string;
  checkAliasName(aliasName);
  return withKey(ctx, 'CreateAlias', input.TargetKeyId, KEY_ONLY, async (tx, { key }) => {
    const arn = aliasArn(key.region, key.account, aliasName);
    await ctx.authorize(tx, { action: 'kms:CreateAlias', resource: arn });
    const now = ctx.clock.now();
    // An alias of a key whose deletion fell due is gone with it, so its name is free again.
    await purgeDueKeys(tx, now);
    if (await tx.getAlias(key.account, key.region, aliasName)) {
      throw new KmsError('AlreadyExistsException', `An alias with the name ${arn} already exists`);
    }
    await noteAliasChange(ctx, tx, key);
    await tx.insertAlias({ account: key.account, region: key.region, aliasName, targetKeyId: key.keyId, createdAt: now, updatedAt: now });
    return undefined;
  });
};
