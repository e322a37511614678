// Condition keys through real requests: kms: request keys (encryption context, algorithms, key spec and
// usage on CreateKey, deletion window, rotation period, lockout bypass, caller account, via service) and
// aws: global keys (principal tags and username as policy variables, source IP, secure transport, time).
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  KMSClient,
  PutKeyPolicyCommand,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  type CreateKeyCommandInput,
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
  root,
  rootArn,
  rootStatement,
  user,
  type Condition,
  type TestPrincipal,
} from '../helpers/principals.ts';
import { startTestServer } from '../helpers/server.ts';

const admin = root(ACCOUNT_A);
/** A user allowed `actions` under `condition` and nothing else. */
const only = (name: string, actions: string | string[], condition: Condition, tags?: Record<string, string>) =>
  user(ACCOUNT_A, name, { policies: [policy(allow(actions, '*', condition))], ...(tags ? { tags } : {}) });

const DEADLINE_MS = Date.now() + 24 * 3600_000;
const P = {
  ecValue: only('ec-value', ['kms:Encrypt', 'kms:Decrypt'], { StringEquals: { 'kms:EncryptionContext:purpose': 'backup' } }),
  ecKeys: only('ec-keys', 'kms:Encrypt', { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'tenant' } }),
  ecOnlyKeys: only('ec-only-keys', 'kms:Encrypt', { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['tenant', 'app'] } }),
  oaep256: only('oaep256', 'kms:Encrypt', { StringEquals: { 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_256' } }),
  symmetric: only('symmetric', 'kms:Encrypt', { StringEquals: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } }),
  pss: only('pss', 'kms:Sign', { StringLike: { 'kms:SigningAlgorithm': 'RSASSA_PSS_*' } }),
  specCreator: only('spec-creator', 'kms:CreateKey', { StringEquals: { 'kms:KeySpec': 'SYMMETRIC_DEFAULT', 'kms:KeyUsage': 'ENCRYPT_DECRYPT' } }),
  hmacOnly: only('hmac-only', 'kms:DescribeKey', { StringEquals: { 'kms:KeyUsage': 'GENERATE_VERIFY_MAC' } }),
  longWindow: only('long-window', 'kms:ScheduleKeyDeletion', { NumericGreaterThanEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 28 } }),
  shortRotation: only('short-rotation', 'kms:EnableKeyRotation', { NumericLessThanEquals: { 'kms:RotationPeriodInDays': 180 } }),
  direct: only('direct', 'kms:Encrypt', { Null: { 'kms:ViaService': 'true' } }),
  viaS3: only('via-s3', 'kms:Encrypt', { StringEquals: { 'kms:ViaService': `s3.us-east-1.amazonaws.com` } }),
  blue: only('blue', 'kms:Encrypt', { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } }, { team: 'blue' }),
  untagged: only('untagged', 'kms:Encrypt', { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } }),
  erin: only('erin', 'kms:Encrypt', { StringEquals: { 'aws:ResourceTag/owner': '${aws:username}' } }),
  loopback: only('loopback', 'kms:Encrypt', { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } }),
  office: only('office', 'kms:Encrypt', { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.0.2.7'] } }),
  tlsOnly: user(ACCOUNT_A, 'tls-only', { policies: [policy(allow('kms:Encrypt'), deny('kms:*', '*', { Bool: { 'aws:SecureTransport': 'false' } }))] }),
  beforeDeadline: only('before-deadline', 'kms:Encrypt', { DateLessThan: { 'aws:CurrentTime': new Date(DEADLINE_MS).toISOString() } }),
  noBypass: user(ACCOUNT_A, 'no-bypass', {
    policies: [policy(allow('kms:PutKeyPolicy'), deny('kms:PutKeyPolicy', '*', { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': true } }))],
  }),
  reEncryptor: user(ACCOUNT_A, 're-encryptor', {
    policies: [
      policy(
        allow('kms:Encrypt'),
        allow('kms:ReEncryptFrom', '*', { StringEquals: { 'kms:EncryptionContext:side': 'old' } }),
        allow('kms:ReEncryptTo', '*', { StringEquals: { 'kms:EncryptionContext:side': 'new' } }),
      ),
    ],
  }),
  dave: user(ACCOUNT_A, 'dave'),
};

const t = await startTestServer({ principals: [admin, ...Object.values(P)].map((p) => p.config) });
after(() => t.close());
const kms = t.client(admin.creds);
const as = (p: TestPrincipal): KMSClient => t.client(p.creds);

const PLAINTEXT = new TextEncoder().encode('data');
const newKey = async (input: CreateKeyCommandInput = {}) => (await kms.send(new CreateKeyCommand(input))).KeyMetadata!;
const encrypt = (p: TestPrincipal, KeyId: string, extra: Partial<{ EncryptionContext: Record<string, string>; EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256' }> = {}) =>
  as(p).send(new EncryptCommand({ KeyId, Plaintext: PLAINTEXT, ...extra }));
const denied = (p: TestPrincipal, action: string, resource: string, why = `because no identity-based policy allows the ${action} action`) =>
  `User: ${p.callerArn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;

describe('encryption context and algorithms', () => {
  test('kms:EncryptionContext:<key> matches the value of that pair', async () => {
    const key = await newKey();
    const ct = (await encrypt(P.ecValue, key.KeyId!, { EncryptionContext: { purpose: 'backup', extra: 'x' } })).CiphertextBlob;
    await as(P.ecValue).send(new DecryptCommand({ CiphertextBlob: ct, EncryptionContext: { purpose: 'backup', extra: 'x' } }));
    await expectError(encrypt(P.ecValue, key.KeyId!, { EncryptionContext: { purpose: 'restore' } }), 'AccessDeniedException', denied(P.ecValue, 'kms:Encrypt', key.Arn!));
    await expectError(encrypt(P.ecValue, key.KeyId!), 'AccessDeniedException', denied(P.ecValue, 'kms:Encrypt', key.Arn!));
  });

  test('kms:EncryptionContextKeys with ForAnyValue needs the key in the context', async () => {
    const key = await newKey();
    await encrypt(P.ecKeys, key.KeyId!, { EncryptionContext: { tenant: 't1', other: 'o' } });
    await expectError(encrypt(P.ecKeys, key.KeyId!, { EncryptionContext: { other: 'o' } }), 'AccessDeniedException', denied(P.ecKeys, 'kms:Encrypt', key.Arn!));
    await expectError(encrypt(P.ecKeys, key.KeyId!), 'AccessDeniedException', denied(P.ecKeys, 'kms:Encrypt', key.Arn!));
  });

  test('kms:EncryptionContextKeys with ForAllValues forbids other keys and, as documented, allows no context', async () => {
    // ForAllValues is true for an empty request set (DG conditions-kms.md, kms:EncryptionContextKeys).
    const key = await newKey();
    await encrypt(P.ecOnlyKeys, key.KeyId!, { EncryptionContext: { tenant: 't', app: 'a' } });
    await encrypt(P.ecOnlyKeys, key.KeyId!);
    await expectError(
      encrypt(P.ecOnlyKeys, key.KeyId!, { EncryptionContext: { tenant: 't', rogue: 'r' } }),
      'AccessDeniedException',
      denied(P.ecOnlyKeys, 'kms:Encrypt', key.Arn!),
    );
  });

  test('kms:EncryptionAlgorithm: the algorithm of the request, SYMMETRIC_DEFAULT when omitted', async () => {
    const rsa = await newKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    await encrypt(P.oaep256, rsa.KeyId!, { EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    await expectError(encrypt(P.oaep256, rsa.KeyId!, { EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }), 'AccessDeniedException', denied(P.oaep256, 'kms:Encrypt', rsa.Arn!));
    const sym = await newKey();
    await encrypt(P.symmetric, sym.KeyId!);
    await expectError(encrypt(P.oaep256, sym.KeyId!), 'AccessDeniedException', denied(P.oaep256, 'kms:Encrypt', sym.Arn!));
  });

  test('ReEncrypt: kms:ReEncryptFrom sees the source context, kms:ReEncryptTo the destination context', async () => {
    const from = await newKey();
    const to = await newKey();
    const ct = (await encrypt(P.reEncryptor, from.KeyId!, { EncryptionContext: { side: 'old' } })).CiphertextBlob;
    const reEncrypt = (source: Record<string, string>, destination: Record<string, string>) =>
      as(P.reEncryptor).send(
        new ReEncryptCommand({ CiphertextBlob: ct, SourceEncryptionContext: source, DestinationKeyId: to.KeyId, DestinationEncryptionContext: destination }),
      );
    await reEncrypt({ side: 'old' }, { side: 'new' });
    await expectError(reEncrypt({ side: 'old' }, { side: 'old' }), 'AccessDeniedException', denied(P.reEncryptor, 'kms:ReEncryptTo', to.Arn!));
    const ct2 = (await encrypt(P.reEncryptor, from.KeyId!, { EncryptionContext: { side: 'new' } })).CiphertextBlob;
    await expectError(
      as(P.reEncryptor).send(
        new ReEncryptCommand({ CiphertextBlob: ct2, SourceEncryptionContext: { side: 'new' }, DestinationKeyId: to.KeyId, DestinationEncryptionContext: { side: 'new' } }),
      ),
      'AccessDeniedException',
      denied(P.reEncryptor, 'kms:ReEncryptFrom', from.Arn!),
    );
  });

  test('kms:SigningAlgorithm', async () => {
    const key = await newKey({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
    const sign = (SigningAlgorithm: 'RSASSA_PSS_SHA_256' | 'RSASSA_PKCS1_V1_5_SHA_256') =>
      as(P.pss).send(new SignCommand({ KeyId: key.KeyId, Message: PLAINTEXT, SigningAlgorithm }));
    await sign('RSASSA_PSS_SHA_256');
    await expectError(sign('RSASSA_PKCS1_V1_5_SHA_256'), 'AccessDeniedException', denied(P.pss, 'kms:Sign', key.Arn!));
  });
});

describe('key properties and management parameters', () => {
  test('kms:KeySpec and kms:KeyUsage on CreateKey come from the request, with their defaults', async () => {
    await as(P.specCreator).send(new CreateKeyCommand({}));
    await as(P.specCreator).send(new CreateKeyCommand({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' }));
    for (const input of [{ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }] as const) {
      await expectError(as(P.specCreator).send(new CreateKeyCommand(input)), 'AccessDeniedException', denied(P.specCreator, 'kms:CreateKey', '*'));
    }
  });

  test('kms:KeyUsage of an existing key', async () => {
    const hmac = await newKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const sym = await newKey();
    await as(P.hmacOnly).send(new DescribeKeyCommand({ KeyId: hmac.KeyId }));
    await expectError(as(P.hmacOnly).send(new DescribeKeyCommand({ KeyId: sym.KeyId })), 'AccessDeniedException', denied(P.hmacOnly, 'kms:DescribeKey', sym.Arn!));
  });

  test('kms:ScheduleKeyDeletionPendingWindowInDays', async () => {
    const key = await newKey();
    await expectError(
      as(P.longWindow).send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 })),
      'AccessDeniedException',
      denied(P.longWindow, 'kms:ScheduleKeyDeletion', key.Arn!),
    );
    const out = await as(P.longWindow).send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 28 }));
    assert.equal(out.PendingWindowInDays, 28);
  });

  test('kms:RotationPeriodInDays', async () => {
    const key = await newKey();
    await expectError(
      as(P.shortRotation).send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 365 })),
      'AccessDeniedException',
      denied(P.shortRotation, 'kms:EnableKeyRotation', key.Arn!),
    );
    await as(P.shortRotation).send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
  });

  test('kms:BypassPolicyLockoutSafetyCheck lets a Deny forbid the bypass', async () => {
    const key = await newKey();
    const text = keyPolicyText(rootStatement(ACCOUNT_A));
    await as(P.noBypass).send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: text }));
    await as(P.noBypass).send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: text, BypassPolicyLockoutSafetyCheck: false }));
    await expectError(
      as(P.noBypass).send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: text, BypassPolicyLockoutSafetyCheck: true })),
      'AccessDeniedException',
      denied(P.noBypass, 'kms:PutKeyPolicy', key.Arn!, 'with an explicit deny in an identity-based policy'),
    );
  });

  test('kms:CallerAccount in a key policy for Principal "*"', async () => {
    const admin_ = keyStatement('Allow', rootArn(ACCOUNT_A), ['kms:PutKeyPolicy', 'kms:GetKeyPolicy']);
    const mine = await newKey({ Policy: keyPolicyText(admin_, keyStatement('Allow', '*', 'kms:Encrypt', { StringEquals: { 'kms:CallerAccount': ACCOUNT_A } })) });
    await encrypt(P.dave, mine.KeyId!);
    const theirs = await newKey({ Policy: keyPolicyText(admin_, keyStatement('Allow', '*', 'kms:Encrypt', { StringEquals: { 'kms:CallerAccount': '999988887777' } })) });
    await expectError(encrypt(P.dave, theirs.KeyId!), 'AccessDeniedException', denied(P.dave, 'kms:Encrypt', theirs.Arn!, 'because no resource-based policy allows the kms:Encrypt action'));
  });

  test('kms:ViaService is absent on direct calls', async () => {
    const key = await newKey();
    await encrypt(P.direct, key.KeyId!);
    await expectError(encrypt(P.viaS3, key.KeyId!), 'AccessDeniedException', denied(P.viaS3, 'kms:Encrypt', key.Arn!));
  });
});

describe('aws: global keys', () => {
  test('${aws:PrincipalTag/team} against aws:ResourceTag/team', async () => {
    const blueKey = await newKey({ Tags: [{ TagKey: 'team', TagValue: 'blue' }] });
    const redKey = await newKey({ Tags: [{ TagKey: 'team', TagValue: 'red' }] });
    await encrypt(P.blue, blueKey.KeyId!);
    await expectError(encrypt(P.blue, redKey.KeyId!), 'AccessDeniedException', denied(P.blue, 'kms:Encrypt', redKey.Arn!));
    // A variable whose key the request lacks makes the condition false, not a match-anything.
    await expectError(encrypt(P.untagged, blueKey.KeyId!), 'AccessDeniedException', denied(P.untagged, 'kms:Encrypt', blueKey.Arn!));
  });

  test('${aws:username}', async () => {
    const own = await newKey({ Tags: [{ TagKey: 'owner', TagValue: 'erin' }] });
    const other = await newKey({ Tags: [{ TagKey: 'owner', TagValue: 'frank' }] });
    await encrypt(P.erin, own.KeyId!);
    await expectError(encrypt(P.erin, other.KeyId!), 'AccessDeniedException', denied(P.erin, 'kms:Encrypt', other.Arn!));
  });

  test('aws:SourceIp is the client address (127.0.0.1 here, not ::ffff:127.0.0.1)', async () => {
    const key = await newKey();
    await encrypt(P.loopback, key.KeyId!);
    await expectError(encrypt(P.office, key.KeyId!), 'AccessDeniedException', denied(P.office, 'kms:Encrypt', key.Arn!));
  });

  test('aws:SecureTransport is false over plain HTTP', async () => {
    const key = await newKey();
    await expectError(encrypt(P.tlsOnly, key.KeyId!), 'AccessDeniedException', denied(P.tlsOnly, 'kms:Encrypt', key.Arn!, 'with an explicit deny in an identity-based policy'));
  });

  // Last: it moves the server's clock two days on.
  test('aws:CurrentTime with DateLessThan follows the server clock', async () => {
    const key = await newKey();
    await encrypt(P.beforeDeadline, key.KeyId!);
    t.clock.ms = DEADLINE_MS - 1000;
    await encrypt(P.beforeDeadline, key.KeyId!);
    t.clock.ms = DEADLINE_MS;
    await expectError(encrypt(P.beforeDeadline, key.KeyId!), 'AccessDeniedException', denied(P.beforeDeadline, 'kms:Encrypt', key.Arn!));
  });
});
