// POST /_trent/reset, body {} or {"account": "…", "region": "…"}: deletes every key in scope with its aliases,
// tags, grants and usage records and applies the seed again, atomically; answers {} when done.
import { isAccountId, isRegionName } from '../keys/account-region.ts';
import type { SeedScope } from '../seed/apply-seed.ts';
import { SeedError } from '../seed/seed-file.ts';
import { AdminError, invalidBody } from './admin-error.ts';
import type { TrentControl } from './trent-control.ts';
import { bodyObject } from './request-body.ts';

const USAGE = 'POST /_trent/reset takes {} or {"account": "111122223333", "region": "us-east-1"}';

export async function reset(body: unknown, control: TrentControl): Promise<Record<string, never>> {
  const scope = checkResetScope(bodyObject(body, ['account', 'region'], USAGE));
  try {
    await control.reset(scope);
  } catch (e) {
    // The seed file is read again on each reset; one that no longer applies leaves everything as it was.
    if (e instanceof SeedError) throw new AdminError(400, 'InvalidSeedException', `nothing was reset: ${e.message}`);
    throw e;
  }
  return {};
}

/** The scope of a reset, as the route and startTrent's reset accept it. */
export function checkResetScope(o: { account?: unknown; region?: unknown }): SeedScope {
  const scope: SeedScope = {};
  if (o.account !== undefined) {
    if (!isAccountId(o.account)) throw invalidBody('account must be 12 digits as a string, such as "111122223333"');
    scope.account = o.account;
  }
  if (o.region !== undefined) {
    if (!isRegionName(o.region)) throw invalidBody('region must be a Region name such as "us-east-1"');
    scope.region = o.region;
  }
  return scope;
}
