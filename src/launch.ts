// Starting Trent from a Config, as `trent serve` and startTrent both do. The seed is read and the port bound
// before anything is created, and a seed meant for a new data directory is first tried on an empty in-memory
// store, so a start-up that fails leaves no data directory, root key or database behind.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, IN_MEMORY, type Config } from './config.ts';
import type { Logger } from './context.ts';
import { RootKeyMismatchError } from './keys/vault.ts';
import { listen, ListenError, type Listener } from './listener.ts';
import { loadRootKey } from './root-key.ts';
import { checkSeed } from './seed/check-seed.ts';
import { parseSeed, readSeedFile, SeedError, type Seed } from './seed/seed-file.ts';
import { startServer, type TrentServer } from './server.ts';
import { openPostgresStore } from './store/postgres/pg-store.ts';
import { openSqliteStore } from './store/sqlite/sqlite-store.ts';
import { StoreOpenError, type Store } from './store/store.ts';

export const DATABASE_FILE = 'trent.sqlite';

/** A start-up failure the operator can act on: printed as one `trent: …` line. */
export class StartupError extends Error {}

export interface LaunchOptions {
  log: Logger;
  /** A seed given as an object (startTrent) instead of the file config.seed names. */
  seed?: unknown;
}

export interface Launched {
  server: TrentServer;
  /** Stops the server gracefully (requests in flight finish, at most `graceMs`) and closes the store. */
  close(graceMs?: number): Promise<void>;
}

export async function launch(config: Config, opts: LaunchOptions): Promise<Launched> {
  const { log } = opts;
  const readSeed = seedReader(config, opts.seed);
  let listener: Listener | undefined;
  let store: Store | undefined;
  try {
    // Read now, and again by each reset: a seed file edited in between applies at the next reset.
    const firstSeed = await readSeed?.();
    listener = await listen(config.host, config.port);
    const databaseUrl = config.databaseUrl;
    const memory = databaseUrl === undefined && config.dataDir === IN_MEMORY;
    // A database that may be new: a seed it would refuse is refused before anything is created. (PostgreSQL's
    // may be shared and is not looked into first; the check costs one in-memory store.)
    if (firstSeed !== undefined && !memory && (databaseUrl !== undefined || !existsSync(join(config.dataDir, DATABASE_FILE)))) {
      await checkSeed(firstSeed, config);
    }
    const rootKey = loadRootKey(config, log);
    if (databaseUrl !== undefined) store = await openPostgresStore({ url: databaseUrl });
    else {
      if (!memory) makeDataDir(config.dataDir);
      store = openSqliteStore({ path: memory ? IN_MEMORY : join(config.dataDir, DATABASE_FILE), synchronous: config.sync });
    }
    const storeKind = databaseUrl !== undefined ? 'postgres' : memory ? 'memory' : 'sqlite';
    // The server applies the seed read (and checked) above; each reset reads its source again.
    let reads = 0;
    const seed = readSeed && (() => (reads++ === 0 ? Promise.resolve(firstSeed!) : readSeed()));
    const server = await startServer(config, { store, rootKey, log, listener, storeKind, ...(seed ? { seed } : {}) });
    const opened = store;
    return {
      server,
      async close(graceMs?: number) {
        await server.close(graceMs);
        await opened.close();
      },
    };
  } catch (e) {
    await listener?.close(0);
    await store?.close();
    if (e instanceof StartupError) throw e;
    if (e instanceof SeedError || e instanceof ListenError || e instanceof StoreOpenError || e instanceof RootKeyMismatchError || e instanceof ConfigError) {
      throw new StartupError(e.message);
    }
    throw e;
  }
}

function makeDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new StartupError(`cannot create the data directory ${dir}: ${(e as Error).message}`);
  }
}

function seedReader(config: Config, given: unknown): (() => Promise<Seed>) | undefined {
  if (given !== undefined) return async () => parseSeed(given, 'seed', config.defaultAccount);
  const file = config.seed;
  if (file === undefined) return undefined;
  return () => readSeedFile(file, config.defaultAccount);
}
