// Persistence end to end: a restart keeps keys, aliases, tags and policies; a write acknowledged to the
// client survives `kill -9` of the real server process started as users start it.
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  TagResourceCommand,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { MaterialVault } from '../../src/keys/vault.ts';
import { runTrent, spawnTrent } from '../helpers/cli.ts';
import { ACCOUNT, REGION, startTestServer } from '../helpers/server.ts';

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
    const sealed = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('kept secret') }));
    await first.stop();

    const second = await startTestServer({ dataDir: first.dataDir });
    kms = second.client();
    try {
      const md = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/kept' }))).KeyMetadata!;
      assert.equal(md.KeyId, key.KeyId);
      assert.equal(md.Description, 'kept');
      assert.equal(md.CreationDate!.getTime(), key.CreationDate!.getTime());
      assert.equal(md.CurrentKeyMaterialId, key.CurrentKeyMaterialId);
      const opened = await kms.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }));
      assert.equal(Buffer.from(opened.Plaintext!).toString(), 'kept secret');
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
    const blobs: Uint8Array[] = [];
    for (let round = 0; round < 3; round++) {
      const { child, url } = await spawnServer(dataDir);
      const kms = client(url);
      try {
        const keyId = (await kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'round', TagValue: String(round) }] }))).KeyMetadata!.KeyId!;
        acknowledged.push(keyId);
        await kms.send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'after', TagValue: 'ack' }] }));
        blobs.push((await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(`round ${round}`) }))).CiphertextBlob!);
      } finally {
        kms.destroy();
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
      }
    }
    const { child, url } = await spawnServer(dataDir);
    const kms = client(url);
    try {
      const keys = (await kms.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId);
      assert.deepEqual(keys, acknowledged);
      for (const [i, keyId] of acknowledged.entries()) {
        assert.deepEqual((await kms.send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags, [
          { TagKey: 'after', TagValue: 'ack' },
          { TagKey: 'round', TagValue: String(i) },
        ]);
        const opened = await kms.send(new DecryptCommand({ CiphertextBlob: blobs[i] }));
        assert.equal(Buffer.from(opened.Plaintext!).toString(), `round ${i}`);
      }
    } finally {
      kms.destroy();
      child.kill('SIGKILL');
    }
  });
});

describe('group commit under kill -9', () => {
  test('writes acknowledged while many are in flight survive a kill -9 in the middle of them', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trent-kill-group-'));
    dirs.push(dataDir);
    const { child, url } = await spawnServer(dataDir);
    const kms = client(url);
    const acknowledged: string[] = [];
    let killed = false;
    const exited = new Promise((r) => child.once('exit', r));
    // Sixteen writers at once, so that commits are shared; the kill lands while requests are in flight. (That no
    // answer leaves before its commit is pinned step by step in group-commit.test.ts; this is the whole path.)
    const writer = async (w: number) => {
      for (let i = 0; !killed; i++) {
        try {
          const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: `writer ${w} key ${i}` }));
          if (!killed) acknowledged.push(KeyMetadata!.KeyId!);
        } catch {
          return;
        }
      }
    };
    const writers = Array.from({ length: 16 }, (_, w) => writer(w));
    while (acknowledged.length < 200) await new Promise((r) => setTimeout(r, 5));
    killed = true;
    child.kill('SIGKILL');
    await exited;
    await Promise.all(writers);
    kms.destroy();

    const again = await spawnServer(dataDir);
    const kms2 = client(again.url);
    try {
      const present = new Set<string>();
      let Marker: string | undefined;
      do {
        const page = await kms2.send(new ListKeysCommand({ Limit: 1000, ...(Marker ? { Marker } : {}) }));
        for (const k of page.Keys!) present.add(k.KeyId!);
        Marker = page.NextMarker;
      } while (Marker);
      assert.ok(acknowledged.length >= 200);
      assert.deepEqual(acknowledged.filter((id) => !present.has(id)), []);
    } finally {
      kms2.destroy();
      again.child.kill('SIGKILL');
    }
  });
});

describe('root key custody', () => {
  test('the database never holds key material in the clear', async () => {
    const t = await startTestServer();
    dirs.push(t.dataDir);
    const kms = t.client();
    const keyIds: string[] = [];
    for (const KeySpec of ['SYMMETRIC_DEFAULT', 'HMAC_256', 'ECC_NIST_P256'] as const) {
      const KeyUsage = KeySpec === 'HMAC_256' ? 'GENERATE_VERIFY_MAC' : KeySpec === 'ECC_NIST_P256' ? 'SIGN_VERIFY' : 'ENCRYPT_DECRYPT';
      keyIds.push((await kms.send(new CreateKeyCommand({ KeySpec, KeyUsage }))).KeyMetadata!.KeyId!);
    }
    // Open each sealed material with the data directory's root key, then look for its bytes in the files.
    const vault = new MaterialVault(readFileSync(join(t.dataDir, 'test-root-key')));
    const secrets: Buffer[] = [];
    for (const keyId of keyIds) {
      const ref = { account: ACCOUNT, region: REGION, keyId };
      const [m] = await t.store.transaction((tx) => tx.listMaterials(ref));
      secrets.push(vault.open(ref, m!.materialId, m!.wrapped!));
    }
    await t.stop();
    const files = await t.rawDatabase();
    assert.ok(files.length > 0);
    for (const secret of secrets) {
      assert.ok(secret.length >= 32);
      for (const file of files) assert.equal(file.includes(secret), false);
    }
  });

  test('a server refuses to start with a root key other than the database was created with', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trent-rootkey-'));
    dirs.push(dataDir);
    const { child } = await spawnServer(dataDir);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    const { code, stderr } = await runTrent(['--port', '0', '--data-dir', dataDir], { env: { TRENT_ROOT_KEY: Buffer.alloc(32, 7).toString('base64') } });
    assert.equal(code, 2);
    assert.equal(stderr, 'trent: the root key does not match the one this database was created with; key material cannot be opened\n');
  });
});

const client = (endpoint: string) =>
  new KMSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' }, maxAttempts: 1 });

/** Starts the built server as `npm start` does, on an ephemeral port, and waits for its URL. */
async function spawnServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const { child, url } = await spawnTrent(['serve', '--port', '0', '--data-dir', dataDir, '--log', 'silent']);
  return { child, url };
}
