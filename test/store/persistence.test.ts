// Persistence end to end: a restart keeps keys, aliases, tags and policies; a write acknowledged to the
// client survives `kill -9` of the real server process started as users start it.
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  TagResourceCommand,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { startTestServer } from '../helpers/server.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}';

describe('persistence', () => {
  test('a restart keeps every key, alias, tag and policy', async () => {
    const first = await startTestServer();
    dirs.push(first.dataDir);
    let kms = first.client();
    const key = (await kms.send(new CreateKeyCommand({ Description: 'kept', Tags: [{ TagKey: 'a', TagValue: '1' }] }))).KeyMetadata!;
    await kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'b', TagValue: '2' }] }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/kept', TargetKeyId: key.KeyId }));
    await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: POLICY }));
    await first.stop();

    const second = await startTestServer({ dataDir: first.dataDir });
    kms = second.client();
    try {
      const md = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/kept' }))).KeyMetadata!;
      assert.equal(md.KeyId, key.KeyId);
      assert.equal(md.Description, 'kept');
      assert.equal(md.CreationDate!.getTime(), key.CreationDate!.getTime());
      assert.equal(md.CurrentKeyMaterialId, key.CurrentKeyMaterialId);
      assert.deepEqual((await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId }))).Tags, [
        { TagKey: 'a', TagValue: '1' },
        { TagKey: 'b', TagValue: '2' },
      ]);
      assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }))).Policy, POLICY);
      assert.deepEqual((await kms.send(new ListAliasesCommand({}))).Aliases!.map((a) => a.AliasName), ['alias/kept']);
      // Markers are signed with a secret kept in the database, so they survive the restart too.
      assert.deepEqual((await kms.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId), [key.KeyId]);
    } finally {
      await second.stop();
    }
  });

  test('acknowledged writes survive kill -9 of the server process', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trent-kill-'));
    dirs.push(dataDir);
    const acknowledged: string[] = [];
    for (let round = 0; round < 3; round++) {
      const { child, url } = await spawnTrent(dataDir);
      const kms = client(url);
      try {
        const keyId = (await kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'round', TagValue: String(round) }] }))).KeyMetadata!.KeyId!;
        acknowledged.push(keyId);
        await kms.send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'after', TagValue: 'ack' }] }));
      } finally {
        kms.destroy();
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
      }
    }
    const { child, url } = await spawnTrent(dataDir);
    const kms = client(url);
    try {
      const keys = (await kms.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId);
      assert.deepEqual(keys, acknowledged);
      for (const [i, keyId] of acknowledged.entries()) {
        assert.deepEqual((await kms.send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags, [
          { TagKey: 'after', TagValue: 'ack' },
          { TagKey: 'round', TagValue: String(i) },
        ]);
      }
    } finally {
      kms.destroy();
      child.kill('SIGKILL');
    }
  });
});

const client = (endpoint: string) =>
  new KMSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' }, maxAttempts: 1 });

/** Starts `src/main.ts` as `npm start` does, on an ephemeral port, and waits for its URL. */
function spawnTrent(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--port', '0', '--data-dir', dataDir, '--log', 'silent'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Trent listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`trent exited early with ${code}: ${out}`)));
  });
}
