// The state of a store written as a seed (`trent export`): every key that a seed can declare, with its replicas,
// tags, aliases, policy, rotation and, when asked, its material (keyed by its KeyMaterialId, so ciphertexts made
// before the export still decrypt after the seed is applied elsewhere). Keys a seed cannot declare are listed
// as skipped, with the reason.
import { defaultKeyPolicy } from '../keys/default-policy.ts';
import { keyArn } from '../keys/key-id.ts';
import { openMaterial } from '../keys/key-material.ts';
import { isHmac, isSymmetricEncryption } from '../keys/key-spec.ts';
import { isMultiRegionPrimary, isMultiRegionReplica } from '../keys/multi-region.ts';
import { asOf } from '../keys/resolve-key.ts';
import type { MaterialVault } from '../keys/vault.ts';
import type { KeyRecord, Tx } from '../store/store.ts';
import { seedMaterialId } from './seed-material.ts';

export interface ExportedSeed {
  doc: { keys: Record<string, unknown>[] };
  /** Keys left out, each `<key ARN>: <reason>`. */
  skipped: string[];
}

/** `vault` given: material is written too (in the clear: the caller warns). */
export async function exportSeed(tx: Tx, now: number, vault?: MaterialVault): Promise<ExportedSeed> {
  const keys: Record<string, unknown>[] = [];
  const skipped: string[] = [];
  const all = (await tx.listKeysIn({})).map((k) => asOf(k, now));
  for (const key of all) {
    if (isMultiRegionReplica(key)) continue;
    const why = unexportable(key);
    if (why !== undefined) {
      skipped.push(`${keyArn(key.region, key.account, key.keyId)}: ${why}`);
      continue;
    }
    const entry: Record<string, unknown> = { keyId: key.keyId, account: key.account, region: key.region, keySpec: key.keySpec, keyUsage: key.keyUsage };
    Object.assign(entry, await ownProperties(tx, key));
    if (key.rotationPeriodInDays !== undefined) entry.rotation = { enabled: true, periodInDays: key.rotationPeriodInDays };
    if (isMultiRegionPrimary(key)) {
      const replicas: Record<string, unknown>[] = [];
      for (const r of all.filter((k) => isMultiRegionReplica(k) && k.account === key.account && k.keyId === key.keyId)) {
        const why = unexportable(r);
        if (why !== undefined) skipped.push(`${keyArn(r.region, r.account, r.keyId)}: ${why}`);
        else replicas.push({ region: r.region, ...(await ownProperties(tx, r)) });
      }
      entry.multiRegion = replicas.length > 0 ? { replicas } : true;
    }
    if (vault !== undefined) entry.material = await materialOf(tx, vault, key);
    keys.push(entry);
  }
  return { doc: { keys }, skipped };
}

function unexportable(key: KeyRecord): string | undefined {
  if (key.keyState === 'PendingDeletion' || key.keyState === 'PendingReplicaDeletion') return 'pending deletion';
  if (key.origin !== 'AWS_KMS') return `origin ${key.origin}: a seed declares keys whose material KMS holds`;
  return undefined;
}

/** What a primary and each replica have of their own: description, policy, tags, aliases, enabled. */
async function ownProperties(tx: Tx, key: KeyRecord): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  if (key.description !== '') out.description = key.description;
  if (key.keyState === 'Disabled') out.enabled = false;
  // Kept as text: GetKeyPolicy returns the document byte for byte, and so must the seeded key.
  if (key.policy !== defaultKeyPolicy(key.account)) out.policy = key.policy;
  const tags = await tx.listTags(key, undefined, 50);
  if (tags.length > 0) out.tags = Object.fromEntries(tags.map((t) => [t.tagKey, t.tagValue]));
  const aliases = await tx.listAliases(key.account, key.region, key.keyId, undefined, 1000);
  if (aliases.length > 0) out.aliases = aliases.map((a) => a.aliasName);
  return out;
}

/**
 * Every version still held, oldest first and the current one last. A symmetric key's ciphertexts name their
 * KeyMaterialId, so a version whose ID is not the one a seed derives is written with it.
 */
async function materialOf(tx: Tx, vault: MaterialVault, key: KeyRecord): Promise<unknown> {
  const held = (await tx.listMaterials(key)).filter((m) => m.wrapped !== undefined);
  const ordered = [...held.filter((m) => m.state !== 'CURRENT'), ...held.filter((m) => m.state === 'CURRENT')];
  const versions = ordered.map((m) => {
    const secret = openMaterial(vault, m);
    if (!isSymmetricEncryption(key.keySpec)) return isHmac(key.keySpec) ? secret.toString('base64') : pem(secret);
    const text = secret.toString('base64');
    return seedMaterialId(key.keyId, secret) === m.materialId ? text : { keyMaterialId: m.materialId, material: text };
  });
  return versions.length === 1 ? versions[0] : versions;
}

function pem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}
