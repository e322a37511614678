// A seed: the keys Trent starts with, read from a JSON or YAML file (or given as an object to startTrent) and
// checked for shape here. Every KMS rule (specs, tags, aliases, policies) is checked when the seed is applied,
// by the operations themselves (apply-seed.ts). Errors name the source, the entry and the rule.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAccountId, isRegionName } from '../keys/account-region.ts';
import { loadYaml } from './yaml.ts';
import { decodeSeedMaterial, type SeedMaterial } from './seed-material.ts';

export interface SeedTag {
  TagKey: string;
  TagValue: string;
}

/** What a primary key and each of its replicas have of their own. */
export interface SeedKeyProperties {
  region: string;
  description?: string;
  /** The key policy as text; the default policy when absent. */
  policy?: string;
  bypassPolicyLockoutSafetyCheck: boolean;
  tags: SeedTag[];
  aliases: string[];
  enabled: boolean;
  /** Where this key is declared, for error messages: `keys[2]` or `keys[2].multiRegion.replicas[0]`. */
  where: string;
}

export interface SeedKey extends SeedKeyProperties {
  keyId: string;
  account: string;
  keySpec?: string;
  keyUsage?: string;
  multiRegion: boolean;
  replicas: SeedKeyProperties[];
  /** Present when automatic rotation is on; the period is EnableKeyRotation's default when absent. */
  rotation?: { periodInDays?: number };
  /** Fixed material versions, oldest first: the last one is current. Absent: generated once. */
  material?: SeedMaterial[];
  /** Digest of the entry as written: tells a later start whether the file still says the same. */
  digest: string;
}

export interface Seed {
  /** The file it came from, or `seed` for an object given directly. */
  source: string;
  keys: SeedKey[];
}

export class SeedError extends Error {}

const KEY_FIELDS = [
  'keyId', 'account', 'region', 'keySpec', 'keyUsage', 'description', 'enabled', 'policy',
  'bypassPolicyLockoutSafetyCheck', 'tags', 'aliases', 'rotation', 'multiRegion', 'material',
] as const;
const REPLICA_FIELDS = ['region', 'description', 'enabled', 'policy', 'bypassPolicyLockoutSafetyCheck', 'tags', 'aliases'] as const;

// Key IDs as AWS forms them, lower-case: ciphertexts carry the ID as bytes and name it in lower case.
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MRK_RE = /^mrk-[0-9a-f]{32}$/;
export const SEED_DEFAULT_REGION = 'us-east-1';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Reads a seed file: YAML when its name ends in .yaml or .yml, JSON otherwise. */
export async function readSeedFile(path: string, defaultAccount: string): Promise<Seed> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new SeedError(`cannot read seed file ${path}: ${(e as Error).message}`);
  }
  return parseSeed(await parseDocument(path, text), path, defaultAccount);
}

async function parseDocument(path: string, text: string): Promise<unknown> {
  if (/\.ya?ml$/i.test(path)) {
    const { parse, YAMLParseError } = await loadYaml();
    try {
      return parse(text, { prettyErrors: true, uniqueKeys: true });
    } catch (e) {
      if (e instanceof YAMLParseError) throw new SeedError(`${path}: not valid YAML: ${e.message.split('\n')[0]}`);
      throw e;
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SeedError(`${path}: not valid JSON: ${(e as Error).message}`);
  }
}

/** Checks the shape of a seed document and fills in defaults. */
export async function parseSeed(doc: unknown, source: string, defaultAccount: string): Promise<Seed> {
  const fail = (msg: string): never => {
    throw new SeedError(`${source}: ${msg}`);
  };
  if (!isObject(doc)) fail('a seed is an object with a "keys" list');
  const top = doc as Record<string, unknown>;
  for (const k of Object.keys(top)) if (k !== 'keys') fail(`unknown top-level field "${k}" (known: keys)`);
  if (top.keys === undefined) return { source, keys: [] };
  if (!Array.isArray(top.keys)) fail('"keys" must be a list');
  const keys: SeedKey[] = [];
  for (const [i, entry] of (top.keys as unknown[]).entries()) keys.push(await parseKey(entry, `keys[${i}]`, source, defaultAccount));
  const seen = new Map<string, string>();
  for (const k of keys) {
    // Key IDs name one key (or one multi-Region set) per account; KMS never repeats one.
    const id = `${k.account}/${k.keyId}`;
    const other = seen.get(id);
    if (other !== undefined) throw new SeedError(`${source}: ${k.where} (key ${k.keyId}): ${other} already declares this key ID in account ${k.account}`);
    seen.set(id, k.where);
  }
  return { source, keys };
}

async function parseKey(entry: unknown, where: string, source: string, defaultAccount: string): Promise<SeedKey> {
  if (!isObject(entry)) throw new SeedError(`${source}: ${where}: each key is an object`);
  const label = typeof entry.keyId === 'string' ? `${where} (key ${entry.keyId})` : where;
  const fail = (msg: string): never => {
    throw new SeedError(`${source}: ${label}: ${msg}`);
  };
  unknownFields(entry, KEY_FIELDS, fail);
  if (typeof entry.keyId !== 'string') fail('keyId is required: a key ID such as 1234abcd-12ab-34cd-56ef-1234567890ab');
  const keyId = entry.keyId as string;
  const account = accountOf(entry.account, fail) ?? defaultAccount;
  const multiRegion = entry.multiRegion !== undefined && entry.multiRegion !== false;
  if (multiRegion && !MRK_RE.test(keyId)) fail('a multi-Region key ID is mrk- followed by 32 lower-case hex digits');
  if (!multiRegion && !UUID_RE.test(keyId)) {
    fail(
      MRK_RE.test(keyId)
        ? 'an mrk- key ID names a multi-Region key: add multiRegion'
        : 'keyId must be a lower-case UUID such as 1234abcd-12ab-34cd-56ef-1234567890ab (mrk-… with multiRegion)',
    );
  }
  const own = keyProperties(entry, where, fail);
  const keySpec = optionalString(entry, 'keySpec', fail);
  const key: SeedKey = {
    ...own,
    keyId,
    account,
    multiRegion,
    replicas: multiRegion ? replicas(entry.multiRegion, `${where}.multiRegion`, fail) : [],
    digest: '',
  };
  if (keySpec !== undefined) key.keySpec = keySpec;
  const keyUsage = optionalString(entry, 'keyUsage', fail);
  if (keyUsage !== undefined) key.keyUsage = keyUsage;
  const rotation = rotationOf(entry.rotation, fail);
  if (rotation !== undefined) key.rotation = rotation;
  if (entry.material !== undefined) {
    key.material = await decodeSeedMaterial(entry.material, keyId, keySpec ?? 'SYMMETRIC_DEFAULT', (msg) => fail(`material: ${msg}`));
  }
  // The material enters the digest by its IDs: what is stored of a seed must not be derived from secrets alone.
  key.digest = digest({ ...entry, material: key.material?.map((m) => m.materialId) });
  return key;
}

/** The properties a primary key and a replica declare alike. */
function keyProperties(entry: Record<string, unknown>, where: string, fail: (msg: string) => never): SeedKeyProperties {
  const region = optionalString(entry, 'region', fail) ?? SEED_DEFAULT_REGION;
  if (!isRegionName(region)) fail(`region must be a Region name such as us-east-1, not "${region}"`);
  const props: SeedKeyProperties = {
    region,
    bypassPolicyLockoutSafetyCheck: optionalBoolean(entry, 'bypassPolicyLockoutSafetyCheck', fail) ?? false,
    tags: tagsOf(entry.tags, fail),
    aliases: aliasesOf(entry.aliases, fail),
    enabled: optionalBoolean(entry, 'enabled', fail) ?? true,
    where,
  };
  const description = optionalString(entry, 'description', fail);
  if (description !== undefined) props.description = description;
  if (entry.policy !== undefined) {
    if (isObject(entry.policy)) props.policy = JSON.stringify(entry.policy);
    else if (typeof entry.policy === 'string') props.policy = entry.policy;
    else fail('policy must be a policy document: an object, or its JSON text');
  }
  return props;
}

function replicas(value: unknown, where: string, fail: (msg: string) => never): SeedKeyProperties[] {
  if (value === true) return [];
  if (!isObject(value)) return fail('multiRegion is true, or an object such as {"replicas": ["eu-west-1"]}');
  unknownFields(value, ['replicas'], (msg) => fail(`multiRegion: ${msg}`));
  if (value.replicas === undefined) return [];
  if (!Array.isArray(value.replicas)) return fail('multiRegion.replicas must be a list of Regions or replica objects');
  return value.replicas.map((r: unknown, i) => {
    const at = `${where}.replicas[${i}]`;
    const failHere = (msg: string): never => fail(`multiRegion.replicas[${i}]: ${msg}`);
    if (typeof r === 'string') return keyProperties({ region: r }, at, failHere);
    if (!isObject(r)) return failHere('a replica is a Region name or an object with "region"');
    unknownFields(r, REPLICA_FIELDS, failHere);
    if (r.region === undefined) failHere('region is required');
    return keyProperties(r, at, failHere);
  });
}

function rotationOf(value: unknown, fail: (msg: string) => never): SeedKey['rotation'] {
  if (value === undefined) return undefined;
  if (!isObject(value)) return fail('rotation must be an object such as {"enabled": true, "periodInDays": 365}');
  unknownFields(value, ['enabled', 'periodInDays'], (msg) => fail(`rotation: ${msg}`));
  const enabled = optionalBoolean(value, 'enabled', (msg) => fail(`rotation: ${msg}`)) ?? true;
  const period = value.periodInDays;
  if (period !== undefined && (typeof period !== 'number' || !Number.isInteger(period))) {
    fail('rotation.periodInDays must be a whole number of days');
  }
  if (!enabled) {
    if (period !== undefined) fail('rotation.periodInDays needs rotation.enabled true');
    return undefined;
  }
  return period === undefined ? {} : { periodInDays: period as number };
}

/** `[{TagKey, TagValue}]` as the API takes them, or `{key: value}`. */
function tagsOf(value: unknown, fail: (msg: string) => never): SeedTag[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) {
    return value.map((t: unknown, i) => {
      if (!isObject(t) || typeof t.TagKey !== 'string' || typeof t.TagValue !== 'string' || Object.keys(t).length !== 2) {
        return fail(`tags[${i}] must be {"TagKey": "…", "TagValue": "…"}`);
      }
      return { TagKey: t.TagKey, TagValue: t.TagValue };
    });
  }
  if (isObject(value)) {
    return Object.entries(value).map(([TagKey, TagValue]) => {
      if (typeof TagValue !== 'string') return fail(`tags.${TagKey} must be a string (quote numbers and booleans)`);
      return { TagKey, TagValue };
    });
  }
  return fail('tags must be a list of {"TagKey", "TagValue"} or an object of tag keys and values');
}

function aliasesOf(value: unknown, fail: (msg: string) => never): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((a) => typeof a !== 'string')) return fail('aliases must be a list of alias names such as "alias/app"');
  return value as string[];
}

/** A 12-digit account ID; as a number too (YAML reads `account: 111122223333` as one) when no leading zero is lost. */
function accountOf(v: unknown, fail: (msg: string) => never): string | undefined {
  if (v === undefined) return undefined;
  const text = typeof v === 'number' && Number.isInteger(v) ? String(v) : v;
  if (typeof text !== 'string') return fail('account must be 12 digits, as a string');
  if (!isAccountId(text)) {
    return fail(typeof v === 'number' ? `account must be 12 digits: quote it ("${String(v).padStart(12, '0')}") so that no leading zero is lost` : `account must be 12 digits, not "${text}"`);
  }
  return text;
}

function optionalString(o: Record<string, unknown>, field: string, fail: (msg: string) => never): string | undefined {
  const v = o[field];
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : fail(`${field} must be a string`);
}

function optionalBoolean(o: Record<string, unknown>, field: string, fail: (msg: string) => never): boolean | undefined {
  const v = o[field];
  if (v === undefined) return undefined;
  return typeof v === 'boolean' ? v : fail(`${field} must be true or false`);
}

function unknownFields(o: Record<string, unknown>, known: readonly string[], fail: (msg: string) => never): void {
  for (const k of Object.keys(o)) if (!known.includes(k)) fail(`unknown field "${k}" (known: ${known.join(', ')})`);
}

/** A digest of the entry independent of member order. */
function digest(entry: unknown): string {
  return createHash('sha256').update(canonical(entry)).digest('hex');
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}
