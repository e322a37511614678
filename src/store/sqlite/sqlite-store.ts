// The embedded Store: SQLite through better-sqlite3, WAL, one connection owning the file (exclusive locking:
// no file-lock syscalls per transaction; several nodes share PostgreSQL instead). Transactions are serialized
// by a FIFO mutex, and by BEGIN IMMEDIATE across processes when the file is opened shared.
// Schema lives in migrations.ts; rows map to the records of store.ts with NULL for absent fields.
import Database from 'better-sqlite3';
import type {
  AliasRecord,
  KeyMaterialRecord,
  KeyMaterialState,
  KeyRecord,
  KeyRef,
  KeyState,
  KeyUsageRecord,
  Store,
  TagRecord,
  Tx,
} from '../store.ts';
import { createMigrationsTable, migrations } from './migrations.ts';
import { ReadCache } from './read-cache.ts';

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
}

const BUSY_TIMEOUT_MS = 5000;

/** A keys row as an array (raw mode: about twice as fast as row objects); order of KEY_COLUMNS. */
type KeyRow = [
  seq: number,
  account: string,
  region: string,
  keyId: string,
  createdAt: number,
  description: string,
  keySpec: string,
  keyUsage: string,
  origin: string,
  keyManager: string,
  keyState: string,
  deletionDate: number | null,
  pendingDeletionWindowInDays: number | null,
  multiRegion: number,
  currentKeyMaterialId: string | null,
  customKeyStoreId: string | null,
  validTo: number | null,
  expirationModel: string | null,
  policy: string,
  rotationPeriodInDays: number | null,
  nextRotationAt: number | null,
];
type MaterialRow = [
  seq: number,
  account: string,
  region: string,
  keyId: string,
  materialId: string,
  createdAt: number,
  rotationType: string | null,
  state: string,
  importState: string | null,
  description: string | null,
  expirationModel: string | null,
  validTo: number | null,
  wrapped: Buffer | null,
  publicKey: Buffer | null,
  fingerprint: Buffer | null,
];
type TagRow = [tagKey: string, tagValue: string];
type AliasRow = [
  account: string,
  region: string,
  aliasName: string,
  targetKeyId: string,
  createdAt: number,
  updatedAt: number,
];

const KEY_COLUMNS =
  'seq, account, region, key_id, created_at, description, key_spec, key_usage, origin, key_manager, key_state, ' +
  'deletion_date, pending_deletion_window_in_days, multi_region, current_key_material_id, custom_key_store_id, ' +
  'valid_to, expiration_model, policy, rotation_period_in_days, next_rotation_at';
const MATERIAL_COLUMNS =
  'seq, account, region, key_id, material_id, created_at, rotation_type, state, import_state, description, ' +
  'expiration_model, valid_to, wrapped, public_key, fingerprint';
const KEY = 'account = ? AND region = ? AND key_id = ?';
const TAG_COLUMNS = 'tag_key, tag_value';
const ALIAS_COLUMNS = 'account, region, alias_name, target_key_id, created_at, updated_at';

/** Opens (creating and migrating if needed) the database at `opts.path`. */
export function openSqliteStore(opts: SqliteStoreOptions): Store {
  const db = new Database(opts.path, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
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
    migrate(db);
    // In exclusive mode the lock is taken by the first write and kept: take it now, so that a second server
    // on the same data directory fails at start, not at its first request.
    if (!opts.shared) db.prepare("INSERT OR REPLACE INTO meta (name, value) VALUES ('opened-at', ?)").run(String(Date.now()));
    return new SqliteStore(db, prepare(db), opts.shared ? undefined : new ReadCache());
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      throw new Error(`database ${opts.path} is in use by another process (is another Trent running on this data directory?)`);
    }
    throw err;
  }
}

function migrate(db: Database.Database): void {
  db.exec(createMigrationsTable);
  const known = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const latest = db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get() as number | null;
  if (latest !== null && latest > known) {
    throw new Error(`database schema version ${latest} is newer than this build knows (${known})`);
  }
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (isApplied.get(m.version) !== undefined) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      // Another process may have applied it while we waited for the lock.
      if (isApplied.get(m.version) === undefined) {
        db.exec(m.sql);
        record.run(m.version, m.name, Date.now());
      }
      db.exec('COMMIT');
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
  }
}

function prepare(db: Database.Database) {
  const p = (sql: string) => db.prepare(sql);
  const rows = (sql: string) => db.prepare(sql).raw();
  return {
    begin: p('BEGIN IMMEDIATE'),
    commit: p('COMMIT'),
    rollback: p('ROLLBACK'),
    getKey: rows(`SELECT ${KEY_COLUMNS} FROM keys WHERE ${KEY}`),
    insertKey: p(
      `INSERT INTO keys (account, region, key_id, created_at, description, key_spec, key_usage, origin, ` +
        `key_manager, key_state, deletion_date, pending_deletion_window_in_days, multi_region, ` +
        `current_key_material_id, custom_key_store_id, valid_to, expiration_model, policy, ` +
        `rotation_period_in_days, next_rotation_at) ` +
        `VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateKey: p(
      `UPDATE keys SET description = ?, key_spec = ?, key_usage = ?, origin = ?, key_manager = ?, key_state = ?, ` +
        `deletion_date = ?, pending_deletion_window_in_days = ?, multi_region = ?, current_key_material_id = ?, ` +
        `custom_key_store_id = ?, valid_to = ?, expiration_model = ?, policy = ?, rotation_period_in_days = ?, ` +
        `next_rotation_at = ? WHERE ${KEY}`,
    ),
    deleteKey: p(`DELETE FROM keys WHERE ${KEY}`),
    listKeys: rows(`SELECT ${KEY_COLUMNS} FROM keys WHERE account = ? AND region = ? AND seq > ? ORDER BY seq LIMIT ?`),
    listDue: rows(
      `SELECT account, region, key_id FROM keys ` +
        `WHERE key_state = 'PendingDeletion' AND deletion_date <= ? ORDER BY deletion_date, seq`,
    ),
    listDueForRotation: rows(
      `SELECT account, region, key_id FROM keys WHERE next_rotation_at <= ? ORDER BY next_rotation_at, seq`,
    ),
    listExpiredMaterial: rows(
      `SELECT DISTINCT k.account, k.region, k.key_id, k.seq FROM key_materials m JOIN keys k ` +
        `ON k.account = m.account AND k.region = m.region AND k.key_id = m.key_id ` +
        `WHERE m.valid_to <= ? AND m.wrapped IS NOT NULL ORDER BY k.seq`,
    ),
    listMaterials: rows(`SELECT ${MATERIAL_COLUMNS} FROM key_materials WHERE ${KEY} ORDER BY seq`),
    putMaterial: p(
      `INSERT INTO key_materials (account, region, key_id, material_id, created_at, rotation_type, state, ` +
        `import_state, description, expiration_model, valid_to, wrapped, public_key, fingerprint) ` +
        `VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account, region, key_id, material_id) ` +
        `DO UPDATE SET created_at = excluded.created_at, rotation_type = excluded.rotation_type, ` +
        `state = excluded.state, import_state = excluded.import_state, description = excluded.description, ` +
        `expiration_model = excluded.expiration_model, valid_to = excluded.valid_to, wrapped = excluded.wrapped, ` +
        `public_key = excluded.public_key, fingerprint = excluded.fingerprint`,
    ),
    deleteMaterial: p(`DELETE FROM key_materials WHERE ${KEY} AND material_id = ?`),
    putUsage: p(
      `INSERT INTO key_usage (account, region, key_id, operation, used_at, request_id) ` +
        `SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM keys WHERE ${KEY}) ` +
        `ON CONFLICT (account, region, key_id) DO UPDATE SET operation = excluded.operation, ` +
        `used_at = excluded.used_at, request_id = excluded.request_id WHERE excluded.used_at >= key_usage.used_at`,
    ),
    getUsage: rows(`SELECT operation, used_at, request_id FROM key_usage WHERE ${KEY}`),
    listTags: rows(`SELECT ${TAG_COLUMNS} FROM tags WHERE ${KEY} ORDER BY tag_key LIMIT ?`),
    allTags: rows(`SELECT ${TAG_COLUMNS} FROM tags WHERE ${KEY} ORDER BY tag_key`),
    listTagsAfter: rows(`SELECT ${TAG_COLUMNS} FROM tags WHERE ${KEY} AND tag_key > ? ORDER BY tag_key LIMIT ?`),
    countTags: p(`SELECT COUNT(*) FROM tags WHERE ${KEY}`).pluck(),
    putTag: p(
      `INSERT INTO tags (account, region, key_id, tag_key, tag_value) VALUES (?, ?, ?, ?, ?) ` +
        `ON CONFLICT (account, region, key_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value`,
    ),
    deleteTag: p(`DELETE FROM tags WHERE ${KEY} AND tag_key = ?`),
    getAlias: rows(`SELECT ${ALIAS_COLUMNS} FROM aliases WHERE account = ? AND region = ? AND alias_name = ?`),
    insertAlias: p(
      `INSERT INTO aliases (account, region, alias_name, target_key_id, created_at, updated_at) ` +
        `VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    updateAlias: p(
      `UPDATE aliases SET target_key_id = ?, updated_at = ? WHERE account = ? AND region = ? AND alias_name = ?`,
    ),
    deleteAlias: p(`DELETE FROM aliases WHERE account = ? AND region = ? AND alias_name = ?`),
    listAliases: rows(
      `SELECT ${ALIAS_COLUMNS} FROM aliases WHERE account = ? AND region = ? ORDER BY alias_name LIMIT ?`,
    ),
    listAliasesAfter: rows(
      `SELECT ${ALIAS_COLUMNS} FROM aliases WHERE account = ? AND region = ? AND alias_name > ? ` +
        `ORDER BY alias_name LIMIT ?`,
    ),
    listAliasesOf: rows(
      `SELECT ${ALIAS_COLUMNS} FROM aliases WHERE account = ? AND region = ? AND target_key_id = ? ` +
        `ORDER BY alias_name LIMIT ?`,
    ),
    listAliasesOfAfter: rows(
      `SELECT ${ALIAS_COLUMNS} FROM aliases WHERE account = ? AND region = ? AND target_key_id = ? ` +
        `AND alias_name > ? ORDER BY alias_name LIMIT ?`,
    ),
    countAliases: p(`SELECT COUNT(*) FROM aliases WHERE account = ? AND region = ? AND target_key_id = ?`).pluck(),
    getMeta: p('SELECT value FROM meta WHERE name = ?').pluck(),
    setMeta: p('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
  };
}

type Statements = ReturnType<typeof prepare>;

function toKey(r: KeyRow): KeyRecord {
  const k: KeyRecord = {
    account: r[1],
    region: r[2],
    keyId: r[3],
    seq: r[0],
    createdAt: r[4],
    description: r[5],
    keySpec: r[6],
    keyUsage: r[7],
    origin: r[8],
    keyManager: r[9] as KeyRecord['keyManager'],
    keyState: r[10] as KeyState,
    multiRegion: r[13] !== 0,
    policy: r[18],
  };
  if (r[11] !== null) k.deletionDate = r[11];
  if (r[12] !== null) k.pendingDeletionWindowInDays = r[12];
  if (r[14] !== null) k.currentKeyMaterialId = r[14];
  if (r[15] !== null) k.customKeyStoreId = r[15];
  if (r[16] !== null) k.validTo = r[16];
  if (r[17] !== null) k.expirationModel = r[17];
  if (r[19] !== null) k.rotationPeriodInDays = r[19];
  if (r[20] !== null) k.nextRotationAt = r[20];
  return k;
}

function toMaterial(r: MaterialRow): KeyMaterialRecord {
  const m: KeyMaterialRecord = {
    account: r[1],
    region: r[2],
    keyId: r[3],
    materialId: r[4],
    seq: r[0],
    createdAt: r[5],
    state: r[7] as KeyMaterialState,
  };
  if (r[6] !== null) m.rotationType = r[6] as KeyMaterialRecord['rotationType'];
  if (r[8] !== null) m.importState = r[8] as KeyMaterialRecord['importState'];
  if (r[9] !== null) m.description = r[9];
  if (r[10] !== null) m.expirationModel = r[10];
  if (r[11] !== null) m.validTo = r[11];
  if (r[12] !== null) m.wrapped = r[12];
  if (r[13] !== null) m.publicKey = r[13];
  if (r[14] !== null) m.fingerprint = r[14];
  return m;
}

function toTags(rows: TagRow[]): TagRecord[] {
  const out = new Array<TagRecord>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    out[i] = { tagKey: r[0], tagValue: r[1] };
  }
  return out;
}

function toAlias(r: AliasRow): AliasRecord {
  return { account: r[0], region: r[1], aliasName: r[2], targetKeyId: r[3], createdAt: r[4], updatedAt: r[5] };
}

/** One transaction's view; every call runs synchronously and returns an already-settled promise. */
class SqliteTx implements Tx {
  live = true;
  /** Set by the first write: from then on reads may see uncommitted data and must not fill the cache. */
  private wrote = false;
  private readonly s: Statements;
  private readonly cache: ReadCache | undefined;

  constructor(s: Statements, cache: ReadCache | undefined) {
    this.s = s;
    this.cache = cache;
  }

  private use(): Statements {
    if (!this.live) throw new Error('Tx used after its transaction ended');
    return this.s;
  }

  /** Marks a write, dropping what the cache holds for `ref`. */
  private write(ref?: KeyRef): Statements {
    const s = this.use();
    this.wrote = true;
    if (ref !== undefined) this.cache?.drop(ref);
    return s;
  }

  async getKey(ref: KeyRef): Promise<KeyRecord | undefined> {
    const cached = this.cache?.get(ref)?.key;
    if (cached !== undefined) return cached ?? undefined;
    const row = this.use().getKey.get(ref.account, ref.region, ref.keyId) as KeyRow | undefined;
    const key = row === undefined ? undefined : toKey(row);
    if (!this.wrote) this.cache?.setKey(ref, key);
    return key;
  }

  async insertKey(k: KeyRecord): Promise<void> {
    this.write(k).insertKey.run(
      k.account, k.region, k.keyId, k.createdAt, k.description, k.keySpec, k.keyUsage, k.origin, k.keyManager,
      k.keyState, k.deletionDate ?? null, k.pendingDeletionWindowInDays ?? null, k.multiRegion ? 1 : 0,
      k.currentKeyMaterialId ?? null, k.customKeyStoreId ?? null, k.validTo ?? null, k.expirationModel ?? null,
      k.policy, k.rotationPeriodInDays ?? null, k.nextRotationAt ?? null,
    );
  }

  async updateKey(k: KeyRecord): Promise<void> {
    const { changes } = this.write(k).updateKey.run(
      k.description, k.keySpec, k.keyUsage, k.origin, k.keyManager, k.keyState, k.deletionDate ?? null,
      k.pendingDeletionWindowInDays ?? null, k.multiRegion ? 1 : 0, k.currentKeyMaterialId ?? null,
      k.customKeyStoreId ?? null, k.validTo ?? null, k.expirationModel ?? null, k.policy,
      k.rotationPeriodInDays ?? null, k.nextRotationAt ?? null, k.account, k.region, k.keyId,
    );
    if (changes === 0) throw new Error('updateKey: no such key');
  }

  async deleteKey(ref: KeyRef): Promise<void> {
    // Tags and aliases follow through ON DELETE CASCADE.
    this.write(ref).deleteKey.run(ref.account, ref.region, ref.keyId);
  }

  async listKeys(account: string, region: string, afterSeq: number | undefined, limit: number): Promise<KeyRecord[]> {
    const rows = this.use().listKeys.all(account, region, afterSeq ?? 0, limit) as KeyRow[];
    return rows.map(toKey);
  }

  async listKeysDueForDeletion(now: number): Promise<KeyRef[]> {
    const rows = this.use().listDue.all(now) as [string, string, string][];
    return rows.map((r) => ({ account: r[0], region: r[1], keyId: r[2] }));
  }

  async listKeysDueForRotation(now: number): Promise<KeyRef[]> {
    const rows = this.use().listDueForRotation.all(now) as [string, string, string][];
    return rows.map((r) => ({ account: r[0], region: r[1], keyId: r[2] }));
  }

  async listKeysWithExpiredMaterial(now: number): Promise<KeyRef[]> {
    const rows = this.use().listExpiredMaterial.all(now) as [string, string, string][];
    return rows.map((r) => ({ account: r[0], region: r[1], keyId: r[2] }));
  }

  async listMaterials(ref: KeyRef): Promise<KeyMaterialRecord[]> {
    return [...this.allMaterials(ref)];
  }

  async getMaterial(ref: KeyRef, materialId: string): Promise<KeyMaterialRecord | undefined> {
    return this.allMaterials(ref).find((m) => m.materialId === materialId);
  }

  /** Every material of a key, from the cache or read into it (a key holds few). */
  private allMaterials(ref: KeyRef): readonly KeyMaterialRecord[] {
    const cached = this.cache?.get(ref)?.materials;
    if (cached !== undefined) return cached;
    const rows = this.use().listMaterials.all(ref.account, ref.region, ref.keyId) as MaterialRow[];
    const materials = rows.map(toMaterial);
    if (!this.wrote) this.cache?.setMaterials(ref, materials);
    return materials;
  }

  async putMaterial(m: KeyMaterialRecord): Promise<void> {
    this.write(m).putMaterial.run(
      m.account, m.region, m.keyId, m.materialId, m.createdAt, m.rotationType ?? null, m.state,
      m.importState ?? null, m.description ?? null, m.expirationModel ?? null, m.validTo ?? null,
      m.wrapped ?? null, m.publicKey ?? null, m.fingerprint ?? null,
    );
  }

  async deleteMaterial(ref: KeyRef, materialId: string): Promise<void> {
    this.write(ref).deleteMaterial.run(ref.account, ref.region, ref.keyId, materialId);
  }

  async putKeyUsage(usage: readonly KeyUsageRecord[]): Promise<void> {
    // Usage rows do not feed the read cache, so these writes drop nothing from it.
    const st = this.use().putUsage;
    this.wrote = true;
    for (const u of usage) {
      st.run(u.account, u.region, u.keyId, u.operation, u.usedAt, u.requestId, u.account, u.region, u.keyId);
    }
  }

  async getKeyUsage(ref: KeyRef): Promise<KeyUsageRecord | undefined> {
    const row = this.use().getUsage.get(ref.account, ref.region, ref.keyId) as [string, number, string] | undefined;
    return row === undefined ? undefined : { ...ref, operation: row[0], usedAt: row[1], requestId: row[2] };
  }

  async listTags(ref: KeyRef, afterTagKey: string | undefined, limit: number): Promise<TagRecord[]> {
    const s = this.use();
    const all = this.cache && this.allTags(ref);
    if (all !== undefined) {
      // Resume after the marker's tag; if that tag is gone, only SQL's byte order knows where to resume.
      const start = afterTagKey === undefined ? 0 : all.findIndex((t) => t.tagKey === afterTagKey) + 1;
      if (start > 0 || afterTagKey === undefined) return all.slice(start, start + limit);
    }
    return toTags(
      (afterTagKey === undefined
        ? s.listTags.all(ref.account, ref.region, ref.keyId, limit)
        : s.listTagsAfter.all(ref.account, ref.region, ref.keyId, afterTagKey, limit)) as TagRow[],
    );
  }

  /** Every tag of a key, from the cache or read into it (a key holds at most 50). */
  private allTags(ref: KeyRef): readonly TagRecord[] {
    const cached = this.cache?.get(ref)?.tags;
    if (cached !== undefined) return cached;
    const tags = toTags(this.use().allTags.all(ref.account, ref.region, ref.keyId) as TagRow[]);
    if (!this.wrote) this.cache?.setTags(ref, tags);
    return tags;
  }

  async countTags(ref: KeyRef): Promise<number> {
    const cached = this.cache?.get(ref)?.tags;
    if (cached !== undefined) return cached.length;
    return this.use().countTags.get(ref.account, ref.region, ref.keyId) as number;
  }

  async putTags(ref: KeyRef, tags: readonly TagRecord[]): Promise<void> {
    const st = this.write(ref).putTag;
    for (const t of tags) st.run(ref.account, ref.region, ref.keyId, t.tagKey, t.tagValue);
  }

  async deleteTags(ref: KeyRef, tagKeys: readonly string[]): Promise<void> {
    const st = this.write(ref).deleteTag;
    for (const tagKey of tagKeys) st.run(ref.account, ref.region, ref.keyId, tagKey);
  }

  async getAlias(account: string, region: string, aliasName: string): Promise<AliasRecord | undefined> {
    const row = this.use().getAlias.get(account, region, aliasName) as AliasRow | undefined;
    return row === undefined ? undefined : toAlias(row);
  }

  async insertAlias(a: AliasRecord): Promise<void> {
    this.write().insertAlias.run(a.account, a.region, a.aliasName, a.targetKeyId, a.createdAt, a.updatedAt);
  }

  async updateAlias(a: AliasRecord): Promise<void> {
    const { changes } = this.write().updateAlias.run(a.targetKeyId, a.updatedAt, a.account, a.region, a.aliasName);
    if (changes === 0) throw new Error('updateAlias: no such alias');
  }

  async deleteAlias(account: string, region: string, aliasName: string): Promise<void> {
    this.write().deleteAlias.run(account, region, aliasName);
  }

  async listAliases(
    account: string,
    region: string,
    targetKeyId: string | undefined,
    afterName: string | undefined,
    limit: number,
  ): Promise<AliasRecord[]> {
    const s = this.use();
    let rows: unknown[];
    if (targetKeyId === undefined) {
      rows = afterName === undefined
        ? s.listAliases.all(account, region, limit)
        : s.listAliasesAfter.all(account, region, afterName, limit);
    } else {
      rows = afterName === undefined
        ? s.listAliasesOf.all(account, region, targetKeyId, limit)
        : s.listAliasesOfAfter.all(account, region, targetKeyId, afterName, limit);
    }
    return (rows as AliasRow[]).map(toAlias);
  }

  async countAliasesForKey(ref: KeyRef): Promise<number> {
    return this.use().countAliases.get(ref.account, ref.region, ref.keyId) as number;
  }

  async getMeta(name: string): Promise<string | undefined> {
    return this.use().getMeta.get(name) as string | undefined;
  }

  async setMeta(name: string, value: string): Promise<void> {
    this.write().setMeta.run(name, value);
  }
}

class SqliteStore implements Store {
  #busy = false;
  #waiters: (() => void)[] = [];
  #closed = false;
  private readonly db: Database.Database;
  private readonly s: Statements;

  /** Only for a file this connection owns: with other writers an entry could go stale. */
  private readonly cache: ReadCache | undefined;

  constructor(db: Database.Database, s: Statements, cache: ReadCache | undefined) {
    this.db = db;
    this.s = s;
    this.cache = cache;
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const wait = this.#acquire();
    if (wait !== undefined) await wait;
    const tx = new SqliteTx(this.s, this.cache);
    try {
      if (this.#closed) throw new Error('store is closed');
      this.s.begin.run();
      try {
        const result = await fn(tx);
        this.s.commit.run();
        return result;
      } catch (err) {
        if (this.db.inTransaction) {
          try {
            this.s.rollback.run();
          } catch {
            // The caller needs the original error; a failed rollback is surfaced by the next BEGIN.
          }
        }
        throw err;
      }
    } finally {
      tx.live = false;
      this.#release();
    }
  }

  async close(): Promise<void> {
    const wait = this.#acquire();
    if (wait !== undefined) await wait;
    try {
      if (!this.#closed) {
        this.#closed = true;
        this.db.close();
      }
    } finally {
      this.#release();
    }
  }

  /** Takes the mutex at once (undefined) or returns a promise that resolves when it is handed over. */
  #acquire(): Promise<void> | undefined {
    if (!this.#busy) {
      this.#busy = true;
      return undefined;
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #release(): void {
    const next = this.#waiters.shift();
    if (next === undefined) this.#busy = false;
    else next();
  }
}
