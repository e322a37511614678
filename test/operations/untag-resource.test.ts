// UntagResource through the real SDK: partial and full removal, absent keys, validation, key states.
import { CreateKeyCommand, ListResourceTagsCommand, ScheduleKeyDeletionCommand, UntagResourceCommand, DisableKeyCommand, type Tag } from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { startTestServer } from '../helpers/server.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const three: Tag[] = [
  { TagKey: 'tag1', TagValue: 'value1' },
  { TagKey: 'tag2', TagValue: 'value2' },
  { TagKey: 'tag3', TagValue: 'value3' },
];
const newKey = async (Tags: Tag[] = three) => (await kms.send(new CreateKeyCommand({ Tags }))).KeyMetadata!;
const tagsOf = async (KeyId: string) => (await kms.send(new ListResourceTagsCommand({ KeyId }))).Tags!;

describe('UntagResource', () => {
  test('removes only the listed keys', async () => {
    const key = await newKey();
    const out = await kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ['tag2'] }));
    assert.deepEqual(Object.keys(out).filter((k) => k !== '$metadata'), []);
    assert.deepEqual(await tagsOf(key.KeyId!), [
      { TagKey: 'tag1', TagValue: 'value1' },
      { TagKey: 'tag3', TagValue: 'value3' },
    ]);
  });

  test('removing every tag leaves an empty list', async () => {
    const key = await newKey();
    await kms.send(new UntagResourceCommand({ KeyId: key.Arn, TagKeys: ['tag1', 'tag2', 'tag3'] }));
    assert.deepEqual(await tagsOf(key.KeyId!), []);
  });

  test('a tag key that is not on the key is a silent success; keys are case-sensitive', async () => {
    const key = await newKey();
    await kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ['nope', 'TAG1'] }));
    assert.equal((await tagsOf(key.KeyId!)).length, 3);
  });

  test('works on a Disabled key, not on a key pending deletion', async () => {
    const key = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    await kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ['tag1'] }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId }));
    await expectError(kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ['tag2'] })), 'KMSInvalidStateException', `${key.Arn} is pending deletion.`);
    assert.equal((await tagsOf(key.KeyId!)).length, 2);
  });

  test('an empty TagKeys list is rejected', async () => {
    const key = await newKey();
    // DG tag-permissions: "TagResource and UntagResource fail when no tags are specified"; code unrecorded.
    await expectError(
      kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: [] })),
      'ValidationException',
      "1 validation error detected: Value '[]' at 'tagKeys' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  test('a tag key over 128 characters is a ValidationException and removes nothing', async () => {
    const key = await newKey();
    await expectError(kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ['tag1', 'x'.repeat(129)] })), 'ValidationException', /^1 validation error detected: Value .* at 'tagKeys/);
    assert.equal((await tagsOf(key.KeyId!)).length, 3);
  });

  test('an unknown key is NotFound', async () => {
    const id = '0b0e8a3c-0000-4000-8000-000000000000';
    await expectError(kms.send(new UntagResourceCommand({ KeyId: id, TagKeys: ['a'] })), 'NotFoundException', `Key 'arn:aws:kms:us-east-1:111122223333:key/${id}' does not exist`);
  });
});
