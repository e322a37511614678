// ListResourceTags through the real SDK: shape, order, paging with markers, limits, every key state.
import {
  CreateKeyCommand,
  DisableKeyCommand,
  ListResourceTagsCommand,
  paginateListResourceTags,
  ScheduleKeyDeletionCommand,
  type Tag,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { ACCOUNT, REGION, startTestServer } from '../helpers/server.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const many = (n: number) => Array.from({ length: n }, (_, i) => ({ TagKey: `k${String(i).padStart(2, '0')}`, TagValue: `v${i}` }));
const newKey = async (Tags?: Tag[]) => (await kms.send(new CreateKeyCommand({ Tags }))).KeyMetadata!;

describe('ListResourceTags', () => {
  test('a key without tags: empty list, Truncated false, no NextMarker', async () => {
    const key = await newKey();
    const out = await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId }));
    assert.deepEqual(out.Tags, []);
    assert.equal(out.Truncated, false);
    assert.equal(out.NextMarker, undefined);
  });

  test('tags come sorted by tag key in code-unit order', async () => {
    const key = await newKey([{ TagKey: 'b', TagValue: '1' }, { TagKey: 'B', TagValue: '2' }, { TagKey: 'a', TagValue: '3' }, { TagKey: '_', TagValue: '4' }]);
    const out = await kms.send(new ListResourceTagsCommand({ KeyId: key.Arn }));
    // AWS's order is unrecorded (spec §1.7); sorting by key keeps pages stable.
    assert.deepEqual(out.Tags!.map((x) => x.TagKey), ['B', '_', 'a', 'b']);
  });

  test('pages with Limit and NextMarker cover every tag exactly once', async () => {
    const key = await newKey(many(50));
    const first = await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId, Limit: 20 }));
    assert.equal(first.Tags!.length, 20);
    assert.equal(first.Truncated, true);
    assert.ok(first.NextMarker);
    const second = await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId, Limit: 20, Marker: first.NextMarker }));
    const third = await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId, Limit: 20, Marker: second.NextMarker }));
    assert.equal(third.Tags!.length, 10);
    assert.equal(third.Truncated, false);
    assert.equal(third.NextMarker, undefined);
    assert.deepEqual([...first.Tags!, ...second.Tags!, ...third.Tags!], many(50));
  });

  test("the SDK's paginator walks all pages", async () => {
    const key = await newKey(many(23));
    const seen: Tag[] = [];
    for await (const page of paginateListResourceTags({ client: kms, pageSize: 5 }, { KeyId: key.KeyId })) seen.push(...page.Tags!);
    assert.deepEqual(seen, many(23));
  });

  test('a Limit exactly the number of tags is not truncated', async () => {
    const key = await newKey(many(3));
    const out = await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId, Limit: 3 }));
    assert.equal(out.Truncated, false);
    assert.equal(out.NextMarker, undefined);
  });

  test('Limit defaults to 50, values above 50 return at most 50, and 0 or 1001 are invalid', async () => {
    const key = await newKey(many(50));
    assert.equal((await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId }))).Tags!.length, 50);
    // The API documents 1..50 while the model allows 1..1000; AWS's answer for 51..1000 is unrecorded.
    const big = await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId, Limit: 1000 }));
    assert.equal(big.Tags!.length, 50);
    assert.equal(big.Truncated, false);
    await expectError(
      kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId, Limit: 0 })),
      'ValidationException',
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await expectError(
      kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId, Limit: 1001 })),
      'ValidationException',
      "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
  });

  test('a marker Trent did not issue, or issued for another key, is InvalidMarkerException', async () => {
    const a = await newKey(many(5));
    const b = await newKey(many(5));
    const page = await kms.send(new ListResourceTagsCommand({ KeyId: a.KeyId, Limit: 2 }));
    await expectError(kms.send(new ListResourceTagsCommand({ KeyId: a.KeyId, Marker: 'bogus' })), 'InvalidMarkerException', 'Invalid marker');
    await expectError(kms.send(new ListResourceTagsCommand({ KeyId: b.KeyId, Marker: page.NextMarker })), 'InvalidMarkerException', 'Invalid marker');
    const tampered = page.NextMarker!.slice(0, -2) + (page.NextMarker!.endsWith('AA') ? 'BB' : 'AA');
    await expectError(kms.send(new ListResourceTagsCommand({ KeyId: a.KeyId, Marker: tampered })), 'InvalidMarkerException', 'Invalid marker');
  });

  test('works in every key state, including pending deletion', async () => {
    const key = await newKey([{ TagKey: 'x', TagValue: 'y' }]);
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    assert.equal((await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId }))).Tags!.length, 1);
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId }));
    assert.equal((await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId }))).Tags!.length, 1);
    const external = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL', Tags: [{ TagKey: 'x', TagValue: 'y' }] }))).KeyMetadata!;
    assert.equal((await kms.send(new ListResourceTagsCommand({ KeyId: external.KeyId }))).Tags!.length, 1);
  });

  test('tags are gone with their key once its deletion date passes', async () => {
    const key = await newKey([{ TagKey: 'x', TagValue: 'y' }]);
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    t.clock.advanceDays(7);
    await expectError(kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId })), 'NotFoundException', `Key '${key.Arn}' does not exist`);
    assert.equal((await t.server.sweep()).deleted, 1);
    assert.equal(await t.store.transaction((tx) => tx.countTags({ account: ACCOUNT, region: REGION, keyId: key.KeyId! })), 0);
  });
});
