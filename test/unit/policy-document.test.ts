// compilePolicy's validation: malformed key and identity policies fail with PolicyDocumentError and
// the exact MalformedPolicyDocumentException text (sources in src/policy/messages.ts); valid ones compile.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compilePolicy } from '../../src/policy/compile.ts';
import { PolicyDocumentError, type PolicyKind } from '../../src/policy/types.ts';

const ACCT = '111122223333';
const OTHER = '444455556666';
const ROOT = `arn:aws:iam::${ACCT}:root`;
const ALICE = `arn:aws:iam::${ACCT}:user/alice`;

const stmt = (s: object = {}) => ({ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*', ...s });
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const key = (s: object) => doc(stmt(s));
const cond = (Condition: unknown) => key({ Condition });
const text = (d: unknown) => (typeof d === 'string' ? d : JSON.stringify(d));

function rejects(kind: PolicyKind, d: unknown, message: string, isKnownPrincipal?: (arn: string) => boolean): void {
  assert.throws(
    () => compilePolicy(text(d), kind, isKnownPrincipal ? { isKnownPrincipal } : undefined),
    (e: unknown) => {
      assert.ok(e instanceof PolicyDocumentError, `expected a PolicyDocumentError, got ${String(e)}`);
      assert.equal(e.message, message);
      return true;
    },
  );
}

const NOT_JSON = 'The new key policy is not valid JSON.';
const NOT_OBJECT = 'The new key policy must be a JSON object.';
const INVALID_PRINCIPALS = 'Policy contains a statement with one or more invalid principals.';
const NO_PRINCIPAL = 'Policy contains a statement with no principal.';
const BAD_EFFECT = 'Policy contains a statement with a missing or invalid Effect.';
const BAD_CONDITION = 'Policy contains a statement with an invalid Condition element.';
const NOT_PERMITTED = 'These condition keys are not permitted in a key policy: aws:ResourceTag, kms:ResourceTag, kms:ResourceAliases';

describe('key policies: malformed documents', () => {
  const rows: [string, unknown, string][] = [
    ['not JSON', 'not json', NOT_JSON],
    ['truncated JSON', '{"Version": "2012-10-17", "Statement": [', NOT_JSON],
    ['a JSON array', '[]', NOT_OBJECT],
    ['a JSON string', '"policy"', NOT_OBJECT],
    ['JSON null', 'null', NOT_OBJECT],
    ['unknown top-level element', { ...key({}), Extra: 1 }, 'Policy contains an unsupported element: Extra.'],
    ['element names are case-sensitive', { version: '2012-10-17', Statement: [stmt()] }, 'Policy contains an unsupported element: version.'],
    ['unknown Version', { ...key({}), Version: '2013-10-17' }, 'Policy contains an unsupported Version. Use 2012-10-17 or 2008-10-17.'],
    ['Version not a string', { ...key({}), Version: 2012 }, 'Policy contains an unsupported Version. Use 2012-10-17 or 2008-10-17.'],
    ['Id not a string', { ...key({}), Id: ['a'] }, 'Policy contains an invalid Id element.'],
    ['no Statement', { Version: '2012-10-17' }, 'Policy contains no statements.'],
    ['empty Statement', doc(), 'Policy contains no statements.'],
    ['a statement that is a string', { Version: '2012-10-17', Statement: ['x'] }, 'Policy contains a statement that is not a JSON object.'],
    ['unknown statement element', key({ Foo: 1 }), 'Policy contains a statement with an unsupported element: Foo.'],
    ['lower-case statement element', key({ effect: 'Allow' }), 'Policy contains a statement with an unsupported element: effect.'],
    ['missing Effect', key({ Effect: undefined }), BAD_EFFECT],
    ['Effect in the wrong case', key({ Effect: 'allow' }), BAD_EFFECT],
    ['Effect not a string', key({ Effect: true }), BAD_EFFECT],
    ['Sid not a string', key({ Sid: 5 }), 'Policy contains a statement with an invalid Sid element.'],
    ['duplicate Sid', doc(stmt({ Sid: 'a' }), stmt({ Sid: 'a' })), 'Statement IDs (SID) in a single policy must be unique.'],
    ['Action and NotAction', key({ NotAction: 'kms:Decrypt' }), 'Policy contains a statement with both Action and NotAction.'],
    ['Resource and NotResource', key({ NotResource: '*' }), 'Policy contains a statement with both Resource and NotResource.'],
    ['Action a number', key({ Action: 5 }), 'Policy contains a statement with an invalid Action element.'],
    ['Action a nested list', key({ Action: [['kms:Encrypt']] }), 'Policy contains a statement with an invalid Action element.'],
    ['Resource an object', key({ Resource: { a: '*' } }), 'Policy contains a statement with an invalid Resource element.'],
    ['Action without a vendor', key({ Action: 'Encrypt' }), 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
    ['empty Action', key({ Action: '' }), 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
    ['Action with two colons', key({ Action: 'kms:Encrypt:x' }), 'Actions/Condition can contain only one colon.'],
    ['Action with a bad vendor', key({ Action: 'k ms:Encrypt' }), 'Vendor k ms is not valid'],
  ];
  for (const [name, d, message] of rows) test(name, () => rejects('key', d, message));
});

describe('key policies: principals', () => {
  const rows: [string, object, string][] = [
    ['no Principal', { Principal: undefined }, NO_PRINCIPAL],
    ['empty AWS list', { Principal: { AWS: [] } }, NO_PRINCIPAL],
    ['empty Principal object', { Principal: {} }, NO_PRINCIPAL],
    ['Principal and NotPrincipal', { NotPrincipal: { AWS: ALICE } }, 'Policy contains a statement with both Principal and NotPrincipal.'],
    ['a bare ARN string', { Principal: ROOT }, INVALID_PRINCIPALS],
    ['a list at the top', { Principal: ['*'] }, INVALID_PRINCIPALS],
    ['a group', { Principal: { AWS: `arn:aws:iam::${ACCT}:group/admins` } }, INVALID_PRINCIPALS],
    ['a unique ID', { Principal: { AWS: 'AIDACKCEVSQ6C2EXAMPLE' } }, INVALID_PRINCIPALS],
    ['a wildcard role', { Principal: { AWS: `arn:aws:iam::${ACCT}:role/*` } }, INVALID_PRINCIPALS],
    ['an 11-digit account', { Principal: { AWS: '11112222333' } }, INVALID_PRINCIPALS],
    ['a user without a name', { Principal: { AWS: `arn:aws:iam::${ACCT}:user/` } }, INVALID_PRINCIPALS],
    ['a session without a session name', { Principal: { AWS: `arn:aws:sts::${ACCT}:assumed-role/Admin` } }, INVALID_PRINCIPALS],
    ['a number', { Principal: { AWS: 111122223333 } }, INVALID_PRINCIPALS],
    ['a canonical user', { Principal: { CanonicalUser: 'abc' } }, INVALID_PRINCIPALS],
    ['an empty service', { Principal: { Service: '' } }, INVALID_PRINCIPALS],
    ['NotPrincipal with a bad entry', { Principal: undefined, NotPrincipal: { AWS: 'alice' } }, INVALID_PRINCIPALS],
  ];
  for (const [name, s, message] of rows) test(name, () => rejects('key', key(s), message));

  test('isKnownPrincipal is asked about every AWS principal but "*", in ARN form', () => {
    const asked: string[] = [];
    compilePolicy(
      text(
        doc(
          stmt({ Principal: { AWS: [ACCT, `arn:aws:iam::${OTHER}:root`, ALICE, '*'], Service: 'logs.amazonaws.com' } }),
          stmt({ Principal: undefined, NotPrincipal: { AWS: `arn:aws:sts::${ACCT}:assumed-role/Admin/s1` } }),
        ),
      ),
      'key',
      { isKnownPrincipal: (arn) => (asked.push(arn), true) },
    );
    assert.deepEqual(asked, [ROOT, `arn:aws:iam::${OTHER}:root`, ALICE, `arn:aws:sts::${ACCT}:assumed-role/Admin/s1`]);
  });

  test('a principal isKnownPrincipal does not know is invalid', () => {
    rejects('key', key({ Principal: { AWS: [ROOT, ALICE] } }), INVALID_PRINCIPALS, (arn) => arn !== ALICE);
  });

  test('without isKnownPrincipal any well-formed principal is accepted', () => {
    assert.doesNotThrow(() => compilePolicy(text(key({ Principal: { AWS: ALICE } })), 'key'));
  });
});

describe('key policies: conditions', () => {
  const rows: [string, unknown, string][] = [
    ['Condition a string', 'x', BAD_CONDITION],
    ['Condition a list', [{ StringEquals: { a: 'b' } }], BAD_CONDITION],
    ['operator body a string', { StringEquals: 'x' }, BAD_CONDITION],
    ['value an object', { StringEquals: { 'kms:CallerAccount': {} } }, BAD_CONDITION],
    ['value list with null', { StringEquals: { 'kms:CallerAccount': [null] } }, BAD_CONDITION],
    ['unknown operator', { StringEqualz: { 'kms:CallerAccount': ACCT } }, 'Policy contains a statement with an unsupported condition operator: StringEqualz.'],
    ['NullIfExists', { NullIfExists: { 'kms:CallerAccount': 'true' } }, 'Policy contains a statement with an unsupported condition operator: NullIfExists.'],
    ['unknown set qualifier', { 'ForSomeValues:StringEquals': { 'aws:TagKeys': 'a' } }, 'Policy contains a statement with an unsupported condition operator: ForSomeValues:StringEquals.'],
    ['double colon', { 'ForAnyValue::StringEquals': { 'aws:TagKeys': 'a' } }, 'Policy contains a statement with an unsupported condition operator: ForAnyValue::StringEquals.'],
    ['a date that is not a date', { DateGreaterThan: { 'aws:CurrentTime': 'yesterday' } }, 'Policy contains a statement with an invalid value for condition operator DateGreaterThan: yesterday.'],
    ['a number that is not a number', { NumericLessThan: { 'kms:GrantCount': 'ten' } }, 'Policy contains a statement with an invalid value for condition operator NumericLessThan: ten.'],
    ['a CIDR prefix too long', { IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } }, 'Policy contains a statement with an invalid value for condition operator IpAddress: 10.0.0.0/33.'],
    ['an IPv4 octet too large', { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '300.1.1.1'] } }, 'Policy contains a statement with an invalid value for condition operator NotIpAddress: 300.1.1.1.'],
    ['Null with neither true nor false', { Null: { 'aws:TokenIssueTime': 'maybe' } }, 'Policy contains a statement with an invalid value for condition operator Null: maybe.'],
    ['aws:ResourceTag in a key policy', { StringEquals: { 'aws:ResourceTag/Project': 'a' } }, NOT_PERMITTED],
    ['kms:ResourceAliases in a key policy', { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/*' } }, NOT_PERMITTED],
    ['kms:ResourceAliases in any case', { 'ForAllValues:StringLike': { 'KMS:resourcealiases': 'alias/*' } }, NOT_PERMITTED],
  ];
  for (const [name, c, message] of rows) test(name, () => rejects('key', cond(c), message));
});

describe('identity policies: IAM texts', () => {
  const ok = { Effect: 'Allow', Action: 'kms:*', Resource: '*' };
  const id = (s: object) => doc({ ...ok, ...s });
  const rows: [string, unknown, string][] = [
    ['not JSON', '{', 'Syntax errors in policy.'],
    ['not an object', '[]', 'Syntax errors in policy.'],
    ['unknown element', { ...id({}), Extra: 1 }, 'Syntax errors in policy.'],
    ['unknown Version', { ...id({}), Version: '2013-10-17' }, 'Syntax errors in policy.'],
    ['empty Statement', doc(), 'Syntax errors in policy.'],
    ['Effect invalid', id({ Effect: 'invalid' }), 'Syntax errors in policy.'],
    ['Effect in the wrong case', id({ Effect: 'denY' }), 'The policy failed legacy parsing'],
    ['a Principal', id({ Principal: { AWS: ROOT } }), 'Policy document should not specify a principal.'],
    ['a NotPrincipal', id({ NotPrincipal: '*' }), 'Policy document should not specify a principal.'],
    ['no Action', id({ Action: undefined }), 'Policy statement must contain actions.'],
    ['empty Action list', id({ Action: [] }), 'Policy statement must contain actions.'],
    ['no Resource', id({ Resource: undefined }), 'Policy statement must contain resources.'],
    ['empty Resource list', id({ Resource: [] }), 'Policy statement must contain resources.'],
    ['Resource not an ARN', id({ Resource: 'invalid resource' }), 'Resource invalid resource must be in ARN format or "*".'],
    ['Action without vendor', id({ Action: 'invalid' }), 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
    ['unknown operator', id({ Condition: { x: { a: '1' } } }), 'Syntax errors in policy.'],
    ['bad date', id({ Condition: { DateGreaterThan: { 'aws:CurrentTime': 'sdfdsf' } } }), 'The policy failed legacy parsing'],
    ['duplicate Sid', doc({ ...ok, Sid: 'x' }, { ...ok, Sid: 'x' }), 'Statement IDs (SID) in a single policy must be unique.'],
  ];
  for (const [name, d, message] of rows) test(name, () => rejects('identity', d, message));
});

describe('valid documents compile', () => {
  const rows: [string, PolicyKind, unknown][] = [
    ['the default key policy', 'key', { Version: '2012-10-17', Id: 'key-default-1', Statement: [{ Sid: 'Enable IAM User Permissions', ...stmt() }] }],
    ['a single statement object', 'key', { Version: '2012-10-17', Statement: stmt() }],
    ['no Version', 'key', { Statement: [stmt()] }],
    ['Version 2008-10-17', 'key', { Version: '2008-10-17', Statement: [stmt()] }],
    ['every principal form', 'key', key({ Principal: { AWS: ['*', ACCT, ROOT, ALICE, `arn:aws:iam::${ACCT}:user/division/team/bob`, `arn:aws:iam::${ACCT}:role/path/Admin`, `arn:aws:sts::${ACCT}:assumed-role/Admin/session-1`, `arn:aws:sts::${ACCT}:federated-user/carol`], Service: ['logs.amazonaws.com'], Federated: 'cognito-identity.amazonaws.com' } })],
    ['Principal "*"', 'key', key({ Principal: '*' })],
    ['an empty Condition', 'key', cond({})],
    ['an operator with no keys', 'key', cond({ StringEquals: {} })],
    ['JSON numbers and booleans as values', 'key', cond({ Bool: { 'aws:SecureTransport': false }, NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 } })],
    ['every operator family', 'key', cond({ StringLikeIfExists: { 'kms:RequestAlias': 'alias/*' }, DateLessThan: { 'aws:CurrentTime': 1577836800 }, IpAddress: { 'aws:SourceIp': ['2001:db8::/32', '::ffff:192.0.2.0/120', '10.0.0.1'] }, ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::*' }, BinaryEquals: { 'kms:X': 'QQ==' }, Null: { 'aws:TokenIssueTime': 'true' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a'] } })],
    ['operator names in another case', 'key', cond({ stringequals: { 'kms:CallerAccount': ACCT } })],
    ['a statement with no Action (no effect)', 'key', key({ Action: undefined })],
    ['aws:ResourceTag in an identity policy', 'identity', doc({ Effect: 'Allow', Action: 'kms:*', Resource: 'arn:aws:kms:*:*:key/*', Condition: { StringEquals: { 'aws:ResourceTag/P': 'a' } } })],
  ];
  for (const [name, kind, d] of rows) test(name, () => assert.doesNotThrow(() => compilePolicy(text(d), kind)));
});
