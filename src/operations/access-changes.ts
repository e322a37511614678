// Tag and alias changes feed the simulated authorization delay (--propagation-delay): before a change,
// the key's current tags or alias names are recorded, so authorization can keep seeing them for a while.
import type { Ctx } from '../context.ts';
import { keyArn } from '../keys/key-id.ts';
import type { KeyRef, Tx } from '../store/store.ts';

export async function noteTagChange(ctx: Ctx, tx: Tx, key: KeyRef): Promise<void> {
  if (!ctx.propagation.enabled) return;
  ctx.propagation.noteTagChange(keyArn(key.region, key.account, key.keyId), await tx.listTags(key, undefined, 50), ctx.clock.now());
}

export async function noteAliasChange(ctx: Ctx, tx: Tx, key: KeyRef): Promise<void> {
  if (!ctx.propagation.enabled) return;
  const aliases = await tx.listAliases(key.account, key.region, key.keyId, undefined, 100);
  ctx.propagation.noteAliasChange(keyArn(key.region, key.account, key.keyId), aliases.map((a) => a.aliasName), ctx.clock.now());
}
