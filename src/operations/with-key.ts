// The common frame of an operation on one existing key: one transaction in which the key is resolved,
// the caller authorized for kms:<Operation> and the key's state checked against the key-state table.
import type { AuthzOutcome, Ctx } from '../context.ts';
import { assertKeyState } from '../keys/key-state.ts';
import { findKey, requestAliasOf, type ResolvedKey, type ResolveOptions } from '../keys/resolve-key.ts';
import type { Tx } from '../store/store.ts';

/**
 * Resolves the key, authorizes `action` on it, then applies the key-state rule of `operation`. AWS
 * evaluates permissions before the key's state: a caller without access learns nothing about the key's
 * state (a disabled key answers AccessDenied, not DisabledException, to a stranger).
 */
export async function authorizedKey(
  tx: Tx,
  ctx: Ctx,
  operation: string,
  keyIdInput: unknown,
  opts: ResolveOptions,
  action = `kms:${operation}`,
): Promise<ResolvedKey & { authz: AuthzOutcome }> {
  const { key, arn, via } = await findKey(tx, ctx, keyIdInput as string, opts);
  const authz = await ctx.authorize(tx, { action, resource: arn, key, requestAlias: requestAliasOf(via) });
  assertKeyState(operation, key.keyState, arn);
  return { key, arn, via, authz };
}

export function withKey<T>(
  ctx: Ctx,
  operation: string,
  keyIdInput: unknown,
  opts: ResolveOptions,
  fn: (tx: Tx, resolved: ResolvedKey & { authz: AuthzOutcome }) => Promise<T>,
): Promise<T> {
  return ctx.transaction(async (tx) => fn(tx, await authorizedKey(tx, ctx, operation, keyIdInput, opts)));
}

/** Key-management operations: key ID or key ARN, same account only. */
export const KEY_ONLY: ResolveOptions = { allowAlias: false };
/** DescribeKey and cryptographic operations: any identifier, other accounts when policy allows. */
export const ANY_KEY: ResolveOptions = { allowAlias: true, allowCrossAccount: true };
