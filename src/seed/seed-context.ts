// The Ctx a seed entry's operations run with: the account root of the entry's account as a system caller that
// authorization does not stop (a seed declares the starting state; the key policy's lockout check still applies),
// and every transaction folded into the one the whole seed is applied in, so a failing entry changes nothing.
import type { AuthzOutcome, Caller } from '../context.ts';
import { RequestContext, type Services } from '../request-context.ts';
import type { Tx } from '../store/store.ts';

const SEED_ORIGIN = Object.freeze({ sourceIp: '127.0.0.1', secureTransport: false });

export class SeedContext extends RequestContext {
  readonly #tx: Tx;

  constructor(services: Services, tx: Tx, caller: Caller, region: string, operation: string, input: Record<string, unknown>) {
    super(services, caller, region, 'seed', operation, input, SEED_ORIGIN);
    this.#tx = tx;
  }

  override transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return fn(this.#tx);
  }

  override authorize(): Promise<AuthzOutcome> {
    return Promise.resolve({});
  }
}
