// What an operation handler receives besides its input: who calls, where, when, and the seams
// (store transaction, authorization, log) it may use. Handlers never touch HTTP, SQL or process.env.
import type { PropagationDelay } from './authz/propagation.ts';
import type { Markers } from './keys/marker.ts';
import type { UsageTracker } from './keys/usage-tracker.ts';
import type { MaterialVault } from './keys/vault.ts';
import type { GrantRecord, KeyRecord, Tx } from './store/store.ts';

/** The authenticated principal behind a request (built by iam/principal.ts). */
export interface Caller {
  accountId: string;
  /**
   * The ARN AWS names the caller by in errors and grants: arn:aws:iam::111122223333:root,
   * arn:aws:iam::111122223333:user/alice or arn:aws:sts::111122223333:assumed-role/App/session.
   */
  arn: string;
  accessKeyId: string;
  /** aws:PrincipalArn: the role's ARN for an assumed-role session, otherwise `arn`. */
  principalArn: string;
  principalType: 'Account' | 'User' | 'AssumedRole';
  /** aws:username (IAM users only). */
  userName?: string;
  /** aws:userid: the account ID for the root, a unique ID for users, `<role id>:<session>` for sessions. */
  userId: string;
  /** aws:PrincipalTag/<key>. */
  tags: Readonly<Record<string, string>>;
  /** Identity-based policies attached to the user or role, as JSON texts (validated at startup). */
  policies: readonly string[];
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  /** A line every level but silent writes: the `ready` line tools wait for. */
  announce(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** The one line each request gets at level info. */
  request(line: RequestLogLine): void;
  /** Whether `request` writes anything (the server builds no line otherwise). */
  readonly requests: boolean;
}

/** What the request log records: identifiers and outcomes, never bodies or secrets. */
export interface RequestLogLine {
  requestId: string;
  /** The KMS operation (`Encrypt`), or the admin route (`POST /_trent/reset`). */
  operation?: string;
  /** The caller's ARN once the signature was checked. */
  caller?: string;
  status: number;
  /** The AWS error type, and its message, of a failed request. */
  error?: string;
  message?: string;
  ms: number;
}

/** The resource an action is authorized against, with what policies may test. */
export interface AuthzRequest {
  /** e.g. `kms:TagResource` */
  action: string;
  /** Key ARN, alias ARN, or `*` for operations on no particular resource. */
  resource: string;
  /** The key acted on: its policy, grants, tags, aliases and key-level condition keys apply. */
  key?: KeyRecord;
  /** The alias name (`alias/…`) the request named the key by: kms:RequestAlias. */
  requestAlias?: string;
  /** False where AWS's AccessDenied text names no resource (CreateKey's kms:TagResource check, LeanerCloud/CUDly#1670). */
  namedInDenial?: boolean;
  /**
   * The Region this half of the request is decided in (aws:RequestedRegion), when it is not the request's own:
   * UpdatePrimaryRegion is authorized on the replica in the replica's Region (API UpdatePrimaryRegion).
   */
  region?: string;
  /** Condition keys only this call site knows, by their AWS names (e.g. `kms:KeySpec` on CreateKey). */
  conditions?: Readonly<Record<string, ConditionInput>>;
}

export interface AuthzOutcome {
  /** Set when no policy allowed the action but this grant did. */
  grant?: GrantRecord;
}

/** A condition-key value as an operation knows it; lists are multi-valued keys. */
export type ConditionInput = string | number | boolean | readonly string[];

/** Facts about the connection a request came over (aws:SourceIp, aws:SecureTransport). */
export interface RequestOrigin {
  sourceIp: string;
  secureTransport: boolean;
}

export interface Ctx {
  caller: Caller;
  /** Region from the request's credential scope. */
  region: string;
  clock: Clock;
  requestId: string;
  log: Logger;
  /** The operation's name (`Encrypt`) and its validated input: request condition keys come from them. */
  operation: string;
  input: Readonly<Record<string, unknown>>;
  origin: RequestOrigin;
  /**
   * Throws AccessDeniedException unless the key policy, the caller's identity policies and the key's grants
   * allow the action (AWS's evaluation). Reads policies, tags, aliases and grants through `tx`.
   * Resolves with the grant that allowed the action when only a grant did (CreateGrant narrows by it).
   */
  authorize(tx: Tx | undefined, req: AuthzRequest): Promise<AuthzOutcome>;
  /**
   * Validates a key policy for CreateKey / PutKeyPolicy (MalformedPolicyDocumentException) and, unless
   * `bypassLockout`, that it still lets the caller call PutKeyPolicy on `key` (AWS's lockout safety check).
   */
  checkKeyPolicy(tx: Tx | undefined, key: KeyRecord, arn: string, text: string, bypassLockout: boolean): Promise<void>;
  /** How long a new replica stays Creating and UpdatePrimaryRegion's keys stay Updating (Config.multiRegionDelayMs). */
  multiRegionDelayMs: number;
  /** Records tag and alias changes for the simulated propagation delay of authorization. */
  propagation: PropagationDelay;
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
