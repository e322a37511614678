// GetKeyLastUsage through the real SDK: the last successful cryptographic operation with the request ID the
// caller saw, unchanged by failures, kept across a restart; key ID or key ARN only, any key state.
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  EncryptCommand,
  GetKeyLastUsageCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { ACCOUNT, REGION, startTestServer } from '../helpers/server.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const newKey = async () => (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
const lastUsage = (KeyId: string, client = kms) => client.send(new GetKeyLastUsageCommand({ KeyId }));
// Timestamps travel as epoch seconds with the milliseconds kept, like CreationDate.
const seconds = (ms: number) => new Date(ms);

describe('GetKeyLastUsage', () => {
  test('a key never used: no KeyLastUsage; tracking starts at its creation', async () => {
    const key = await newKey();
    const out = await lastUsage(key.KeyId!);
    assert.deepEqual(
      { ...out, $metadata: undefined },
      // KeyId is the bare key ID: the model calls it "the globally unique identifier for the KMS key".
      { $metadata: undefined, KeyId: key.KeyId, TrackingStartDate: key.CreationDate, KeyCreationDate: key.CreationDate },
    );
  });

  test('after Encrypt: Operation, Timestamp and the request ID the client got back', async () => {
    const key = await newKey();
    t.clock.advance(5000);
    const encrypted = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('hi') }));
    const out = await lastUsage(key.Arn!);
    assert.ok(encrypted.$metadata.requestId);
    // No CloudTrailEventId: Trent keeps no CloudTrail, so it has no event to name.
    assert.deepEqual(out.KeyLastUsage, { Operation: 'Encrypt', Timestamp: seconds(t.clock.now()), KmsRequestId: encrypted.$metadata.requestId });
  });

  test('a failed Decrypt leaves the record alone; a successful one replaces it', async () => {
    const key = await newKey();
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x'), EncryptionContext: { a: 'b' } }));
    const before = (await lastUsage(key.KeyId!)).KeyLastUsage;
    assert.equal(before?.Operation, 'Encrypt');
    await expectError(kms.send(new DecryptCommand({ CiphertextBlob })), 'InvalidCiphertextException', 'UnknownError');
    assert.deepEqual((await lastUsage(key.KeyId!)).KeyLastUsage, before);
    t.clock.advance(2000);
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { a: 'b' } }));
    assert.deepEqual((await lastUsage(key.KeyId!)).KeyLastUsage, {
      Operation: 'Decrypt',
      Timestamp: seconds(t.clock.now()),
      KmsRequestId: decrypted.$metadata.requestId,
    });
  });

  test('the record is the same once the sweeper has written it to the store', async () => {
    const key = await newKey();
    const encrypted = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }));
    await t.server.sweep();
    assert.equal((await lastUsage(key.KeyId!)).KeyLastUsage?.KmsRequestId, encrypted.$metadata.requestId);
  });

  test('every key state is allowed (disabled, pending deletion)', async () => {
    const key = await newKey();
    await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }));
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    assert.equal((await lastUsage(key.KeyId!)).KeyLastUsage?.Operation, 'Encrypt');
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    assert.equal((await lastUsage(key.KeyId!)).KeyLastUsage?.Operation, 'Encrypt');
  });

  test('aliases are not accepted; another account’s key is not found', async () => {
    const key = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/last-usage', TargetKeyId: key.KeyId }));
    await expectError(lastUsage('alias/last-usage'), 'NotFoundException', "Invalid keyId 'alias/last-usage'");
    await expectError(
      lastUsage(`arn:aws:kms:${REGION}:${ACCOUNT}:alias/last-usage`),
      'InvalidArnException',
      'Key Aliases are not supported for this operation',
    );
    const other = t.client({ accessKeyId: '444455556666' });
    await expectError(lastUsage(key.Arn!, other), 'NotFoundException', `Key '${key.Arn}' does not exist`);
  });
});

describe('GetKeyLastUsage across a restart', () => {
  test('the last use survives stopping and starting the server on the same data directory', async () => {
    const first = await startTestServer();
    const client = first.client();
    const key = (await client.send(new CreateKeyCommand({}))).KeyMetadata!;
    const encrypted = await client.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }));
    const expected = (await lastUsage(key.KeyId!, client)).KeyLastUsage;
    assert.equal(expected?.KmsRequestId, encrypted.$metadata.requestId);
    await first.stop();
    const second = await startTestServer({ dataDir: first.dataDir });
    try {
      assert.deepEqual((await lastUsage(key.KeyId!, second.client())).KeyLastUsage, expected);
    } finally {
      await second.close();
    }
  });
});
