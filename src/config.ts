// Typed configuration from command-line flags, TRENT_* environment variables and a JSON config file,
// in that order of precedence, over built-in defaults. Nothing else reads process.env or argv.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { PrincipalConfigError, readFlatCredentials, readPrincipals, type CredentialEntry } from './iam/principals-config.ts';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** Account for local-development callers whose access key ID is not 12 digits. */
  defaultAccount: string;
  /**
   * Access keys Trent accepts and the principals they stand for, from the config file's `principals`
   * and `credentials`; empty means local-development mode (any access key is its account's root, loopback only).
   */
  credentials: CredentialEntry[];
  /**
   * Seconds before a tag or alias change affects authorization (AWS documents up to five minutes);
   * 0, the default, applies changes at once.
   */
  propagationDelaySeconds: number;
  /**
   * Milliseconds a new replica stays Creating (ReplicateKey) and a multi-Region key stays Updating
   * (UpdatePrimaryRegion); AWS takes "a few seconds". 0 ends them at once.
   */
  multiRegionDelayMs: number;
  /**
   * A PostgreSQL database to keep keys in instead of the data directory's SQLite file: several Trent nodes may
   * share it. libpq's URL form; several hosts with target_session_attrs=primary follow a failover.
   */
  databaseUrl?: string;
  /** SQLite `synchronous`: FULL survives power loss, NORMAL survives a process crash. */
  sync: 'FULL' | 'NORMAL';
  maxBodyBytes: number;
  logLevel: 'silent' | 'error' | 'info';
  /** The root key, base64 (TRENT_ROOT_KEY only: a secret does not belong on a command line). */
  rootKey?: string;
  /** A file holding the root key (base64 text or 32 raw bytes). */
  rootKeyFile?: string;
  /** A seed file (JSON, or YAML by its .yaml/.yml name): the keys Trent starts with and a reset brings back. */
  seed?: string;
  /**
   * Lets local-development mode (no credentials: any caller is accepted) listen on a non-loopback address. For
   * containers, whose port reaches only where it is published.
   */
  insecureListen: boolean;
}

/** The data directory that keeps nothing: an in-memory store, gone when the process ends. */
export const IN_MEMORY = ':memory:';

export const DEFAULTS: Config = {
  host: '127.0.0.1',
  port: 4599,
  dataDir: './data',
  defaultAccount: '111122223333',
  credentials: [],
  propagationDelaySeconds: 0,
  multiRegionDelayMs: 2000,
  databaseUrl: undefined,
  sync: 'FULL',
  maxBodyBytes: 1024 * 1024,
  logLevel: 'info',
  rootKey: undefined,
  rootKeyFile: undefined,
  seed: undefined,
  insecureListen: false,
};

export interface FlagSpec {
  env: string;
  key: keyof Config | 'config';
  /** `--port N`: what the value is, and what the flag does (for --help). */
  value: string;
  help: string;
}

export const FLAGS: Readonly<Record<string, FlagSpec>> = {
  '--host': { env: 'TRENT_HOST', key: 'host', value: 'ADDR', help: 'address to listen on (default 127.0.0.1)' },
  '--port': { env: 'TRENT_PORT', key: 'port', value: 'N', help: 'port to listen on; 0 picks a free one (default 4599)' },
  '--data-dir': { env: 'TRENT_DATA_DIR', key: 'dataDir', value: 'DIR', help: `where trent.sqlite lives (default ./data); ${IN_MEMORY} keeps nothing` },
  '--seed': { env: 'TRENT_SEED', key: 'seed', value: 'FILE', help: 'keys to start with (JSON or YAML); a reset brings them back' },
  '--config': { env: 'TRENT_CONFIG', key: 'config', value: 'FILE', help: 'JSON config file (principals, credentials, any setting)' },
  '--default-account': { env: 'TRENT_DEFAULT_ACCOUNT', key: 'defaultAccount', value: 'ID', help: 'account of callers whose access key ID is not 12 digits (default 111122223333)' },
  '--database-url': {
    env: 'TRENT_DATABASE_URL',
    key: 'databaseUrl',
    value: 'URL',
    help: 'keep keys in this PostgreSQL database (postgres://…) instead of SQLite; nodes may share it',
  },
  '--sync': { env: 'TRENT_SYNC', key: 'sync', value: 'FULL|NORMAL', help: 'SQLite durability (default FULL)' },
  '--max-body-bytes': { env: 'TRENT_MAX_BODY_BYTES', key: 'maxBodyBytes', value: 'N', help: 'larger requests are refused (default 1048576)' },
  '--log': { env: 'TRENT_LOG', key: 'logLevel', value: 'LEVEL', help: 'info (a line per request), error or silent (default info)' },
  '--root-key-file': { env: 'TRENT_ROOT_KEY_FILE', key: 'rootKeyFile', value: 'FILE', help: 'the root key that seals all key material' },
  '--propagation-delay': { env: 'TRENT_PROPAGATION_DELAY', key: 'propagationDelaySeconds', value: 'S', help: 'seconds before tag and alias changes affect authorization (default 0)' },
  '--multi-region-delay': { env: 'TRENT_MULTI_REGION_DELAY', key: 'multiRegionDelayMs', value: 'MS', help: 'milliseconds new replicas stay Creating (default 2000)' },
  '--insecure-listen': {
    env: 'TRENT_INSECURE_LISTEN',
    key: 'insecureListen',
    value: 'true|false',
    help: 'let local-development mode (no credentials) listen on a non-loopback address, as in a container',
  },
};
const ENV_ONLY: Record<string, keyof Config> = { TRENT_ROOT_KEY: 'rootKey' };

export class ConfigError extends Error {}

function parseArgs(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = FLAGS[name];
    if (!spec && !arg.startsWith('-')) {
      throw new ConfigError(`unexpected argument "${arg}": options are --name value, as in trent serve --port 4599 (through npm: npm start -- --port 4599)`);
    }
    if (!spec) throw new ConfigError(`unknown option ${name} (known: ${Object.keys(FLAGS).join(', ')})`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new ConfigError(`option ${name} needs a value`);
    out[spec.key] = value;
  }
  return out;
}

function coerce(key: string, value: unknown): unknown {
  switch (key) {
    case 'port':
    case 'maxBodyBytes':
    case 'propagationDelaySeconds':
    case 'multiRegionDelayMs': {
      const n = Number(value);
      const max = key === 'port' ? 65535 : key === 'propagationDelaySeconds' ? 3600 : key === 'multiRegionDelayMs' ? 600_000 : Infinity;
      if (!Number.isInteger(n) || n < 0 || n > max) throw new ConfigError(`invalid ${key}: ${String(value)}`);
      return n;
    }
    case 'databaseUrl':
      if (typeof value !== 'string' || !/^postgres(ql)?:\/\/./.test(value)) {
        throw new ConfigError(`invalid databaseUrl: it must be a postgres:// or postgresql:// URL`);
      }
      return value;
    case 'sync':
      if (value !== 'FULL' && value !== 'NORMAL') throw new ConfigError(`invalid sync: ${String(value)} (FULL or NORMAL)`);
      return value;
    case 'logLevel':
      if (value !== 'silent' && value !== 'error' && value !== 'info') throw new ConfigError(`invalid log level: ${String(value)}`);
      return value;
    case 'host':
    case 'dataDir':
    case 'rootKeyFile':
    case 'seed':
      if (typeof value !== 'string' || value === '') throw new ConfigError(`invalid ${key}: ${JSON.stringify(value)} (a non-empty string)`);
      return value;
    case 'insecureListen':
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      throw new ConfigError(`invalid insecureListen: ${String(value)} (true or false)`);
    case 'defaultAccount':
      if (typeof value !== 'string' || !/^\d{12}$/.test(value)) throw new ConfigError(`invalid defaultAccount: ${String(value)} (12 digits)`);
      return value;
    default:
      return value;
  }
}

/**
 * `npm start --port 4752` makes npm keep --port as its own setting (npm_config_port) and pass on only `4752`:
 * name the flag npm took and show how flags reach Trent through npm.
 */
function checkNpmTookFlags(env: NodeJS.ProcessEnv): void {
  if (env.npm_lifecycle_event === undefined) return;
  for (const flag of Object.keys(FLAGS)) {
    const value = env[`npm_config_${flag.slice(2).replaceAll('-', '_')}`];
    if (value === undefined) continue;
    const shown = value === 'true' || value === '' ? `${flag} N` : `${flag} ${value}`;
    throw new ConfigError(`npm kept ${flag} for itself instead of passing it to Trent: put Trent's options after --, as in npm start -- ${shown}`);
  }
}

/** `given`: the settings a config file would hold, given directly (startTrent) instead of read from --config. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv, given?: Record<string, unknown>): Config {
  checkNpmTookFlags(env);
  const flags = parseArgs(argv);
  const fromEnv: Record<string, string> = {};
  for (const spec of Object.values(FLAGS)) {
    const v = env[spec.env];
    if (v !== undefined && v !== '') fromEnv[spec.key] = v;
  }
  for (const [name, key] of Object.entries(ENV_ONLY)) {
    const v = env[name];
    if (v !== undefined && v !== '') fromEnv[key] = v;
  }
  const file = flags.config ?? fromEnv.config;
  let fromFile: Record<string, unknown> = given ?? {};
  if (file) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new ConfigError(`cannot read config file ${file}: ${(e as Error).message}`);
    }
  }
  const merged: Record<string, unknown> = { ...DEFAULTS };
  for (const layer of [fromFile, fromEnv, flags]) {
    for (const [k, v] of Object.entries(layer)) {
      if (k === 'config' || k === 'credentials' || k === 'principals') continue;
      if (k in DEFAULTS) merged[k] = coerce(k, v);
      else throw new ConfigError(`unknown configuration key ${k}`);
    }
  }
  const config = merged as unknown as Config;
  config.credentials = readCredentials(fromFile);
  if (config.dataDir !== IN_MEMORY) config.dataDir = resolve(config.dataDir);
  if (config.rootKeyFile !== undefined) config.rootKeyFile = resolve(config.rootKeyFile);
  if (config.credentials.length === 0 && !isLoopback(config.host) && !config.insecureListen) {
    throw new ConfigError(
      `refusing to listen on ${config.host} in local-development mode (no credentials configured): ` +
        'any access key would be accepted. Configure credentials or listen on a loopback address ' +
        '(or, in a container whose port you publish, set TRENT_INSECURE_LISTEN=true).',
    );
  }
  return config;
}

/** The file's `principals` and flat `credentials`, one entry per access key, each key defined once. */
function readCredentials(file: Record<string, unknown>): CredentialEntry[] {
  try {
    const entries = [
      ...(file.principals === undefined ? [] : readPrincipals(file.principals)),
      ...(file.credentials === undefined ? [] : readFlatCredentials(file.credentials)),
    ];
    const seen = new Set<string>();
    for (const e of entries) {
      if (seen.has(e.accessKeyId)) throw new ConfigError(`access key ${e.accessKeyId} is defined twice`);
      seen.add(e.accessKeyId);
    }
    return entries;
  } catch (e) {
    if (e instanceof PrincipalConfigError) throw new ConfigError(e.message);
    throw e;
  }
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '[::1]';
}
