// Reads the principals a config file defines (IAM users, roles and account roots with their access keys,
// identity policies and tags) into the credential table SigV4 checks requests against.
import type { Caller } from '../context.ts';
import { compilePolicy } from '../policy/compile.ts';
import { PolicyDocumentError } from '../policy/types.ts';
import { callerFromArn, PrincipalError } from './principal.ts';

/** One access key and the caller it authenticates (what SigV4 verification needs). */
export interface CredentialEntry {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  caller: Caller;
  /** The principal may call Trent's admin routes (/_trent/reset, /_trent/clock). */
  admin?: boolean;
}

/**
 * The older flat form, one entry per access key: `principalArn` defaults to the account root.
 * Kept because it is the shortest way to give a test or a CI job a few signed identities.
 */
export interface FlatCredential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  accountId?: string;
  principalArn?: string;
  policies?: readonly unknown[];
  tags?: Record<string, string>;
  admin?: boolean;
}

export class PrincipalConfigError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function str(v: unknown, where: string, optional = false): string | undefined {
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' || v === '') throw new PrincipalConfigError(`${where} must be a non-empty string`);
  return v;
}

/** Identity policies as JSON texts, each validated as AWS validates an IAM policy. */
function policyTexts(list: unknown, where: string): string[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new PrincipalConfigError(`${where} must be a list of policy documents`);
  return list.map((p, i) => {
    const text = typeof p === 'string' ? p : JSON.stringify(p);
    try {
      compilePolicy(text, 'identity');
    } catch (e) {
      if (e instanceof PolicyDocumentError) throw new PrincipalConfigError(`${where}[${i}]: ${e.message}`);
      throw e;
    }
    return text;
  });
}

function tagMap(v: unknown, where: string): Record<string, string> {
  if (v === undefined) return {};
  if (!isObject(v) || Object.values(v).some((x) => typeof x !== 'string')) throw new PrincipalConfigError(`${where} must map tag keys to string values`);
  return v as Record<string, string>;
}

function adminFlag(v: unknown, where: string): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new PrincipalConfigError(`${where} must be true or false`);
  return v;
}

function build(
  arn: string,
  key: Record<string, unknown>,
  where: string,
  extra: { policies: string[]; tags: Record<string, string>; sessionName?: string; admin: boolean },
): CredentialEntry {
  const accessKeyId = str(key.accessKeyId, `${where}.accessKeyId`)!;
  const secretAccessKey = str(key.secretAccessKey, `${where}.secretAccessKey`)!;
  const sessionToken = str(key.sessionToken, `${where}.sessionToken`, true);
  const sessionName = str(key.sessionName, `${where}.sessionName`, true) ?? extra.sessionName;
  try {
    const caller = callerFromArn(arn, { accessKeyId, sessionName, tags: extra.tags, policies: extra.policies });
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}), caller, ...(extra.admin ? { admin: true } : {}) };
  } catch (e) {
    if (e instanceof PrincipalError) throw new PrincipalConfigError(`${where}: ${e.message}`);
    throw e;
  }
}

/** `principals: [{arn, accessKeys: [{accessKeyId, secretAccessKey, sessionToken?, sessionName?}], policies?, tags?}]` */
export function readPrincipals(list: unknown): CredentialEntry[] {
  if (!Array.isArray(list)) throw new PrincipalConfigError('principals must be a list');
  return list.flatMap((p: unknown, i) => {
    const where = `principals[${i}]`;
    if (!isObject(p)) throw new PrincipalConfigError(`${where} must be an object`);
    const arn = str(p.arn, `${where}.arn`)!;
    const policies = policyTexts(p.policies, `${where}.policies`);
    const tags = tagMap(p.tags, `${where}.tags`);
    const keys = p.accessKeys ?? [];
    if (!Array.isArray(keys)) throw new PrincipalConfigError(`${where}.accessKeys must be a list`);
    const sessionName = str(p.sessionName, `${where}.sessionName`, true);
    const admin = adminFlag(p.admin, `${where}.admin`);
    return keys.map((k: unknown, j) => {
      if (!isObject(k)) throw new PrincipalConfigError(`${where}.accessKeys[${j}] must be an object`);
      return build(arn, k, `${where}.accessKeys[${j}]`, { policies, tags, admin, ...(sessionName ? { sessionName } : {}) });
    });
  });
}

/** The flat `credentials: [{accessKeyId, secretAccessKey, accountId?, principalArn?, …}]` form. */
export function readFlatCredentials(list: unknown): CredentialEntry[] {
  if (!Array.isArray(list)) throw new PrincipalConfigError('credentials must be a list');
  return list.map((c: unknown, i) => {
    const where = `credentials[${i}]`;
    if (!isObject(c)) throw new PrincipalConfigError(`${where} must be an object`);
    const account = str(c.accountId, `${where}.accountId`, true);
    if (account !== undefined && !/^\d{12}$/.test(account)) throw new PrincipalConfigError(`${where}.accountId must be 12 digits`);
    const arn = str(c.principalArn, `${where}.principalArn`, true) ?? (account ? `arn:aws:iam::${account}:root` : undefined);
    if (!arn) throw new PrincipalConfigError(`${where} needs accountId or principalArn`);
    const entry = build(arn, c, where, {
      policies: policyTexts(c.policies, `${where}.policies`),
      tags: tagMap(c.tags, `${where}.tags`),
      admin: adminFlag(c.admin, `${where}.admin`),
    });
    if (account !== undefined && entry.caller.accountId !== account) {
      throw new PrincipalConfigError(`${where}.accountId ${account} differs from the account of ${arn}`);
    }
    return entry;
  });
}

/**
 * Whether a principal ARN in a key policy names someone that exists. Trent knows the users and roles of
 * the accounts its config defines; principals of other accounts cannot be checked and are accepted.
 */
export function principalDirectory(entries: readonly CredentialEntry[]): (arn: string) => boolean {
  const accounts = new Set<string>();
  const known = new Set<string>();
  for (const { caller } of entries) {
    accounts.add(caller.accountId);
    known.add(caller.arn);
    known.add(caller.principalArn);
  }
  return (arn) => {
    const m = /^arn:aws:(?:iam|sts)::(\d{12}):(.*)$/.exec(arn);
    if (!m || !accounts.has(m[1]!) || m[2] === 'root') return true;
    if (known.has(arn)) return true;
    // A session of a known role (AWS accepts any session name of an existing role).
    const session = /^assumed-role\/([^/]+)\//.exec(m[2]!);
    return session !== null && [...known].some((k) => k.startsWith(`arn:aws:iam::${m[1]!}:role/`) && k.endsWith(`/${session[1]!}`));
  };
}
