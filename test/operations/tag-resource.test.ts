// TagResource through the real SDK: upserts, every validation rule with AWS's exact texts, key
// identifiers, key states, the 50-tag limit under concurrency, and no half-applied changes.
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  type Tag,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { ACCOUNT, REGION, startTestServer } from '../helpers/server.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const newKey = async (opts: { Origin?: 'EXTERNAL'; Tags?: Tag[] } = {}) => (await kms.send(new CreateKeyCommand(opts))).KeyMetadata!;
const tagsOf = async (KeyId: string) => (await kms.send(new ListResourceTagsCommand({ KeyId }))).Tags!;
const sorted = (tags: Tag[]) => [...tags].sort((a, b) => (a.TagKey! < b.TagKey! ? -1 : 1));
const many = (n: number, prefix = 'k') => Array.from({ length: n }, (_, i) => ({ TagKey: `${prefix}${String(i).padStart(2, '0')}`, TagValue: `v${i}` }));

describe('TagResource', () => {
  test('adds tags, replaces the value of an existing key and leaves other tags alone', async () => {
    const key = await newKey({ Tags: [{ TagKey: 'tag1', TagValue: 'value1' }, { TagKey: 'tag2', TagValue: 'value2' }, { TagKey: 'tag3', TagValue: 'value3' }] });
    const out = await kms.send(
      new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'tag4', TagValue: 'value4' }, { TagKey: 'tag2', TagValue: 'updated_value2' }, { TagKey: 'tag5', TagValue: 'value5' }] }),
    );
    assert.deepEqual(Object.keys(out).filter((k) => k !== '$metadata'), []);
    assert.deepEqual(sorted(await tagsOf(key.KeyId!)), [
      { TagKey: 'tag1', TagValue: 'value1' },
      { TagKey: 'tag2', TagValue: 'updated_value2' },
      { TagKey: 'tag3', TagValue: 'value3' },
      { TagKey: 'tag4', TagValue: 'value4' },
      { TagKey: 'tag5', TagValue: 'value5' },
    ]);
  });

  test('accepts a key ARN, empty values, case-distinct keys and a 128/256-character key/value', async () => {
    const key = await newKey();
    const long = { TagKey: 'k'.repeat(128), TagValue: 'v'.repeat(256) };
    await kms.send(new TagResourceCommand({ KeyId: key.Arn, Tags: [{ TagKey: 'Project', TagValue: '' }, { TagKey: 'project', TagValue: 'x' }, long] }));
    assert.deepEqual(sorted(await tagsOf(key.KeyId!)), sorted([{ TagKey: 'Project', TagValue: '' }, { TagKey: 'project', TagValue: 'x' }, long]));
  });

  test('re-tagging with the same pair is a no-op success', async () => {
    const key = await newKey({ Tags: [{ TagKey: 'a', TagValue: '1' }] });
    await kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'a', TagValue: '1' }] }));
    assert.deepEqual(await tagsOf(key.KeyId!), [{ TagKey: 'a', TagValue: '1' }]);
  });

  test('a tag key longer than 128 characters is a ValidationException naming its path', async () => {
    const key = await newKey();
    const k = 'a'.repeat(129);
    await expectError(
      kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'ok', TagValue: 'x' }, { TagKey: k, TagValue: 'x' }] })),
      'ValidationException',
      `1 validation error detected: Value '${k}' at 'tags.2.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
    assert.deepEqual(await tagsOf(key.KeyId!), []);
  });

  test('a tag value longer than 256 characters is a ValidationException', async () => {
    const key = await newKey();
    const v = 'v'.repeat(257);
    await expectError(
      kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'k', TagValue: v }] })),
      'ValidationException',
      `1 validation error detected: Value '${v}' at 'tags.1.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256`,
    );
  });

  test('an empty tag key is a ValidationException', async () => {
    const key = await newKey();
    await expectError(
      kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: '', TagValue: 'x' }] })),
      'ValidationException',
      "1 validation error detected: Value '' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  for (const reserved of ['aws:key1', 'AWS:key1', 'Aws:key1', 'aWs:x']) {
    test(`a tag key starting with ${reserved.slice(0, 4)} is reserved`, async () => {
      const key = await newKey();
      await expectError(
        kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'fine', TagValue: 'x' }, { TagKey: reserved, TagValue: 'x' }] })),
        'TagException',
        'Tags beginning with aws: are reserved',
      );
      assert.deepEqual(await tagsOf(key.KeyId!), [], 'nothing of a rejected request is applied');
    });
  }

  test('aws not at the start, and aws: in a value, are accepted', async () => {
    const key = await newKey();
    await kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'myaws:x', TagValue: 'aws:value' }] }));
    assert.deepEqual(await tagsOf(key.KeyId!), [{ TagKey: 'myaws:x', TagValue: 'aws:value' }]);
  });

  test('duplicate tag keys in one request are a TagException', async () => {
    const key = await newKey();
    await expectError(
      kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'tag1', TagValue: 'value1' }, { TagKey: 'tag1', TagValue: 'another-value1' }] })),
      'TagException',
      'Duplicate tag keys',
    );
    assert.deepEqual(await tagsOf(key.KeyId!), []);
  });

  test('keys differing only in case are not duplicates', async () => {
    const key = await newKey();
    await kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'Env', TagValue: '1' }, { TagKey: 'env', TagValue: '2' }] }));
    assert.equal((await tagsOf(key.KeyId!)).length, 2);
  });

  test('more than 50 tags in one request is a TagException, not LimitExceededException', async () => {
    const key = await newKey();
    await expectError(kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: many(51) })), 'TagException', 'Too many tags');
    await kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: many(50) }));
    assert.equal((await tagsOf(key.KeyId!)).length, 50);
  });

  test('the 50-tag limit counts the tags already on the key; replacing values does not add', async () => {
    const key = await newKey({ Tags: many(40) });
    // AWS's code for exceeding the total is unrecorded (spec §1.4); TagException avoids SDK throttling retries.
    await expectError(kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: many(11, 'n') })), 'TagException', 'Too many tags');
    assert.equal((await tagsOf(key.KeyId!)).length, 40, 'the rejected request changed nothing');
    await kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [...many(40).map((t) => ({ ...t, TagValue: 'new' })), ...many(10, 'n')] }));
    const tags = await tagsOf(key.KeyId!);
    assert.equal(tags.length, 50);
    assert.ok(tags.filter((t) => t.TagKey!.startsWith('k')).every((t) => t.TagValue === 'new'));
  });

  test('an empty tag list is rejected', async () => {
    const key = await newKey();
    // DG tag-permissions: "TagResource and UntagResource fail when no tags are specified"; code unrecorded.
    await expectError(
      kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [] })),
      'ValidationException',
      "1 validation error detected: Value '[]' at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  test('a missing Tags member is a ValidationException', async () => {
    const key = await newKey();
    await expectError(
      kms.send(new TagResourceCommand({ KeyId: key.KeyId } as never)),
      'ValidationException',
      "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null",
    );
  });

  test('tags on a Disabled key and on a PendingImport key', async () => {
    const disabled = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId: disabled.KeyId }));
    await kms.send(new TagResourceCommand({ KeyId: disabled.KeyId, Tags: [{ TagKey: 'a', TagValue: 'b' }] }));
    const external = await newKey({ Origin: 'EXTERNAL' });
    assert.equal(external.KeyState, 'PendingImport');
    await kms.send(new TagResourceCommand({ KeyId: external.KeyId, Tags: [{ TagKey: 'a', TagValue: 'b' }] }));
    assert.equal((await tagsOf(disabled.KeyId!)).length, 1);
    assert.equal((await tagsOf(external.KeyId!)).length, 1);
  });

  test('a key pending deletion cannot be tagged; the message names the key ARN', async () => {
    const key = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    await expectError(
      kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'a', TagValue: 'b' }] })),
      'KMSInvalidStateException',
      `${key.Arn} is pending deletion.`,
    );
  });

  test('unknown, malformed and foreign-Region key identifiers', async () => {
    const tags = [{ TagKey: 'a', TagValue: 'b' }];
    const id = '134f2428-cec1-4b25-a1ae-9048164dba47';
    await expectError(kms.send(new TagResourceCommand({ KeyId: id, Tags: tags })), 'NotFoundException', `Key 'arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}' does not exist`);
    await expectError(kms.send(new TagResourceCommand({ KeyId: 'fake-key-id', Tags: tags })), 'NotFoundException', "Invalid keyId 'fake-key-id'");
    await expectError(
      kms.send(new TagResourceCommand({ KeyId: '134f2428cec14b25a1ae9048164dba47', Tags: tags })),
      'NotFoundException',
      "Invalid keyId '134f2428cec14b25a1ae9048164dba47'",
    );
    await expectError(
      kms.send(new TagResourceCommand({ KeyId: `arn:aws:kms:us-west-2:${ACCOUNT}:key/${id}`, Tags: tags })),
      'NotFoundException',
      'Invalid arn us-west-2',
    );
  });

  test('an alias cannot be tagged through TagResource', async () => {
    const key = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/tag-target', TargetKeyId: key.KeyId }));
    // Alias name: AWS's answer is unrecorded; it is not a key ID, so the key-ID error is the natural one.
    await expectError(kms.send(new TagResourceCommand({ KeyId: 'alias/tag-target', Tags: [{ TagKey: 'a', TagValue: 'b' }] })), 'NotFoundException', "Invalid keyId 'alias/tag-target'");
    await expectError(
      kms.send(new TagResourceCommand({ KeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/tag-target`, Tags: [{ TagKey: 'a', TagValue: 'b' }] })),
      'InvalidArnException',
      'Key Aliases are not supported for this operation',
    );
    assert.deepEqual(await tagsOf(key.KeyId!), []);
  });

  test("another account's key is not reachable", async () => {
    const key = await newKey();
    const other = t.client({ accessKeyId: '444455556666' });
    // Tagging is not a cross-account operation (model: "Cross-account use: No"); the key is not found there.
    await expectError(other.send(new TagResourceCommand({ KeyId: key.Arn, Tags: [{ TagKey: 'a', TagValue: 'b' }] })), 'NotFoundException', `Key '${key.Arn}' does not exist`);
    await expectError(
      other.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'a', TagValue: 'b' }] })),
      'NotFoundException',
      `Key 'arn:aws:kms:${REGION}:444455556666:key/${key.KeyId}' does not exist`,
    );
    assert.deepEqual(await tagsOf(key.KeyId!), []);
  });

  test('many concurrent requests never leave more than 50 tags on a key', async () => {
    const key = await newKey();
    const results = await Promise.allSettled(
      Array.from({ length: 80 }, (_, i) => kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: `c${i}`, TagValue: 'x' }] }))),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    assert.equal(ok, 50);
    assert.equal(rejected.length, 30);
    for (const r of rejected) assert.equal((r.reason as Error).name, 'TagException');
    assert.equal((await tagsOf(key.KeyId!)).length, 50);
  });
});
