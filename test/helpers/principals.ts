// Builders for authorization tests: principals in the config format of src/iam/principals-config.ts
// (with their access keys and SDK credentials), and policy documents (identity and key policies).
import { createHash } from 'node:crypto';

export const ACCOUNT_A = '111122223333';
export const ACCOUNT_B = '444455556666';

export const rootArn = (account: string) => `arn:aws:iam::${account}:root`;
export const userArn = (account: string, name: string) => `arn:aws:iam::${account}:user/${name}`;
export const roleArn = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface TestPrincipal {
  /** The ARN the principal is configured with (a role ARN for roles). */
  arn: string;
  /** The ARN AWS names the caller by in errors (the session ARN for roles). */
  callerArn: string;
  creds: Credentials;
  /** The entry for `startTestServer({ principals })`. */
  config: Record<string, unknown>;
}

export interface PrincipalOpts {
  policies?: readonly PolicyDoc[];
  tags?: Record<string, string>;
  sessionName?: string;
}

/** A stable, unique access key ID per ARN, in AWS's shape (AKIA + 16 characters). */
function accessKeyFor(arn: string): string {
  return `AKIA${createHash('sha256').update(arn).digest('hex').slice(0, 16).toUpperCase()}`;
}

function principal(arn: string, callerArn: string, opts: PrincipalOpts): TestPrincipal {
  const creds = { accessKeyId: accessKeyFor(arn), secretAccessKey: `secret-${arn}` };
  return {
    arn,
    callerArn,
    creds,
    config: {
      arn,
      accessKeys: [creds],
      ...(opts.policies ? { policies: opts.policies } : {}),
      ...(opts.tags ? { tags: opts.tags } : {}),
      ...(opts.sessionName ? { sessionName: opts.sessionName } : {}),
    },
  };
}

export const root = (account: string): TestPrincipal => principal(rootArn(account), rootArn(account), {});
export const user = (account: string, name: string, opts: PrincipalOpts = {}): TestPrincipal =>
  principal(userArn(account, name), userArn(account, name), opts);
export const role = (account: string, name: string, opts: PrincipalOpts = {}): TestPrincipal =>
  principal(roleArn(account, name), `arn:aws:sts::${account}:assumed-role/${name}/${opts.sessionName ?? name}`, opts);

// ---- policies ----

export type Condition = Record<string, Record<string, string | boolean | number | readonly (string | boolean | number)[]>>;

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  Action: string | readonly string[];
  Resource: string | readonly string[];
  Condition?: Condition;
}

export interface PolicyDoc {
  Version: '2012-10-17';
  Statement: Statement[];
}

export const policy = (...Statement: Statement[]): PolicyDoc => ({ Version: '2012-10-17', Statement });

/** An identity-policy Allow statement. */
export const allow = (Action: string | readonly string[], Resource: string | readonly string[] = '*', Condition?: Condition): Statement => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...(Condition ? { Condition } : {}),
});

export const deny = (Action: string | readonly string[], Resource: string | readonly string[] = '*', Condition?: Condition): Statement => ({
  Effect: 'Deny',
  Action,
  Resource,
  ...(Condition ? { Condition } : {}),
});

/** A key-policy statement: `who` is an ARN (or list of ARNs) put under Principal.AWS, or `*`. */
export const keyStatement = (effect: 'Allow' | 'Deny', who: string | readonly string[], Action: string | readonly string[], Condition?: Condition): Statement => ({
  Effect: effect,
  Principal: who === '*' ? '*' : { AWS: who },
  Action,
  Resource: '*',
  ...(Condition ? { Condition } : {}),
});

/** The statement of AWS's default key policy: the account's IAM policies decide. */
export const rootStatement = (account: string): Statement => keyStatement('Allow', rootArn(account), 'kms:*');

export const keyPolicyText = (...statements: Statement[]): string => JSON.stringify(policy(...statements));
