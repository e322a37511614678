// Numbered schema migrations, applied in order, each in its own transaction, recorded in schema_migrations.
// Plain SQL meant to be shared with PostgreSQL; the dialect differences are noted where they occur.
// Never edit a migration that has shipped: append a new one.

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * The migration rebuilds tables (SQLite cannot drop a constraint in place): it runs with foreign keys off, as
   * SQLite's procedure for altering a table asks, and commits only if PRAGMA foreign_key_check finds nothing.
   */
  rebuildsTables?: true;
}

/** Bootstraps the ledger itself; run before any migration, idempotent. */
export const createMigrationsTable = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL,
  applied_at BIGINT  NOT NULL
)`;

// Dialect notes for PostgreSQL:
// - keys.seq: `BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY` instead of SQLite's AUTOINCREMENT rowid
//   (AUTOINCREMENT keeps seq monotonic: a deleted highest seq is never handed out again).
// - tags.tag_key and aliases.alias_name: add `COLLATE "C"` so both order by UTF-8 bytes (code points),
//   which is what SQLite's default BINARY collation does.
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'keys, tags, aliases, meta',
    sql: `
CREATE TABLE keys (
  seq                              INTEGER PRIMARY KEY AUTOINCREMENT,
  account                          TEXT    NOT NULL,
  region                           TEXT    NOT NULL,
  key_id                           TEXT    NOT NULL,
  created_at                       BIGINT  NOT NULL,
  description                      TEXT    NOT NULL,
  key_spec                         TEXT    NOT NULL,
  key_usage                        TEXT    NOT NULL,
  origin                           TEXT    NOT NULL,
  key_manager                      TEXT    NOT NULL,
  key_state                        TEXT    NOT NULL,
  deletion_date                    BIGINT,
  pending_deletion_window_in_days  INTEGER,
  multi_region                     BOOLEAN NOT NULL,
  current_key_material_id          TEXT,
  custom_key_store_id              TEXT,
  valid_to                         BIGINT,
  expiration_model                 TEXT,
  policy                           TEXT    NOT NULL,
  UNIQUE (account, region, key_id)
);
CREATE INDEX keys_by_seq ON keys (account, region, seq);
CREATE INDEX keys_by_deletion ON keys (key_state, deletion_date);

CREATE TABLE tags (
  account    TEXT NOT NULL,
  region     TEXT NOT NULL,
  key_id     TEXT NOT NULL,
  tag_key    TEXT NOT NULL,
  tag_value  TEXT NOT NULL,
  PRIMARY KEY (account, region, key_id, tag_key),
  FOREIGN KEY (account, region, key_id) REFERENCES keys (account, region, key_id) ON DELETE CASCADE
);

CREATE TABLE aliases (
  account        TEXT   NOT NULL,
  region         TEXT   NOT NULL,
  alias_name     TEXT   NOT NULL,
  target_key_id  TEXT   NOT NULL,
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  PRIMARY KEY (account, region, alias_name),
  FOREIGN KEY (account, region, target_key_id) REFERENCES keys (account, region, key_id) ON DELETE CASCADE
);
CREATE INDEX aliases_by_target ON aliases (account, region, target_key_id, alias_name);

CREATE TABLE meta (
  name   TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
`,
  },
  {
    version: 2,
    name: 'key materials, rotation schedule, last usage',
    // PostgreSQL: key_materials.seq as for keys.seq; BLOB is BYTEA.
    sql: `
ALTER TABLE keys ADD COLUMN rotation_period_in_days INTEGER;
ALTER TABLE keys ADD COLUMN next_rotation_at BIGINT;
CREATE INDEX keys_by_next_rotation ON keys (next_rotation_at);

CREATE TABLE key_materials (
  seq              INTEGER PRIMARY KEY AUTOINCREMENT,
  account          TEXT    NOT NULL,
  region           TEXT    NOT NULL,
  key_id           TEXT    NOT NULL,
  material_id      TEXT    NOT NULL,
  created_at       BIGINT  NOT NULL,
  rotation_type    TEXT,
  state            TEXT    NOT NULL,
  import_state     TEXT,
  description      TEXT,
  expiration_model TEXT,
  valid_to         BIGINT,
  wrapped          BLOB,
  public_key       BLOB,
  fingerprint      BLOB,
  UNIQUE (account, region, key_id, material_id),
  FOREIGN KEY (account, region, key_id) REFERENCES keys (account, region, key_id) ON DELETE CASCADE
);
CREATE INDEX key_materials_by_valid_to ON key_materials (valid_to);

CREATE TABLE key_usage (
  account     TEXT   NOT NULL,
  region      TEXT   NOT NULL,
  key_id      TEXT   NOT NULL,
  operation   TEXT   NOT NULL,
  used_at     BIGINT NOT NULL,
  request_id  TEXT   NOT NULL,
  PRIMARY KEY (account, region, key_id),
  FOREIGN KEY (account, region, key_id) REFERENCES keys (account, region, key_id) ON DELETE CASCADE
);
`,
  },
  {
    version: 3,
    name: 'grants',
    // PostgreSQL: grants.seq as for keys.seq. operations and constraints are JSON texts (JSONB would reorder
    // nothing that matters, but TEXT keeps the bytes as written).
    sql: `
CREATE TABLE grants (
  seq              INTEGER PRIMARY KEY AUTOINCREMENT,
  account          TEXT    NOT NULL,
  region           TEXT    NOT NULL,
  key_id           TEXT    NOT NULL,
  grant_id         TEXT    NOT NULL UNIQUE,
  name             TEXT,
  created_at       BIGINT  NOT NULL,
  grantee          TEXT    NOT NULL,
  retiring         TEXT,
  issuing_account  TEXT    NOT NULL,
  operations       TEXT    NOT NULL,
  constraints      TEXT,
  FOREIGN KEY (account, region, key_id) REFERENCES keys (account, region, key_id) ON DELETE CASCADE
);
CREATE INDEX grants_by_key ON grants (account, region, key_id, seq);
CREATE INDEX grants_by_retiring ON grants (region, retiring, seq);
`,
  },
  {
    version: 4,
    name: 'multi-Region keys: primary Region, Creating/Updating transitions',
    // PostgreSQL: multi_region = TRUE.
    sql: `
ALTER TABLE keys ADD COLUMN primary_region TEXT;
ALTER TABLE keys ADD COLUMN transition_ends_at BIGINT;
ALTER TABLE keys ADD COLUMN state_after_transition TEXT;
UPDATE keys SET primary_region = region WHERE multi_region = 1;
CREATE INDEX keys_by_key_id ON keys (account, key_id);
CREATE INDEX keys_by_transition ON keys (transition_ends_at);
`,
  },
  {
    version: 5,
    name: 'key materials, tags and usage keyed by the key\'s seq; one index for key IDs; partial sweep indexes',
    // Why: every CreateKey wrote a random leaf of three indexes on (account, region, key_id[, material_id]), and
    // each index on a rarely-set column (deletion, rotation, transition, expiry) took an entry per key. Keyed by
    // keys.seq, which only grows, a new key's materials, tags and usage are appended; the WAL of a batch of 32
    // CreateKeys fell from about 150 pages to 55. UNIQUE (account, key_id, region) serves both lookups by ID (one
    // Region, or every Region of a multi-Region set) and, in any column order, the foreign keys of aliases and
    // grants, which keep theirs.
    // A table rebuild (create, copy, drop, rename), SQLite's procedure: renaming keys_v5 to keys rewrites the
    // references of the other new tables. sqlite_sequence carries the old high-water marks over, so no seq is
    // ever handed out twice. PostgreSQL creates this shape directly: no rebuild, no sqlite_sequence, and no
    // WITHOUT ROWID (a plain PRIMARY KEY is already the table's only B-tree there).
    rebuildsTables: true,
    sql: `
CREATE TABLE keys_v5 (
  seq                              INTEGER PRIMARY KEY AUTOINCREMENT,
  account                          TEXT    NOT NULL,
  region                           TEXT    NOT NULL,
  key_id                           TEXT    NOT NULL,
  created_at                       BIGINT  NOT NULL,
  description                      TEXT    NOT NULL,
  key_spec                         TEXT    NOT NULL,
  key_usage                        TEXT    NOT NULL,
  origin                           TEXT    NOT NULL,
  key_manager                      TEXT    NOT NULL,
  key_state                        TEXT    NOT NULL,
  deletion_date                    BIGINT,
  pending_deletion_window_in_days  INTEGER,
  multi_region                     BOOLEAN NOT NULL,
  current_key_material_id          TEXT,
  custom_key_store_id              TEXT,
  valid_to                         BIGINT,
  expiration_model                 TEXT,
  policy                           TEXT    NOT NULL,
  rotation_period_in_days          INTEGER,
  next_rotation_at                 BIGINT,
  primary_region                   TEXT,
  transition_ends_at               BIGINT,
  state_after_transition           TEXT,
  UNIQUE (account, key_id, region)
);
INSERT INTO keys_v5 (seq, account, region, key_id, created_at, description, key_spec, key_usage, origin, key_manager, key_state, deletion_date, pending_deletion_window_in_days, multi_region, current_key_material_id, custom_key_store_id, valid_to, expiration_model, policy, rotation_period_in_days, next_rotation_at, primary_region, transition_ends_at, state_after_transition)
  SELECT seq, account, region, key_id, created_at, description, key_spec, key_usage, origin, key_manager, key_state, deletion_date, pending_deletion_window_in_days, multi_region, current_key_material_id, custom_key_store_id, valid_to, expiration_model, policy, rotation_period_in_days, next_rotation_at, primary_region, transition_ends_at, state_after_transition FROM keys;

CREATE TABLE key_materials_v5 (
  seq              INTEGER PRIMARY KEY AUTOINCREMENT,
  key_seq          INTEGER NOT NULL REFERENCES keys_v5 (seq) ON DELETE CASCADE,
  material_id      TEXT    NOT NULL,
  created_at       BIGINT  NOT NULL,
  rotation_type    TEXT,
  state            TEXT    NOT NULL,
  import_state     TEXT,
  description      TEXT,
  expiration_model TEXT,
  valid_to         BIGINT,
  wrapped          BLOB,
  public_key       BLOB,
  fingerprint      BLOB,
  UNIQUE (key_seq, material_id)
);
INSERT INTO key_materials_v5 (seq, key_seq, material_id, created_at, rotation_type, state, import_state, description,
    expiration_model, valid_to, wrapped, public_key, fingerprint)
  SELECT m.seq, k.seq, m.material_id, m.created_at, m.rotation_type, m.state, m.import_state, m.description,
    m.expiration_model, m.valid_to, m.wrapped, m.public_key, m.fingerprint
  FROM key_materials m JOIN keys k ON k.account = m.account AND k.region = m.region AND k.key_id = m.key_id;

CREATE TABLE tags_v5 (
  key_seq    INTEGER NOT NULL REFERENCES keys_v5 (seq) ON DELETE CASCADE,
  tag_key    TEXT    NOT NULL,
  tag_value  TEXT    NOT NULL,
  PRIMARY KEY (key_seq, tag_key)
) WITHOUT ROWID;
INSERT INTO tags_v5 (key_seq, tag_key, tag_value)
  SELECT k.seq, t.tag_key, t.tag_value
  FROM tags t JOIN keys k ON k.account = t.account AND k.region = t.region AND k.key_id = t.key_id;

CREATE TABLE key_usage_v5 (
  key_seq     INTEGER PRIMARY KEY REFERENCES keys_v5 (seq) ON DELETE CASCADE,
  operation   TEXT   NOT NULL,
  used_at     BIGINT NOT NULL,
  request_id  TEXT   NOT NULL
);
INSERT INTO key_usage_v5 (key_seq, operation, used_at, request_id)
  SELECT k.seq, u.operation, u.used_at, u.request_id
  FROM key_usage u JOIN keys k ON k.account = u.account AND k.region = u.region AND k.key_id = u.key_id;

DELETE FROM sqlite_sequence WHERE name IN ('keys_v5', 'key_materials_v5');
INSERT INTO sqlite_sequence (name, seq)
  SELECT name || '_v5', seq FROM sqlite_sequence WHERE name IN ('keys', 'key_materials');

DROP TABLE key_usage;
DROP TABLE tags;
DROP TABLE key_materials;
DROP TABLE keys;
ALTER TABLE keys_v5 RENAME TO keys;
ALTER TABLE key_materials_v5 RENAME TO key_materials;
ALTER TABLE tags_v5 RENAME TO tags;
ALTER TABLE key_usage_v5 RENAME TO key_usage;

CREATE INDEX keys_by_seq ON keys (account, region, seq);
CREATE INDEX keys_by_deletion ON keys (deletion_date) WHERE deletion_date IS NOT NULL;
CREATE INDEX keys_by_next_rotation ON keys (next_rotation_at) WHERE next_rotation_at IS NOT NULL;
CREATE INDEX keys_by_transition ON keys (transition_ends_at) WHERE transition_ends_at IS NOT NULL;
CREATE INDEX key_materials_by_valid_to ON key_materials (valid_to) WHERE valid_to IS NOT NULL;
`,
  },
];
