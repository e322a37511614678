// Several Trent nodes, started as users start them (`trent serve --database-url`), on one fresh PostgreSQL
// database: they migrate it together, see each other's writes at once, and the rules that are checked by
// reading (the 50-tag limit, alias uniqueness) hold when the competing requests arrive at different nodes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  EncryptCommand,
  DecryptCommand,
  ListResourceTagsCommand,
  TagResourceCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { localClient, runTrent, spawnTrent, type RunningCli } from '../helpers/cli.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';

const ROOT_KEY = randomBytes(32).toString('base64');
let database: TestDatabase;
const nodes: RunningCli[] = [];
const clients: KMSClient[] = [];

before(async () => {
  database = await createTestDatabase();
  // Started together: each runs the migrations, one after another under an advisory lock.
  const started = await Promise.all([1, 2, 3].map(() =>
    spawnTrent(['serve', '--port', '0', '--database-url', database.url, '--log', 'silent', '--data-dir', ':memory:'], { env: { TRENT_ROOT_KEY: ROOT_KEY } }),
  ));
  nodes.push(...started);
  clients.push(...started.map((n) => localClient(n.url)));
});

after(async () => {
  for (const c of clients) c.destroy();
  for (const n of nodes) n.child.kill('SIGTERM');
  await Promise.all(nodes.map((n) => n.exited));
  await database.drop();
});

/** The outcome of a request: 'ok', or the error's name and message. */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

describe('Trent nodes on one PostgreSQL database', () => {
  test('a key made on one node is described and used on the others', async () => {
    const [a, b, c] = clients as [KMSClient, KMSClient, KMSClient];
    const { KeyMetadata } = await a.send(new CreateKeyCommand({ Description: 'shared' }));
    const seen = await b.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.KeyId }));
    assert.equal(seen.KeyMetadata!.Arn, KeyMetadata!.Arn);
    assert.equal(seen.KeyMetadata!.Description, 'shared');
    const enc = await b.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: Buffer.from('across nodes') }));
    const dec = await c.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    assert.equal(Buffer.from(dec.Plaintext!).toString(), 'across nodes');
  });

  test('60 new tags sent at once through three nodes: exactly 50 are kept, 10 are refused', async () => {
    const { KeyMetadata } = await clients[0]!.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) =>
      outcome(clients[i % 3]!.send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: `t${i}`, TagValue: 'v' }] }))),
    ));
    assert.equal(results.filter((r) => r === 'ok').length, 50);
    assert.deepEqual([...new Set(results.filter((r) => r !== 'ok'))], ['TagException: Too many tags']);
    const { Tags } = await clients[2]!.send(new ListResourceTagsCommand({ KeyId: keyId }));
    assert.equal(Tags!.length, 50);
  });

  test('one alias name claimed at once through three nodes: one CreateAlias wins, the rest are AlreadyExistsException', async () => {
    const keys = await Promise.all([0, 1, 2].map(async (i) => (await clients[i]!.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!));
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) =>
      outcome(clients[i % 3]!.send(new CreateAliasCommand({ AliasName: 'alias/contested', TargetKeyId: keys[i % 3] }))),
    ));
    assert.equal(results.filter((r) => r === 'ok').length, 1);
    assert.deepEqual(
      [...new Set(results.filter((r) => r !== 'ok'))],
      ['AlreadyExistsException: An alias with the name arn:aws:kms:us-east-1:111122223333:alias/contested already exists'],
    );
  });
});

describe('trent serve --database-url mistakes', () => {
  test('a URL that is not postgres:// is refused before anything starts', async () => {
    const r = await runTrent(['serve', '--port', '0', '--database-url', 'mysql://root@localhost/kms']);
    assert.deepEqual(r, { code: 2, stdout: '', stderr: 'trent: invalid databaseUrl: it must be a postgres:// or postgresql:// URL\n' });
  });

  test('an unreachable database names the URL, without its password, and exits 2', async () => {
    const r = await runTrent(['serve', '--port', '0', '--data-dir', ':memory:', '--database-url', 'postgres://trent:hunter2@127.0.0.1:1/kms'], { env: { TRENT_ROOT_KEY: ROOT_KEY } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^trent: cannot open the PostgreSQL database postgres:\/\/trent:\*\*\*@127\.0\.0\.1:1\/kms: .+\n$/);
    assert.doesNotMatch(r.stderr, /hunter2/);
  });

  test('no root key with no data directory is refused: keys in PostgreSQL outlive the process', async () => {
    const r = await runTrent(['serve', '--port', '0', '--data-dir', ':memory:', '--database-url', database.url]);
    assert.deepEqual(r, { code: 2, stdout: '', stderr: 'trent: a root key is required with a database URL and no data directory: set TRENT_ROOT_KEY or --root-key-file\n' });
  });
});
