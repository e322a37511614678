// Numbered schema migrations, applied in order, each in its own transaction, recorded in schema_migrations.
// Plain SQL meant to be shared with PostgreSQL; the dialect differences are noted where they occur.
// Never edit a migration that has shipped: append a new one.

export interface Migration {
  version: number;
  name: string;
  sql: string;
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
];
