// The PostgreSQL store: several Trent nodes share one database. Every store transaction is one SERIALIZABLE
// transaction, re-run whole when PostgreSQL reports a serialization failure or deadlock, so rules checked by
// reading (the 50-tag limit, alias uniqueness, rotation counts) hold across nodes without locks in process memory.
import postgres, { type Sql } from 'postgres';
import { StoreOpenError, type Store, type Tx } from '../store.ts';
import { PgTx } from './pg-tx.ts';
import { createMigrationsTable, pgMigrations } from './schema.ts';

export interface PostgresStoreOptions {
  /** postgres://user@host[:port][,host2[:port]]/db[?target_session_attrs=primary]: libpq's URL, several hosts allowed. */
  url: string;
  /** Pooled connections (default 10). */
  max?: number;
  /** The schema Trent's tables live in (default: the connection's search_path, normally public). */
  schema?: string;
}

/** A statement failed because the database is unreachable, restarting or read-only (a failover): retryable. */
export class StoreUnavailableError extends Error {}

/** serialization_failure, deadlock_detected: the transaction lost a race and is re-run. */
const RETRY_CODES = new Set(['40001', '40P01']);
/**
 * Codes of a database that is going away or not (yet) the primary: admin/crash shutdown, cannot connect now,
 * read-only transaction (a demoted primary), and the driver's own connection errors.
 */
const UNAVAILABLE_CODES = new Set([
  '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', '25006',
  'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET',
]);
const MAX_ATTEMPTS = 100;
/**
 * unique_violation: a row another node inserted after this transaction looked for it (two CreateAlias of one
 * name). SERIALIZABLE reports most such races as 40001, not all; re-run, the read then finds the row and the
 * operation answers as AWS does. A few attempts only: a real duplicate insert fails the same way each time.
 */
const UNIQUE_VIOLATION = '23505';
const MAX_UNIQUE_ATTEMPTS = 3;
/** A fixed lock ID taken while migrating, so nodes starting together migrate one after another. */
const MIGRATION_LOCK = 0x7472656e74; // "trent"

const codeOf = (e: unknown) => (e as { code?: string } | null)?.code;

export async function openPostgresStore(opts: PostgresStoreOptions): Promise<Store> {
  const sql = postgres(opts.url, {
    max: opts.max ?? 10,
    // BIGINT columns (timestamps, seqs) and COUNT(*) hold values well inside 2^53: read them as numbers.
    types: { int8: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) } },
    onnotice: () => {},
    connect_timeout: 10,
    connection: { application_name: 'trent', ...(opts.schema === undefined ? {} : { search_path: opts.schema }) },
  });
  try {
    await migrate(sql);
  } catch (e) {
    await sql.end({ timeout: 1 });
    throw new StoreOpenError(`cannot open the PostgreSQL database ${redact(opts.url)}: ${(e as Error).message}`);
  }
  return new PostgresStore(sql);
}

async function migrate(sql: Sql): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK}::bigint)`;
    await tx.unsafe(createMigrationsTable);
    const done = new Set((await tx`SELECT version FROM schema_migrations`).map((r) => Number(r.version)));
    const newest = Math.max(0, ...done);
    const known = pgMigrations.reduce((max, m) => Math.max(max, m.version), 0);
    if (newest > known) throw new Error(`the database has schema version ${newest}, this build knows up to ${known}: upgrade Trent`);
    for (const m of pgMigrations) {
      if (done.has(m.version)) continue;
      await tx.unsafe(m.sql);
      await tx`INSERT INTO schema_migrations (version, name, applied_at) VALUES (${m.version}, ${m.name}, ${Date.now()})`;
    }
  });
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:@/]*):[^@/]*@/, '$1:***@');
}

class PostgresStore implements Store {
  #closed = false;
  constructor(private readonly sql: Sql) {}

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (this.#closed) throw new Error('store is closed');
      let tx: PgTx | undefined;
      try {
        return (await this.sql.begin('isolation level serializable', async (sql) => {
          tx = new PgTx(sql);
          return fn(tx);
        })) as T;
      } catch (e) {
        const code = codeOf(e);
        const retry = code !== undefined &&
          ((RETRY_CODES.has(code) && attempt < MAX_ATTEMPTS) || (code === UNIQUE_VIOLATION && attempt < MAX_UNIQUE_ATTEMPTS));
        if (retry) {
          // Jittered backoff that grows with the attempts: the rivals of a hot key spread out.
          await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, attempt * 2)));
          continue;
        }
        if (code !== undefined && UNAVAILABLE_CODES.has(code)) {
          throw new StoreUnavailableError(`the database is unavailable (${code}): ${(e as Error).message}`);
        }
        throw e;
      } finally {
        if (tx) tx.live = false;
      }
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.sql.end({ timeout: 5 });
  }
}
