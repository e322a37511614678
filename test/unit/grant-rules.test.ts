// Units of the grant rules the authorizer and CreateGrant rely on: grantPermits (constraints per operation),
// isAtLeastAsStrict (child grants), granteeMatch (principal vs account), and grant tokens.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isKmsError } from '../../src/errors.ts';
import { granteeMatch, grantPermits, isAtLeastAsStrict } from '../../src/keys/grant-rules.ts';
import { issueGrantToken, parseGrantToken } from '../../src/keys/grant-token.ts';
import { createMarkers } from '../../src/keys/marker.ts';
import type { GrantConstraints, GrantRecord } from '../../src/store/store.ts';

const grant = (operations: string[], constraints?: GrantConstraints): GrantRecord => ({
  account: '111122223333',
  region: 'us-east-1',
  keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
  grantId: 'a'.repeat(64),
  createdAt: 0,
  granteePrincipal: 'arn:aws:iam::111122223333:role/app',
  issuingAccount: 'arn:aws:iam::111122223333:root',
  operations,
  ...(constraints ? { constraints } : {}),
});

describe('grantPermits', () => {
  test('only the operations the grant lists', () => {
    const g = grant(['Encrypt', 'ReEncryptFrom']);
    assert.equal(grantPermits(g, 'Encrypt', undefined), true);
    assert.equal(grantPermits(g, 'ReEncryptFrom', { a: '1' }), true);
    assert.equal(grantPermits(g, 'ReEncryptTo', undefined), false);
    assert.equal(grantPermits(g, 'Decrypt', undefined), false);
  });

  test('EncryptionContextSubset: every constraint pair (keys ignoring case, values exact), extra pairs allowed', () => {
    const g = grant(['Decrypt', 'GenerateDataKey'], { encryptionContextSubset: { Department: 'Finance', Classification: 'Public' } });
    // The examples of DG grants.html.
    assert.equal(grantPermits(g, 'Decrypt', { Department: 'Finance', Classification: 'Public' }), true);
    assert.equal(grantPermits(g, 'Decrypt', { Classification: 'Public', Department: 'Finance' }), true);
    assert.equal(grantPermits(g, 'GenerateDataKey', { Customer: '12345', Department: 'Finance', Classification: 'Public', Purpose: 'Test' }), true);
    assert.equal(grantPermits(g, 'Decrypt', { Department: 'Finance' }), false);
    assert.equal(grantPermits(g, 'Decrypt', { department: 'finance', classification: 'public' }), false);
    // "the key in each key-value pair is not case sensitive, but the value is case sensitive" (API_GrantConstraints).
    assert.equal(grantPermits(g, 'Decrypt', { department: 'Finance', CLASSIFICATION: 'Public' }), true);
    assert.equal(grantPermits(g, 'Decrypt', { Classification: 'Public', Customer: '12345' }), false);
    assert.equal(grantPermits(g, 'Decrypt', undefined), false);
  });

  test('EncryptionContextEquals: the same pairs exactly; an empty constraint wants no context', () => {
    const g = grant(['Decrypt'], { encryptionContextEquals: { Department: 'IT' } });
    assert.equal(grantPermits(g, 'Decrypt', { Department: 'IT' }), true);
    assert.equal(grantPermits(g, 'Decrypt', { Department: 'IT', Purpose: 'Test' }), false);
    assert.equal(grantPermits(g, 'Decrypt', { department: 'IT' }), true);
    assert.equal(grantPermits(g, 'Decrypt', { Department: 'it' }), false);
    assert.equal(grantPermits(g, 'Decrypt', {}), false);
    const empty = grant(['Encrypt'], { encryptionContextEquals: {} });
    assert.equal(grantPermits(empty, 'Encrypt', undefined), true);
    assert.equal(grantPermits(empty, 'Encrypt', { a: '1' }), false);
  });

  test('constraints do not apply to DescribeKey, RetireGrant and CreateGrant', () => {
    const g = grant(['Decrypt', 'DescribeKey', 'RetireGrant', 'CreateGrant'], { encryptionContextEquals: { a: '1' } });
    for (const op of ['DescribeKey', 'RetireGrant', 'CreateGrant']) assert.equal(grantPermits(g, op, undefined), true, op);
  });
});

describe('isAtLeastAsStrict', () => {
  test('operations must be some or all of the parent’s', () => {
    const parent = grant(['GenerateDataKey', 'Decrypt', 'CreateGrant']);
    assert.equal(isAtLeastAsStrict(parent, ['Decrypt', 'CreateGrant'], undefined), true);
    assert.equal(isAtLeastAsStrict(parent, ['Decrypt', 'Encrypt'], undefined), false);
  });

  test('a Subset parent: the child may add pairs or turn it into Equals, never drop pairs', () => {
    const parent = grant(['Decrypt', 'CreateGrant'], { encryptionContextSubset: { Department: 'IT' } });
    assert.equal(isAtLeastAsStrict(parent, ['Decrypt'], { encryptionContextSubset: { Department: 'IT' } }), true);
    assert.equal(isAtLeastAsStrict(parent, ['Decrypt'], { encryptionContextSubset: { Department: 'IT', Team: 'a' } }), true);
    assert.equal(isAtLeastAsStrict(parent, ['Decrypt'], { encryptionContextEquals: { Department: 'IT' } }), true);
    assert.equal(isAtLeastAsStrict(parent, ['Decrypt'], { encryptionContextSubset: { Team: 'a' } }), false);
    assert.equal(isAtLeastAsStrict(parent, ['Decrypt'], undefined), false);
  });

  test('an Equals parent: only the same Equals constraint', () => {
    const parent = grant(['Decrypt', 'CreateGrant'], { encryptionContextEquals: { Department: 'IT' } });
    assert.equal(isAtLeastAsStrict(parent, ['Decrypt'], { encryptionContextEquals: { Department: 'IT' } }), true);
    assert.equal(isAtLeastAsStrict(parent, ['Decrypt'], { encryptionContextSubset: { Department: 'IT' } }), false);
    assert.equal(isAtLeastAsStrict(parent, ['Decrypt'], { encryptionContextEquals: { Department: 'IT', b: 'c' } }), false);
  });
});

describe('granteeMatch', () => {
  const session = {
    arn: 'arn:aws:sts::111122223333:assumed-role/app/s1',
    principalArn: 'arn:aws:iam::111122223333:role/app',
    accountId: '111122223333',
  };
  const rootCaller = { arn: 'arn:aws:iam::111122223333:root', principalArn: 'arn:aws:iam::111122223333:root', accountId: '111122223333' };

  test('the caller’s ARN or its role ARN is the principal; the account root or ID is the account', () => {
    assert.equal(granteeMatch('arn:aws:sts::111122223333:assumed-role/app/s1', session), 'principal');
    assert.equal(granteeMatch('arn:aws:iam::111122223333:role/app', session), 'principal');
    assert.equal(granteeMatch('arn:aws:iam::111122223333:root', session), 'account');
    assert.equal(granteeMatch('111122223333', session), 'account');
    assert.equal(granteeMatch('arn:aws:iam::111122223333:role/other', session), undefined);
    assert.equal(granteeMatch('arn:aws:iam::444455556666:root', session), undefined);
    assert.equal(granteeMatch('444455556666', session), undefined);
  });

  test('the account root is itself the principal an account ID or root ARN names', () => {
    assert.equal(granteeMatch('111122223333', rootCaller), 'principal');
    assert.equal(granteeMatch('arn:aws:iam::111122223333:root', rootCaller), 'principal');
  });
});

describe('grant tokens', () => {
  const markers = createMarkers(Buffer.alloc(32, 7));

  test('each token is new and names its grant', () => {
    const id = 'b'.repeat(64);
    const [a, b] = [issueGrantToken(markers, id), issueGrantToken(markers, id)];
    assert.notEqual(a, b);
    assert.equal(parseGrantToken(markers, a), id);
    assert.equal(parseGrantToken(markers, b), id);
  });

  test('tokens of another secret, markers of listings, and garbage are InvalidGrantTokenException', () => {
    const other = createMarkers(Buffer.alloc(32, 8));
    for (const token of [issueGrantToken(other, 'c'.repeat(64)), markers.issue('ListGrants:x', '1'), 'garbage', '']) {
      assert.throws(
        () => parseGrantToken(markers, token),
        (e: unknown) => isKmsError(e) && e.type === 'InvalidGrantTokenException' && e.message === 'Invalid grant token.',
        token,
      );
    }
  });
});
