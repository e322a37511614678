// The narrow, transaction-scoped storage interface and the records it holds.
// No rules and no cryptography live behind it: handlers decide, the store keeps.
// Times are epoch milliseconds. Every record belongs to one account and one Region.

/** Identifies one key: key IDs repeat across Regions for multi-Region replicas. */
export interface KeyRef {
  account: string;
  region: string;
  keyId: string;
}

export type KeyState =
  | 'Creating'
  | 'Enabled'
  | 'Disabled'
  | 'PendingDeletion'
  | 'PendingImport'
  | 'PendingReplicaDeletion'
  | 'Unavailable'
  | 'Updating';

export interface KeyRecord extends KeyRef {
  /** Monotonic insertion order within the store; assigned by the store, used for stable listing. */
  seq?: number;
  createdAt: number;
  description: string;
  keySpec: string;
  keyUsage: string;
  origin: string;
  keyManager: 'CUSTOMER' | 'AWS';
  keyState: KeyState;
  /** Set while PendingDeletion: when the key is really deleted. */
  deletionDate?: number;
  /** Set while PendingReplicaDeletion (multi-Region primaries). */
  pendingDeletionWindowInDays?: number;
  multiRegion: boolean;
  /** 64 hex chars; absent for keys without material yet (EXTERNAL before import) and non-symmetric keys. */
  currentKeyMaterialId?: string;
  customKeyStoreId?: string;
  validTo?: number;
  expirationModel?: string;
  /** The key policy document, byte for byte as stored. */
  policy: string;
  /** Set while automatic rotation is enabled: its period and when it next falls due. */
  rotationPeriodInDays?: number;
  nextRotationAt?: number;
  /** Multi-Region keys: the Region of the set's primary key (this key is the primary when it is `region`). */
  primaryRegion?: string;
  /**
   * While Creating (ReplicateKey) or Updating (UpdatePrimaryRegion): when the transition ends and the state
   * the key takes then. Readers apply a due transition at once (keys/transitions.ts); the sweeper stores it.
   */
  transitionEndsAt?: number;
  stateAfterTransition?: KeyState;
}

export type KeyMaterialState = 'CURRENT' | 'NON_CURRENT' | 'PENDING_ROTATION';

/**
 * One version of a key's material (Vault's key ring). Symmetric keys gain one per rotation; other keys
 * hold exactly one. `materialId` is the 64-hex KeyMaterialId AWS shows and ciphertexts name.
 */
export interface KeyMaterialRecord extends KeyRef {
  materialId: string;
  /** Monotonic insertion order, assigned by the store: the order of ListKeyRotations. */
  seq?: number;
  /** When this material was created or first imported (ListKeyRotations' RotationDate). */
  createdAt: number;
  /** How it became current; absent for a key's first material. */
  rotationType?: 'AUTOMATIC' | 'ON_DEMAND';
  state: KeyMaterialState;
  /** Imported material only. */
  importState?: 'IMPORTED' | 'PENDING_IMPORT';
  description?: string;
  expirationModel?: string;
  validTo?: number;
  /** The material sealed by the root key; absent while imported material is deleted or expired. */
  wrapped?: Uint8Array;
  /** SubjectPublicKeyInfo (DER) of asymmetric keys. */
  publicKey?: Uint8Array;
  /** Keyed digest of imported material, so that a re-import can be checked to be the same material. */
  fingerprint?: Uint8Array;
}

/** The last successful cryptographic use of a key (GetKeyLastUsage). */
export interface KeyUsageRecord extends KeyRef {
  operation: string;
  usedAt: number;
  requestId: string;
}

export interface TagRecord {
  tagKey: string;
  tagValue: string;
}

export interface AliasRecord {
  account: string;
  region: string;
  /** Full alias name including the `alias/` prefix. */
  aliasName: string;
  targetKeyId: string;
  createdAt: number;
  updatedAt: number;
}

/** A grant's encryption-context constraint (CreateGrant Constraints); at most one of the two is set. */
export interface GrantConstraints {
  encryptionContextEquals?: Record<string, string>;
  encryptionContextSubset?: Record<string, string>;
}

/** One grant on one key (CreateGrant). */
export interface GrantRecord extends KeyRef {
  /** 64 hex characters, unique across the store. */
  grantId: string;
  /** Monotonic insertion order, assigned by the store: the order of ListGrants. */
  seq?: number;
  name?: string;
  createdAt: number;
  granteePrincipal: string;
  retiringPrincipal?: string;
  /** `arn:aws:iam::<account>:root` of the account that created the grant. */
  issuingAccount: string;
  /** GrantOperation names, e.g. `Encrypt`, in the order given. */
  operations: string[];
  constraints?: GrantConstraints;
}

/** Everything a handler may read or write, valid only inside one transaction. */
export interface Tx {
  getKey(ref: KeyRef): Promise<KeyRecord | undefined>;
  insertKey(key: KeyRecord): Promise<void>;
  /** Replaces every mutable field of an existing key. */
  updateKey(key: KeyRecord): Promise<void>;
  /** Removes the key together with its tags, aliases, materials, usage and grants. */
  deleteKey(ref: KeyRef): Promise<void>;
  /** Keys of one account and Region in insertion order, starting after `afterSeq`. */
  listKeys(account: string, region: string, afterSeq: number | undefined, limit: number): Promise<KeyRecord[]>;
  /**
   * Every key of one account and/or one Region (all keys when both are absent), in insertion order: what a reset
   * deletes and an export writes.
   */
  listKeysIn(scope: { account?: string; region?: string }): Promise<KeyRecord[]>;
  /** The keys with this ID in every Region of the account (a multi-Region key's primary and replicas), by seq. */
  listKeysById(account: string, keyId: string): Promise<KeyRecord[]>;
  /** Keys in any account and Region whose Creating or Updating transition ends at or before `now`. */
  listKeysInTransition(now: number): Promise<KeyRef[]>;
  /** Keys in any account and Region whose PendingDeletion waiting period ended at or before `now`. */
  listKeysDueForDeletion(now: number): Promise<KeyRef[]>;

  /** Tags of a key ordered by tag key (code-point order: UTF-8 bytes), starting after `afterTagKey`. */
  listTags(ref: KeyRef, afterTagKey: string | undefined, limit: number): Promise<TagRecord[]>;
  /**
   * Every tag of a key, answered at once by a store that reads synchronously (SQLite); absent elsewhere.
   * Authorization reads a key's tags on each request an ABAC policy decides: this spares it an await.
   */
  tagsNow?(ref: KeyRef): readonly TagRecord[];
  countTags(ref: KeyRef): Promise<number>;
  /** Inserts or replaces each tag by its key. */
  putTags(ref: KeyRef, tags: readonly TagRecord[]): Promise<void>;
  deleteTags(ref: KeyRef, tagKeys: readonly string[]): Promise<void>;

  getAlias(account: string, region: string, aliasName: string): Promise<AliasRecord | undefined>;
  insertAlias(alias: AliasRecord): Promise<void>;
  updateAlias(alias: AliasRecord): Promise<void>;
  deleteAlias(account: string, region: string, aliasName: string): Promise<void>;
  /** Aliases of one account and Region ordered by name, optionally of one key, starting after `afterName`. */
  listAliases(
    account: string,
    region: string,
    targetKeyId: string | undefined,
    afterName: string | undefined,
    limit: number,
  ): Promise<AliasRecord[]>;
  countAliasesForKey(ref: KeyRef): Promise<number>;

  /** A key's materials in insertion order. */
  listMaterials(ref: KeyRef): Promise<KeyMaterialRecord[]>;
  getMaterial(ref: KeyRef, materialId: string): Promise<KeyMaterialRecord | undefined>;
  /** Inserts the material, or replaces every field of the one with the same key and materialId. */
  putMaterial(material: KeyMaterialRecord): Promise<void>;
  /** Removes one material record entirely (imported material that never became current). */
  deleteMaterial(ref: KeyRef, materialId: string): Promise<void>;
  /** Keys in any account and Region whose automatic rotation is due at or before `now`. */
  listKeysDueForRotation(now: number): Promise<KeyRef[]>;
  /** Keys in any account and Region whose imported material expires at or before `now` (validTo). */
  listKeysWithExpiredMaterial(now: number): Promise<KeyRef[]>;

  /** Records each key's latest use (newer entries replace older ones). */
  putKeyUsage(usage: readonly KeyUsageRecord[]): Promise<void>;
  getKeyUsage(ref: KeyRef): Promise<KeyUsageRecord | undefined>;

  insertGrant(grant: GrantRecord): Promise<void>;
  getGrant(ref: KeyRef, grantId: string): Promise<GrantRecord | undefined>;
  /** The grant with this ID on any key (RetireGrant by grant token). */
  findGrant(grantId: string): Promise<GrantRecord | undefined>;
  /** A key's grants in insertion order, starting after `afterSeq` (authorization reads them all). */
  listGrants(ref: KeyRef, afterSeq: number | undefined, limit: number): Promise<GrantRecord[]>;
  /** Grants of keys in one Region, in any account, whose RetiringPrincipal is `retiringPrincipal`, in insertion order. */
  listRetirableGrants(region: string, retiringPrincipal: string, afterSeq: number | undefined, limit: number): Promise<GrantRecord[]>;
  countGrants(ref: KeyRef): Promise<number>;
  deleteGrant(ref: KeyRef, grantId: string): Promise<void>;

  /** Small server-wide values (e.g. the marker-signing secret). */
  getMeta(name: string): Promise<string | undefined>;
  setMeta(name: string, value: string): Promise<void>;
}

/**
 * A store cannot be opened as asked: in use, from a newer Trent, unreachable, or not there. The message says which
 * (and never a database password).
 */
export class StoreOpenError extends Error {}

export interface Store {
  /**
   * Runs `fn` in one serializable transaction: committed if it resolves, rolled back if it throws.
   * Transactions never interleave, within a process or across processes sharing the database,
   * so rules such as the 50-tag limit hold under concurrency. `fn` must not await unrelated I/O.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
