// Principal / NotPrincipal of key policies: which forms are valid (KMS refuses anything else with
// "invalid principals") and how an entry names the caller.
import type { PolicyMessages } from './messages.ts';
import type { PrincipalFacts } from './types.ts';
import { PolicyDocumentError } from './types.ts';

export type PrincipalEntry =
  | { kind: 'anyone' }
  | { kind: 'account'; account: string }
  /** A user, an assumed-role session or a federated user: names exactly that caller ARN. */
  | { kind: 'arn'; arn: string }
  /** A role: names the role and every session of it. */
  | { kind: 'role'; arn: string }
  /** Service and Federated principals: valid, but never a Trent caller. */
  | { kind: 'other' };

const PARTITION = '(?:aws|aws-cn|aws-us-gov)';
const NAME = '[\\w+=,.@-]';
const ROOT = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):root$`);
const USER = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:user/(?:${NAME}+/)*${NAME}{1,64}$`);
const ROLE = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:role/(?:${NAME}+/)*${NAME}{1,64}$`);
const SESSION = new RegExp(`^arn:${PARTITION}:sts::\\d{12}:assumed-role/${NAME}{1,64}/${NAME}{2,64}$`);
const FEDERATED_USER = new RegExp(`^arn:${PARTITION}:sts::\\d{12}:federated-user/${NAME}{2,32}$`);
const ACCOUNT_ID = /^\d{12}$/;

function list(value: unknown, msgs: PolicyMessages): string[] {
  const values = Array.isArray(value) ? value : [value];
  if (!values.every((v): v is string => typeof v === 'string')) throw new PolicyDocumentError(msgs.invalidPrincipals);
  return values;
}

/**
 * Parses `"*"` or `{"AWS": …, "Service": …, "Federated": …}`. `isKnown` is asked about every AWS principal
 * other than "*", in ARN form (a bare account ID as its root ARN); KMS refuses principals that do not exist.
 */
export function parsePrincipal(value: unknown, msgs: PolicyMessages, isKnown?: (arn: string) => boolean): PrincipalEntry[] {
  if (value === '*') return [{ kind: 'anyone' }];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PolicyDocumentError(msgs.invalidPrincipals);
  const entries: PrincipalEntry[] = [];
  for (const [type, raw] of Object.entries(value)) {
    const values = list(raw, msgs);
    if (type === 'AWS') {
      for (const v of values) entries.push(awsEntry(v.trim(), msgs, isKnown));
    } else if (type === 'Service' || type === 'Federated') {
      for (const v of values) {
        if (v === '' || /\s/.test(v)) throw new PolicyDocumentError(msgs.invalidPrincipals);
        entries.push({ kind: 'other' });
      }
    } else {
      // CanonicalUser and unknown types name nothing KMS knows.
      throw new PolicyDocumentError(msgs.invalidPrincipals);
    }
  }
  if (entries.length === 0) throw new PolicyDocumentError(msgs.noPrincipal);
  return entries;
}

function awsEntry(v: string, msgs: PolicyMessages, isKnown?: (arn: string) => boolean): PrincipalEntry {
  if (v === '*') return { kind: 'anyone' };
  let entry: PrincipalEntry;
  let arn = v;
  const root = ROOT.exec(v);
  if (ACCOUNT_ID.test(v)) {
    entry = { kind: 'account', account: v };
    arn = `arn:aws:iam::${v}:root`;
  } else if (root) entry = { kind: 'account', account: root[1]! };
  else if (ROLE.test(v)) entry = { kind: 'role', arn: v };
  else if (USER.test(v) || SESSION.test(v) || FEDERATED_USER.test(v)) entry = { kind: 'arn', arn: v };
  else throw new PolicyDocumentError(msgs.invalidPrincipals);
  if (isKnown && !isKnown(arn)) throw new PolicyDocumentError(msgs.invalidPrincipals);
  return entry;
}

/** 'direct': the entry names the caller itself; 'account': it names the caller's account (delegation to IAM). */
export type PrincipalHit = 'none' | 'direct' | 'account';

function entryHit(e: PrincipalEntry, p: PrincipalFacts): PrincipalHit {
  switch (e.kind) {
    case 'anyone':
      return 'direct';
    case 'account':
      if (e.account !== p.account) return 'none';
      return p.isRoot ? 'direct' : 'account';
    case 'arn':
      return e.arn === p.arn ? 'direct' : 'none';
    case 'role':
      return e.arn === p.arn || e.arn === p.principalArn ? 'direct' : 'none';
    case 'other':
      return 'none';
  }
}

/** The strongest way any entry names the caller. */
export function principalHit(entries: readonly PrincipalEntry[], p: PrincipalFacts): PrincipalHit {
  let best: PrincipalHit = 'none';
  for (const e of entries) {
    const hit = entryHit(e, p);
    if (hit === 'direct') return hit;
    if (hit === 'account') best = hit;
  }
  return best;
}
