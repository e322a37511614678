// PostgreSQL's numbered schema migrations. Version 1 is the shape SQLite reached with its migration 5, created
// directly: keys by seq (an identity that only grows), materials, tags and usage keyed by the key's seq, partial
// indexes for the sweeps. Never edit a migration that has shipped: append one (and its SQLite twin).

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

export const createMigrationsTable = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL,
  applied_at BIGINT  NOT NULL
)`;

// tag_key and alias_name are COLLATE "C": listings order by code point (UTF-8 bytes), as SQLite's BINARY does and
// as AWS pages them. Timestamps are epoch milliseconds (BIGINT), as in SQLite.
export const pgMigrations: readonly PgMigration[] = [
  {
    version: 1,
    name: 'keys, materials, tags, aliases, usage, grants, meta',
    sql: `
CREATE TABLE keys (
  seq                              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
CREATE INDEX keys_by_seq ON keys (account, region, seq);
CREATE INDEX keys_by_deletion ON keys (deletion_date) WHERE deletion_date IS NOT NULL;
CREATE INDEX keys_by_next_rotation ON keys (next_rotation_at) WHERE next_rotation_at IS NOT NULL;
CREATE INDEX keys_by_transition ON keys (transition_ends_at) WHERE transition_ends_at IS NOT NULL;

CREATE TABLE key_materials (
  seq              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key_seq          BIGINT  NOT NULL REFERENCES keys (seq) ON DELETE CASCADE,
  material_id      TEXT    NOT NULL,
  created_at       BIGINT  NOT NULL,
  rotation_type    TEXT,
  state            TEXT    NOT NULL,
  import_state     TEXT,
  description      TEXT,
  expiration_model TEXT,
  valid_to         BIGINT,
  wrapped          BYTEA,
  public_key       BYTEA,
  fingerprint      BYTEA,
  UNIQUE (key_seq, material_id)
);
CREATE INDEX key_materials_by_valid_to ON key_materials (valid_to) WHERE valid_to IS NOT NULL;

CREATE TABLE tags (
  key_seq    BIGINT NOT NULL REFERENCES keys (seq) ON DELETE CASCADE,
  tag_key    TEXT   COLLATE "C" NOT NULL,
  tag_value  TEXT   NOT NULL,
  PRIMARY KEY (key_seq, tag_key)
);

CREATE TABLE key_usage (
  key_seq     BIGINT PRIMARY KEY REFERENCES keys (seq) ON DELETE CASCADE,
  operation   TEXT   NOT NULL,
  used_at     BIGINT NOT NULL,
  request_id  TEXT   NOT NULL
);

CREATE TABLE aliases (
  account        TEXT   NOT NULL,
  region         TEXT   NOT NULL,
  alias_name     TEXT   COLLATE "C" NOT NULL,
  target_key_id  TEXT   NOT NULL,
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  PRIMARY KEY (account, region, alias_name),
  FOREIGN KEY (account, target_key_id, region) REFERENCES keys (account, key_id, region) ON DELETE CASCADE
);
CREATE INDEX aliases_by_target ON aliases (account, region, target_key_id, alias_name);

CREATE TABLE grants (
  seq              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
  FOREIGN KEY (account, key_id, region) REFERENCES keys (account, key_id, region) ON DELETE CASCADE
);
CREATE INDEX grants_by_key ON grants (account, region, key_id, seq);
CREATE INDEX grants_by_retiring ON grants (region, retiring, seq);

CREATE TABLE meta (
  name   TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
`,
  },
];
