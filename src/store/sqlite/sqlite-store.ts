// The embedded Store: SQLite through better-sqlite3, WAL, one connection owning the file (exclusive locking:
// no file-lock syscalls per transaction; several nodes share PostgreSQL instead). Transactions run one at a time
// and are committed in groups, one fsync per turn of the event loop (group-commit.ts); across processes, when the
// file is opened shared, BEGIN IMMEDIATE serializes them.
// Schema in migrations.ts, SQL in statements.ts, row mapping in rows.ts, the transaction view in sqlite-tx.ts.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { StoreOpenError, type Store, type Tx } from '../store.ts';
import { createMigrationsTable, migrations } from './migrations.ts';
import { GroupCommit } from './group-commit.ts';
import { ReadCache } from './read-cache.ts';
import { SqliteTx } from './sqlite-tx.ts';
import { prepare, type Statements } from './statements.ts';

export interface SqliteStoreOptions {
  /** Database file path, or ':memory:'. */
  path: string;
  /**
   * FULL (default): an acknowledged commit survives kill -9 and power loss (fsync of the WAL per commit).
   * NORMAL: survives kill -9; the latest commits may be lost on power loss or OS crash; much faster.
   */
  synchronous?: 'FULL' | 'NORMAL';
  /**
   * false (default): this connection holds the file exclusively; another process opening it fails. SQLite's
   * per-transaction file locks are syscalls, and under load they cost more than the queries of a read.
   * true: several processes may open the file at once, serialized by SQLite's locks.
   */
  shared?: boolean;
  /**
   * Opens an existing database to read it only (`trent export`): no migration, no write. A database another
   * process holds (a running Trent) fails as in use. (SQLite's own read-only mode cannot open a WAL database
   * whose index file a server in exclusive mode never made, so the connection is read-write and writes nothing.)
   */
  readOnly?: boolean;
}

const BUSY_TIMEOUT_MS = 5000;
/**
 * An exclusive owner holds its lock for as long as it runs: waiting longer than a moment (for a Trent that is
 * stopping as another starts) only delays the "in use" answer.
 */
const EXCLUSIVE_OPEN_TIMEOUT_MS = 500;

/** Opens (creating and migrating if needed) the database at `opts.path`. */
export function openSqliteStore(opts: SqliteStoreOptions): Store {
  let db: Database.Database;
  try {
    const timeout = opts.shared ? BUSY_TIMEOUT_MS : EXCLUSIVE_OPEN_TIMEOUT_MS;
    db = new Database(opts.path, { timeout, fileMustExist: opts.readOnly === true });
  } catch (err) {
    throw new StoreOpenError(`cannot open database ${opts.path}: ${(err as Error).message}`);
  }
  if (opts.readOnly) return openReadOnly(db, opts.path);
  try {
    db.pragma(`busy_timeout = ${opts.shared ? BUSY_TIMEOUT_MS : EXCLUSIVE_OPEN_TIMEOUT_MS}`);
    // Must precede WAL mode, so that the WAL index lives in heap memory instead of a shared-memory file.
    if (!opts.shared) db.pragma('locking_mode = EXCLUSIVE');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal' && opts.path !== ':memory:') throw new Error(`SQLite refused WAL mode (got ${String(mode)})`);
    const full = (opts.synchronous ?? 'FULL') === 'FULL';
    db.pragma(`synchronous = ${full ? 'FULL' : 'NORMAL'}`);
    // Only macOS honours these: there fsync alone does not flush the drive's cache.
    db.pragma(`fullfsync = ${full ? 'ON' : 'OFF'}`);
    db.pragma(`checkpoint_fullfsync = ${full ? 'ON' : 'OFF'}`);
    db.pragma('foreign_keys = ON');
    // Group commit runs every request in a savepoint, and SQLite keeps a savepoint's undo pages in a statement
    // journal, a temporary file by default: two pwrites per page touched (CreateKey: 9 syscalls a request).
    db.pragma('temp_store = MEMORY');
    // 64 MiB instead of 2: a new key's index entry lands on a random leaf, and with the default cache most of
    // them are read back from the OS on every insert once a few thousand keys exist. Pages are cached as used.
    db.pragma('cache_size = -65536');
    migrate(db);
    // In exclusive mode the lock is taken by the first write and kept: take it now, so that a second server
    // on the same data directory fails at start, not at its first request.
    if (!opts.shared) db.prepare("INSERT OR REPLACE INTO meta (name, value) VALUES ('opened-at', ?)").run(String(Date.now()));
    const walFd = full && !opts.shared && opts.path !== ':memory:' ? openWal(db, opts.path) : undefined;
    return new SqliteStore(db, prepare(db), opts.shared ? undefined : new ReadCache(), walFd);
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') throw inUse(opts.path);
    throw err;
  }
}

/**
 * For a file this connection owns, under FULL: from here on COMMIT only writes the WAL (synchronous NORMAL, which
 * still syncs the WAL before each checkpoint and the database after it) and group commit fdatasyncs the WAL off
 * the event loop before answering. The WAL file stays in place while the connection is open (exclusive locking
 * keeps it; a checkpoint rewinds it, never removes it), so one descriptor serves for the store's life.
 */
function openWal(db: Database.Database, path: string): number {
  const fd = fs.openSync(`${path}-wal`, 'r');
  db.pragma('synchronous = NORMAL');
  return fd;
}

const fdatasync = (fd: number) =>
  new Promise<void>((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));

const inUse = (path: string) =>
  new StoreOpenError(`database ${path} is in use by another process (is another Trent running on this data directory?)`);

function openReadOnly(db: Database.Database, path: string): Store {
  try {
    // A running Trent (exclusive locking) never lets go of its lock: reading fails at once as in use.
    db.pragma('locking_mode = EXCLUSIVE');
    const latest = db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get() as number | null;
    const known = migrations.reduce((max, m) => Math.max(max, m.version), 0);
    if (latest !== known) {
      throw new StoreOpenError(`database ${path} has schema version ${String(latest)}, this build ${known}: start trent serve on it once to bring it up to date`);
    }
    return new SqliteStore(db, prepare(db), undefined);
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') throw inUse(path);
    throw err;
  }
}

function migrate(db: Database.Database): void {
  db.exec(createMigrationsTable);
  const known = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const latest = db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get() as number | null;
  if (latest !== null && latest > known) {
    throw new StoreOpenError(`database schema version ${latest} is newer than this build knows (${known}): use a newer Trent`);
  }
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (isApplied.get(m.version) !== undefined) continue;
    // Outside a transaction: SQLite ignores this pragma inside one.
    if (m.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.exec('BEGIN IMMEDIATE');
      try {
        // Another process may have applied it while we waited for the lock.
        if (isApplied.get(m.version) === undefined) {
          db.exec(m.sql);
          if (m.rebuildsTables) checkForeignKeys(db, m);
          record.run(m.version, m.name, Date.now());
        }
        db.exec('COMMIT');
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
    } finally {
      if (m.rebuildsTables) db.pragma('foreign_keys = ON');
    }
  }
}

function checkForeignKeys(db: Database.Database, m: { version: number }): void {
  const broken = db.pragma('foreign_key_check') as { table: string }[];
  if (broken.length > 0) {
    throw new Error(`migration ${m.version} left ${broken.length} rows whose key is missing (first in ${broken[0]!.table})`);
  }
}

class SqliteStore implements Store {
  #closed = false;
  private readonly db: Database.Database;
  private readonly s: Statements;
  private readonly commits: GroupCommit;

  /**
   * Only for a file this connection owns: with other writers an entry could go stale. The same ownership lets
   * reads run outside a transaction; a shared file (no cache) reads inside one.
   */
  private readonly cache: ReadCache | undefined;

  /** The WAL's descriptor when group commit makes commits durable itself (openWal). */
  private readonly walFd: number | undefined;

  constructor(db: Database.Database, s: Statements, cache: ReadCache | undefined, walFd?: number) {
    this.db = db;
    this.s = s;
    this.cache = cache;
    this.walFd = walFd;
    this.commits = new GroupCommit({
      begin: () => s.begin.run(),
      commit: () => s.commit.run(),
      rollback: () => s.rollback.run(),
      savepoint: () => s.savepoint.run(),
      release: () => s.release.run(),
      rollbackToSavepoint: () => s.rollbackTo.run(),
      inTransaction: () => db.inTransaction,
      clearCache: () => cache?.clear(),
      ...(walFd === undefined ? {} : { sync: () => fdatasync(walFd) }),
    });
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.commits.run(async (enter) => {
      if (this.#closed) throw new Error('store is closed');
      const tx = new SqliteTx(this.s, this.cache, enter, this.cache === undefined);
      try {
        return await fn(tx);
      } finally {
        tx.live = false;
      }
    });
  }

  async close(): Promise<void> {
    await this.commits.flush(() => {
      if (this.#closed) return;
      this.#closed = true;
      this.db.close();
      if (this.walFd !== undefined) fs.closeSync(this.walFd);
    });
  }
}
