// Using a key of account A from account B, through the real SDK: A's key policy must allow B (its root or
// a principal of B) and B's IAM policies must allow the caller too; denies on either side win; grants to
// principals of B (DG key-policy-modifying-external-accounts.md, cross-account-grants).
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
  type CreateKeyCommandInput,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  allow,
  deny,
  keyPolicyText,
  keyStatement,
  policy,
  role,
  root,
  rootArn,
  rootStatement,
  user,
  type TestPrincipal,
} from '../helpers/principals.ts';
import { REGION, startTestServer } from '../helpers/server.ts';

const A_KEYS = `arn:aws:kms:*:${ACCOUNT_A}:key/*`;
const adminA = root(ACCOUNT_A);
const adminB = root(ACCOUNT_B);
const bob = user(ACCOUNT_B, 'bob', { policies: [policy(allow(['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant'], A_KEYS))] });
const bea = user(ACCOUNT_B, 'bea');
const bDenied = user(ACCOUNT_B, 'b-denied', { policies: [policy(allow('kms:*'), deny('kms:Encrypt', A_KEYS))] });
const bRole = role(ACCOUNT_B, 'Consumer', { policies: [policy(allow('kms:Encrypt', A_KEYS))] });
const ana = user(ACCOUNT_A, 'ana', { policies: [policy(allow('kms:*'))] });

const t = await startTestServer({ principals: [adminA, adminB, bob, bea, bDenied, bRole, ana].map((p) => p.config) });
after(() => t.close());
const kmsA = t.client(adminA.creds);
const as = (p: TestPrincipal): KMSClient => t.client(p.creds);

const PLAINTEXT = new TextEncoder().encode('shared');
const newKey = async (input: CreateKeyCommandInput = {}) => (await kmsA.send(new CreateKeyCommand(input))).KeyMetadata!;
const encrypt = (p: TestPrincipal, KeyId: string) => as(p).send(new EncryptCommand({ KeyId, Plaintext: PLAINTEXT }));
const denied = (p: TestPrincipal, action: string, resource: string, why: string) =>
  `User: ${p.callerArn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
const noIdentity = (action: string) => `because no identity-based policy allows the ${action} action`;
const noResource = (action: string) => `because no resource-based policy allows the ${action} action`;

/** A's key policy: A's IAM decides for A, and account B may use the key. */
const sharedWithB = keyPolicyText(rootStatement(ACCOUNT_A), keyStatement('Allow', rootArn(ACCOUNT_B), ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant']));

describe('key policy of A and IAM policy of B', () => {
  test('both allow: a user of B encrypts and decrypts with the key ARN', async () => {
    const key = await newKey({ Policy: sharedWithB });
    const ct = (await encrypt(bob, key.Arn!)).CiphertextBlob;
    assert.deepEqual((await as(bob).send(new DecryptCommand({ CiphertextBlob: ct }))).Plaintext, PLAINTEXT);
    assert.equal((await as(bob).send(new DescribeKeyCommand({ KeyId: key.Arn }))).KeyMetadata!.Arn, key.Arn);
    // A's own principals are unaffected.
    await encrypt(ana, key.KeyId!);
  });

  test('an alias ARN of account A works too', async () => {
    const key = await newKey({ Policy: sharedWithB });
    await kmsA.send(new CreateAliasCommand({ AliasName: 'alias/shared', TargetKeyId: key.KeyId }));
    await encrypt(bob, `arn:aws:kms:${REGION}:${ACCOUNT_A}:alias/shared`);
  });

  test('the root of B needs no IAM policy', async () => {
    const key = await newKey({ Policy: sharedWithB });
    await encrypt(adminB, key.Arn!);
  });

  test('the key ID alone names a key of the caller account, so another account cannot use it', async () => {
    const key = await newKey({ Policy: sharedWithB });
    await expectError(encrypt(bob, key.KeyId!), 'NotFoundException', `Key 'arn:aws:kms:${REGION}:${ACCOUNT_B}:key/${key.KeyId}' does not exist`);
  });

  test('key policy does not name B: refused on the resource-based policy', async () => {
    const key = await newKey();
    await expectError(encrypt(bob, key.Arn!), 'AccessDeniedException', denied(bob, 'kms:Encrypt', key.Arn!, noResource('kms:Encrypt')));
    await expectError(encrypt(adminB, key.Arn!), 'AccessDeniedException', denied(adminB, 'kms:Encrypt', key.Arn!, noResource('kms:Encrypt')));
  });

  test('B has no IAM policy for the caller: refused on the identity-based policy', async () => {
    const key = await newKey({ Policy: sharedWithB });
    await expectError(encrypt(bea, key.Arn!), 'AccessDeniedException', denied(bea, 'kms:Encrypt', key.Arn!, noIdentity('kms:Encrypt')));
  });

  test('a key policy naming a user of B directly still needs that user\'s IAM policy', async () => {
    // External principals always need both (DG key-policy-modifying-external-accounts.md).
    const key = await newKey({ Policy: keyPolicyText(rootStatement(ACCOUNT_A), keyStatement('Allow', [bea.arn, bob.arn], 'kms:Encrypt')) });
    await expectError(encrypt(bea, key.Arn!), 'AccessDeniedException', denied(bea, 'kms:Encrypt', key.Arn!, noIdentity('kms:Encrypt')));
    await encrypt(bob, key.Arn!);
  });

  test('a key policy naming a role of B lets its sessions in when their IAM policy allows', async () => {
    const key = await newKey({ Policy: keyPolicyText(rootStatement(ACCOUNT_A), keyStatement('Allow', bRole.arn, 'kms:Encrypt')) });
    await encrypt(bRole, key.Arn!);
    await expectError(encrypt(bob, key.Arn!), 'AccessDeniedException', denied(bob, 'kms:Encrypt', key.Arn!, noResource('kms:Encrypt')));
  });

  test('B allows only what its IAM policy lists, even when A allows more', async () => {
    const key = await newKey({ Policy: keyPolicyText(rootStatement(ACCOUNT_A), keyStatement('Allow', rootArn(ACCOUNT_B), 'kms:*')) });
    await encrypt(bob, key.Arn!);
    await expectError(
      as(bob).send(new GenerateDataKeyCommand({ KeyId: key.Arn, KeySpec: 'AES_256' })),
      'AccessDeniedException',
      denied(bob, 'kms:GenerateDataKey', key.Arn!, noIdentity('kms:GenerateDataKey')),
    );
  });
});

describe('denies across accounts', () => {
  test('a Deny in B\'s IAM policy beats A\'s key policy', async () => {
    const key = await newKey({ Policy: sharedWithB });
    await expectError(encrypt(bDenied, key.Arn!), 'AccessDeniedException', denied(bDenied, 'kms:Encrypt', key.Arn!, 'with an explicit deny in an identity-based policy'));
  });

  test('a Deny naming account B in A\'s key policy applies to every principal of B', async () => {
    const key = await newKey({
      Policy: keyPolicyText(rootStatement(ACCOUNT_A), keyStatement('Allow', rootArn(ACCOUNT_B), 'kms:*'), keyStatement('Deny', ACCOUNT_B, 'kms:Encrypt')),
    });
    await expectError(encrypt(bob, key.Arn!), 'AccessDeniedException', denied(bob, 'kms:Encrypt', key.Arn!, 'with an explicit deny in a resource-based policy'));
    await as(bob).send(new DescribeKeyCommand({ KeyId: key.Arn }));
  });

  test('kms:CallerAccount in A\'s key policy tells the accounts apart', async () => {
    const key = await newKey({
      Policy: keyPolicyText(rootStatement(ACCOUNT_A), keyStatement('Allow', '*', 'kms:Encrypt', { StringEquals: { 'kms:CallerAccount': ACCOUNT_A } })),
    });
    await expectError(encrypt(bob, key.Arn!), 'AccessDeniedException', denied(bob, 'kms:Encrypt', key.Arn!, noResource('kms:Encrypt')));
  });
});

describe('cross-account grants', () => {
  test('A grants a user of B, who then uses the key by ARN without any policy', async () => {
    const key = await newKey();
    await kmsA.send(new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: bea.arn, Operations: ['Encrypt', 'Decrypt'] }));
    const ct = (await encrypt(bea, key.Arn!)).CiphertextBlob;
    await as(bea).send(new DecryptCommand({ CiphertextBlob: ct }));
  });

  test('a user of B with CreateGrant from both sides creates a grant on A\'s key for another principal of B', async () => {
    const key = await newKey({ Policy: sharedWithB });
    const out = await as(bob).send(new CreateGrantCommand({ KeyId: key.Arn, GranteePrincipal: bea.arn, Operations: ['Encrypt'] }));
    assert.match(out.GrantId!, /^[0-9a-f]{64}$/);
    await encrypt(bea, key.Arn!);
  });

  test('CreateGrant from B is refused when A\'s key policy does not allow it', async () => {
    const key = await newKey({ Policy: keyPolicyText(rootStatement(ACCOUNT_A), keyStatement('Allow', rootArn(ACCOUNT_B), 'kms:Encrypt')) });
    await expectError(
      as(bob).send(new CreateGrantCommand({ KeyId: key.Arn, GranteePrincipal: bea.arn, Operations: ['Encrypt'] })),
      'AccessDeniedException',
      denied(bob, 'kms:CreateGrant', key.Arn!, noResource('kms:CreateGrant')),
    );
  });
});
