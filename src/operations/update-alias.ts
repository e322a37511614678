// UpdateAlias — https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdateAlias.html
// The new target must be of the same type (symmetric / asymmetric / HMAC) and key usage as the current one.
// kms:UpdateAlias is needed on the alias (IAM only), the new target and the current target (DG alias-access.md).
import type { Handler } from '../context.ts';
import { KmsError } from '../errors.ts';
import { aliasNotFound, checkAliasName } from '../keys/alias-name.ts';
import { aliasArn, keyArn } from '../keys/key-id.ts';
import { isHmac, isSymmetricEncryption } from '../keys/key-spec.ts';
import { purgeDueKeys } from '../keys/resolve-key.ts';
import type { KeyRecord } from '../store/store.ts';
import { noteAliasChange } from './access-changes.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

const keyType = (k: KeyRecord) => (isSymmetricEncryption(k.keySpec) ? 'symmetric' : isHmac(k.keySpec) ? 'HMAC' : 'asymmetric');
const withArticle = (type: string) => `${type === 'symmetric' ? 'a' : 'an'} ${type}`;

export const updateAlias: Handler = (input, ctx) => {
  const aliasName = input.AliasName as string;
  checkAliasName(aliasName);
  return withKey(ctx, 'UpdateAlias', input.TargetKeyId, KEY_ONLY, async (tx, { key }) => {
    const now = ctx.clock.now();
    await purgeDueKeys(tx, now);
    const arn = aliasArn(key.region, key.account, aliasName);
    await ctx.authorize(tx, { action: 'kms:UpdateAlias', resource: arn });
    const alias = await tx.getAlias(key.account, key.region, aliasName);
    if (!alias) throw aliasNotFound(arn);
    const current = await tx.getKey({ account: alias.account, region: alias.region, keyId: alias.targetKeyId });
    if (current) await ctx.authorize(tx, { action: 'kms:UpdateAlias', resource: keyArn(current.region, current.account, current.keyId), key: current });
    // After the purge an alias always names a live key (aliases go with their key); the guard is for the type.
    if (current) {
      // Wording from local-kms, which copies AWS's texts; the type rule's own text is unrecorded.
      if (current.keyUsage !== key.keyUsage) {
        throw new KmsError(
          'ValidationException',
          `Alias ${aliasName} cannot be changed from a CMK with key usage ${current.keyUsage} to a CMK with key usage ${key.keyUsage}. The key usage of the current CMK and the new CMK must be the same.`,
        );
      }
      if (keyType(current) !== keyType(key)) {
        throw new KmsError(
          'ValidationException',
          `Alias ${aliasName} cannot be changed from ${withArticle(keyType(current))} CMK to ${withArticle(keyType(key))} CMK. The current CMK and the new CMK must be the same type.`,
        );
      }
    }
    if (current) await noteAliasChange(ctx, tx, current);
    await noteAliasChange(ctx, tx, key);
    await tx.updateAlias({ ...alias, targetKeyId: key.keyId, updatedAt: now });
    return undefined;
  });
};
