// What every request of one server shares, built once from the configuration and an open store: the pagination
// markers and the root key's vault (both checked against what the database remembers), usage records and
// authorization. The HTTP server, the seed and `trent seed check` all build them here.
import { randomBytes } from 'node:crypto';
import type { Config } from './config.ts';
import type { Clock, Logger } from './context.ts';
import { Authorizer } from './authz/authorizer.ts';
import { PropagationDelay } from './authz/propagation.ts';
import { principalDirectory } from './iam/principals-config.ts';
import { createMarkers, type Markers } from './keys/marker.ts';
import { UsageTracker } from './keys/usage-tracker.ts';
import { MaterialVault, RootKeyMismatchError } from './keys/vault.ts';
import type { Services } from './request-context.ts';
import type { Store } from './store/store.ts';

async function loadMarkers(store: Store): Promise<Markers> {
  // The marker secret lives in the database so markers stay valid across restarts and server nodes.
  const secret = await store.transaction(async (tx) => {
    const existing = await tx.getMeta('marker-secret');
    if (existing) return existing;
    const created = randomBytes(32).toString('base64');
    await tx.setMeta('marker-secret', created);
    return created;
  });
  return createMarkers(Buffer.from(secret, 'base64'));
}

/** Opens the vault, refusing a root key other than the one the database was first used with. */
async function openVault(store: Store, rootKey: Uint8Array): Promise<MaterialVault> {
  const vault = new MaterialVault(rootKey);
  await store.transaction(async (tx) => {
    const check = await tx.getMeta('root-key-check');
    if (check === undefined) await tx.setMeta('root-key-check', vault.checkValue());
    else if (!vault.matchesCheckValue(check)) {
      throw new RootKeyMismatchError('the root key does not match the one this database was created with; key material cannot be opened');
    }
  });
  return vault;
}

export async function openServices(
  config: Pick<Config, 'credentials' | 'propagationDelaySeconds' | 'multiRegionDelayMs'>,
  deps: { store: Store; rootKey: Uint8Array; clock: Clock; log: Logger },
): Promise<Services> {
  const { store, clock, log } = deps;
  const markers = await loadMarkers(store);
  const vault = await openVault(store, deps.rootKey);
  const propagation = new PropagationDelay(config.propagationDelaySeconds * 1000);
  return {
    store,
    clock,
    log,
    markers,
    vault,
    usage: new UsageTracker(store),
    propagation,
    authorizer: new Authorizer(propagation),
    isKnownPrincipal: principalDirectory(config.credentials),
    multiRegionDelayMs: config.multiRegionDelayMs,
  };
}
