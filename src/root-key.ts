// Where the root key comes from: TRENT_ROOT_KEY (base64), a root key file, or, in local-development mode
// only, a file generated in the data directory on first start (which creates the directory). An in-memory
// store keeps nothing, so its root key may live in memory only.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError, IN_MEMORY, type Config } from './config.ts';
import type { Logger } from './context.ts';

export const ROOT_KEY_FILE_NAME = 'root-key';

/** Decodes a root key given as 44 base64 characters (or 32 raw bytes in a file). */
export function decodeRootKey(raw: Buffer | string, source: string): Buffer {
  const text = Buffer.isBuffer(raw) && raw.length === 32 ? undefined : raw.toString().trim();
  const key = text === undefined ? (raw as Buffer) : Buffer.from(text, 'base64');
  if (key.length !== 32 || (text !== undefined && key.toString('base64') !== text)) {
    throw new ConfigError(`${source}: the root key must be 32 bytes, base64-encoded (openssl rand -base64 32)`);
  }
  return key;
}

/** `create: false` (trent export) reads a root key but never generates one. */
export function loadRootKey(config: Config, log: Logger, opts: { create?: boolean } = {}): Buffer {
  if (config.rootKey !== undefined) return decodeRootKey(config.rootKey, 'rootKey');
  if (config.rootKeyFile !== undefined) {
    let raw: Buffer;
    try {
      raw = readFileSync(config.rootKeyFile);
    } catch (e) {
      throw new ConfigError(`cannot read root key file ${config.rootKeyFile}: ${(e as Error).message}`);
    }
    return decodeRootKey(raw, config.rootKeyFile);
  }
  if (config.dataDir === IN_MEMORY) {
    // Keys kept in PostgreSQL outlive the process: a root key that did not would leave them unreadable.
    if (config.databaseUrl !== undefined) {
      throw new ConfigError('a root key is required with a database URL and no data directory: set TRENT_ROOT_KEY or --root-key-file');
    }
    return randomBytes(32);
  }
  if (config.credentials.length > 0) {
    throw new ConfigError('a root key is required when credentials are configured: set TRENT_ROOT_KEY or --root-key-file');
  }
  const path = join(config.dataDir, ROOT_KEY_FILE_NAME);
  if (existsSync(path)) return decodeRootKey(readFileSync(path), path);
  if (opts.create === false) throw new ConfigError(`no root key: ${path} does not exist; set TRENT_ROOT_KEY or --root-key-file`);
  const key = randomBytes(32);
  try {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    throw new ConfigError(`cannot create the root key file ${path}: ${(e as Error).message}`);
  }
  log.warn(`generated a root key at ${path} (local-development mode): whoever can read it can read every key; ` +
    'configure TRENT_ROOT_KEY or --root-key-file for anything else');
  return key;
}
