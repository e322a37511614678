// Every SQL statement of the PostgreSQL store ($n parameters; each runs as a named prepared statement per
// connection). Parameters whose type the query alone does not decide carry a cast.
import { ALIAS_COLUMNS, GRANT_COLUMNS, KEY_COLUMNS, MATERIAL_COLUMNS, TAG_COLUMNS } from '../rows.ts';

const KEY = 'account = $1 AND region = $2 AND key_id = $3';
/** The seq of the key `KEY` names: what rows of materials, tags and usage are keyed by. */
const KEY_SEQ = `(SELECT seq FROM keys WHERE ${KEY})`;

export const SQL = {
  getKey: `SELECT ${KEY_COLUMNS} FROM keys WHERE ${KEY}`,
  insertKey:
    `INSERT INTO keys (account, region, key_id, created_at, description, key_spec, key_usage, origin, ` +
    `key_manager, key_state, deletion_date, pending_deletion_window_in_days, multi_region, ` +
    `current_key_material_id, custom_key_store_id, valid_to, expiration_model, policy, ` +
    `rotation_period_in_days, next_rotation_at, primary_region, transition_ends_at, state_after_transition) ` +
    `VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
  updateKey:
    `UPDATE keys SET description = $4, key_spec = $5, key_usage = $6, origin = $7, key_manager = $8, key_state = $9, ` +
    `deletion_date = $10, pending_deletion_window_in_days = $11, multi_region = $12, current_key_material_id = $13, ` +
    `custom_key_store_id = $14, valid_to = $15, expiration_model = $16, policy = $17, rotation_period_in_days = $18, ` +
    `next_rotation_at = $19, primary_region = $20, transition_ends_at = $21, state_after_transition = $22 WHERE ${KEY}`,
  deleteKey: `DELETE FROM keys WHERE ${KEY}`,
  listKeys: `SELECT ${KEY_COLUMNS} FROM keys WHERE account = $1 AND region = $2 AND seq > $3 ORDER BY seq LIMIT $4`,
  listKeysIn:
    `SELECT ${KEY_COLUMNS} FROM keys WHERE ($1::text IS NULL OR account = $1::text) ` +
    `AND ($2::text IS NULL OR region = $2::text) ORDER BY seq`,
  listKeysById: `SELECT ${KEY_COLUMNS} FROM keys WHERE account = $1 AND key_id = $2 ORDER BY seq`,
  listInTransition:
    `SELECT account, region, key_id FROM keys WHERE transition_ends_at <= $1 ORDER BY transition_ends_at, seq`,
  listDue:
    `SELECT account, region, key_id FROM keys ` +
    `WHERE key_state = 'PendingDeletion' AND deletion_date <= $1 ORDER BY deletion_date, seq`,
  listDueForRotation:
    `SELECT account, region, key_id FROM keys WHERE next_rotation_at <= $1 ORDER BY next_rotation_at, seq`,
  listExpiredMaterial:
    `SELECT k.account, k.region, k.key_id FROM keys k WHERE EXISTS (SELECT 1 FROM key_materials m ` +
    `WHERE m.key_seq = k.seq AND m.valid_to <= $1 AND m.wrapped IS NOT NULL) ORDER BY k.seq`,
  listMaterials: `SELECT ${MATERIAL_COLUMNS} FROM key_materials WHERE key_seq = ${KEY_SEQ} ORDER BY seq`,
  putMaterial:
    `INSERT INTO key_materials (key_seq, material_id, created_at, rotation_type, state, import_state, ` +
    `description, expiration_model, valid_to, wrapped, public_key, fingerprint) ` +
    `VALUES (${KEY_SEQ}, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (key_seq, material_id) ` +
    `DO UPDATE SET created_at = excluded.created_at, rotation_type = excluded.rotation_type, ` +
    `state = excluded.state, import_state = excluded.import_state, description = excluded.description, ` +
    `expiration_model = excluded.expiration_model, valid_to = excluded.valid_to, wrapped = excluded.wrapped, ` +
    `public_key = excluded.public_key, fingerprint = excluded.fingerprint`,
  deleteMaterial: `DELETE FROM key_materials WHERE key_seq = ${KEY_SEQ} AND material_id = $4`,
  // A key deleted meanwhile records nothing (no row of keys: nothing selected).
  putUsage:
    `INSERT INTO key_usage (key_seq, operation, used_at, request_id) ` +
    `SELECT seq, $4::text, $5::bigint, $6::text FROM keys WHERE ${KEY} ` +
    `ON CONFLICT (key_seq) DO UPDATE SET operation = excluded.operation, used_at = excluded.used_at, ` +
    `request_id = excluded.request_id WHERE excluded.used_at >= key_usage.used_at`,
  getUsage: `SELECT operation, used_at, request_id FROM key_usage WHERE key_seq = ${KEY_SEQ}`,
  allTags: `SELECT ${TAG_COLUMNS} FROM tags WHERE key_seq = ${KEY_SEQ} ORDER BY tag_key`,
  listTags: `SELECT ${TAG_COLUMNS} FROM tags WHERE key_seq = ${KEY_SEQ} ORDER BY tag_key LIMIT $4`,
  listTagsAfter: `SELECT ${TAG_COLUMNS} FROM tags WHERE key_seq = ${KEY_SEQ} AND tag_key > $4 ORDER BY tag_key LIMIT $5`,
  countTags: `SELECT COUNT(*) FROM tags WHERE key_seq = ${KEY_SEQ}`,
  putTag:
    `INSERT INTO tags (key_seq, tag_key, tag_value) VALUES (${KEY_SEQ}, $4, $5) ` +
    `ON CONFLICT (key_seq, tag_key) DO UPDATE SET tag_value = excluded.tag_value`,
  deleteTag: `DELETE FROM tags WHERE key_seq = ${KEY_SEQ} AND tag_key = $4`,
  getAlias: `SELECT ${ALIAS_COLUMNS} FROM aliases WHERE account = $1 AND region = $2 AND alias_name = $3`,
  insertAlias:
    `INSERT INTO aliases (account, region, alias_name, target_key_id, created_at, updated_at) ` +
    `VALUES ($1, $2, $3, $4, $5, $6)`,
  updateAlias:
    `UPDATE aliases SET target_key_id = $1, updated_at = $2 WHERE account = $3 AND region = $4 AND alias_name = $5`,
  deleteAlias: `DELETE FROM aliases WHERE account = $1 AND region = $2 AND alias_name = $3`,
  listAliases: `SELECT ${ALIAS_COLUMNS} FROM aliases WHERE account = $1 AND region = $2 ORDER BY alias_name LIMIT $3`,
  listAliasesAfter:
    `SELECT ${ALIAS_COLUMNS} FROM aliases WHERE account = $1 AND region = $2 AND alias_name > $3 ` +
    `ORDER BY alias_name LIMIT $4`,
  listAliasesOf:
    `SELECT ${ALIAS_COLUMNS} FROM aliases WHERE account = $1 AND region = $2 AND target_key_id = $3 ` +
    `ORDER BY alias_name LIMIT $4`,
  listAliasesOfAfter:
    `SELECT ${ALIAS_COLUMNS} FROM aliases WHERE account = $1 AND region = $2 AND target_key_id = $3 ` +
    `AND alias_name > $4 ORDER BY alias_name LIMIT $5`,
  countAliases: `SELECT COUNT(*) FROM aliases WHERE account = $1 AND region = $2 AND target_key_id = $3`,
  insertGrant:
    `INSERT INTO grants (account, region, key_id, grant_id, name, created_at, grantee, retiring, issuing_account, ` +
    `operations, constraints) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
  findGrant: `SELECT ${GRANT_COLUMNS} FROM grants WHERE grant_id = $1`,
  listGrants: `SELECT ${GRANT_COLUMNS} FROM grants WHERE ${KEY} AND seq > $4 ORDER BY seq LIMIT $5`,
  listRetirableGrants:
    `SELECT ${GRANT_COLUMNS} FROM grants WHERE region = $1 AND retiring = $2 AND seq > $3 ORDER BY seq LIMIT $4`,
  countGrants: `SELECT COUNT(*) FROM grants WHERE ${KEY}`,
  deleteGrant: `DELETE FROM grants WHERE ${KEY} AND grant_id = $4`,
  getMeta: 'SELECT value FROM meta WHERE name = $1',
  setMeta: 'INSERT INTO meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
} as const;
