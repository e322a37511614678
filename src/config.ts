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
  /** SQLite `synchronous`: FULL survives power loss, NORMAL survives a process crash. */
  sync: 'FULL' | 'NORMAL';
  maxBodyBytes: number;
  logLevel: 'silent' | 'error' | 'info';
  /** The root key, base64 (TRENT_ROOT_KEY only: a secret does not belong on a command line). */
  rootKey?: string;
  /** A file holding the root key (base64 text or 32 raw bytes). */
  rootKeyFile?: string;
}

export const DEFAULTS: Config = {
  host: '127.0.0.1',
  port: 4599,
  dataDir: './data',
  defaultAccount: '111122223333',
  credentials: [],
  propagationDelaySeconds: 0,
  multiRegionDelayMs: 2000,
  sync: 'FULL',
  maxBodyBytes: 1024 * 1024,
  logLevel: 'info',
  rootKey: undefined,
  rootKeyFile: undefined,
};

const FLAGS: Record<string, { env: string; key: keyof Config | 'config' }> = {
  '--host': { env: 'TRENT_HOST', key: 'host' },
  '--port': { env: 'TRENT_PORT', key: 'port' },
  '--data-dir': { env: 'TRENT_DATA_DIR', key: 'dataDir' },
  '--config': { env: 'TRENT_CONFIG', key: 'config' },
  '--default-account': { env: 'TRENT_DEFAULT_ACCOUNT', key: 'defaultAccount' },
  '--sync': { env: 'TRENT_SYNC', key: 'sync' },
  '--max-body-bytes': { env: 'TRENT_MAX_BODY_BYTES', key: 'maxBodyBytes' },
  '--log': { env: 'TRENT_LOG', key: 'logLevel' },
  '--root-key-file': { env: 'TRENT_ROOT_KEY_FILE', key: 'rootKeyFile' },
  '--propagation-delay': { env: 'TRENT_PROPAGATION_DELAY', key: 'propagationDelaySeconds' },
  '--multi-region-delay': { env: 'TRENT_MULTI_REGION_DELAY', key: 'multiRegionDelayMs' },
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
    case 'sync':
      if (value !== 'FULL' && value !== 'NORMAL') throw new ConfigError(`invalid sync: ${String(value)} (FULL or NORMAL)`);
      return value;
    case 'logLevel':
      if (value !== 'silent' && value !== 'error' && value !== 'info') throw new ConfigError(`invalid log level: ${String(value)}`);
      return value;
    case 'defaultAccount':
      if (typeof value !== 'string' || !/^\d{12}$/.test(value)) throw new ConfigError(`invalid defaultAccount: ${String(value)} (12 digits)`);
      return value;
    default:
      return value;
  }
}

export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): Config {
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
  let fromFile: Record<string, unknown> = {};
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
  config.dataDir = resolve(config.dataDir);
  if (config.rootKeyFile !== undefined) config.rootKeyFile = resolve(config.rootKeyFile);
  if (config.credentials.length === 0 && !isLoopback(config.host)) {
    throw new ConfigError(
      `refusing to listen on ${config.host} in local-development mode (no credentials configured): ` +
        'any access key would be accepted. Configure credentials or listen on a loopback address.',
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
