// ListKeys — https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeys.html
// Keys of the caller's account and Region in creation order; Limit 1..1000, default 100.
import type { Handler } from '../context.ts';
import { keyArn } from '../keys/key-id.ts';
import { purgeDueKeys } from '../keys/resolve-key.ts';
import { pageOf, pageOutput, startAfter } from './paginate.ts';

export const listKeys: Handler = async (input, ctx) => {
  const { accountId } = ctx.caller;
  const scope = `ListKeys:${accountId}:${ctx.region}`;
  const limit = (input.Limit as number | undefined) ?? 100;
  const after = startAfter(ctx.markers, scope, input.Marker);
  await ctx.authorize(undefined, { action: 'kms:ListKeys', resource: '*' });
  const rows = await ctx.transaction(async (tx) => {
    await purgeDueKeys(tx, ctx.clock.now());
    return tx.listKeys(accountId, ctx.region, after === undefined ? undefined : Number(after), limit + 1);
  });
  const page = pageOf(rows, limit, ctx.markers, scope, (k) => String(k.seq));
  return pageOutput('Keys', page, (k) => ({ KeyId: k.keyId, KeyArn: keyArn(k.region, k.account, k.keyId) }));
};
