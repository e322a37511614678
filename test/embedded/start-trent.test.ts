// Trent inside a test suite, as its users write it: `import { startTrent } from 'trent'` (the built package),
// an SDK client pointed at `endpoint`, reset between tests, the clock moved forward, stop at the end.
import { CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand, KMSClient, ListKeysCommand, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTrent, type RunningTrent } from 'trent';
import { expectError } from '../helpers/expect-error.ts';

const ID = '1234abcd-12ab-34cd-56ef-1234567890ab';

describe('startTrent (in-memory, seeded)', () => {
  let trent: RunningTrent;
  let kms: KMSClient;
  before(async () => {
    trent = await startTrent({ seed: { keys: [{ keyId: ID, aliases: ['alias/app'], material: Buffer.alloc(32, 1).toString('base64') }] } });
    kms = new KMSClient({ endpoint: trent.endpoint, region: trent.region, credentials: trent.credentials, maxAttempts: 1 });
  });
  after(async () => {
    kms.destroy();
    await trent.stop();
  });

  test('serves on a free loopback port with local-development credentials', () => {
    assert.match(trent.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(trent.endpoint, 'http://127.0.0.1:4599');
    assert.equal(trent.region, 'us-east-1');
    assert.deepEqual(trent.credentials, { accessKeyId: '111122223333', secretAccessKey: 'trent-local-development' });
  });

  test('the seed is there, and reset() brings it back', async () => {
    const blob = (await kms.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: Buffer.from('x') }))).CiphertextBlob!;
    await kms.send(new CreateKeyCommand({}));
    assert.equal((await kms.send(new ListKeysCommand({}))).Keys!.length, 2);
    await trent.reset();
    assert.deepEqual((await kms.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId), [ID]);
    // Fixed material: what was encrypted before the reset still decrypts after it.
    assert.equal(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext!).toString(), 'x');
  });

  test('advanceClock() completes a 7-day deletion', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: KeyMetadata!.KeyId, PendingWindowInDays: 7 }));
    const moved = await trent.advanceClock(7 * 24 * 3600);
    assert.equal(moved.swept.deleted, 1);
    assert.equal(moved.offsetSeconds, 7 * 24 * 3600);
    assert.equal(trent.clock().offsetSeconds, 7 * 24 * 3600);
    await expectError(kms.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.KeyId })), 'NotFoundException', `Key '${KeyMetadata!.Arn}' does not exist`);
    await trent.reset();
    assert.equal(trent.clock().offsetSeconds, 0);
  });

  test('bad arguments are refused by name and change nothing', async () => {
    await assert.rejects(trent.advanceClock(-5), {
      message: 'advanceSeconds must be a number of seconds from 0 to 3155760000 (100 years): the clock only moves forward',
    });
    await assert.rejects(trent.reset({ account: 'abc' }), { message: 'account must be 12 digits as a string, such as "111122223333"' });
    assert.equal(trent.clock().offsetSeconds, 0);
    assert.equal((await kms.send(new ListKeysCommand({}))).Keys!.length, 1);
  });
});

describe('startTrent options', () => {
  test('every serve option by its config name; unknown or bad ones are refused', async () => {
    await assert.rejects(startTrent({ prot: 1 } as never), { message: 'unknown configuration key prot' });
    await assert.rejects(startTrent({ port: -1 }), { message: 'invalid port: -1' });
    await assert.rejects(startTrent({ seed: { keys: [{ keyId: 'x' }] } }), {
      message: 'seed: keys[0] (key x): keyId must be a lower-case UUID such as 1234abcd-12ab-34cd-56ef-1234567890ab (mrk-… with multiRegion)',
    });
  });

  test('principals: signatures are checked and the first admin key is handed back', async () => {
    const trent = await startTrent({
      principals: [
        { arn: 'arn:aws:iam::111122223333:user/app', accessKeys: [{ accessKeyId: 'AKIAAPP0000000000001', secretAccessKey: 'app' }] },
        {
          arn: 'arn:aws:iam::111122223333:user/ops',
          admin: true,
          policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] }],
          accessKeys: [{ accessKeyId: 'AKIAOPS0000000000001', secretAccessKey: 'ops' }],
        },
      ],
    });
    try {
      assert.deepEqual(trent.credentials, { accessKeyId: 'AKIAOPS0000000000001', secretAccessKey: 'ops' });
      const kms = new KMSClient({ endpoint: trent.endpoint, region: trent.region, credentials: trent.credentials, maxAttempts: 1 });
      await kms.send(new CreateKeyCommand({}));
      const forged = new KMSClient({ endpoint: trent.endpoint, region: trent.region, credentials: { ...trent.credentials, secretAccessKey: 'wrong' }, maxAttempts: 1 });
      await expectError(forged.send(new ListKeysCommand({})), 'InvalidSignatureException', /^The request signature we calculated does not match/);
      kms.destroy();
      forged.destroy();
    } finally {
      await trent.stop();
    }
  });

  test('a data directory keeps keys and the moved clock across a stop and a start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trent-embedded-'));
    try {
      const first = await startTrent({ dataDir });
      const kms = new KMSClient({ endpoint: first.endpoint, region: first.region, credentials: first.credentials, maxAttempts: 1 });
      const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      await first.advanceClock(3600);
      kms.destroy();
      await first.stop();
      const second = await startTrent({ dataDir });
      try {
        const again = new KMSClient({ endpoint: second.endpoint, region: second.region, credentials: second.credentials, maxAttempts: 1 });
        assert.deepEqual((await again.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId), [keyId]);
        assert.equal(second.clock().offsetSeconds, 3600);
        // The clock runs on with the wall clock, an hour ahead of it.
        const ahead = new Date(second.clock().now).getTime() - Date.now();
        assert.ok(ahead > 3590_000 && ahead <= 3600_000, String(ahead));
        again.destroy();
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
