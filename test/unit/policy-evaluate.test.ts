// The pure policy engine: allow / explicit deny / implicit deny across policy shapes, principals,
// every condition operator family and policy variables. Results are coded D (deny), A (allow),
// a (allowAccount: the key policy delegates to the caller account's IAM policies), '-' (none).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compilePolicy } from '../../src/policy/compile.ts';
import { cachedPolicy, cachedPolicyCount } from '../../src/policy/policy-cache.ts';
import type { ConditionContext, EvalResult, PolicyKind, PrincipalFacts } from '../../src/policy/types.ts';

const ACCT = '111122223333';
const OTHER = '444455556666';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY = `arn:aws:kms:us-east-1:${ACCT}:key/${KEY_ID}`;
const KEY2 = `arn:aws:kms:us-east-1:${ACCT}:key/0987dcba-09fe-87dc-65ba-ab0987654321`;
const OTHER_KEY = `arn:aws:kms:us-east-1:${OTHER}:key/${KEY_ID}`;
const ALIAS = `arn:aws:kms:us-east-1:${ACCT}:alias/finance`;

const user = (account: string, name: string): PrincipalFacts => {
  const arn = `arn:aws:iam::${account}:user/${name}`;
  return { account, arn, principalArn: arn, isRoot: false };
};
const P = {
  alice: user(ACCT, 'alice'),
  bob: user(OTHER, 'bob'),
  root: { account: ACCT, arn: `arn:aws:iam::${ACCT}:root`, principalArn: `arn:aws:iam::${ACCT}:root`, isRoot: true },
  session: {
    account: ACCT,
    arn: `arn:aws:sts::${ACCT}:assumed-role/Admin/s1`,
    principalArn: `arn:aws:iam::${ACCT}:role/Admin`,
    isRoot: false,
  },
} satisfies Record<string, PrincipalFacts>;

type Ctx = Record<string, string | string[]>;
function context(values: Ctx = {}): ConditionContext {
  const map = new Map<string, string[]>();
  for (const [k, v] of Object.entries(values)) map.set(k.toLowerCase(), Array.isArray(v) ? v : [v]);
  return { get: (k) => map.get(k) };
}

const code = (r: EvalResult): string => (r.deny ? 'D' : '') + (r.allow ? 'A' : '') + (r.allowAccount ? 'a' : '') || '-';

interface Req {
  action?: string;
  resource?: string;
  principal?: PrincipalFacts;
  ctx?: Ctx;
}
function run(kind: PolicyKind, doc: unknown, req: Req = {}): string {
  const policy = compilePolicy(JSON.stringify(doc), kind);
  return code(
    policy.evaluate({
      action: req.action ?? 'kms:Encrypt',
      resource: req.resource ?? KEY,
      principal: req.principal ?? P.alice,
      context: context(req.ctx),
    }),
  );
}

const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const allow = (s: object = {}) => ({ Effect: 'Allow', Action: 'kms:*', Resource: '*', ...s });
const deny = (s: object = {}) => ({ Effect: 'Deny', Action: 'kms:*', Resource: '*', ...s });
const root = (account = ACCT) => `arn:aws:iam::${account}:root`;

describe('identity policies: Action / NotAction', () => {
  const rows: [string, object, Req, string][] = [
    ['exact action', { Action: 'kms:Encrypt' }, {}, 'A'],
    ['other action', { Action: 'kms:Encrypt' }, { action: 'kms:Decrypt' }, '-'],
    ['action names ignore case', { Action: 'KMS:encrypt' }, {}, 'A'],
    ['trailing *', { Action: 'kms:GenerateDataKey*' }, { action: 'kms:GenerateDataKeyWithoutPlaintext' }, 'A'],
    ['trailing * needs the prefix', { Action: 'kms:GenerateDataKey*' }, { action: 'kms:Generate' }, '-'],
    ['? is one character', { Action: 'kms:?ncrypt' }, {}, 'A'],
    ['? is exactly one character', { Action: 'kms:?ncrypt' }, { action: 'kms:Decrypt' }, '-'],
    ['* alone', { Action: '*' }, { action: 'kms:ScheduleKeyDeletion' }, 'A'],
    ['kms:* does not cover another service', { Action: 'kms:*' }, { action: 'iam:CreateUser' }, '-'],
    ['list of actions', { Action: ['kms:Encrypt', 'kms:Decrypt'] }, { action: 'kms:Decrypt' }, 'A'],
    ['NotAction excludes', { Action: undefined, NotAction: 'kms:Decrypt' }, { action: 'kms:Decrypt' }, '-'],
    ['NotAction covers the rest', { Action: undefined, NotAction: 'kms:Decrypt' }, {}, 'A'],
    ['NotAction with wildcard', { Action: undefined, NotAction: 'kms:*' }, {}, '-'],
  ];
  for (const [name, s, req, want] of rows) test(name, () => assert.equal(run('identity', doc(allow(s)), req), want));
});

describe('identity policies: Resource / NotResource', () => {
  const rows: [string, object, Req, string][] = [
    ['exact key ARN', { Resource: KEY }, {}, 'A'],
    ['another key', { Resource: KEY }, { resource: KEY2 }, '-'],
    ['all keys of the account', { Resource: `arn:aws:kms:*:${ACCT}:key/*` }, { resource: KEY2 }, 'A'],
    ['key pattern does not cover an alias', { Resource: `arn:aws:kms:*:${ACCT}:key/*` }, { resource: ALIAS }, '-'],
    ['* ending a segment runs past colons', { Resource: 'arn:aws:kms:us-east-1:*' }, { resource: OTHER_KEY }, 'A'],
    ['* inside a segment stays in it', { Resource: 'arn:aws:kms:us*3333:key/*' }, {}, '-'],
    ['* inside a segment', { Resource: 'arn:aws:kms:us-*-1:1111*3333:key/*' }, {}, 'A'],
    ['resources are case-sensitive', { Resource: `arn:aws:kms:us-east-1:${ACCT}:KEY/*` }, {}, '-'],
    ['* covers an operation on no resource', { Resource: '*' }, { resource: '*' }, 'A'],
    ['an ARN pattern does not cover *', { Resource: 'arn:aws:kms:*' }, { resource: '*' }, '-'],
    ['NotResource excludes', { Resource: undefined, NotResource: KEY }, {}, '-'],
    ['NotResource covers other keys', { Resource: undefined, NotResource: KEY }, { resource: KEY2 }, 'A'],
    ['NotResource covers *', { Resource: undefined, NotResource: KEY }, { resource: '*' }, 'A'],
  ];
  for (const [name, s, req, want] of rows) test(name, () => assert.equal(run('identity', doc(allow(s)), req), want));

  test('only the pattern * covers the resource * (key policies do not check Resource syntax)', () => {
    assert.equal(run('key', doc(allow({ Principal: '*', Resource: '?*' })), { resource: '*' }), '-');
    assert.equal(run('key', doc(allow({ Principal: '*', Resource: '?*' })), { resource: KEY }), 'A');
  });

  test('explicit deny and allow both reported; implicit deny is neither', () => {
    const d = doc(allow(), deny({ Action: 'kms:Decrypt' }));
    assert.equal(run('identity', d, { action: 'kms:Decrypt' }), 'DA');
    assert.equal(run('identity', d, { action: 'kms:Encrypt' }), 'A');
    assert.equal(run('identity', doc(allow({ Action: 'kms:Decrypt' })), {}), '-');
  });
});

describe('key policies: Principal / NotPrincipal', () => {
  const rows: [string, object, PrincipalFacts, string][] = [
    ['account root ARN delegates to IAM', allow({ Principal: { AWS: root() } }), P.alice, 'a'],
    ['account root ARN names the root itself', allow({ Principal: { AWS: root() } }), P.root, 'A'],
    ['account root ARN of another account', allow({ Principal: { AWS: root() } }), P.bob, '-'],
    ['bare account ID', allow({ Principal: { AWS: ACCT } }), P.alice, 'a'],
    ['cross-account root delegates to that account', allow({ Principal: { AWS: root(OTHER) } }), P.bob, 'a'],
    ['user ARN', allow({ Principal: { AWS: P.alice.arn } }), P.alice, 'A'],
    ['user ARN, other caller', allow({ Principal: { AWS: P.alice.arn } }), P.bob, '-'],
    ['role ARN covers its sessions', allow({ Principal: { AWS: `arn:aws:iam::${ACCT}:role/Admin` } }), P.session, 'A'],
    ['role ARN, session of another role', allow({ Principal: { AWS: `arn:aws:iam::${ACCT}:role/Other` } }), P.session, '-'],
    ['assumed-role ARN', allow({ Principal: { AWS: P.session.arn } }), P.session, 'A'],
    ['assumed-role ARN, other session', allow({ Principal: { AWS: `arn:aws:sts::${ACCT}:assumed-role/Admin/s2` } }), P.session, '-'],
    ['"*"', allow({ Principal: '*' }), P.bob, 'A'],
    ['{"AWS": "*"}', allow({ Principal: { AWS: '*' } }), P.bob, 'A'],
    ['user beats account in one list', allow({ Principal: { AWS: [root(), P.alice.arn] } }), P.alice, 'A'],
    ['service principal is never a caller', allow({ Principal: { Service: 'logs.amazonaws.com' } }), P.alice, '-'],
    ['Deny naming the account covers its users', deny({ Principal: { AWS: root() } }), P.alice, 'D'],
    ['Deny naming another account', deny({ Principal: { AWS: root(OTHER) } }), P.alice, '-'],
    ['Deny naming a role covers its sessions', deny({ Principal: { AWS: `arn:aws:iam::${ACCT}:role/Admin` } }), P.session, 'D'],
    ['NotPrincipal Allow, someone else', allow({ NotPrincipal: { AWS: P.alice.arn } }), P.bob, 'A'],
    ['NotPrincipal Allow, the named user', allow({ NotPrincipal: { AWS: P.alice.arn } }), P.alice, '-'],
    ['NotPrincipal account covers its users', deny({ NotPrincipal: { AWS: root() } }), P.alice, '-'],
    ['NotPrincipal account, other account', deny({ NotPrincipal: { AWS: root() } }), P.bob, 'D'],
  ];
  for (const [name, s, principal, want] of rows) test(name, () => assert.equal(run('key', doc(s), { principal }), want));

  test('the default key policy delegates kms:* on any key', () => {
    const d = { Version: '2012-10-17', Id: 'key-default-1', Statement: [{ Sid: 'Enable IAM User Permissions', ...allow({ Principal: { AWS: root() } }) }] };
    assert.equal(run('key', d, { action: 'kms:PutKeyPolicy', principal: P.session }), 'a');
  });

  test('a statement without Action or Resource is accepted and has no effect', () => {
    assert.equal(run('key', doc({ Effect: 'Allow', Principal: '*', Resource: '*' })), '-');
    assert.equal(run('key', doc({ Effect: 'Allow', Principal: '*', Action: 'kms:*' })), '-');
    assert.equal(run('key', doc({ Effect: 'Allow', Principal: '*', Action: [], Resource: '*' })), '-');
  });
});

// [name, Condition, request context, expected] for an identity-policy Allow of kms:* on *.
type Row = [string, object, Ctx | undefined, string];
function conditionTable(title: string, rows: Row[], version = '2012-10-17'): void {
  describe(title, () => {
    for (const [name, Condition, ctx, want] of rows) {
      test(name, () => assert.equal(run('identity', { Version: version, Statement: [allow({ Condition })] }, { ctx }), want));
    }
  });
}

const acct = { 'kms:CallerAccount': ACCT };
conditionTable('string operators', [
  ['StringEquals match', { StringEquals: { 'kms:CallerAccount': ACCT } }, acct, 'A'],
  ['StringEquals mismatch', { StringEquals: { 'kms:CallerAccount': OTHER } }, acct, '-'],
  ['StringEquals missing key', { StringEquals: { 'kms:CallerAccount': ACCT } }, {}, '-'],
  ['StringEquals values OR', { StringEquals: { 'kms:CallerAccount': [OTHER, ACCT] } }, acct, 'A'],
  ['StringEquals is case-sensitive', { StringEquals: { 'aws:ResourceTag/env': 'PROD' } }, { 'aws:resourcetag/env': 'prod' }, '-'],
  ['StringEquals takes * literally', { StringEquals: { 'aws:ResourceTag/env': '*' } }, { 'aws:resourcetag/env': 'prod' }, '-'],
  ['condition key names ignore case', { StringEquals: { 'AWS:RESOURCETAG/Env': 'prod' } }, { 'aws:resourcetag/env': 'prod' }, 'A'],
  ['StringNotEquals on the value', { StringNotEquals: { 'kms:CallerAccount': ACCT } }, acct, '-'],
  ['StringNotEquals on another value', { StringNotEquals: { 'kms:CallerAccount': OTHER } }, acct, 'A'],
  ['StringNotEquals on a missing key', { StringNotEquals: { 'kms:CallerAccount': OTHER } }, {}, 'A'],
  ['StringNotEquals values NOR', { StringNotEquals: { 'kms:CallerAccount': [OTHER, ACCT] } }, acct, '-'],
  ['StringEqualsIgnoreCase', { StringEqualsIgnoreCase: { 'aws:ResourceTag/env': 'PROD' } }, { 'aws:resourcetag/env': 'prod' }, 'A'],
  ['StringNotEqualsIgnoreCase', { StringNotEqualsIgnoreCase: { 'aws:ResourceTag/env': 'PROD' } }, { 'aws:resourcetag/env': 'prod' }, '-'],
  ['StringLike match', { StringLike: { 'kms:RequestAlias': 'alias/test-*' } }, { 'kms:RequestAlias': 'alias/test-1' }, 'A'],
  ['StringLike mismatch', { StringLike: { 'kms:RequestAlias': 'alias/test-*' } }, { 'kms:RequestAlias': 'alias/prod' }, '-'],
  ['StringLike ?', { StringLike: { 'kms:RequestAlias': 'alias/v?' } }, { 'kms:RequestAlias': 'alias/v2' }, 'A'],
  ['StringNotLike', { StringNotLike: { 'kms:RequestAlias': 'alias/test-*' } }, { 'kms:RequestAlias': 'alias/test-1' }, '-'],
  ['StringNotLike missing key', { StringNotLike: { 'kms:RequestAlias': 'alias/test-*' } }, {}, 'A'],
  ['StringEqualsIfExists missing key', { StringEqualsIfExists: { 'kms:CallerAccount': OTHER } }, {}, 'A'],
  ['StringEqualsIfExists present, mismatch', { StringEqualsIfExists: { 'kms:CallerAccount': OTHER } }, acct, '-'],
  ['StringNotEqualsIfExists present, equal', { StringNotEqualsIfExists: { 'kms:CallerAccount': ACCT } }, acct, '-'],
  ['StringLikeIfExists missing key', { StringLikeIfExists: { 'kms:RequestAlias': 'alias/x*' } }, {}, 'A'],
  // Chosen: a plain operator on a key with several values holds when one of them matches.
  ['plain operator, multi-valued key, one matches', { StringEquals: { 'aws:TagKeys': 'b' } }, { 'aws:TagKeys': ['a', 'b'] }, 'A'],
  ['plain negated operator, multi-valued key, one matches', { StringNotEquals: { 'aws:TagKeys': 'b' } }, { 'aws:TagKeys': ['a', 'b'] }, '-'],
]);

const mfa = (age: string) => ({ 'aws:MultiFactorAuthAge': age });
conditionTable('numeric operators', [
  ['NumericLessThan below', { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }, mfa('100'), 'A'],
  ['NumericLessThan above', { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }, mfa('4000'), '-'],
  ['NumericLessThan equal', { NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 } }, mfa('3600'), '-'],
  ['NumericLessThanEquals equal', { NumericLessThanEquals: { 'aws:MultiFactorAuthAge': 3600 } }, mfa('3600'), 'A'],
  ['NumericGreaterThan', { NumericGreaterThan: { 'aws:MultiFactorAuthAge': '10' } }, mfa('11'), 'A'],
  ['NumericGreaterThanEquals below', { NumericGreaterThanEquals: { 'aws:MultiFactorAuthAge': '10' } }, mfa('9.5'), '-'],
  ['NumericEquals compares numbers', { NumericEquals: { 'aws:MultiFactorAuthAge': '10' } }, mfa('10.0'), 'A'],
  ['NumericEquals missing key', { NumericEquals: { 'aws:MultiFactorAuthAge': '10' } }, {}, '-'],
  ['NumericNotEquals', { NumericNotEquals: { 'aws:MultiFactorAuthAge': '10' } }, mfa('11'), 'A'],
  ['NumericNotEquals missing key', { NumericNotEquals: { 'aws:MultiFactorAuthAge': '10' } }, {}, 'A'],
  ['NumericLessThanIfExists missing key', { NumericLessThanIfExists: { 'aws:MultiFactorAuthAge': '10' } }, {}, 'A'],
  ['a request value that is not a number', { NumericLessThan: { 'aws:MultiFactorAuthAge': '10' } }, mfa('abc'), '-'],
]);

const now = (t: string) => ({ 'aws:CurrentTime': t });
conditionTable('date operators', [
  ['DateGreaterThan after', { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, now('2024-05-01T12:00:00Z'), 'A'],
  ['DateGreaterThan before', { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, now('2019-05-01T12:00:00Z'), '-'],
  ['DateLessThan against epoch seconds', { DateLessThan: { 'aws:CurrentTime': '1577836800' } }, now('2019-12-31T23:59:59Z'), 'A'],
  ['DateLessThan epoch, equal instant', { DateLessThan: { 'aws:CurrentTime': 1577836800 } }, now('2020-01-01T00:00:00Z'), '-'],
  ['DateLessThanEquals equal instant', { DateLessThanEquals: { 'aws:CurrentTime': 1577836800 } }, now('2020-01-01T00:00:00Z'), 'A'],
  ['DateEquals date only is midnight UTC', { DateEquals: { 'aws:CurrentTime': '2020-01-01' } }, now('2020-01-01T00:00:00.000Z'), 'A'],
  ['DateEquals with an offset', { DateEquals: { 'aws:CurrentTime': '2020-01-01T01:00:00+01:00' } }, now('2020-01-01T00:00:00Z'), 'A'],
  ['DateNotEquals missing key', { DateNotEquals: { 'aws:CurrentTime': '2020-01-01' } }, {}, 'A'],
  ['DateGreaterThanEquals missing key', { DateGreaterThanEquals: { 'aws:CurrentTime': '2020-01-01' } }, {}, '-'],
  ['DateGreaterThan window AND', { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01' }, DateLessThan: { 'aws:CurrentTime': '2021-01-01' } }, now('2022-01-01T00:00:00Z'), '-'],
]);

const ip = (a: string) => ({ 'aws:SourceIp': a });
conditionTable('Bool, Binary, IP, ARN and Null operators', [
  ['Bool true', { Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': 'true' }, 'A'],
  ['Bool false value', { Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': 'false' }, '-'],
  ['Bool with a JSON boolean', { Bool: { 'aws:SecureTransport': true } }, { 'aws:SecureTransport': 'true' }, 'A'],
  ['Bool missing key', { Bool: { 'aws:SecureTransport': 'true' } }, {}, '-'],
  ['BoolIfExists missing key', { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } }, {}, 'A'],
  ['BinaryEquals', { BinaryEquals: { 'kms:RecipientAttestation:ImageSha384': 'QmluYXJ5' } }, { 'kms:RecipientAttestation:ImageSha384': 'QmluYXJ5' }, 'A'],
  ['IpAddress inside', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, ip('203.0.113.7'), 'A'],
  ['IpAddress outside', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, ip('198.51.100.1'), '-'],
  ['IpAddress single host', { IpAddress: { 'aws:SourceIp': '203.0.113.5' } }, ip('203.0.113.6'), '-'],
  ['IpAddress IPv6 block', { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, ip('2001:db8:1::5'), 'A'],
  ['IpAddress IPv6 outside', { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, ip('2001:db9::1'), '-'],
  ['IpAddress IPv4 caller, IPv6 block', { IpAddress: { 'aws:SourceIp': '::/0' } }, ip('203.0.113.7'), '-'],
  ['NotIpAddress inside', { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '203.0.113.0/24'] } }, ip('203.0.113.7'), '-'],
  ['NotIpAddress outside', { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, ip('198.51.100.1'), 'A'],
  ['NotIpAddress missing key', { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, {}, 'A'],
  ['ArnLike per segment', { ArnLike: { 'aws:SourceArn': `arn:aws:cloudtrail:*:${ACCT}:trail/*` } }, { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${ACCT}:trail/t` }, 'A'],
  ['ArnLike * does not cross a colon', { ArnLike: { 'aws:SourceArn': `arn:aws:cloudtrail:*:${ACCT}:trail/*` } }, { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:x:${ACCT}:trail/t` }, '-'],
  ['ArnLike last segment spans colons', { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::*' } }, { 'aws:SourceArn': 'arn:aws:s3:::bucket/a:b' }, 'A'],
  ['ArnEquals takes wildcards too', { ArnEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:*:${ACCT}:trail/*` } }, { 'aws:SourceArn': `arn:aws:cloudtrail:eu-west-1:${ACCT}:trail/t` }, 'A'],
  ['ArnNotLike', { ArnNotLike: { 'aws:SourceArn': 'arn:aws:s3:::*' } }, { 'aws:SourceArn': 'arn:aws:s3:::b' }, '-'],
  ['ArnNotEquals missing key', { ArnNotEquals: { 'aws:SourceArn': 'arn:aws:s3:::*' } }, {}, 'A'],
  ['Null true, key absent', { Null: { 'aws:TokenIssueTime': 'true' } }, {}, 'A'],
  ['Null true, key present', { Null: { 'aws:TokenIssueTime': 'true' } }, { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' }, '-'],
  ['Null false, key present', { Null: { 'aws:ResourceTag/Project': 'false' } }, { 'aws:ResourceTag/Project': 'x' }, 'A'],
  ['Null false, key absent', { Null: { 'aws:ResourceTag/Project': false } }, {}, '-'],
]);

const tags = (...keys: string[]) => ({ 'aws:TagKeys': keys });
const aliases = (...names: string[]) => ({ 'kms:ResourceAliases': names });
conditionTable('ForAnyValue / ForAllValues on aws:TagKeys and kms:ResourceAliases', [
  ['ForAnyValue one matches', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['Project', 'Owner'] } }, tags('Project', 'Cost'), 'A'],
  ['ForAnyValue none matches', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['Project', 'Owner'] } }, tags('Cost'), '-'],
  ['ForAnyValue missing key', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'Project' } }, {}, '-'],
  ['ForAnyValue empty key', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'Project' } }, tags(), '-'],
  ['ForAllValues all allowed', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['Project', 'Owner'] } }, tags('Owner', 'Project'), 'A'],
  ['ForAllValues one not allowed', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['Project', 'Owner'] } }, tags('Project', 'Cost'), '-'],
  ['ForAllValues missing key', { 'ForAllValues:StringEquals': { 'aws:TagKeys': 'Project' } }, {}, 'A'],
  ['ForAllValues empty key', { 'ForAllValues:StringEquals': { 'aws:TagKeys': 'Project' } }, tags(), 'A'],
  ['ForAnyValue:StringNotEquals', { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': 'Project' } }, tags('Project', 'Owner'), 'A'],
  ['ForAnyValue:StringNotEquals, only the value', { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': 'Project' } }, tags('Project'), '-'],
  ['ForAllValues:StringNotEquals', { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': 'Secret' } }, tags('a', 'b'), 'A'],
  ['ForAllValues:StringNotEquals hits', { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': 'Secret' } }, tags('a', 'Secret'), '-'],
  ['ForAnyValue:StringEqualsIgnoreCase', { 'forAnyValue:StringEqualsIgnoreCase': { 'aws:TagKeys': 'project' } }, tags('PROJECT'), 'A'],
  ['ForAnyValue:StringLike alias', { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/finance-*' } }, aliases('alias/a', 'alias/finance-x'), 'A'],
  ['ForAnyValue:StringLike no alias matches', { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/finance-*' } }, aliases('alias/a'), '-'],
  ['ForAnyValue:StringLike key has no aliases', { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/finance-*' } }, {}, '-'],
  ['ForAllValues:StringLike all aliases match', { 'ForAllValues:StringLike': { 'kms:ResourceAliases': 'alias/finance-*' } }, aliases('alias/finance-1', 'alias/finance-2'), 'A'],
  ['ForAllValues:StringLike an alias outside', { 'ForAllValues:StringLike': { 'kms:ResourceAliases': 'alias/finance-*' } }, aliases('alias/finance-1', 'alias/other'), '-'],
  ['ForAllValues:StringLike no aliases', { 'ForAllValues:StringLike': { 'kms:ResourceAliases': 'alias/finance-*' } }, aliases(), 'A'],
  ['ForAnyValue:StringEqualsIfExists missing key', { 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': 'x' } }, {}, 'A'],
]);

const tag = (k: string, v: string) => ({ [`aws:ResourceTag/${k}`]: v });
conditionTable('aws:ResourceTag and AND / OR', [
  ['tag matches', { StringEquals: { 'aws:ResourceTag/Project': 'alpha' } }, tag('Project', 'alpha'), 'A'],
  ['tag differs', { StringEquals: { 'aws:ResourceTag/Project': 'alpha' } }, tag('Project', 'beta'), '-'],
  ['tag missing', { StringEquals: { 'aws:ResourceTag/Project': 'alpha' } }, {}, '-'],
  ['two keys AND, both hold', { StringEquals: { 'aws:ResourceTag/Project': 'alpha', 'kms:CallerAccount': ACCT } }, { ...tag('Project', 'alpha'), ...acct }, 'A'],
  ['two keys AND, one fails', { StringEquals: { 'aws:ResourceTag/Project': 'alpha', 'kms:CallerAccount': OTHER } }, { ...tag('Project', 'alpha'), ...acct }, '-'],
  ['two operators AND, one fails', { StringEquals: { 'aws:ResourceTag/Project': 'alpha' }, Bool: { 'aws:SecureTransport': 'true' } }, tag('Project', 'alpha'), '-'],
  ['empty Condition holds', {}, {}, 'A'],
]);

test('a Deny on a missing tag through StringNotEquals applies', () => {
  const d = doc(allow(), deny({ Condition: { StringNotEquals: { 'aws:ResourceTag/Project': 'alpha' } } }));
  assert.equal(run('identity', d, { ctx: {} }), 'DA');
  assert.equal(run('identity', d, { ctx: tag('Project', 'alpha') }), 'A');
});

const who = { 'aws:username': 'alice', 'aws:PrincipalTag/team': 'blue' };
conditionTable('policy variables in conditions', [
  ['${aws:username}', { StringEquals: { 'aws:ResourceTag/Owner': '${aws:username}' } }, { ...who, ...tag('Owner', 'alice') }, 'A'],
  ['${aws:username} differs', { StringEquals: { 'aws:ResourceTag/Owner': '${aws:username}' } }, { ...who, ...tag('Owner', 'bob') }, '-'],
  ['${aws:username} without a value matches nothing', { StringEquals: { 'aws:ResourceTag/Owner': '${aws:username}' } }, tag('Owner', ''), '-'],
  ['default value', { StringEquals: { 'aws:ResourceTag/Owner': "${aws:username, 'nobody'}" } }, tag('Owner', 'nobody'), 'A'],
  ['${aws:PrincipalTag/team}', { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } }, { ...who, ...tag('team', 'blue') }, 'A'],
  ['${aws:PrincipalTag/team} differs', { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } }, { ...who, ...tag('team', 'red') }, '-'],
  ['variable inside StringLike', { StringLike: { 'kms:RequestAlias': 'alias/${aws:username}-*' } }, { ...who, 'kms:RequestAlias': 'alias/alice-1' }, 'A'],
  ['variable values are literal, not wildcards', { StringLike: { 'kms:RequestAlias': '${aws:PrincipalTag/team}' } }, { 'aws:PrincipalTag/team': 'a*', 'kms:RequestAlias': 'abc' }, '-'],
  ['${*} is a literal asterisk', { StringLike: { 'kms:RequestAlias': 'a${*}b' } }, { 'kms:RequestAlias': 'a*b' }, 'A'],
  ['${*} is not a wildcard', { StringLike: { 'kms:RequestAlias': 'a${*}b' } }, { 'kms:RequestAlias': 'axb' }, '-'],
  ['${?} and ${$}', { StringEquals: { 'kms:RequestAlias': '${?}${$}' } }, { 'kms:RequestAlias': '?$' }, 'A'],
  // Chosen: an unresolved value matches nothing, so a negated operator holds.
  ['unresolved variable in StringNotEquals', { StringNotEquals: { 'aws:ResourceTag/Owner': '${aws:username}' } }, tag('Owner', 'alice'), 'A'],
]);

conditionTable(
  'no policy variables in Version 2008-10-17',
  [
    ['${aws:username} is literal text', { StringEquals: { 'aws:ResourceTag/Owner': '${aws:username}' } }, { ...who, ...tag('Owner', 'alice') }, '-'],
    ['literal text matches itself', { StringEquals: { 'aws:ResourceTag/Owner': '${aws:username}' } }, { ...who, ...tag('Owner', '${aws:username}') }, 'A'],
  ],
  '2008-10-17',
);

describe('policy variables in Resource', () => {
  const d = doc(allow({ Resource: `arn:aws:kms:us-east-1:${ACCT}:key/\${aws:PrincipalTag/key-id}` }));
  test('resolved from the context', () => assert.equal(run('identity', d, { ctx: { 'aws:PrincipalTag/key-id': KEY_ID } }), 'A'));
  test('another key', () => assert.equal(run('identity', d, { ctx: { 'aws:PrincipalTag/key-id': 'x' } }), '-'));
  test('unresolved matches nothing', () => assert.equal(run('identity', d, { ctx: {} }), '-'));
  test('${?} in a Resource is a literal question mark', () => {
    const q = doc(allow({ Resource: `arn:aws:kms:us-east-1:${ACCT}:alias/a\${?}` }));
    assert.equal(run('identity', q, { resource: `arn:aws:kms:us-east-1:${ACCT}:alias/a?` }), 'A');
    assert.equal(run('identity', q, { resource: `arn:aws:kms:us-east-1:${ACCT}:alias/ab` }), '-');
  });
  test('NotResource with an unresolved variable excludes nothing', () =>
    assert.equal(run('identity', doc(allow({ Resource: undefined, NotResource: 'arn:aws:kms:*:*:key/${aws:username}' })), {}), 'A'));
});

describe('key policies with conditions', () => {
  const d = doc(allow({ Principal: { AWS: root() }, Condition: { StringEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } } }));
  test('condition holds', () => assert.equal(run('key', d, { ctx: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } }), 'a'));
  test('condition fails', () => assert.equal(run('key', d, { ctx: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }), '-'));
});

test('referencedKeys lists condition keys and variable keys in lower case', () => {
  const p = compilePolicy(
    JSON.stringify(
      doc(
        allow({
          Resource: 'arn:aws:kms:*:*:key/${aws:PrincipalTag/KeyId}',
          Condition: { StringEquals: { 'aws:ResourceTag/Project': '${aws:username}' }, 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/*' } },
        }),
      ),
    ),
    'identity',
  );
  assert.deepEqual([...p.referencedKeys].sort(), ['aws:principaltag/keyid', 'aws:resourcetag/project', 'aws:username', 'kms:resourcealiases']);
});

describe('cachedPolicy', () => {
  const text = JSON.stringify(doc(allow({ Principal: '*' })));
  test('the same text and kind give the same compiled policy', () => {
    assert.equal(cachedPolicy(text, 'key'), cachedPolicy(text, 'key'));
    assert.equal(cachedPolicy(text, 'key').kind, 'key');
  });
  test('kind is part of the key', () => {
    const identity = JSON.stringify(doc(allow()));
    assert.notEqual(cachedPolicy(identity, 'identity'), compilePolicy(identity, 'identity'));
    assert.equal(cachedPolicy(identity, 'identity').kind, 'identity');
  });
  test('holds at most 1000 policies, evicting the least recently used', () => {
    const text = (sid: string) => JSON.stringify(doc(allow({ Sid: sid })));
    const kept = cachedPolicy(text('first'), 'identity');
    const old = cachedPolicy(text('s0'), 'identity');
    for (let i = 1; i < 1200; i++) {
      cachedPolicy(text(`s${i}`), 'identity');
      if (i % 100 === 0) cachedPolicy(text('first'), 'identity'); // recently used: survives
    }
    assert.equal(cachedPolicyCount('identity'), 1000);
    assert.equal(cachedPolicy(text('first'), 'identity'), kept);
    assert.notEqual(cachedPolicy(text('s0'), 'identity'), old, 'the oldest entry was evicted and compiled again');
    assert.equal(cachedPolicy(text('s1199'), 'identity'), cachedPolicy(text('s1199'), 'identity'));
  });
});
