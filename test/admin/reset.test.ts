// POST /_trent/reset: every key in scope goes with its aliases, tags, grants and usage records, the seed comes back,
// all in one step that no request sees half done; a bad body or a seed that no longer applies changes nothing.
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GetKeyLastUsageCommand,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  TagResourceCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { ACCOUNT, startTestServer, type TestServer } from '../helpers/server.ts';
import { rawRequest } from '../helpers/signed-fetch.ts';

const ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const MRK = 'mrk-1234abcd12ab34cd56ef1234567890ab';
const OTHER = '444455556666';
const SEED = {
  keys: [
    { keyId: ID, tags: { seeded: 'yes' }, aliases: ['alias/seeded'] },
    { keyId: MRK, multiRegion: { replicas: ['eu-west-1'] } },
  ],
};

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function server(seed: unknown): Promise<TestServer> {
  const t = await startTestServer(seed === undefined ? {} : { seed });
  dirs.push(t.dataDir);
  return t;
}

const post = (t: TestServer, body?: string) => rawRequest(t.url, { target: undefined, method: 'POST', path: '/_trent/reset', ...(body !== undefined ? { body } : {}) });
const keyIds = async (kms: KMSClient) => (await kms.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId);

/** The state a test builds on top of the seed: keys, an alias, tags, a grant and a recorded use. */
async function dirty(kms: KMSClient): Promise<string> {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'made', TagValue: 'later' }] }));
  const keyId = KeyMetadata!.KeyId!;
  await kms.send(new CreateAliasCommand({ AliasName: 'alias/later', TargetKeyId: keyId }));
  await kms.send(new TagResourceCommand({ KeyId: ID, Tags: [{ TagKey: 'seeded', TagValue: 'changed' }] }));
  await kms.send(new CreateGrantCommand({ KeyId: ID, GranteePrincipal: `arn:aws:iam::${ACCOUNT}:root`, Operations: ['Encrypt'] }));
  await kms.send(new EncryptCommand({ KeyId: ID, Plaintext: Buffer.from('x') }));
  return keyId;
}

describe('POST /_trent/reset', () => {
  test('deletes every key, alias, tag, grant and usage record, and applies the seed again; answers 200 {}', async () => {
    const t = await server(SEED);
    try {
      const kms = t.client();
      const later = await dirty(kms);
      const res = await post(t);
      assert.equal(res.status, 200);
      assert.equal(res.text, '{}');
      assert.equal(res.headers.get('content-type'), 'application/json');
      assert.deepEqual(await keyIds(kms), [ID, MRK]);
      await expectError(kms.send(new DescribeKeyCommand({ KeyId: later })), 'NotFoundException', `Key 'arn:aws:kms:us-east-1:${ACCOUNT}:key/${later}' does not exist`);
      assert.deepEqual((await kms.send(new ListAliasesCommand({}))).Aliases!.map((a) => a.AliasName), ['alias/seeded']);
      assert.deepEqual((await kms.send(new ListResourceTagsCommand({ KeyId: ID }))).Tags, [{ TagKey: 'seeded', TagValue: 'yes' }]);
      assert.deepEqual((await kms.send(new ListGrantsCommand({ KeyId: ID }))).Grants, []);
      const usage = await kms.send(new GetKeyLastUsageCommand({ KeyId: ID }));
      assert.equal(usage.KeyLastUsage, undefined);
      assert.equal((await t.client({ region: 'eu-west-1' }).send(new DescribeKeyCommand({ KeyId: MRK }))).KeyMetadata!.KeyState, 'Enabled');
    } finally {
      await t.close();
    }
  });

  test('without a seed, a reset leaves nothing', async () => {
    const t = await server(undefined);
    try {
      const kms = t.client();
      await kms.send(new CreateKeyCommand({}));
      assert.equal((await post(t)).status, 200);
      assert.deepEqual(await keyIds(kms), []);
    } finally {
      await t.close();
    }
  });

  test('{"account"} and {"region"} limit it; a multi-Region set goes whole and comes back whole', async () => {
    const t = await server({ keys: [...SEED.keys, { keyId: ID, account: OTHER }] });
    try {
      const kms = t.client();
      const other = t.client({ accessKeyId: OTHER });
      const west = t.client({ region: 'eu-west-1' });
      const mine = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      const theirs = (await other.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      const westKey = (await west.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;

      assert.equal((await post(t, JSON.stringify({ account: OTHER }))).status, 200);
      assert.deepEqual(await keyIds(other), [ID]);
      assert.deepEqual(await keyIds(kms), [ID, MRK, mine]);

      assert.equal((await post(t, JSON.stringify({ region: 'eu-west-1' }))).status, 200);
      assert.deepEqual(await keyIds(west), [MRK]);
      assert.ok(!(await keyIds(west)).includes(westKey));
      // The set's us-east-1 primary went with its eu-west-1 replica and came back with it, after the key made since.
      assert.deepEqual(await keyIds(kms), [ID, mine, MRK]);
      assert.deepEqual(await keyIds(other), [ID]);
      assert.ok(theirs);

      assert.equal((await post(t, JSON.stringify({ account: ACCOUNT, region: 'us-east-1' }))).status, 200);
      assert.deepEqual(await keyIds(kms), [ID, MRK]);
    } finally {
      await t.close();
    }
  });

  test('a request in flight when a reset arrives finishes first, and its result is reset with the rest', async () => {
    const t = await server(SEED);
    try {
      const kms = t.client();
      // RSA_4096 key generation keeps CreateKey in flight for a while; the reset must wait for it, then delete its key.
      const creating = kms.send(new CreateKeyCommand({ KeySpec: 'RSA_4096', KeyUsage: 'SIGN_VERIFY' }));
      await new Promise((r) => setTimeout(r, 30));
      const order: string[] = [];
      const [created] = await Promise.all([
        creating.then((r) => (order.push('CreateKey'), r)),
        post(t).then((r) => order.push(`reset ${r.status}`)),
      ]);
      assert.deepEqual(order, ['CreateKey', 'reset 200']);
      assert.ok(!(await keyIds(kms)).includes(created.KeyMetadata!.KeyId!));
      assert.deepEqual(await keyIds(kms), [ID, MRK]);
    } finally {
      await t.close();
    }
  });

  test('bad bodies get 400 and change nothing', async () => {
    const t = await server(SEED);
    try {
      const kms = t.client();
      const later = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      const cases: [string, string, string][] = [
        ['{', 'SerializationException', 'Malformed JSON in request body'],
        ['[]', 'ValidationException', 'the body must be a JSON object: POST /_trent/reset takes {} or {"account": "111122223333", "region": "us-east-1"}'],
        ['{"acount":"111122223333"}', 'ValidationException', 'unknown member "acount": POST /_trent/reset takes {} or {"account": "111122223333", "region": "us-east-1"}'],
        ['{"account":111122223333}', 'ValidationException', 'account must be 12 digits as a string, such as "111122223333"'],
        ['{"region":"US-EAST-1"}', 'ValidationException', 'region must be a Region name such as "us-east-1"'],
      ];
      for (const [body, type, message] of cases) {
        const res = await post(t, body);
        assert.equal(res.status, 400, body);
        assert.deepEqual(JSON.parse(res.text), { __type: type, message });
      }
      assert.deepEqual(await keyIds(kms), [ID, MRK, later]);
    } finally {
      await t.close();
    }
  });

  test('a seed file that no longer applies fails the reset with 400 and changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trent-reset-seed-'));
    dirs.push(dir);
    const seedFile = join(dir, 'seed.json');
    writeFileSync(seedFile, JSON.stringify({ keys: [{ keyId: ID }] }));
    const t = await startTestServer({ seed: seedFile });
    try {
      const kms = t.client();
      const later = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      writeFileSync(seedFile, JSON.stringify({ keys: [{ keyId: ID, tags: { 'aws:x': '1' } }] }));
      const res = await post(t);
      assert.equal(res.status, 400);
      assert.deepEqual(JSON.parse(res.text), {
        __type: 'InvalidSeedException',
        message: `nothing was reset: ${seedFile}: keys[0] (key ${ID}): TagException: Tags beginning with aws: are reserved`,
      });
      assert.deepEqual(await keyIds(kms), [ID, later]);
      // An edit that applies takes effect at the next reset, without a restart.
      writeFileSync(seedFile, JSON.stringify({ keys: [{ keyId: ID, description: 'edited' }] }));
      assert.equal((await post(t)).status, 200);
      assert.deepEqual(await keyIds(kms), [ID]);
      assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: ID }))).KeyMetadata!.Description, 'edited');
    } finally {
      await t.close();
    }
  });
});
