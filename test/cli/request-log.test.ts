// At the default level each request gets one JSON line on stderr: request id, operation, caller, status, error
// type and message, latency; never a body, plaintext or key material. `--log error` and `silent` write none.
import { CreateKeyCommand, DescribeKeyCommand, EncryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { localClient, spawnTrent } from '../helpers/cli.ts';

const client = localClient;

const lines = (stderr: string) =>
  stderr
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.msg === 'request');

describe('the request log', () => {
  test('one line per request, with what a failed request needs to be understood from the server side', async () => {
    const server = await spawnTrent(['--port', '0', '--data-dir', ':memory:']);
    const kms = client(server.url);
    try {
      const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('plaintext-never-logged') }));
      const { Plaintext } = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
      await assert.rejects(kms.send(new DescribeKeyCommand({ KeyId: 'alias/missing' })));
      await fetch(`${server.url}/_trent/health`);
      await new Promise((r) => setTimeout(r, 100));
      const logged = lines(server.stderr());
      assert.deepEqual(logged.map((l) => l.operation), ['CreateKey', 'Encrypt', 'GenerateDataKey', 'DescribeKey', 'GET /_trent/health']);
      for (const l of logged) {
        assert.equal(l.level, 'info');
        assert.match(String(l.requestId), /^[0-9a-f-]{36}$/);
        assert.equal(typeof l.ms, 'number');
      }
      assert.deepEqual(
        { ...logged[3], time: undefined, requestId: undefined, ms: undefined },
        {
          time: undefined,
          level: 'info',
          msg: 'request',
          requestId: undefined,
          operation: 'DescribeKey',
          caller: 'arn:aws:iam::111122223333:root',
          status: 400,
          error: 'NotFoundException',
          message: 'Alias arn:aws:kms:us-east-1:111122223333:alias/missing is not found.',
          ms: undefined,
        },
      );
      assert.deepEqual(Object.keys(logged[0]!), ['time', 'level', 'msg', 'requestId', 'operation', 'caller', 'status', 'ms']);
      const all = server.stderr();
      assert.equal(all.includes('plaintext-never-logged'), false);
      assert.equal(all.includes(Buffer.from('plaintext-never-logged').toString('base64')), false);
      assert.equal(all.includes(Buffer.from(Plaintext!).toString('base64')), false);
    } finally {
      kms.destroy();
      await server.kill();
    }
  });

  for (const level of ['error', 'silent']) {
    test(`--log ${level} writes no request lines`, async () => {
      const server = await spawnTrent(['--port', '0', '--data-dir', ':memory:', '--log', level]);
      const kms = client(server.url);
      try {
        await kms.send(new CreateKeyCommand({}));
        await assert.rejects(kms.send(new DescribeKeyCommand({ KeyId: 'alias/missing' })));
        await new Promise((r) => setTimeout(r, 100));
        // At most the ready line, which every level but silent writes.
        const written = server.stderr().trim().split('\n').filter((l) => l !== '');
        assert.deepEqual(written.map((l) => (JSON.parse(l) as { msg: string }).msg), level === 'error' ? ['ready'] : []);
      } finally {
        kms.destroy();
        await server.kill();
      }
    });
  }
});
