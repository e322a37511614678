// ListKeys through the real SDK: creation order, paging with Limit and Marker, marker validation, limits,
// isolation by account and Region, and which key states are listed. Each test uses its own account.
import {
  CreateKeyCommand,
  DisableKeyCommand,
  KMSClient,
  ListKeysCommand,
  ListResourceTagsCommand,
  paginateListKeys,
  ScheduleKeyDeletionCommand,
  type KeyListEntry,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { REGION, startTestServer, type TestServer } from '../helpers/server.ts';

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(() => t.close());

let nextAccount = 200000000000;
/** A client of an account no other test uses (12-digit access key IDs select the account). */
const freshAccount = (region = REGION) => {
  const account = String(nextAccount++);
  return { account, client: t.client({ accessKeyId: account, region }) };
};

async function createKeys(client: KMSClient, n: number, opts: { Origin?: 'EXTERNAL' } = {}): Promise<KeyListEntry[]> {
  const out: KeyListEntry[] = [];
  for (let i = 0; i < n; i++) {
    const md = (await client.send(new CreateKeyCommand(opts))).KeyMetadata!;
    out.push({ KeyId: md.KeyId, KeyArn: md.Arn });
  }
  return out;
}

describe('ListKeys', () => {
  test('an account without keys: empty list, Truncated false, no NextMarker', async () => {
    const { client } = freshAccount();
    const out = await client.send(new ListKeysCommand({}));
    assert.deepEqual(out.Keys, []);
    assert.equal(out.Truncated, false);
    assert.equal(out.NextMarker, undefined);
  });

  test('lists keys in creation order with KeyId and KeyArn only', async () => {
    const { account, client } = freshAccount();
    const keys = await createKeys(client, 5);
    for (const k of keys) assert.equal(k.KeyArn, `arn:aws:kms:${REGION}:${account}:key/${k.KeyId}`);
    const out = await client.send(new ListKeysCommand({}));
    assert.deepEqual(out.Keys, keys);
    assert.equal(out.Truncated, false);
    assert.equal(out.NextMarker, undefined);
  });

  test('Limit and Marker page through every key exactly once', async () => {
    const { client } = freshAccount();
    const keys = await createKeys(client, 7);
    const first = await client.send(new ListKeysCommand({ Limit: 3 }));
    assert.deepEqual(first.Keys, keys.slice(0, 3));
    assert.equal(first.Truncated, true);
    assert.equal(typeof first.NextMarker, 'string');
    const second = await client.send(new ListKeysCommand({ Limit: 3, Marker: first.NextMarker }));
    assert.deepEqual(second.Keys, keys.slice(3, 6));
    assert.equal(second.Truncated, true);
    assert.notEqual(second.NextMarker, first.NextMarker);
    const third = await client.send(new ListKeysCommand({ Limit: 3, Marker: second.NextMarker }));
    assert.deepEqual(third.Keys, keys.slice(6));
    assert.equal(third.Truncated, false);
    assert.equal(third.NextMarker, undefined);
  });

  test('a marker can be reused, and later pages may use another Limit', async () => {
    const { client } = freshAccount();
    const keys = await createKeys(client, 5);
    const first = await client.send(new ListKeysCommand({ Limit: 2 }));
    const again = await client.send(new ListKeysCommand({ Limit: 2, Marker: first.NextMarker }));
    const wider = await client.send(new ListKeysCommand({ Limit: 10, Marker: first.NextMarker }));
    assert.deepEqual(again.Keys, keys.slice(2, 4));
    assert.deepEqual(wider.Keys, keys.slice(2));
    assert.equal(wider.Truncated, false);
  });

  test('a Limit equal to the number of keys is not truncated; one less is', async () => {
    const { client } = freshAccount();
    const keys = await createKeys(client, 4);
    const exact = await client.send(new ListKeysCommand({ Limit: 4 }));
    assert.deepEqual(exact.Keys, keys);
    assert.equal(exact.Truncated, false);
    assert.equal(exact.NextMarker, undefined);
    const short = await client.send(new ListKeysCommand({ Limit: 3 }));
    assert.equal(short.Truncated, true);
    const rest = await client.send(new ListKeysCommand({ Limit: 3, Marker: short.NextMarker }));
    assert.deepEqual(rest.Keys, keys.slice(3));
    assert.equal(rest.Truncated, false);
  });

  test("the SDK's paginator walks all pages", async () => {
    const { client } = freshAccount();
    const keys = await createKeys(client, 9);
    const seen: KeyListEntry[] = [];
    let pages = 0;
    for await (const page of paginateListKeys({ client, pageSize: 2 }, {})) {
      seen.push(...page.Keys!);
      pages++;
    }
    assert.deepEqual(seen, keys);
    assert.equal(pages, 5);
  });

  test('Limit defaults to 100', async () => {
    const { client } = freshAccount();
    const keys = await createKeys(client, 101);
    const first = await client.send(new ListKeysCommand({}));
    assert.deepEqual(first.Keys, keys.slice(0, 100));
    assert.equal(first.Truncated, true);
    const rest = await client.send(new ListKeysCommand({ Marker: first.NextMarker }));
    assert.deepEqual(rest.Keys, keys.slice(100));
    assert.equal(rest.Truncated, false);
    assert.deepEqual((await client.send(new ListKeysCommand({ Limit: 1000 }))).Keys, keys);
  });

  test('Limit 0 and 1001 break the model range', async () => {
    const { client } = freshAccount();
    await expectError(
      client.send(new ListKeysCommand({ Limit: 0 })),
      'ValidationException',
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await expectError(
      client.send(new ListKeysCommand({ Limit: 1001 })),
      'ValidationException',
      "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
  });

  test('a marker Trent did not issue, or issued for another listing, is InvalidMarkerException', async () => {
    const a = freshAccount();
    const b = freshAccount();
    const west = t.client({ accessKeyId: a.account, region: 'us-west-2' });
    await createKeys(a.client, 3);
    await createKeys(b.client, 3);
    await createKeys(west, 3);
    const page = await a.client.send(new ListKeysCommand({ Limit: 1 }));
    const tagsKey = (await a.client.send(new CreateKeyCommand({ Tags: [{ TagKey: 'a', TagValue: '1' }, { TagKey: 'b', TagValue: '2' }] }))).KeyMetadata!;
    const tagsPage = await a.client.send(new ListResourceTagsCommand({ KeyId: tagsKey.KeyId, Limit: 1 }));
    for (const marker of ['bogus', 'Invalid', page.NextMarker!.slice(0, -2) + (page.NextMarker!.endsWith('AA') ? 'BB' : 'AA'), tagsPage.NextMarker!]) {
      await expectError(a.client.send(new ListKeysCommand({ Marker: marker })), 'InvalidMarkerException', 'Invalid marker');
    }
    // A marker is bound to the account and Region it was issued for.
    await expectError(b.client.send(new ListKeysCommand({ Marker: page.NextMarker })), 'InvalidMarkerException', 'Invalid marker');
    await expectError(west.send(new ListKeysCommand({ Marker: page.NextMarker })), 'InvalidMarkerException', 'Invalid marker');
  });

  test('each account sees only its own keys', async () => {
    const a = freshAccount();
    const b = freshAccount();
    const aKeys = await createKeys(a.client, 2);
    const bKeys = await createKeys(b.client, 3);
    assert.deepEqual((await a.client.send(new ListKeysCommand({}))).Keys, aKeys);
    assert.deepEqual((await b.client.send(new ListKeysCommand({}))).Keys, bKeys);
  });

  test('each Region lists only its own keys', async () => {
    const east = freshAccount();
    const west = t.client({ accessKeyId: east.account, region: 'us-west-2' });
    const eastKeys = await createKeys(east.client, 2);
    const westKeys = await createKeys(west, 2);
    for (const k of westKeys) assert.match(k.KeyArn!, /^arn:aws:kms:us-west-2:/);
    assert.deepEqual((await east.client.send(new ListKeysCommand({}))).Keys, eastKeys);
    assert.deepEqual((await west.send(new ListKeysCommand({}))).Keys, westKeys);
  });

  test('Disabled, PendingImport and pending-deletion keys are listed until their deletion date', async () => {
    const { client } = freshAccount();
    const [enabled, disabled, pending] = await createKeys(client, 3);
    const [external] = await createKeys(client, 1, { Origin: 'EXTERNAL' });
    await client.send(new DisableKeyCommand({ KeyId: disabled!.KeyId }));
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: pending!.KeyId, PendingWindowInDays: 7 }));
    assert.deepEqual((await client.send(new ListKeysCommand({}))).Keys, [enabled, disabled, pending, external]);
    t.clock.advanceDays(7);
    assert.deepEqual((await client.send(new ListKeysCommand({}))).Keys, [enabled, disabled, external]);
  });

  test('a marker stays valid when the last key of its page is deleted', async () => {
    const { client } = freshAccount();
    const keys = await createKeys(client, 4);
    const first = await client.send(new ListKeysCommand({ Limit: 2 }));
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: keys[1]!.KeyId, PendingWindowInDays: 7 }));
    t.clock.advanceDays(7);
    // Markers hold a position in creation order, not a key, so deleting that key does not break paging.
    const rest = await client.send(new ListKeysCommand({ Marker: first.NextMarker }));
    assert.deepEqual(rest.Keys, keys.slice(2));
    assert.equal(rest.Truncated, false);
  });
});
