// Key policies and identity policies together, through the real SDK with configured principals: the
// root statement hands decisions to IAM, a key policy may name a user directly, explicit denies win,
// policy validation and the lockout safety check, and authorization before key state.
import {
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  EncryptCommand,
  GenerateRandomCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListKeysCommand,
  PutKeyPolicyCommand,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import {
  ACCOUNT_A,
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
  userArn,
} from '../helpers/principals.ts';
import { startTestServer } from '../helpers/server.ts';

const admin = root(ACCOUNT_A);
const alice = user(ACCOUNT_A, 'alice', { policies: [policy(allow(['kms:Encrypt', 'kms:Decrypt', 'kms:PutKeyPolicy']))] });
const bob = user(ACCOUNT_A, 'bob');
const carol = user(ACCOUNT_A, 'carol', { policies: [policy(allow('kms:*'), deny('kms:Encrypt'))] });
const dave = user(ACCOUNT_A, 'dave');
const app = role(ACCOUNT_A, 'App', { sessionName: 'worker-1', policies: [policy(allow('kms:Encrypt'))] });
const creator = user(ACCOUNT_A, 'creator', { policies: [policy(allow('kms:CreateKey'))] });

const t = await startTestServer({ principals: [admin, alice, bob, carol, dave, app, creator].map((p) => p.config) });
after(() => t.close());
const kms = t.client(admin.creds);
const as = (p: { creds: { accessKeyId: string; secretAccessKey: string } }): KMSClient => t.client(p.creds);

const PLAINTEXT = new TextEncoder().encode('secret');
const newKey = async (Policy?: string, BypassPolicyLockoutSafetyCheck?: boolean) =>
  (await kms.send(new CreateKeyCommand({ Policy, BypassPolicyLockoutSafetyCheck }))).KeyMetadata!;
const encrypt = (client: KMSClient, KeyId: string) => client.send(new EncryptCommand({ KeyId, Plaintext: PLAINTEXT }));
const denied = (callerArn: string, action: string, keyArn: string, why: string) =>
  `User: ${callerArn} is not authorized to perform: ${action} on resource: ${keyArn} ${why}`;
const noIdentity = (action: string) => `because no identity-based policy allows the ${action} action`;
const noResource = (action: string) => `because no resource-based policy allows the ${action} action`;
const IDENTITY_DENY = 'with an explicit deny in an identity-based policy';
const RESOURCE_DENY = 'with an explicit deny in a resource-based policy';
const LOCKOUT = 'The new key policy will not allow you to update the key policy in the future.';

/** Administration by the account root, plus whatever else the test adds: passes the lockout check. */
const ADMIN = keyStatement('Allow', rootArn(ACCOUNT_A), ['kms:PutKeyPolicy', 'kms:GetKeyPolicy', 'kms:DisableKey']);

describe('the default key policy lets identity policies decide', () => {
  test('a user whose identity policy allows kms:Encrypt can encrypt and decrypt', async () => {
    const key = await newKey();
    const out = await encrypt(as(alice), key.KeyId!);
    const back = await as(alice).send(new DecryptCommand({ CiphertextBlob: out.CiphertextBlob }));
    assert.deepEqual(back.Plaintext, PLAINTEXT);
  });

  test('a user without an identity policy is refused, naming the identity-based policy', async () => {
    const key = await newKey();
    await expectError(encrypt(as(bob), key.KeyId!), 'AccessDeniedException', denied(bob.callerArn, 'kms:Encrypt', key.Arn!, noIdentity('kms:Encrypt')));
  });

  test('an identity policy allows only the actions it names', async () => {
    const key = await newKey();
    await expectError(
      as(alice).send(new GetKeyPolicyCommand({ KeyId: key.KeyId })),
      'AccessDeniedException',
      denied(alice.callerArn, 'kms:GetKeyPolicy', key.Arn!, noIdentity('kms:GetKeyPolicy')),
    );
  });

  test('an assumed-role session is named by its session ARN', async () => {
    const key = await newKey();
    await encrypt(as(app), key.KeyId!);
    await expectError(
      as(app).send(new GetKeyPolicyCommand({ KeyId: key.Arn })),
      'AccessDeniedException',
      denied('arn:aws:sts::111122223333:assumed-role/App/worker-1', 'kms:GetKeyPolicy', key.Arn!, noIdentity('kms:GetKeyPolicy')),
    );
  });

  test('the resource of the message is the key ARN even when the request named the key by ID', async () => {
    const key = await newKey();
    await expectError(encrypt(as(bob), key.KeyId!), 'AccessDeniedException', new RegExp(`on resource: ${key.Arn!.replace(/[/.]/g, '\\$&')} because`));
  });
});

describe('a key policy without the root statement', () => {
  test('shuts identity policies out: an IAM allow is not enough', async () => {
    const key = await newKey(keyPolicyText(ADMIN, keyStatement('Allow', dave.arn, ['kms:Encrypt', 'kms:Decrypt'])));
    await expectError(encrypt(as(alice), key.KeyId!), 'AccessDeniedException', denied(alice.callerArn, 'kms:Encrypt', key.Arn!, noResource('kms:Encrypt')));
    await expectError(encrypt(as(bob), key.KeyId!), 'AccessDeniedException', denied(bob.callerArn, 'kms:Encrypt', key.Arn!, noResource('kms:Encrypt')));
  });

  test('a key policy naming a user directly works without any IAM policy', async () => {
    const key = await newKey(keyPolicyText(ADMIN, keyStatement('Allow', dave.arn, ['kms:Encrypt', 'kms:Decrypt'])));
    const out = await encrypt(as(dave), key.Arn!);
    assert.deepEqual((await as(dave).send(new DecryptCommand({ CiphertextBlob: out.CiphertextBlob }))).Plaintext, PLAINTEXT);
  });

  test('a key policy naming a role lets its sessions in', async () => {
    const key = await newKey(keyPolicyText(ADMIN, keyStatement('Allow', app.arn, 'kms:Encrypt')));
    await encrypt(as(app), key.KeyId!);
  });

  test('a key policy naming an assumed-role session lets that session in', async () => {
    const key = await newKey(keyPolicyText(ADMIN, keyStatement('Allow', app.callerArn, 'kms:Encrypt')));
    await encrypt(as(app), key.KeyId!);
  });

  test('a bare account ID as Principal is the account root: IAM decides', async () => {
    const key = await newKey(keyPolicyText(keyStatement('Allow', ACCOUNT_A, 'kms:*')));
    await encrypt(as(alice), key.KeyId!);
    await expectError(encrypt(as(bob), key.KeyId!), 'AccessDeniedException', denied(bob.callerArn, 'kms:Encrypt', key.Arn!, noIdentity('kms:Encrypt')));
  });

  test('a root statement limited to some actions delegates only those actions to IAM', async () => {
    // ADMIN names the root for kms:PutKeyPolicy: alice's IAM policy allows it, bob's does not.
    const key = await newKey(keyPolicyText(ADMIN));
    await as(alice).send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: keyPolicyText(ADMIN), BypassPolicyLockoutSafetyCheck: true }));
    await expectError(
      as(bob).send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: keyPolicyText(ADMIN) })),
      'AccessDeniedException',
      denied(bob.callerArn, 'kms:PutKeyPolicy', key.Arn!, noIdentity('kms:PutKeyPolicy')),
    );
    // kms:Encrypt is not delegated, so alice's IAM allow for it does not count.
    await expectError(encrypt(as(alice), key.KeyId!), 'AccessDeniedException', denied(alice.callerArn, 'kms:Encrypt', key.Arn!, noResource('kms:Encrypt')));
  });

  test('the account root itself is refused what the key policy does not give the account', async () => {
    const key = await newKey(keyPolicyText(ADMIN));
    await expectError(encrypt(kms, key.KeyId!), 'AccessDeniedException', denied(admin.callerArn, 'kms:Encrypt', key.Arn!, noResource('kms:Encrypt')));
  });
});

describe('explicit denies win over allows', () => {
  test('a Deny in the key policy beats an Allow in the same key policy and in IAM', async () => {
    const key = await newKey(keyPolicyText(rootStatement(ACCOUNT_A), keyStatement('Deny', alice.arn, 'kms:Encrypt')));
    await expectError(encrypt(as(alice), key.KeyId!), 'AccessDeniedException', denied(alice.callerArn, 'kms:Encrypt', key.Arn!, RESOURCE_DENY));
    // The Deny names alice only: her other allowed actions still work.
    const other = await newKey();
    const ct = (await encrypt(as(alice), other.KeyId!)).CiphertextBlob;
    await as(alice).send(new DecryptCommand({ CiphertextBlob: ct }));
  });

  test('a Deny for Principal "*" in the key policy applies to the root as well', async () => {
    const key = await newKey(keyPolicyText(rootStatement(ACCOUNT_A), keyStatement('Deny', '*', 'kms:Encrypt')));
    await expectError(encrypt(kms, key.KeyId!), 'AccessDeniedException', denied(admin.callerArn, 'kms:Encrypt', key.Arn!, RESOURCE_DENY));
  });

  test('a Deny in an identity policy beats an Allow in the same identity policy', async () => {
    const key = await newKey();
    await expectError(encrypt(as(carol), key.KeyId!), 'AccessDeniedException', denied(carol.callerArn, 'kms:Encrypt', key.Arn!, IDENTITY_DENY));
    // Her kms:* allow still covers the rest.
    await as(carol).send(new GetKeyPolicyCommand({ KeyId: key.KeyId }));
  });

  test('a Deny in an identity policy beats a key policy naming the user directly', async () => {
    const key = await newKey(keyPolicyText(ADMIN, keyStatement('Allow', carol.arn, 'kms:*')));
    await expectError(encrypt(as(carol), key.KeyId!), 'AccessDeniedException', denied(carol.callerArn, 'kms:Encrypt', key.Arn!, IDENTITY_DENY));
  });
});

describe('key policy validation', () => {
  test('PutKeyPolicy with a document that is not JSON is MalformedPolicyDocumentException', async () => {
    const key = await newKey();
    await expectError(
      kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: '{"Version":"2012-10-17","Statement":[' })),
      'MalformedPolicyDocumentException',
      'The new key policy is not valid JSON.',
    );
  });

  test('a principal user that does not exist in a configured account is invalid', async () => {
    const key = await newKey();
    const bad = keyPolicyText(rootStatement(ACCOUNT_A), keyStatement('Allow', userArn(ACCOUNT_A, 'nobody'), 'kms:Encrypt'));
    const message = 'Policy contains a statement with one or more invalid principals.';
    await expectError(kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: bad })), 'MalformedPolicyDocumentException', message);
    await expectError(kms.send(new CreateKeyCommand({ Policy: bad })), 'MalformedPolicyDocumentException', message);
    // BypassPolicyLockoutSafetyCheck skips only the lockout check, not the validation.
    await expectError(
      kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: bad, BypassPolicyLockoutSafetyCheck: true })),
      'MalformedPolicyDocumentException',
      message,
    );
  });

  test('principals of accounts Trent does not know cannot be checked and are accepted', async () => {
    const key = await newKey();
    const ok = keyPolicyText(rootStatement(ACCOUNT_A), keyStatement('Allow', userArn('999988887777', 'someone'), 'kms:Encrypt'));
    await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: ok }));
  });

  test('PutKeyPolicy refuses a policy that would lock the caller out, unless bypassed', async () => {
    const key = await newKey();
    const lockout = keyPolicyText(keyStatement('Allow', dave.arn, 'kms:*'));
    await expectError(kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: lockout })), 'MalformedPolicyDocumentException', LOCKOUT);
    // alice may call PutKeyPolicy only through the root statement; a policy without it locks her out.
    await expectError(as(alice).send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: lockout })), 'MalformedPolicyDocumentException', LOCKOUT);
    // The policy was not changed: alice still encrypts through the default policy.
    await encrypt(as(alice), key.KeyId!);

    await as(alice).send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: lockout, BypassPolicyLockoutSafetyCheck: true }));
    assert.equal((await as(dave).send(new GetKeyPolicyCommand({ KeyId: key.KeyId }))).Policy, lockout);
    await expectError(
      as(alice).send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: lockout })),
      'AccessDeniedException',
      denied(alice.callerArn, 'kms:PutKeyPolicy', key.Arn!, noResource('kms:PutKeyPolicy')),
    );
  });

  test('the lockout check uses the caller: a policy naming the caller passes', async () => {
    const key = await newKey();
    await as(alice).send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: keyPolicyText(keyStatement('Allow', alice.arn, 'kms:PutKeyPolicy')) }));
  });

  test('a Deny of kms:PutKeyPolicy for the caller fails the lockout check', async () => {
    const key = await newKey();
    const policyText = keyPolicyText(rootStatement(ACCOUNT_A), keyStatement('Deny', alice.arn, 'kms:PutKeyPolicy'));
    await expectError(as(alice).send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: policyText })), 'MalformedPolicyDocumentException', LOCKOUT);
  });

  test('CreateKey applies the lockout check to its Policy too, and BypassPolicyLockoutSafetyCheck skips it', async () => {
    const lockout = keyPolicyText(keyStatement('Allow', dave.arn, 'kms:*'));
    await expectError(kms.send(new CreateKeyCommand({ Policy: lockout })), 'MalformedPolicyDocumentException', LOCKOUT);
    const key = await newKey(lockout, true);
    await encrypt(as(dave), key.KeyId!);
    await expectError(encrypt(kms, key.KeyId!), 'AccessDeniedException', denied(admin.callerArn, 'kms:Encrypt', key.Arn!, noResource('kms:Encrypt')));
  });

  test('the lockout check counts the creator\'s IAM policies: kms:CreateKey alone cannot set a policy', async () => {
    // A common CloudFormation failure: the caller's IAM policy lacks kms:PutKeyPolicy (aws-samples/rds-snapshot-export-to-s3-pipeline#8).
    await as(creator).send(new CreateKeyCommand({}));
    await expectError(as(creator).send(new CreateKeyCommand({ Policy: keyPolicyText(rootStatement(ACCOUNT_A)) })), 'MalformedPolicyDocumentException', LOCKOUT);
    await as(creator).send(new CreateKeyCommand({ Policy: keyPolicyText(rootStatement(ACCOUNT_A), keyStatement('Allow', creator.arn, 'kms:PutKeyPolicy')) }));
  });

  test('GetKeyPolicy returns the stored document byte for byte', async () => {
    const text = `{\n  "Version" : "2012-10-17",\n\t"Statement": [ {"Effect":"Allow", "Principal": {"AWS": ["${rootArn(ACCOUNT_A)}", "${dave.arn}"]},\r\n "Action":"kms:*","Resource":"*"} ] }\n`;
    const key = await newKey(text);
    assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }))).Policy, text);
    assert.equal((await as(dave).send(new GetKeyPolicyCommand({ KeyId: key.Arn }))).Policy, text);
  });
});

describe('operations on no particular key are governed by IAM policies alone', () => {
  test('ListKeys and GenerateRandom need an identity policy; the resource is *', async () => {
    await expectError(as(bob).send(new ListKeysCommand({})), 'AccessDeniedException', denied(bob.callerArn, 'kms:ListKeys', '*', noIdentity('kms:ListKeys')));
    await expectError(
      as(bob).send(new GenerateRandomCommand({ NumberOfBytes: 8 })),
      'AccessDeniedException',
      denied(bob.callerArn, 'kms:GenerateRandom', '*', noIdentity('kms:GenerateRandom')),
    );
    await as(carol).send(new ListKeysCommand({}));
    assert.equal((await as(carol).send(new GenerateRandomCommand({ NumberOfBytes: 8 }))).Plaintext!.length, 8);
  });
});

describe('authorization comes before the key state', () => {
  test('a stranger gets AccessDenied on a disabled key; an authorized caller learns it is disabled', async () => {
    const key = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    await expectError(encrypt(as(bob), key.KeyId!), 'AccessDeniedException', denied(bob.callerArn, 'kms:Encrypt', key.Arn!, noIdentity('kms:Encrypt')));
    await expectError(encrypt(as(alice), key.KeyId!), 'DisabledException', `${key.Arn} is disabled.`);
  });
});
