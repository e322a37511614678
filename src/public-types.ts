// The types of the `trent` package's public API (startTrent). They import nothing, so that their declarations
// ship on their own (dist/index.d.ts); the implementation is checked against them (embedded.ts).

export interface StartTrentOptions {
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Default `:memory:`; a directory keeps state across runs. */
  dataDir?: string;
  /** A seed file's path, or the seed itself ({ keys: [...] }). */
  seed?: string | { keys: unknown[] };
  /** The Region handed back with the credentials (default us-east-1); keys live in any Region a request names. */
  region?: string;
  defaultAccount?: string;
  /** Default `silent`. */
  logLevel?: 'silent' | 'error' | 'info';
  /** Let local-development mode listen on a non-loopback `host`. */
  insecureListen?: boolean;
  sync?: 'FULL' | 'NORMAL';
  maxBodyBytes?: number;
  propagationDelaySeconds?: number;
  multiRegionDelayMs?: number;
  /** The root key, base64; an in-memory store needs none. */
  rootKey?: string;
  rootKeyFile?: string;
  /** Principals and flat credentials as the config file takes them (their presence turns signature checks on). */
  principals?: unknown[];
  credentials?: unknown[];
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface ClockStatus {
  /** The lifecycle clock's time, ISO 8601. */
  now: string;
  /** How far it runs ahead of the wall clock. */
  offsetSeconds: number;
}

/** What a clock move applied at once. */
export interface SweptCounts {
  /** Keys whose Creating or Updating state ended. */
  settled: number;
  deleted: number;
  rotated: number;
  /** Keys whose imported material expired. */
  expired: number;
}

/** Which keys a reset deletes (and whose seed entries it applies again): all when empty. */
export interface ResetScope {
  account?: string;
  region?: string;
}

export interface RunningTrent {
  /** `http://127.0.0.1:<port>`: the SDK client's `endpoint`. */
  endpoint: string;
  region: string;
  /** Local-development mode: the default account's root. With principals: the first admin's key, else the first key. */
  credentials: Credentials;
  /** Deletes every key (in `scope`) with its aliases, tags, grants and usage, and applies the seed again. */
  reset(scope?: ResetScope): Promise<void>;
  /** Moves Trent's lifecycle clock forward and applies what fell due (deletions, rotations, expiry). */
  advanceClock(seconds: number): Promise<ClockStatus & { swept: SweptCounts }>;
  clock(): ClockStatus;
  /** Stops the server (requests in flight finish) and closes its store. */
  stop(): Promise<void>;
}

export type StartTrent = (options?: StartTrentOptions) => Promise<RunningTrent>;
