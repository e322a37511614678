// The same server driven by two more real clients, boto3 and the AWS CLI, so no quirk of the JS SDK
// hides a protocol bug. Both are installed by .ci/run when a machine lacks them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { clientEnv, pythonWithBoto3, run } from '../helpers/second-clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(() => t.close());

const isolatedEnv = clientEnv({ accessKeyId: '210987654321', secretAccessKey: 'cli-secret' }, 'eu-west-1');

describe('second clients', () => {
  test('boto3: tagging, paging, aliases, errors and deletion', async () => {
    const { stdout } = await run(await pythonWithBoto3(), [new URL('boto3_smoke.py', import.meta.url).pathname, t.url], { env: isolatedEnv });
    const out = JSON.parse(stdout);
    const arn = `arn:aws:kms:eu-west-1:210987654321:key/${out.key.KeyId}`;
    assert.deepEqual(out.key, { KeyId: out.key.KeyId, Arn: arn, AWSAccountId: '210987654321', KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', Description: 'from boto3' });
    assert.equal(out.creationDateType, 'datetime');
    assert.deepEqual(out.pages, [['k00', 'k01', 'k02'], ['k04', 'k05', 'k06'], ['team']]);
    assert.equal(out.viaAlias, out.key.KeyId);
    assert.deepEqual(out.reserved, { code: 'TagException', message: 'Tags beginning with aws: are reserved', status: 400 });
    assert.deepEqual(out.tooLong, {
      code: 'ValidationException',
      message: `1 validation error detected: Value '${'x'.repeat(129)}' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128`,
      status: 400,
    });
    assert.deepEqual(out.notFound, { code: 'NotFoundException', message: "Invalid keyId 'fake-key-id'", status: 400 });
    assert.deepEqual(out.deletion, { KeyId: arn, KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    assert.deepEqual(out.pending, { code: 'KMSInvalidStateException', message: `${arn} is pending deletion.`, status: 400 });
    assert.match(out.crypto.encryptKeyId, /^arn:aws:kms:eu-west-1:210987654321:key\//);
    assert.deepEqual(out.crypto, {
      encryptKeyId: out.crypto.encryptKeyId,
      algorithm: 'SYMMETRIC_DEFAULT',
      plaintext: 'boto3 secret',
      decryptKeyId: out.crypto.encryptKeyId,
      materialIdLength: 64,
    });
    assert.deepEqual(out.dataKey, { length: 32, roundTrip: true });
    // The wire carries AWS's empty message (LS-snap test_encrypt_decrypt_encryption_context), which boto3 shows as is.
    assert.deepEqual(out.wrongContext, { code: 'InvalidCiphertextException', message: '', status: 400 });
  });

  test('AWS CLI: create a tagged key, list and change its tags, and see an AWS error', async () => {
    const aws = (...args: string[]) => run('aws', ['--endpoint-url', t.url, '--output', 'json', 'kms', ...args], { env: isolatedEnv });
    const created = JSON.parse((await aws('create-key', '--description', 'cli', '--tags', 'TagKey=env,TagValue=ci')).stdout);
    const keyId: string = created.KeyMetadata.KeyId;
    assert.equal(created.KeyMetadata.Description, 'cli');
    await aws('tag-resource', '--key-id', keyId, '--tags', 'TagKey=owner,TagValue=me');
    const listed = JSON.parse((await aws('list-resource-tags', '--key-id', keyId)).stdout);
    // The CLI paginates by itself and drops the paging members (Truncated) from what it prints.
    assert.deepEqual(listed, { Tags: [{ TagKey: 'env', TagValue: 'ci' }, { TagKey: 'owner', TagValue: 'me' }] });
    const failure = await aws('tag-resource', '--key-id', keyId, '--tags', 'TagKey=dup,TagValue=1', 'TagKey=dup,TagValue=2').then(
      () => assert.fail('duplicate tag keys were accepted'),
      (e: { code: number; stderr: string }) => e,
    );
    assert.notEqual(failure.code, 0);
    assert.match(failure.stderr, /An error occurred \(TagException\) when calling the TagResource operation: Duplicate tag keys/);
  });

  test('AWS CLI: encrypt and decrypt round trip', async () => {
    const aws = (...args: string[]) => run('aws', ['--endpoint-url', t.url, '--output', 'json', 'kms', ...args], { env: isolatedEnv });
    const keyId: string = JSON.parse((await aws('create-key', '--description', 'cli crypto')).stdout).KeyMetadata.KeyId;
    // fileb:// passes raw bytes the same way in CLI v1 and v2 (plain strings differ between them).
    const dir = mkdtempSync(join(tmpdir(), 'trent-cli-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'plain'), 'hello cli');
    const enc = JSON.parse((await aws('encrypt', '--key-id', keyId, '--plaintext', `fileb://${join(dir, 'plain')}`, '--encryption-context', 'app=cli')).stdout);
    assert.equal(enc.KeyId, `arn:aws:kms:eu-west-1:210987654321:key/${keyId}`);
    assert.equal(enc.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    writeFileSync(join(dir, 'blob'), Buffer.from(enc.CiphertextBlob, 'base64'));
    const dec = JSON.parse((await aws('decrypt', '--ciphertext-blob', `fileb://${join(dir, 'blob')}`, '--encryption-context', 'app=cli')).stdout);
    assert.equal(Buffer.from(dec.Plaintext, 'base64').toString(), 'hello cli');
    assert.equal(dec.KeyId, enc.KeyId);
    const failure = await aws('decrypt', '--ciphertext-blob', `fileb://${join(dir, 'blob')}`).then(
      () => assert.fail('decrypt without the encryption context succeeded'),
      (e: { code: number; stderr: string }) => e,
    );
    assert.match(failure.stderr, /An error occurred \(InvalidCiphertextException\) when calling the Decrypt operation/);
  });
});
