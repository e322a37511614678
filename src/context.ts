// What an operation handler receives besides its input: who calls, where, when, and the seams
// (store transaction, authorization, log) it may use. Handlers never touch HTTP, SQL or process.env.
import type { Markers } from './keys/marker.ts';
import type { UsageTracker } from './keys/usage-tracker.ts';
import type { MaterialVault } from './keys/vault.ts';
import type { Tx } from './store/store.ts';

/** The authenticated principal behind a request. */
export interface Caller {
  accountId: string;
  /** e.g. arn:aws:iam::111122223333:root or arn:aws:iam::111122223333:user/alice */
  arn: string;
  accessKeyId: string;
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** The KMS key (or `*`) an action is authorized against, with what policies may test. */
export interface AuthzRequest {
  /** e.g. `kms:TagResource` */
  action: string;
  /** Key ARN, alias ARN, or `*` for operations on no particular resource. */
  resource: string;
  /** Account that owns the resource; absent for `*`. */
  resourceAccount?: string;
}

export interface Ctx {
  caller: Caller;
  /** Region from the request's credential scope. */
  region: string;
  clock: Clock;
  requestId: string;
  log: Logger;
  /** Throws AccessDeniedException when the caller may not perform the action. */
  authorize(req: AuthzRequest): Promise<void>;
  /** Signs and checks pagination markers. */
  markers: Markers;
  /** Runs `fn` in one store transaction. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Seals and opens key material with the root key. */
  vault: MaterialVault;
  /** Records successful cryptographic use of keys (GetKeyLastUsage). */
  usage: UsageTracker;
}

export type Handler = (input: Record<string, unknown>, ctx: Ctx) => Promise<Record<string, unknown> | undefined>;
