// One store transaction on PostgreSQL (the Tx of store.ts): every call is a statement of one SERIALIZABLE
// transaction on one pooled connection. Nothing is cached: another node may write between any two requests.
import type { TransactionSql } from 'postgres';
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
import { SQL } from './statements.ts';

type Param = string | number | boolean | Buffer | Uint8Array | null;

const refRow = (r: [string, string, string]): KeyRef => ({ account: r[0], region: r[1], keyId: r[2] });
const bytes = (b: Uint8Array | undefined): Buffer | null => (b === undefined ? null : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

export class PgTx implements Tx {
  live = true;
  constructor(private readonly sql: TransactionSql) {}

  /** Rows as arrays in the statement's column order. */
  private async rows<R>(text: string, params: readonly Param[]): Promise<R[]> {
    if (!this.live) throw new Error('Tx used after its transaction ended');
    return (await this.sql.unsafe(text, params as never[], { prepare: true }).values()) as unknown as R[];
  }

  /** Runs a write; resolves with the number of rows it changed. */
  private async run(text: string, params: readonly Param[]): Promise<number> {
    if (!this.live) throw new Error('Tx used after its transaction ended');
    return (await this.sql.unsafe(text, params as never[], { prepare: true })).count;
  }

  private async count(text: string, params: readonly Param[]): Promise<number> {
    const [row] = await this.rows<[number]>(text, params);
    return row![0];
  }

  async getKey(ref: KeyRef): Promise<KeyRecord | undefined> {
    const [row] = await this.rows<KeyRow>(SQL.getKey, [ref.account, ref.region, ref.keyId]);
    return row === undefined ? undefined : toKey(row);
  }

  async insertKey(k: KeyRecord): Promise<void> {
    await this.run(SQL.insertKey, [
      k.account, k.region, k.keyId, k.createdAt, k.description, k.keySpec, k.keyUsage, k.origin, k.keyManager,
      k.keyState, k.deletionDate ?? null, k.pendingDeletionWindowInDays ?? null, k.multiRegion,
      k.currentKeyMaterialId ?? null, k.customKeyStoreId ?? null, k.validTo ?? null, k.expirationModel ?? null,
      k.policy, k.rotationPeriodInDays ?? null, k.nextRotationAt ?? null, k.primaryRegion ?? null,
      k.transitionEndsAt ?? null, k.stateAfterTransition ?? null,
    ]);
  }

  async updateKey(k: KeyRecord): Promise<void> {
    const changed = await this.run(SQL.updateKey, [
      k.account, k.region, k.keyId, k.description, k.keySpec, k.keyUsage, k.origin, k.keyManager, k.keyState,
      k.deletionDate ?? null, k.pendingDeletionWindowInDays ?? null, k.multiRegion, k.currentKeyMaterialId ?? null,
      k.customKeyStoreId ?? null, k.validTo ?? null, k.expirationModel ?? null, k.policy,
      k.rotationPeriodInDays ?? null, k.nextRotationAt ?? null, k.primaryRegion ?? null, k.transitionEndsAt ?? null,
      k.stateAfterTransition ?? null,
    ]);
    if (changed === 0) throw new Error('updateKey: no such key');
  }

  async deleteKey(ref: KeyRef): Promise<void> {
    // Tags, aliases, materials, usage and grants follow through ON DELETE CASCADE.
    await this.run(SQL.deleteKey, [ref.account, ref.region, ref.keyId]);
  }

  async listKeys(account: string, region: string, afterSeq: number | undefined, limit: number): Promise<KeyRecord[]> {
    return (await this.rows<KeyRow>(SQL.listKeys, [account, region, afterSeq ?? 0, limit])).map(toKey);
  }

  async listKeysIn(scope: { account?: string; region?: string }): Promise<KeyRecord[]> {
    return (await this.rows<KeyRow>(SQL.listKeysIn, [scope.account ?? null, scope.region ?? null])).map(toKey);
  }

  async listKeysById(account: string, keyId: string): Promise<KeyRecord[]> {
    return (await this.rows<KeyRow>(SQL.listKeysById, [account, keyId])).map(toKey);
  }

  async listKeysInTransition(now: number): Promise<KeyRef[]> {
    return (await this.rows<[string, string, string]>(SQL.listInTransition, [now])).map(refRow);
  }

  async listKeysDueForDeletion(now: number): Promise<KeyRef[]> {
    return (await this.rows<[string, string, string]>(SQL.listDue, [now])).map(refRow);
  }

  async listKeysDueForRotation(now: number): Promise<KeyRef[]> {
    return (await this.rows<[string, string, string]>(SQL.listDueForRotation, [now])).map(refRow);
  }

  async listKeysWithExpiredMaterial(now: number): Promise<KeyRef[]> {
    return (await this.rows<[string, string, string]>(SQL.listExpiredMaterial, [now])).map(refRow);
  }

  async listMaterials(ref: KeyRef): Promise<KeyMaterialRecord[]> {
    const rows = await this.rows<MaterialRow>(SQL.listMaterials, [ref.account, ref.region, ref.keyId]);
    return rows.map((r) => toMaterial(ref, r));
  }

  async getMaterial(ref: KeyRef, materialId: string): Promise<KeyMaterialRecord | undefined> {
    return (await this.listMaterials(ref)).find((m) => m.materialId === materialId);
  }

  async putMaterial(m: KeyMaterialRecord): Promise<void> {
    await this.run(SQL.putMaterial, [
      m.account, m.region, m.keyId, m.materialId, m.createdAt, m.rotationType ?? null, m.state,
      m.importState ?? null, m.description ?? null, m.expirationModel ?? null, m.validTo ?? null,
      bytes(m.wrapped), bytes(m.publicKey), bytes(m.fingerprint),
    ]);
  }

  async deleteMaterial(ref: KeyRef, materialId: string): Promise<void> {
    await this.run(SQL.deleteMaterial, [ref.account, ref.region, ref.keyId, materialId]);
  }

  async putKeyUsage(usage: readonly KeyUsageRecord[]): Promise<void> {
    // Sent together: the driver pipelines them on the transaction's connection.
    await Promise.all(usage.map((u) => this.run(SQL.putUsage, [u.account, u.region, u.keyId, u.operation, u.usedAt, u.requestId])));
  }

  async getKeyUsage(ref: KeyRef): Promise<KeyUsageRecord | undefined> {
    const [row] = await this.rows<[string, number, string]>(SQL.getUsage, [ref.account, ref.region, ref.keyId]);
    return row === undefined ? undefined : { ...ref, operation: row[0], usedAt: row[1], requestId: row[2] };
  }

  async listTags(ref: KeyRef, afterTagKey: string | undefined, limit: number): Promise<TagRecord[]> {
    const rows = afterTagKey === undefined
      ? await this.rows<TagRow>(SQL.listTags, [ref.account, ref.region, ref.keyId, limit])
      : await this.rows<TagRow>(SQL.listTagsAfter, [ref.account, ref.region, ref.keyId, afterTagKey, limit]);
    return toTags(rows);
  }

  async countTags(ref: KeyRef): Promise<number> {
    return this.count(SQL.countTags, [ref.account, ref.region, ref.keyId]);
  }

  async putTags(ref: KeyRef, tags: readonly TagRecord[]): Promise<void> {
    await Promise.all(tags.map((t) => this.run(SQL.putTag, [ref.account, ref.region, ref.keyId, t.tagKey, t.tagValue])));
  }

  async deleteTags(ref: KeyRef, tagKeys: readonly string[]): Promise<void> {
    await Promise.all(tagKeys.map((k) => this.run(SQL.deleteTag, [ref.account, ref.region, ref.keyId, k])));
  }

  async getAlias(account: string, region: string, aliasName: string): Promise<AliasRecord | undefined> {
    const [row] = await this.rows<AliasRow>(SQL.getAlias, [account, region, aliasName]);
    return row === undefined ? undefined : toAlias(row);
  }

  async insertAlias(a: AliasRecord): Promise<void> {
    await this.run(SQL.insertAlias, [a.account, a.region, a.aliasName, a.targetKeyId, a.createdAt, a.updatedAt]);
  }

  async updateAlias(a: AliasRecord): Promise<void> {
    const changed = await this.run(SQL.updateAlias, [a.targetKeyId, a.updatedAt, a.account, a.region, a.aliasName]);
    if (changed === 0) throw new Error('updateAlias: no such alias');
  }

  async deleteAlias(account: string, region: string, aliasName: string): Promise<void> {
    await this.run(SQL.deleteAlias, [account, region, aliasName]);
  }

  async listAliases(
    account: string,
    region: string,
    targetKeyId: string | undefined,
    afterName: string | undefined,
    limit: number,
  ): Promise<AliasRecord[]> {
    let rows: AliasRow[];
    if (targetKeyId === undefined) {
      rows = afterName === undefined
        ? await this.rows(SQL.listAliases, [account, region, limit])
        : await this.rows(SQL.listAliasesAfter, [account, region, afterName, limit]);
    } else {
      rows = afterName === undefined
        ? await this.rows(SQL.listAliasesOf, [account, region, targetKeyId, limit])
        : await this.rows(SQL.listAliasesOfAfter, [account, region, targetKeyId, afterName, limit]);
    }
    return rows.map(toAlias);
  }

  async countAliasesForKey(ref: KeyRef): Promise<number> {
    return this.count(SQL.countAliases, [ref.account, ref.region, ref.keyId]);
  }

  async insertGrant(g: GrantRecord): Promise<void> {
    await this.run(SQL.insertGrant, [
      g.account, g.region, g.keyId, g.grantId, g.name ?? null, g.createdAt, g.granteePrincipal,
      g.retiringPrincipal ?? null, g.issuingAccount, JSON.stringify(g.operations), constraintsText(g.constraints),
    ]);
  }

  async getGrant(ref: KeyRef, grantId: string): Promise<GrantRecord | undefined> {
    const g = await this.findGrant(grantId);
    return g !== undefined && g.account === ref.account && g.region === ref.region && g.keyId === ref.keyId ? g : undefined;
  }

  async findGrant(grantId: string): Promise<GrantRecord | undefined> {
    const [row] = await this.rows<GrantRow>(SQL.findGrant, [grantId]);
    return row === undefined ? undefined : toGrant(row);
  }

  async listGrants(ref: KeyRef, afterSeq: number | undefined, limit: number): Promise<GrantRecord[]> {
    const rows = await this.rows<GrantRow>(SQL.listGrants, [ref.account, ref.region, ref.keyId, afterSeq ?? 0, limit]);
    return rows.map(toGrant);
  }

  async listRetirableGrants(
    region: string,
    retiringPrincipal: string,
    afterSeq: number | undefined,
    limit: number,
  ): Promise<GrantRecord[]> {
    return (await this.rows<GrantRow>(SQL.listRetirableGrants, [region, retiringPrincipal, afterSeq ?? 0, limit])).map(toGrant);
  }

  async countGrants(ref: KeyRef): Promise<number> {
    return this.count(SQL.countGrants, [ref.account, ref.region, ref.keyId]);
  }

  async deleteGrant(ref: KeyRef, grantId: string): Promise<void> {
    await this.run(SQL.deleteGrant, [ref.account, ref.region, ref.keyId, grantId]);
  }

  async getMeta(name: string): Promise<string | undefined> {
    const [row] = await this.rows<[string]>(SQL.getMeta, [name]);
    return row?.[0];
  }

  async setMeta(name: string, value: string): Promise<void> {
    await this.run(SQL.setMeta, [name, value]);
  }
}
