// CLI entry: configuration → SQLite store in the data directory → listen. Nothing else.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { RootKeyMismatchError } from './keys/vault.ts';
import { loadRootKey } from './root-key.ts';
import { startServer } from './server.ts';
import { openSqliteStore } from './store/sqlite/sqlite-store.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.argv.slice(2), process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`trent: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const log = createLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true });
  let rootKey: Buffer;
  try {
    rootKey = loadRootKey(config, log);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`trent: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const store = openSqliteStore({ path: join(config.dataDir, 'trent.sqlite'), synchronous: config.sync });
  let server;
  try {
    server = await startServer(config, { store, log, rootKey });
  } catch (e) {
    if (e instanceof RootKeyMismatchError) {
      process.stderr.write(`trent: ${e.message}\n`);
      await store.close();
      process.exit(2);
    }
    throw e;
  }
  const mode =
    config.credentials.length === 0
      ? `local-development mode: any access key is accepted (12-digit access key IDs name the account, others use ${config.defaultAccount})`
      : `${config.credentials.length} configured credential(s); signatures are verified`;
  log.info(`Trent listening on ${server.url}`, { dataDir: config.dataDir, mode });
  if (config.logLevel === 'silent') process.stdout.write(`Trent listening on ${server.url}\n`);

  const stop = async () => {
    await server.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

void main();
