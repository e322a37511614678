// Callers built from principal ARNs: the account root, IAM users and assumed-role sessions, with the
// facts IAM condition keys read (aws:PrincipalArn, aws:username, aws:userid, aws:PrincipalTag).
import { createHash } from 'node:crypto';
import type { Caller } from '../context.ts';

const ROOT_RE = /^arn:aws:iam::(\d{12}):root$/;
const USER_RE = /^arn:aws:iam::(\d{12}):user\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/;
const ROLE_RE = /^arn:aws:iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/;
const SESSION_RE = /^arn:aws:sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\/([\w+=,.@-]{2,64})$/;

/** A unique ID in IAM's shape (AIDA… for users, AROA… for roles), stable for the same ARN. */
function uniqueId(prefix: string, arn: string): string {
  const digest = createHash('sha256').update(arn).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = prefix;
  for (let i = 0; out.length < 21; i++) out += alphabet[digest[i]! % 32];
  return out;
}

export interface PrincipalOptions {
  accessKeyId: string;
  /** For a role ARN: the session name the caller's ARN carries (default: the role name). */
  sessionName?: string;
  /** For a session ARN: the role's full ARN with its path (aws:PrincipalArn), when the role has a path. */
  roleArn?: string;
  tags?: Readonly<Record<string, string>>;
  policies?: readonly string[];
}

export class PrincipalError extends Error {}

/** The account's root user, the caller of every request in local-development mode. */
export function rootCaller(accountId: string, accessKeyId: string): Caller {
  return Object.freeze({
    accountId,
    arn: `arn:aws:iam::${accountId}:root`,
    accessKeyId,
    principalArn: `arn:aws:iam::${accountId}:root`,
    principalType: 'Account',
    userId: accountId,
    tags: {},
    policies: [],
  });
}

/**
 * The caller an access key stands for. `arn` is a root, user or role ARN, or an assumed-role session ARN
 * as AWS reports it (`arn:aws:sts::<acct>:assumed-role/<role>/<session>`).
 */
export function callerFromArn(arn: string, opts: PrincipalOptions): Caller {
  const common = { accessKeyId: opts.accessKeyId, tags: Object.freeze({ ...opts.tags }), policies: Object.freeze([...(opts.policies ?? [])]) };
  let m = ROOT_RE.exec(arn);
  if (m) return Object.freeze({ ...rootCaller(m[1]!, opts.accessKeyId), ...common });
  m = USER_RE.exec(arn);
  if (m) {
    return Object.freeze({ ...common, accountId: m[1]!, arn, principalArn: arn, principalType: 'User', userName: m[2]!, userId: uniqueId('AIDA', arn) });
  }
  m = ROLE_RE.exec(arn);
  if (m) {
    const session = opts.sessionName ?? m[2]!;
    if (!/^[\w+=,.@-]{2,64}$/.test(session)) throw new PrincipalError(`invalid session name ${session}`);
    return Object.freeze({
      ...common,
      accountId: m[1]!,
      // AWS names a session by the role's name without its path.
      arn: `arn:aws:sts::${m[1]!}:assumed-role/${m[2]!}/${session}`,
      principalArn: arn,
      principalType: 'AssumedRole',
      userId: `${uniqueId('AROA', arn)}:${session}`,
    });
  }
  m = SESSION_RE.exec(arn);
  if (m) {
    const roleArn = opts.roleArn ?? `arn:aws:iam::${m[1]!}:role/${m[2]!}`;
    return Object.freeze({
      ...common,
      accountId: m[1]!,
      arn,
      principalArn: roleArn,
      principalType: 'AssumedRole',
      userId: `${uniqueId('AROA', roleArn)}:${m[3]!}`,
    });
  }
  throw new PrincipalError(`unsupported principal ARN ${arn} (an account root, IAM user, IAM role or assumed-role session)`);
}
