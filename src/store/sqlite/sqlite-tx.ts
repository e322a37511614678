// One store transaction's view (the Tx of store.ts): a savepoint of the batch's SQLite transaction, opened by its
// first statement (group-commit.ts). Reads before the transaction's first write may fill the read cache; writes
// drop the entries they touch.
import type {
  AliasRecord,
  GrantRecord,
  KeyMaterialRecord,
  KeyRecord,
  KeyRef,
  KeyUsageRecord,
  TagRecord,
  Tx,
} from '../store.ts';
import type { CachedPart, ReadCache } from './read-cache.ts';
import {
  constraintsText,
  toAlias,
  toGrant,
  toKey,
  toMaterial,
  toTags,
  type AliasRow,
  type GrantRow,
  type KeyRow,
  type MaterialRow,
  type TagRow,
} from '../rows.ts';
import type { Statements } from './statements.ts';

/** Keys with more grants than this are listed from SQL each time instead of being cached whole. */
const CACHED_GRANTS_MAX = 1000;

/** One transaction's view; every call runs synchronously and returns an already-settled promise. */
export class SqliteTx implements Tx {
  live = true;
  /** Set by the first write: from then on reads may see uncommitted data and must not fill the cache. */
  private wrote = false;
  private readonly s: Statements;
  private readonly cache: ReadCache | undefined;

  /** Opens this transaction's savepoint (and the batch's SQLite transaction); undefined once done. */
  private enter: (() => void) | undefined;
  /**
   * Whether reads need the transaction too. A connection that owns its file (exclusive locking) reads without
   * one: no one else writes, and transactions run one at a time; only a write needs a savepoint to roll back.
   */
  private readonly readsEnter: boolean;

  constructor(s: Statements, cache: ReadCache | undefined, enter: () => void, readsEnter: boolean) {
    this.s = s;
    this.cache = cache;
    this.enter = enter;
    this.readsEnter = readsEnter;
  }

  private checkLive(): void {
    if (!this.live) throw new Error('Tx used after its transaction ended');
  }

  /** The statements, for a read. */
  private use(): Statements {
    this.checkLive();
    if (this.readsEnter) this.entered();
    return this.s;
  }

  private entered(): void {
    if (this.enter !== undefined) {
      this.enter();
      this.enter = undefined;
    }
  }

  /**
   * The statements, for a write: enters the transaction, and drops what the cache holds for `ref` (only `part`
   * when given: what the write changes).
   */
  private write(ref?: KeyRef, part?: CachedPart): Statements {
    this.checkLive();
    this.entered();
    const s = this.s;
    this.wrote = true;
    if (ref !== undefined) this.cache?.drop(ref, part);
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
      k.policy, k.rotationPeriodInDays ?? null, k.nextRotationAt ?? null, k.primaryRegion ?? null,
      k.transitionEndsAt ?? null, k.stateAfterTransition ?? null,
    );
  }

  async updateKey(k: KeyRecord): Promise<void> {
    const { changes } = this.write(k, 'key').updateKey.run(
      k.description, k.keySpec, k.keyUsage, k.origin, k.keyManager, k.keyState, k.deletionDate ?? null,
      k.pendingDeletionWindowInDays ?? null, k.multiRegion ? 1 : 0, k.currentKeyMaterialId ?? null,
      k.customKeyStoreId ?? null, k.validTo ?? null, k.expirationModel ?? null, k.policy,
      k.rotationPeriodInDays ?? null, k.nextRotationAt ?? null, k.primaryRegion ?? null, k.transitionEndsAt ?? null,
      k.stateAfterTransition ?? null, k.account, k.region, k.keyId,
    );
    if (changes === 0) throw new Error('updateKey: no such key');
  }

  async deleteKey(ref: KeyRef): Promise<void> {
    // Tags, aliases, materials, usage and grants follow through ON DELETE CASCADE.
    this.write(ref).deleteKey.run(ref.account, ref.region, ref.keyId);
  }

  async listKeys(account: string, region: string, afterSeq: number | undefined, limit: number): Promise<KeyRecord[]> {
    const rows = this.use().listKeys.all(account, region, afterSeq ?? 0, limit) as KeyRow[];
    return rows.map(toKey);
  }

  async listKeysIn(scope: { account?: string; region?: string }): Promise<KeyRecord[]> {
    const account = scope.account ?? null;
    const region = scope.region ?? null;
    return (this.use().listKeysIn.all(account, account, region, region) as KeyRow[]).map(toKey);
  }

  async listKeysById(account: string, keyId: string): Promise<KeyRecord[]> {
    return (this.use().listKeysById.all(account, keyId) as KeyRow[]).map(toKey);
  }

  async listKeysInTransition(now: number): Promise<KeyRef[]> {
    const rows = this.use().listInTransition.all(now) as [string, string, string][];
    return rows.map((r) => ({ account: r[0], region: r[1], keyId: r[2] }));
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
    const materials = rows.map((r) => toMaterial(ref, r));
    if (!this.wrote) this.cache?.setMaterials(ref, materials);
    return materials;
  }

  async putMaterial(m: KeyMaterialRecord): Promise<void> {
    this.write(m, 'materials').putMaterial.run(
      m.account, m.region, m.keyId, m.materialId, m.createdAt, m.rotationType ?? null, m.state,
      m.importState ?? null, m.description ?? null, m.expirationModel ?? null, m.validTo ?? null,
      m.wrapped ?? null, m.publicKey ?? null, m.fingerprint ?? null,
    );
  }

  async deleteMaterial(ref: KeyRef, materialId: string): Promise<void> {
    this.write(ref, 'materials').deleteMaterial.run(ref.account, ref.region, ref.keyId, materialId);
  }

  async putKeyUsage(usage: readonly KeyUsageRecord[]): Promise<void> {
    // Usage rows do not feed the read cache, so these writes drop nothing from it.
    const st = this.write().putUsage;
    for (const u of usage) {
      st.run(u.operation, u.usedAt, u.requestId, u.account, u.region, u.keyId);
    }
  }

  async getKeyUsage(ref: KeyRef): Promise<KeyUsageRecord | undefined> {
    const row = this.use().getUsage.get(ref.account, ref.region, ref.keyId) as [string, number, string] | undefined;
    return row === undefined ? undefined : { ...ref, operation: row[0], usedAt: row[1], requestId: row[2] };
  }

  async listTags(ref: KeyRef, afterTagKey: string | undefined, limit: number): Promise<TagRecord[]> {
    this.checkLive();
    const all = this.cache && this.allTags(ref);
    if (all !== undefined) {
      // Resume after the marker's tag; if that tag is gone, only SQL's byte order knows where to resume.
      const start = afterTagKey === undefined ? 0 : all.findIndex((t) => t.tagKey === afterTagKey) + 1;
      if (start > 0 || afterTagKey === undefined) return all.slice(start, start + limit);
    }
    const s = this.use();
    return toTags(
      (afterTagKey === undefined
        ? s.listTags.all(ref.account, ref.region, ref.keyId, limit)
        : s.listTagsAfter.all(ref.account, ref.region, ref.keyId, afterTagKey, limit)) as TagRow[],
    );
  }

  tagsNow(ref: KeyRef): readonly TagRecord[] {
    this.checkLive();
    return this.allTags(ref);
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
    const st = this.write(ref, 'tags').putTag;
    for (const t of tags) st.run(ref.account, ref.region, ref.keyId, t.tagKey, t.tagValue);
  }

  async deleteTags(ref: KeyRef, tagKeys: readonly string[]): Promise<void> {
    const st = this.write(ref, 'tags').deleteTag;
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

  async insertGrant(g: GrantRecord): Promise<void> {
    this.write(g, 'grants').insertGrant.run(
      g.account, g.region, g.keyId, g.grantId, g.name ?? null, g.createdAt, g.granteePrincipal,
      g.retiringPrincipal ?? null, g.issuingAccount, JSON.stringify(g.operations), constraintsText(g.constraints),
    );
  }

  async getGrant(ref: KeyRef, grantId: string): Promise<GrantRecord | undefined> {
    const all = this.allGrants(ref);
    if (all !== undefined) return all.find((g) => g.grantId === grantId);
    const g = await this.findGrant(grantId);
    return g !== undefined && g.account === ref.account && g.region === ref.region && g.keyId === ref.keyId ? g : undefined;
  }

  async findGrant(grantId: string): Promise<GrantRecord | undefined> {
    const row = this.use().findGrant.get(grantId) as GrantRow | undefined;
    return row === undefined ? undefined : toGrant(row);
  }

  async listGrants(ref: KeyRef, afterSeq: number | undefined, limit: number): Promise<GrantRecord[]> {
    const all = this.allGrants(ref);
    if (all !== undefined) {
      const start = afterSeq === undefined ? 0 : all.findIndex((g) => g.seq! > afterSeq);
      return start < 0 ? [] : all.slice(start, start + limit);
    }
    const rows = this.use().listGrants.all(ref.account, ref.region, ref.keyId, afterSeq ?? 0, limit) as GrantRow[];
    return rows.map(toGrant);
  }

  /** Every grant of a key from the cache, or read into it; undefined when uncached and not cacheable. */
  private allGrants(ref: KeyRef): readonly GrantRecord[] | undefined {
    if (this.cache === undefined) return undefined;
    const cached = this.cache.get(ref)?.grants;
    if (cached !== undefined) return cached ?? undefined;
    if (this.wrote) return undefined;
    const rows = this.use().listGrants.all(ref.account, ref.region, ref.keyId, 0, CACHED_GRANTS_MAX + 1) as GrantRow[];
    if (rows.length > CACHED_GRANTS_MAX) {
      this.cache.setGrants(ref, null);
      return undefined;
    }
    const grants = rows.map(toGrant);
    this.cache.setGrants(ref, grants);
    return grants;
  }

  async listRetirableGrants(
    region: string,
    retiringPrincipal: string,
    afterSeq: number | undefined,
    limit: number,
  ): Promise<GrantRecord[]> {
    const rows = this.use().listRetirableGrants.all(region, retiringPrincipal, afterSeq ?? 0, limit) as GrantRow[];
    return rows.map(toGrant);
  }

  async countGrants(ref: KeyRef): Promise<number> {
    const all = this.allGrants(ref);
    if (all !== undefined) return all.length;
    return this.use().countGrants.get(ref.account, ref.region, ref.keyId) as number;
  }

  async deleteGrant(ref: KeyRef, grantId: string): Promise<void> {
    this.write(ref, 'grants').deleteGrant.run(ref.account, ref.region, ref.keyId, grantId);
  }

  async getMeta(name: string): Promise<string | undefined> {
    return this.use().getMeta.get(name) as string | undefined;
  }

  async setMeta(name: string, value: string): Promise<void> {
    this.write().setMeta.run(name, value);
  }
}
