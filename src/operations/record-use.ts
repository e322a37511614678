// Notes a successful cryptographic operation for GetKeyLastUsage; call once the operation has succeeded.
import type { Ctx } from '../context.ts';
import type { KeyRef } from '../store/store.ts';

export function recordUse(ctx: Ctx, key: KeyRef, operation: string): void {
  ctx.usage.record(key, operation, ctx.clock.now(), ctx.requestId);
}
