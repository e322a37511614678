// One request's Ctx: the server's shared services plus who asks, where, when and with what input. A class,
// so that each request allocates one object and no closures; it is also the RequestFacts authorization reads.
import type { Authorizer } from './authz/authorizer.ts';
import type { RequestFacts } from './authz/condition-context.ts';
import { checkKeyPolicy } from './authz/key-policy-check.ts';
import type { PropagationDelay } from './authz/propagation.ts';
import type { AuthzOutcome, AuthzRequest, Caller, Clock, Ctx, Logger, RequestOrigin } from './context.ts';
import type { Markers } from './keys/marker.ts';
import type { UsageTracker } from './keys/usage-tracker.ts';
import type { MaterialVault } from './keys/vault.ts';
import type { KeyRecord, Store, Tx } from './store/store.ts';

/** What every request of one server shares. */
export interface Services {
  store: Store;
  clock: Clock;
  log: Logger;
  markers: Markers;
  vault: MaterialVault;
  usage: UsageTracker;
  propagation: PropagationDelay;
  authorizer: Authorizer;
  isKnownPrincipal: (arn: string) => boolean;
  multiRegionDelayMs: number;
}

export class RequestContext implements Ctx, RequestFacts {
  readonly clock: Clock;
  readonly log: Logger;
  readonly markers: Markers;
  readonly vault: MaterialVault;
  readonly usage: UsageTracker;
  readonly propagation: PropagationDelay;
  readonly multiRegionDelayMs: number;
  /** aws:CurrentTime: read once per request, on the injectable clock like every key lifecycle. */
  readonly now: number;

  constructor(
    private readonly services: Services,
    readonly caller: Caller,
    readonly region: string,
    readonly requestId: string,
    readonly operation: string,
    readonly input: Readonly<Record<string, unknown>>,
    readonly origin: RequestOrigin,
  ) {
    this.clock = services.clock;
    this.log = services.log;
    this.markers = services.markers;
    this.vault = services.vault;
    this.usage = services.usage;
    this.propagation = services.propagation;
    this.multiRegionDelayMs = services.multiRegionDelayMs;
    this.now = services.clock.now();
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.services.store.transaction(fn);
  }

  authorize(tx: Tx | undefined, req: AuthzRequest): Promise<AuthzOutcome> {
    return this.services.authorizer.authorize(this, tx, req);
  }

  checkKeyPolicy(tx: Tx | undefined, key: KeyRecord, arn: string, text: string, bypassLockout: boolean): Promise<void> {
    const { authorizer, isKnownPrincipal } = this.services;
    return checkKeyPolicy(authorizer, this, isKnownPrincipal, tx, key, arn, text, bypassLockout);
  }
}
