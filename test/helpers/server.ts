// Starts a real Trent server on an ephemeral port over a fresh SQLite data directory, with a clock
// the test can move, and builds real @aws-sdk/client-kms clients for it.
import { KMSClient } from '@aws-sdk/client-kms';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { DEFAULTS, type Config } from '../../src/config.ts';
import type { AdjustableClock } from '../../src/lifecycle/clock.ts';
import { createLogger } from '../../src/log.ts';
import { readFlatCredentials, readPrincipals, type FlatCredential } from '../../src/iam/principals-config.ts';
import { parseSeed, readSeedFile, type Seed } from '../../src/seed/seed-file.ts';
import { startServer, type TrentServer } from '../../src/server.ts';
import { openPostgresStore } from '../../src/store/postgres/pg-store.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { createTestDatabase, type TestDatabase } from './postgres.ts';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';

export class ManualClock implements AdjustableClock {
  /** What advance() has added, which POST /_trent/clock reports and a whole reset takes back. */
  offsetMs = 0;
  constructor(public ms = Date.now()) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
    this.offsetMs += ms;
  }
  rewind(): void {
    this.ms -= this.offsetMs;
    this.offsetMs = 0;
  }
  advanceDays(days: number): void {
    this.advance(days * 24 * 60 * 60 * 1000);
  }
}

/** The data directory's root key, created on first use so that a restarted server opens the same material. */
function testRootKey(dataDir: string): Buffer {
  const path = join(dataDir, 'test-root-key');
  if (!existsSync(path)) writeFileSync(path, randomBytes(32));
  return readFileSync(path);
}

function seedSource(seed: unknown, account: string): () => Promise<Seed> {
  return typeof seed === 'string' ? () => readSeedFile(seed, account) : async () => parseSeed(seed, 'seed', account);
}

export interface TestServer {
  server: TrentServer;
  url: string;
  clock: ManualClock;
  dataDir: string;
  store: Store;
  /** An SDK client; `accessKeyId` of 12 digits selects that account in local-development mode. */
  client(opts?: { region?: string; accessKeyId?: string; secretAccessKey?: string; sessionToken?: string }): KMSClient;
  /** Everything the store holds as bytes: SQLite's files, or each PostgreSQL row as text and its bytea values. */
  rawDatabase(): Promise<Buffer[]>;
  /** Stops the server and closes the store, keeping the data directory. */
  stop(): Promise<void>;
  /** Stops and deletes the data directory. */
  close(): Promise<void>;
}

/**
 * TRENT_TEST_STORE=postgres runs every test server on PostgreSQL instead (a schema of its own in one fresh database
 * per test process): the whole suite, or any file of it, checks that both stores give the same answers.
 */
const ON_POSTGRES = process.env.TRENT_TEST_STORE === 'postgres';
let testDatabase: Promise<TestDatabase> | undefined;
if (ON_POSTGRES) {
  after(async () => {
    if (testDatabase !== undefined) await (await testDatabase).drop();
  });
}

/** A store for a test server: SQLite in its data directory, or a fresh PostgreSQL schema. */
async function openTestStore(dataDir: string): Promise<{ store: Store; drop(): Promise<void>; raw(): Promise<Buffer[]> }> {
  if (!ON_POSTGRES) {
    return {
      store: openSqliteStore({ path: join(dataDir, 'trent.sqlite'), synchronous: 'NORMAL' }),
      drop: async () => {},
      raw: async () => readdirSync(dataDir).filter((f) => f.startsWith('trent.sqlite')).map((f) => readFileSync(join(dataDir, f))),
    };
  }
  const d = await (testDatabase ??= createTestDatabase());
  // The schema belongs to the data directory, so that a server restarted on it finds its keys.
  const marker = join(dataDir, 'test-pg-schema');
  const schema = existsSync(marker) ? readFileSync(marker, 'utf8') : await d.newSchema();
  writeFileSync(marker, schema);
  const store = await openPostgresStore({ url: d.url, schema, max: 4 });
  return { store, drop: () => d.dropSchema(schema), raw: () => d.dumpSchema(schema) };
}

export interface TestServerOptions {
  /** Flat access keys (config file `credentials`). */
  credentials?: FlatCredential[];
  /** Principals as the config file's `principals` list defines them. */
  principals?: unknown[];
  dataDir?: string;
  config?: Partial<Config>;
  /** A seed document ({ keys: [...] }) or a seed file's path (read again by each reset), applied at start and by each reset. */
  seed?: unknown;
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'trent-test-'));
  const config: Config = {
    ...DEFAULTS,
    port: 0,
    dataDir,
    credentials: [...readPrincipals(opts.principals ?? []), ...readFlatCredentials(opts.credentials ?? [])],
    logLevel: (process.env.TRENT_LOG as Config['logLevel'] | undefined) ?? 'silent',
    ...opts.config,
  };
  const clock = new ManualClock();
  const { store, drop, raw } = await openTestStore(dataDir);
  let server: TrentServer;
  try {
    server = await startServer(config, {
      store,
      clock,
      log: createLogger(config.logLevel),
      sweepIntervalMs: 0,
      rootKey: testRootKey(dataDir),
      ...(opts.seed !== undefined ? { seed: seedSource(opts.seed, config.defaultAccount) } : {}),
    });
  } catch (e) {
    await store.close();
    if (opts.dataDir === undefined) {
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
    throw e;
  }
  const clients: KMSClient[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const c of clients) c.destroy();
    await server.close();
    await store.close();
  };
  return {
    server,
    url: server.url,
    clock,
    dataDir,
    store,
    client(c = {}) {
      const client = new KMSClient({
        endpoint: server.url,
        region: c.region ?? REGION,
        credentials: {
          accessKeyId: c.accessKeyId ?? ACCOUNT,
          secretAccessKey: c.secretAccessKey ?? 'test-secret',
          ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
        },
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    },
    stop,
    rawDatabase: raw,
    async close() {
      await stop();
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
