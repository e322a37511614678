// Every SQL statement of the SQLite store, prepared once per connection.
import type Database from 'better-sqlite3';
import { ALIAS_COLUMNS, GRANT_COLUMNS, KEY_COLUMNS, MATERIAL_COLUMNS, TAG_COLUMNS } from '../rows.ts';

const KEY = 'account = ? AND region = ? AND key_id = ?';
/** The seq of the key `KEY` names: what rows of materials, tags and usage are keyed by. */
const KEY_SEQ = `(SELECT seq FROM keys WHERE ${KEY})`;

export function prepare(db: Database.Database) {
  const p = (sql: string) => db.prepare(sql);
  const rows = (sql: string) => db.prepare(sql).raw();
  return {
    begin: p('BEGIN IMMEDIATE'),
    commit: p('COMMIT'),
    rollback: p('ROLLBACK'),
    // One transaction of a group-commit batch (group-commit.ts); transactions never nest, so one name serves.
    savepoint: p('SAVEPOINT tx'),
    release: p('RELEASE tx'),
    rollbackTo: p('ROLLBACK TO tx'),
    getKey: rows(`SELECT ${KEY_COLUMNS} FROM keys WHERE ${KEY}`),
    insertKey: p(
      `INSERT INTO keys (account, region, key_id, created_at, description, key_spec, key_usage, origin, ` +
        `key_manager, key_state, deletion_date, pending_deletion_window_in_days, multi_region, ` +
        `current_key_material_id, custom_key_store_id, valid_to, expiration_model, policy, ` +
        `rotation_period_in_days, next_rotation_at, primary_region, transition_ends_at, state_after_transition) ` +
        `VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateKey: p(
      `UPDATE keys SET description = ?, key_spec = ?, key_usage = ?, origin = ?, key_manager = ?, key_state = ?, ` +
        `deletion_date = ?, pending_deletion_window_in_days = ?, multi_region = ?, current_key_material_id = ?, ` +
        `custom_key_store_id = ?, valid_to = ?, expiration_model = ?, policy = ?, rotation_period_in_days = ?, ` +
        `next_rotation_at = ?, primary_region = ?, transition_ends_at = ?, state_after_transition = ? WHERE ${KEY}`,
    ),
    deleteKey: p(`DELETE FROM keys WHERE ${KEY}`),
    listKeys: rows(`SELECT ${KEY_COLUMNS} FROM keys WHERE account = ? AND region = ? AND seq > ? ORDER BY seq LIMIT ?`),
    listKeysIn: rows(
      `SELECT ${KEY_COLUMNS} FROM keys WHERE (? IS NULL OR account = ?) AND (? IS NULL OR region = ?) ORDER BY seq`,
    ),
    listKeysById: rows(`SELECT ${KEY_COLUMNS} FROM keys WHERE account = ? AND key_id = ? ORDER BY seq`),
    listInTransition: rows(
      `SELECT account, region, key_id FROM keys WHERE transition_ends_at <= ? ORDER BY transition_ends_at, seq`,
    ),
    listDue: rows(
      `SELECT account, region, key_id FROM keys ` +
        `WHERE key_state = 'PendingDeletion' AND deletion_date <= ? ORDER BY deletion_date, seq`,
    ),
    listDueForRotation: rows(
      `SELECT account, region, key_id FROM keys WHERE next_rotation_at <= ? ORDER BY next_rotation_at, seq`,
    ),
    listExpiredMaterial: rows(
      `SELECT DISTINCT k.account, k.region, k.key_id, k.seq FROM key_materials m JOIN keys k ON k.seq = m.key_seq ` +
        `WHERE m.valid_to <= ? AND m.wrapped IS NOT NULL ORDER BY k.seq`,
    ),
    listMaterials: rows(`SELECT ${MATERIAL_COLUMNS} FROM key_materials WHERE key_seq = ${KEY_SEQ} ORDER BY seq`),
    putMaterial: p(
      `INSERT INTO key_materials (key_seq, material_id, created_at, rotation_type, state, import_state, ` +
        `description, expiration_model, valid_to, wrapped, public_key, fingerprint) ` +
        `VALUES (${KEY_SEQ}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key_seq, material_id) ` +
        `DO UPDATE SET created_at = excluded.created_at, rotation_type = excluded.rotation_type, ` +
        `state = excluded.state, import_state = excluded.import_state, description = excluded.description, ` +
        `expiration_model = excluded.expiration_model, valid_to = excluded.valid_to, wrapped = excluded.wrapped, ` +
        `public_key = excluded.public_key, fingerprint = excluded.fingerprint`,
    ),
    deleteMaterial: p(`DELETE FROM key_materials WHERE key_seq = ${KEY_SEQ} AND material_id = ?`),
    // A key deleted meanwhile records nothing (no row of keys: nothing selected).
    putUsage: p(
      `INSERT INTO key_usage (key_seq, operation, used_at, request_id) SELECT seq, ?, ?, ? FROM keys WHERE ${KEY} ` +
        `ON CONFLICT (key_seq) DO UPDATE SET operation = excluded.operation, used_at = excluded.used_at, ` +
        `request_id = excluded.request_id WHERE excluded.used_at >= key_usage.used_at`,
    ),
    getUsage: rows(`SELECT operation, used_at, request_id FROM key_usage WHERE key_seq = ${KEY_SEQ}`),
    listTags: rows(`SELECT ${TAG_COLUMNS} FROM tags WHERE key_seq = ${KEY_SEQ} ORDER BY tag_key LIMIT ?`),
    allTags: rows(`SELECT ${TAG_COLUMNS} FROM tags WHERE key_seq = ${KEY_SEQ} ORDER BY tag_key`),
    listTagsAfter: rows(
      `SELECT ${TAG_COLUMNS} FROM tags WHERE key_seq = ${KEY_SEQ} AND tag_key > ? ORDER BY tag_key LIMIT ?`,
    ),
    countTags: p(`SELECT COUNT(*) FROM tags WHERE key_seq = ${KEY_SEQ}`).pluck(),
    putTag: p(
      `INSERT INTO tags (key_seq, tag_key, tag_value) VALUES (${KEY_SEQ}, ?, ?) ` +
        `ON CONFLICT (key_seq, tag_key) DO UPDATE SET tag_value = excluded.tag_value`,
    ),
    deleteTag: p(`DELETE FROM tags WHERE key_seq = ${KEY_SEQ} AND tag_key = ?`),
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
    insertGrant: p(
      `INSERT INTO grants (account, region, key_id, grant_id, name, created_at, grantee, retiring, issuing_account, ` +
        `operations, constraints) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    findGrant: rows(`SELECT ${GRANT_COLUMNS} FROM grants WHERE grant_id = ?`),
    listGrants: rows(`SELECT ${GRANT_COLUMNS} FROM grants WHERE ${KEY} AND seq > ? ORDER BY seq LIMIT ?`),
    listRetirableGrants: rows(
      `SELECT ${GRANT_COLUMNS} FROM grants WHERE region = ? AND retiring = ? AND seq > ? ` +
        `ORDER BY seq LIMIT ?`,
    ),
    countGrants: p(`SELECT COUNT(*) FROM grants WHERE ${KEY}`).pluck(),
    deleteGrant: p(`DELETE FROM grants WHERE ${KEY} AND grant_id = ?`),
    getMeta: p('SELECT value FROM meta WHERE name = ?').pluck(),
    setMeta: p('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
  };
}

export type Statements = ReturnType<typeof prepare>;
