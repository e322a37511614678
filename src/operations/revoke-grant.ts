// RevokeGrant — https://docs.aws.amazon.com/kms/latest/APIReference/API_RevokeGrant.html
// Checks: GrantId well formed → key ID or key ARN (other accounts too; aliases refused) → authorize
// kms:RevokeGrant → key state (every state) → the grant exists on that key (NotFoundException, as AWS
// answers: getmoto/moto#5411) → DryRun → delete.
import type { Handler } from '../context.ts';
import { stopIfDryRun } from './dry-run.ts';
import { checkGrantId, GRANT_KEY, grantNotFound } from './grant-common.ts';
import { withKey } from './with-key.ts';

export const revokeGrant: Handler = (input, ctx) => {
  const grantId = input.GrantId as string;
  checkGrantId(grantId);
  return withKey(ctx, 'RevokeGrant', input.KeyId, GRANT_KEY, async (tx, { key }) => {
    if ((await tx.getGrant(key, grantId)) === undefined) throw grantNotFound(grantId);
    stopIfDryRun(input);
    await tx.deleteGrant(key, grantId);
    return undefined;
  });
};
