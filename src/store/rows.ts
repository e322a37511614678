// Database rows ↔ store records, for every store: rows are read as arrays (about twice as fast as row objects in
// better-sqlite3's raw mode) in the column order below, and NULL stands for an absent optional field.
import type {
  AliasRecord,
  GrantConstraints,
  GrantRecord,
  KeyMaterialRecord,
  KeyMaterialState,
  KeyRecord,
  KeyRef,
  KeyState,
  TagRecord,
} from './store.ts';

/** A keys row as an array (raw mode: about twice as fast as row objects); order of KEY_COLUMNS. */
export type KeyRow = [
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
  /** 0/1 in SQLite, a boolean in PostgreSQL. */
  multiRegion: number | boolean,
  currentKeyMaterialId: string | null,
  customKeyStoreId: string | null,
  validTo: number | null,
  expirationModel: string | null,
  policy: string,
  rotationPeriodInDays: number | null,
  nextRotationAt: number | null,
  primaryRegion: string | null,
  transitionEndsAt: number | null,
  stateAfterTransition: string | null,
];
/** A key_materials row; the key it belongs to is the one asked for (rows are keyed by the key's seq). */
export type MaterialRow = [
  seq: number,
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
export type TagRow = [tagKey: string, tagValue: string];
export type AliasRow = [
  account: string,
  region: string,
  aliasName: string,
  targetKeyId: string,
  createdAt: number,
  updatedAt: number,
];

/** A grants row; operations and constraints are JSON texts. */
export type GrantRow = [
  seq: number,
  account: string,
  region: string,
  keyId: string,
  grantId: string,
  name: string | null,
  createdAt: number,
  grantee: string,
  retiring: string | null,
  issuingAccount: string,
  operations: string,
  constraints: string | null,
];

export const KEY_COLUMNS =
  'seq, account, region, key_id, created_at, description, key_spec, key_usage, origin, key_manager, key_state, ' +
  'deletion_date, pending_deletion_window_in_days, multi_region, current_key_material_id, custom_key_store_id, ' +
  'valid_to, expiration_model, policy, rotation_period_in_days, next_rotation_at, primary_region, transition_ends_at, ' +
  'state_after_transition';
export const MATERIAL_COLUMNS =
  'seq, material_id, created_at, rotation_type, state, import_state, description, expiration_model, valid_to, ' +
  'wrapped, public_key, fingerprint';
export const GRANT_COLUMNS =
  'seq, account, region, key_id, grant_id, name, created_at, grantee, retiring, issuing_account, operations, constraints';
export const TAG_COLUMNS = 'tag_key, tag_value';
export const ALIAS_COLUMNS = 'account, region, alias_name, target_key_id, created_at, updated_at';

export function toKey(r: KeyRow): KeyRecord {
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
    multiRegion: r[13] === true || r[13] === 1,
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
  if (r[21] !== null) k.primaryRegion = r[21];
  if (r[22] !== null) k.transitionEndsAt = r[22];
  if (r[23] !== null) k.stateAfterTransition = r[23] as KeyState;
  return k;
}

export function toMaterial(ref: KeyRef, r: MaterialRow): KeyMaterialRecord {
  const m: KeyMaterialRecord = {
    account: ref.account,
    region: ref.region,
    keyId: ref.keyId,
    materialId: r[1],
    seq: r[0],
    createdAt: r[2],
    state: r[4] as KeyMaterialState,
  };
  if (r[3] !== null) m.rotationType = r[3] as KeyMaterialRecord['rotationType'];
  if (r[5] !== null) m.importState = r[5] as KeyMaterialRecord['importState'];
  if (r[6] !== null) m.description = r[6];
  if (r[7] !== null) m.expirationModel = r[7];
  if (r[8] !== null) m.validTo = r[8];
  if (r[9] !== null) m.wrapped = r[9];
  if (r[10] !== null) m.publicKey = r[10];
  if (r[11] !== null) m.fingerprint = r[11];
  return m;
}

export function toTags(rows: TagRow[]): TagRecord[] {
  const out = new Array<TagRecord>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    out[i] = { tagKey: r[0], tagValue: r[1] };
  }
  return out;
}

export function toAlias(r: AliasRow): AliasRecord {
  return { account: r[0], region: r[1], aliasName: r[2], targetKeyId: r[3], createdAt: r[4], updatedAt: r[5] };
}

export function toGrant(r: GrantRow): GrantRecord {
  const g: GrantRecord = {
    account: r[1],
    region: r[2],
    keyId: r[3],
    grantId: r[4],
    seq: r[0],
    createdAt: r[6],
    granteePrincipal: r[7],
    issuingAccount: r[9],
    operations: JSON.parse(r[10]) as string[],
  };
  if (r[5] !== null) g.name = r[5];
  if (r[8] !== null) g.retiringPrincipal = r[8];
  if (r[11] !== null) g.constraints = JSON.parse(r[11]) as GrantConstraints;
  return g;
}

/** The constraints column: NULL when the grant has none. */
export function constraintsText(c: GrantConstraints | undefined): string | null {
  if (c === undefined) return null;
  const out: GrantConstraints = {};
  if (c.encryptionContextEquals !== undefined) out.encryptionContextEquals = c.encryptionContextEquals;
  if (c.encryptionContextSubset !== undefined) out.encryptionContextSubset = c.encryptionContextSubset;
  return JSON.stringify(out);
}
