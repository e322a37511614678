// The common frame of an operation on one existing key: one transaction in which the key is resolved,
// its state checked against the key-state table and the caller authorized for kms:<Operation>.
import type { Ctx } from '../context.ts';
import { resolveKey, type ResolvedKey, type ResolveOptions } from '../keys/resolve-key.ts';
import type { Tx } from '../store/store.ts';

export function withKey<T>(
  ctx: Ctx,
  operation: string,
  keyIdInput: unknown,
  opts: ResolveOptions,
  fn: (tx: Tx, resolved: ResolvedKey) => Promise<T>,
): Promise<T> {
  return ctx.transaction(async (tx) => {
    const resolved = await resolveKey(tx, ctx, operation, keyIdInput as string, opts);
    await ctx.authorize({ action: `kms:${operation}`, resource: resolved.arn, resourceAccount: resolved.key.account });
    return fn(tx, resolved);
  });
}

/** Key-management operations: key ID or key ARN, same account only. */
export const KEY_ONLY: ResolveOptions = { allowAlias: false };
/** DescribeKey and cryptographic operations: any identifier, other accounts when policy allows. */
export const ANY_KEY: ResolveOptions = { allowAlias: true, allowCrossAccount: true };
