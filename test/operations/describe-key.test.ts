// DescribeKey through the real SDK: the four ways to name a key, AWS's NotFound texts for each kind of
// bad identifier, Region and account boundaries, every key state, and tags never shown.
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  ScheduleKeyDeletionCommand,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { ACCOUNT, REGION, startTestServer } from '../helpers/server.ts';
import { rawRequest } from '../helpers/signed-fetch.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const OTHER_ACCOUNT = '444455556666';
const DAY_MS = 24 * 60 * 60 * 1000;
const newKey = async (client = kms) => (await client.send(new CreateKeyCommand({}))).KeyMetadata!;
const describeKey = async (KeyId: string, client = kms) => (await client.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!;

describe('DescribeKey', () => {
  test('key ID, key ARN, alias name and alias ARN all give the metadata CreateKey returned', async () => {
    const key = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/describe-me', TargetKeyId: key.KeyId }));
    for (const id of [key.KeyId!, key.Arn!, 'alias/describe-me', `arn:aws:kms:${REGION}:${ACCOUNT}:alias/describe-me`]) {
      assert.deepEqual(await describeKey(id), key, id);
    }
  });

  test('the response has KeyMetadata only', async () => {
    const key = await newKey();
    const out = await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }));
    assert.deepEqual(Object.keys(out).filter((k) => k !== '$metadata'), ['KeyMetadata']);
  });

  test('an unknown key ID or key ARN: the message names the full key ARN', async () => {
    const id = '134f2428-cec1-4b25-a1ae-9048164dba47';
    const arn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`;
    await expectError(kms.send(new DescribeKeyCommand({ KeyId: id })), 'NotFoundException', `Key '${arn}' does not exist`);
    await expectError(kms.send(new DescribeKeyCommand({ KeyId: arn })), 'NotFoundException', `Key '${arn}' does not exist`);
  });

  test('an unknown multi-Region key ID', async () => {
    const id = 'mrk-d3b95762d3b95762d3b95762d3b95762';
    await expectError(kms.send(new DescribeKeyCommand({ KeyId: id })), 'NotFoundException', `Key 'arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}' does not exist`);
  });

  test('malformed key IDs are Invalid keyId with the input quoted', async () => {
    for (const id of ['fake-key-id', 'mrk-fake-key-id', '134f2428cec14b25a1ae9048164dba47']) {
      await expectError(kms.send(new DescribeKeyCommand({ KeyId: id })), 'NotFoundException', `Invalid keyId '${id}'`);
    }
  });

  test('a key ARN of another Region is Invalid arn <region>', async () => {
    const key = await newKey();
    await expectError(
      kms.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:us-west-2:${ACCOUNT}:key/${key.KeyId}` })),
      'NotFoundException',
      'Invalid arn us-west-2',
    );
  });

  test('an unknown alias, by name or by ARN', async () => {
    const message = `Alias arn:aws:kms:${REGION}:${ACCOUNT}:alias/nope is not found.`;
    await expectError(kms.send(new DescribeKeyCommand({ KeyId: 'alias/nope' })), 'NotFoundException', message);
    await expectError(kms.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/nope` })), 'NotFoundException', message);
  });

  test('an empty KeyId is a model ValidationException', async () => {
    await expectError(
      kms.send(new DescribeKeyCommand({ KeyId: '' })),
      'ValidationException',
      "1 validation error detected: Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  test('a key created in us-west-2 is visible there only', async () => {
    const west = t.client({ region: 'us-west-2' });
    const key = await newKey(west);
    assert.equal(key.Arn, `arn:aws:kms:us-west-2:${ACCOUNT}:key/${key.KeyId}`);
    assert.deepEqual(await describeKey(key.KeyId!, west), key);
    assert.deepEqual(await describeKey(key.Arn!, west), key);
    await expectError(
      kms.send(new DescribeKeyCommand({ KeyId: key.KeyId })),
      'NotFoundException',
      `Key 'arn:aws:kms:${REGION}:${ACCOUNT}:key/${key.KeyId}' does not exist`,
    );
    await expectError(kms.send(new DescribeKeyCommand({ KeyId: key.Arn })), 'NotFoundException', 'Invalid arn us-west-2');
  });

  test('an alias is resolved in the Region of the request', async () => {
    const west = t.client({ region: 'us-west-2' });
    const westKey = await newKey(west);
    const eastKey = await newKey();
    await west.send(new CreateAliasCommand({ AliasName: 'alias/same-name', TargetKeyId: westKey.KeyId }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/same-name', TargetKeyId: eastKey.KeyId }));
    assert.equal((await describeKey('alias/same-name', west)).KeyId, westKey.KeyId);
    assert.equal((await describeKey('alias/same-name')).KeyId, eastKey.KeyId);
  });

  test('tags never appear in the response on the wire', async () => {
    const key = (await kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'Owner', TagValue: 'team-tags' }] }))).KeyMetadata!;
    // The SDK would drop an unmodelled member, so the raw body is checked.
    const res = await rawRequest(t.url, {
      target: 'TrentService.DescribeKey',
      body: JSON.stringify({ KeyId: key.KeyId }),
      creds: { accessKeyId: ACCOUNT, secretAccessKey: 'test-secret' },
    });
    assert.equal(res.status, 200, res.text);
    const body = JSON.parse(res.text) as { KeyMetadata: Record<string, unknown> };
    assert.deepEqual(Object.keys(body), ['KeyMetadata']);
    assert.equal(body.KeyMetadata.Tags, undefined);
    assert.ok(!res.text.includes('Owner') && !res.text.includes('team-tags'), res.text);
  });

  test('works in every key state: Disabled, PendingDeletion (with DeletionDate), PendingImport', async () => {
    const key = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    assert.deepEqual(await describeKey(key.KeyId!), { ...key, Enabled: false, KeyState: 'Disabled' } satisfies KeyMetadata);
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    assert.deepEqual(await describeKey(key.Arn!), {
      ...key,
      Enabled: false,
      KeyState: 'PendingDeletion',
      DeletionDate: new Date(t.clock.now() + 7 * DAY_MS),
    } satisfies KeyMetadata);
    const external = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!;
    assert.deepEqual(await describeKey(external.KeyId!), external);
    assert.equal(external.KeyState, 'PendingImport');
  });

  test('an alias of a key pending deletion still resolves', async () => {
    const key = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/doomed', TargetKeyId: key.KeyId }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 30 }));
    const md = await describeKey('alias/doomed');
    assert.equal(md.KeyId, key.KeyId);
    assert.equal(md.KeyState, 'PendingDeletion');
  });

  describe('another account', () => {
    test('describing a key by its ARN is AccessDenied by the default key policy', async () => {
      const key = await newKey();
      const other = t.client({ accessKeyId: OTHER_ACCOUNT });
      await expectError(
        other.send(new DescribeKeyCommand({ KeyId: key.Arn })),
        'AccessDeniedException',
        `User: arn:aws:iam::${OTHER_ACCOUNT}:root is not authorized to perform: kms:DescribeKey on resource: ${key.Arn} because no resource-based policy allows the kms:DescribeKey action`,
      );
    });

    test('a bare key ID is looked up in the caller account', async () => {
      const key = await newKey();
      const other = t.client({ accessKeyId: OTHER_ACCOUNT });
      await expectError(
        other.send(new DescribeKeyCommand({ KeyId: key.KeyId })),
        'NotFoundException',
        `Key 'arn:aws:kms:${REGION}:${OTHER_ACCOUNT}:key/${key.KeyId}' does not exist`,
      );
    });

    test('an unknown key ARN in another account is NotFound, not AccessDenied', async () => {
      const other = t.client({ accessKeyId: OTHER_ACCOUNT });
      const arn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/134f2428-cec1-4b25-a1ae-9048164dba47`;
      // Existence is checked before authorization for cross-account DescribeKey (AWS's order is unrecorded).
      await expectError(other.send(new DescribeKeyCommand({ KeyId: arn })), 'NotFoundException', `Key '${arn}' does not exist`);
    });

    test('each account sees its own keys', async () => {
      const other = t.client({ accessKeyId: OTHER_ACCOUNT });
      const mine = await newKey(other);
      assert.equal(mine.AWSAccountId, OTHER_ACCOUNT);
      assert.equal(mine.Arn, `arn:aws:kms:${REGION}:${OTHER_ACCOUNT}:key/${mine.KeyId}`);
      assert.deepEqual(await describeKey(mine.Arn!, other), mine);
    });
  });
});
