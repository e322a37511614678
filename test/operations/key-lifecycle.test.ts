// Key lifecycle through the real SDK: EnableKey, DisableKey, UpdateKeyDescription, ScheduleKeyDeletion and
// CancelKeyDeletion, with the key-state table's errors (spec §3) and deletion when the waiting period ends.
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  ListAliasesCommand,
  ListKeysCommand,
  ScheduleKeyDeletionCommand,
  UpdateKeyDescriptionCommand,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { ACCOUNT, REGION, startTestServer } from '../helpers/server.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const DAY_MS = 24 * 60 * 60 * 1000;
const newKey = async (opts: { Origin?: 'EXTERNAL'; Description?: string } = {}) => (await kms.send(new CreateKeyCommand(opts))).KeyMetadata!;
const describeKey = async (KeyId: string) => (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!;
const withoutMetadata = <T extends { $metadata?: unknown }>(out: T) => {
  const { $metadata: _, ...rest } = out;
  return rest;
};
const listedKeyIds = async () => {
  const out = await kms.send(new ListKeysCommand({ Limit: 1000 }));
  assert.equal(out.Truncated, false);
  return out.Keys!.map((k) => k.KeyId!);
};
const aliasNames = async () => (await kms.send(new ListAliasesCommand({ Limit: 100 }))).Aliases!.map((a) => a.AliasName!);
const pendingDeletion = (arn: string) => `${arn} is pending deletion.`;

describe('EnableKey and DisableKey', () => {
  test('toggle Enabled and KeyState and change nothing else; both return an empty body', async () => {
    const key = await newKey();
    const out = await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    assert.deepEqual(withoutMetadata(out), {});
    assert.deepEqual(await describeKey(key.KeyId!), { ...key, Enabled: false, KeyState: 'Disabled' } satisfies KeyMetadata);
    assert.deepEqual(withoutMetadata(await kms.send(new EnableKeyCommand({ KeyId: key.Arn }))), {});
    assert.deepEqual(await describeKey(key.KeyId!), key);
  });

  test('are idempotent', async () => {
    const key = await newKey();
    await kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
    assert.deepEqual(await describeKey(key.KeyId!), key);
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    assert.equal((await describeKey(key.KeyId!)).KeyState, 'Disabled');
    await kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
    await kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
    assert.deepEqual(await describeKey(key.KeyId!), key);
  });

  test('refuse a key pending deletion, naming its ARN', async () => {
    const key = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId }));
    await expectError(kms.send(new EnableKeyCommand({ KeyId: key.KeyId })), 'KMSInvalidStateException', pendingDeletion(key.Arn!));
    await expectError(kms.send(new DisableKeyCommand({ KeyId: key.KeyId })), 'KMSInvalidStateException', pendingDeletion(key.Arn!));
    assert.equal((await describeKey(key.KeyId!)).KeyState, 'PendingDeletion');
  });

  test('refuse a key pending import (Origin EXTERNAL)', async () => {
    const key = await newKey({ Origin: 'EXTERNAL' });
    await expectError(kms.send(new EnableKeyCommand({ KeyId: key.KeyId })), 'KMSInvalidStateException', `${key.Arn} is pending import.`);
    await expectError(kms.send(new DisableKeyCommand({ KeyId: key.Arn })), 'KMSInvalidStateException', `${key.Arn} is pending import.`);
    assert.deepEqual(await describeKey(key.KeyId!), key);
  });
});

describe('UpdateKeyDescription', () => {
  test('replaces the description, also with an empty one; returns an empty body', async () => {
    const key = await newKey({ Description: 'before' });
    const out = await kms.send(new UpdateKeyDescriptionCommand({ KeyId: key.KeyId, Description: 'after — ünïcode' }));
    assert.deepEqual(withoutMetadata(out), {});
    assert.deepEqual(await describeKey(key.KeyId!), { ...key, Description: 'after — ünïcode' } satisfies KeyMetadata);
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: key.Arn, Description: '' }));
    assert.equal((await describeKey(key.KeyId!)).Description, '');
  });

  test('works on Disabled and PendingImport keys', async () => {
    const disabled = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId: disabled.KeyId }));
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: disabled.KeyId, Description: 'disabled' }));
    assert.equal((await describeKey(disabled.KeyId!)).Description, 'disabled');
    const external = await newKey({ Origin: 'EXTERNAL' });
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: external.KeyId, Description: 'external' }));
    assert.equal((await describeKey(external.KeyId!)).Description, 'external');
  });

  test('refuses a key pending deletion and keeps the old description', async () => {
    const key = await newKey({ Description: 'kept' });
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId }));
    await expectError(
      kms.send(new UpdateKeyDescriptionCommand({ KeyId: key.KeyId, Description: 'new' })),
      'KMSInvalidStateException',
      pendingDeletion(key.Arn!),
    );
    assert.equal((await describeKey(key.KeyId!)).Description, 'kept');
  });

  test('a missing or over-long Description is a model ValidationException', async () => {
    const key = await newKey();
    await expectError(
      kms.send(new UpdateKeyDescriptionCommand({ KeyId: key.KeyId } as never)),
      'ValidationException',
      "1 validation error detected: Value null at 'description' failed to satisfy constraint: Member must not be null",
    );
    const d = 'd'.repeat(8193);
    await expectError(
      kms.send(new UpdateKeyDescriptionCommand({ KeyId: key.KeyId, Description: d })),
      'ValidationException',
      `1 validation error detected: Value '${d}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192`,
    );
  });
});

describe('ScheduleKeyDeletion', () => {
  for (const days of [undefined, 7, 30] as const) {
    test(`PendingWindowInDays ${days ?? 'omitted (30)'}: response names the key ARN and the deletion date`, async () => {
      const key = await newKey();
      const window = days ?? 30;
      const out = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: days }));
      const deletionDate = new Date(t.clock.now() + window * DAY_MS);
      assert.deepEqual(withoutMetadata(out), { KeyId: key.Arn, DeletionDate: deletionDate, KeyState: 'PendingDeletion', PendingWindowInDays: window });
      assert.deepEqual(await describeKey(key.KeyId!), { ...key, Enabled: false, KeyState: 'PendingDeletion', DeletionDate: deletionDate } satisfies KeyMetadata);
    });
  }

  test('a Disabled or PendingImport key can be scheduled', async () => {
    const disabled = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId: disabled.KeyId }));
    assert.equal((await kms.send(new ScheduleKeyDeletionCommand({ KeyId: disabled.Arn, PendingWindowInDays: 7 }))).KeyState, 'PendingDeletion');
    const external = await newKey({ Origin: 'EXTERNAL' });
    assert.equal((await kms.send(new ScheduleKeyDeletionCommand({ KeyId: external.KeyId }))).KeyState, 'PendingDeletion');
    assert.equal((await describeKey(external.KeyId!)).KeyState, 'PendingDeletion');
  });

  test('a window outside 7..30 days (6, 31, 1, 365) is refused and the key is unchanged', async () => {
    const key = await newKey();
    for (const days of [6, 31, 1, 365]) {
      // Observed AWS text (Skyscanner/kms-issuer#8); the model alone allows 1..365.
      await expectError(
        kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: days })),
        'ValidationException',
        'PendingWindowInDays must be between 7 and 30',
      );
    }
    assert.deepEqual(await describeKey(key.KeyId!), key);
  });

  test('a window of 0 or 366 days breaks the model range', async () => {
    const key = await newKey();
    await expectError(
      kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 0 })),
      'ValidationException',
      "1 validation error detected: Value '0' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await expectError(
      kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 366 })),
      'ValidationException',
      "1 validation error detected: Value '366' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value less than or equal to 365",
    );
    assert.deepEqual(await describeKey(key.KeyId!), key);
  });

  test('scheduling a key already pending deletion is refused and keeps the first date', async () => {
    const key = await newKey();
    const first = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 10 }));
    await expectError(
      kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 })),
      'KMSInvalidStateException',
      pendingDeletion(key.Arn!),
    );
    assert.deepEqual((await describeKey(key.KeyId!)).DeletionDate, first.DeletionDate);
  });
});

describe('CancelKeyDeletion', () => {
  test('returns the key ARN and leaves the key Disabled without DeletionDate', async () => {
    const key = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId }));
    const out = await kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }));
    assert.deepEqual(withoutMetadata(out), { KeyId: key.Arn });
    // A cancelled key comes back Disabled, not Enabled (LS-snap test_schedule_and_cancel_key_deletion).
    assert.deepEqual(await describeKey(key.KeyId!), { ...key, Enabled: false, KeyState: 'Disabled' } satisfies KeyMetadata);
    await kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
    assert.deepEqual(await describeKey(key.KeyId!), key);
  });

  test('a key that was Disabled before scheduling also comes back Disabled', async () => {
    const key = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.Arn }));
    assert.deepEqual(withoutMetadata(await kms.send(new CancelKeyDeletionCommand({ KeyId: key.Arn }))), { KeyId: key.Arn });
    assert.equal((await describeKey(key.KeyId!)).KeyState, 'Disabled');
  });

  test('a key not pending deletion is refused, in any state', async () => {
    const enabled = await newKey();
    const disabled = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId: disabled.KeyId }));
    const external = await newKey({ Origin: 'EXTERNAL' });
    for (const key of [enabled, disabled, external]) {
      await expectError(kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId })), 'KMSInvalidStateException', `${key.Arn} is not pending deletion.`);
    }
  });

  test('an EXTERNAL key without key material comes back PendingImport, not Disabled', async () => {
    const key = await newKey({ Origin: 'EXTERNAL' });
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    await kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }));
    // Disabled would let EnableKey enable a key that has no material; PendingImport is the state it can use.
    assert.equal((await describeKey(key.KeyId!)).KeyState, 'PendingImport');
    await expectError(kms.send(new EnableKeyCommand({ KeyId: key.KeyId })), 'KMSInvalidStateException', `${key.Arn} is pending import.`);
  });

  test('cancelling twice: the second time the key is no longer pending deletion', async () => {
    const key = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId }));
    await kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }));
    await expectError(kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId })), 'KMSInvalidStateException', `${key.Arn} is not pending deletion.`);
  });
});

describe('key identifiers of the key-management operations', () => {
  test('an alias name is not a key ID, even when the alias exists', async () => {
    const key = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/x', TargetKeyId: key.KeyId }));
    const message = "Invalid keyId 'alias/x'";
    // AWS's answer for an alias name on these operations is unrecorded; it is not a key ID (spec §1.8).
    await expectError(kms.send(new DisableKeyCommand({ KeyId: 'alias/x' })), 'NotFoundException', message);
    await expectError(kms.send(new EnableKeyCommand({ KeyId: 'alias/x' })), 'NotFoundException', message);
    await expectError(kms.send(new UpdateKeyDescriptionCommand({ KeyId: 'alias/x', Description: 'd' })), 'NotFoundException', message);
    await expectError(kms.send(new ScheduleKeyDeletionCommand({ KeyId: 'alias/x' })), 'NotFoundException', message);
    await expectError(kms.send(new CancelKeyDeletionCommand({ KeyId: 'alias/x' })), 'NotFoundException', message);
    assert.deepEqual(await describeKey(key.KeyId!), key);
  });

  test('an alias ARN is InvalidArnException', async () => {
    const key = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/y', TargetKeyId: key.KeyId }));
    const arn = `arn:aws:kms:${REGION}:${ACCOUNT}:alias/y`;
    // Observed AWS text for an alias ARN where only keys are accepted (spec §1.8, [O]).
    await expectError(kms.send(new DisableKeyCommand({ KeyId: arn })), 'InvalidArnException', 'Key Aliases are not supported for this operation');
    await expectError(kms.send(new ScheduleKeyDeletionCommand({ KeyId: arn })), 'InvalidArnException', 'Key Aliases are not supported for this operation');
    assert.deepEqual(await describeKey(key.KeyId!), key);
  });

  test('unknown and malformed key IDs', async () => {
    const id = '134f2428-cec1-4b25-a1ae-9048164dba47';
    const arn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`;
    await expectError(kms.send(new DisableKeyCommand({ KeyId: id })), 'NotFoundException', `Key '${arn}' does not exist`);
    await expectError(kms.send(new EnableKeyCommand({ KeyId: arn })), 'NotFoundException', `Key '${arn}' does not exist`);
    await expectError(kms.send(new ScheduleKeyDeletionCommand({ KeyId: id })), 'NotFoundException', `Key '${arn}' does not exist`);
    await expectError(kms.send(new CancelKeyDeletionCommand({ KeyId: 'fake-key-id' })), 'NotFoundException', "Invalid keyId 'fake-key-id'");
    await expectError(kms.send(new UpdateKeyDescriptionCommand({ KeyId: `arn:aws:kms:us-west-2:${ACCOUNT}:key/${id}`, Description: '' })), 'NotFoundException', 'Invalid arn us-west-2');
  });

  test("another account's key cannot be managed", async () => {
    const key = await newKey();
    const other = t.client({ accessKeyId: '444455556666' });
    // Key management is not a cross-account operation (model: "Cross-account use: No"); the key is not found there.
    await expectError(other.send(new DisableKeyCommand({ KeyId: key.Arn })), 'NotFoundException', `Key '${key.Arn}' does not exist`);
    await expectError(other.send(new ScheduleKeyDeletionCommand({ KeyId: key.Arn })), 'NotFoundException', `Key '${key.Arn}' does not exist`);
    assert.deepEqual(await describeKey(key.KeyId!), key);
  });
});

describe('when the waiting period ends', () => {
  test('the key, its listing and its aliases are gone, and it can no longer be cancelled', async () => {
    const key = await newKey();
    const keep = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/gone-with-key', TargetKeyId: key.KeyId }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/still-here', TargetKeyId: keep.KeyId }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    assert.ok((await listedKeyIds()).includes(key.KeyId!));
    assert.ok((await aliasNames()).includes('alias/gone-with-key'));

    t.clock.advanceDays(7);
    await expectError(kms.send(new DescribeKeyCommand({ KeyId: key.KeyId })), 'NotFoundException', `Key '${key.Arn}' does not exist`);
    await expectError(
      kms.send(new DescribeKeyCommand({ KeyId: 'alias/gone-with-key' })),
      'NotFoundException',
      `Alias arn:aws:kms:${REGION}:${ACCOUNT}:alias/gone-with-key is not found.`,
    );
    const ids = await listedKeyIds();
    assert.ok(!ids.includes(key.KeyId!));
    assert.ok(ids.includes(keep.KeyId!));
    const aliases = await aliasNames();
    assert.ok(!aliases.includes('alias/gone-with-key'));
    assert.ok(aliases.includes('alias/still-here'));
    await expectError(kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId })), 'NotFoundException', `Key '${key.Arn}' does not exist`);
    await expectError(kms.send(new EnableKeyCommand({ KeyId: key.Arn })), 'NotFoundException', `Key '${key.Arn}' does not exist`);
  });

  test('a day before the deadline the key still exists and can be cancelled', async () => {
    const key = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    t.clock.advanceDays(6);
    assert.equal((await describeKey(key.KeyId!)).KeyState, 'PendingDeletion');
    assert.ok((await listedKeyIds()).includes(key.KeyId!));
    await kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }));
    t.clock.advanceDays(30);
    assert.deepEqual(await describeKey(key.KeyId!), { ...key, Enabled: false, KeyState: 'Disabled' } satisfies KeyMetadata);
  });

  test('the key is deleted at its DeletionDate, not a millisecond earlier', async () => {
    const key = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    t.clock.advance(7 * DAY_MS - 1);
    assert.equal((await describeKey(key.KeyId!)).KeyState, 'PendingDeletion');
    // AWS deletes "at the end of the waiting period" with no finer guarantee; Trent deletes at DeletionDate exactly.
    t.clock.advance(1);
    await expectError(kms.send(new DescribeKeyCommand({ KeyId: key.KeyId })), 'NotFoundException', `Key '${key.Arn}' does not exist`);
  });

  test('the sweeper removes the rows of a key whose deletion fell due', async () => {
    const key = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    t.clock.advanceDays(7);
    assert.ok((await t.server.sweep()).deleted >= 1);
    assert.equal(await t.store.transaction((tx) => tx.getKey({ account: ACCOUNT, region: REGION, keyId: key.KeyId! })), undefined);
  });
});
