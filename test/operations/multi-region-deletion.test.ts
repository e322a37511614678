// Deleting multi-Region keys through the real SDK in three Regions (DG multi-region-keys-delete): a primary with
// replicas waits in PendingReplicaDeletion (no DeletionDate, PendingDeletionWindowInDays instead) until its last
// replica is deleted, then counts down its own window; replicas are scheduled and cancelled on their own.
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
  ListAliasesCommand,
  ListResourceTagsCommand,
  ReplicateKeyCommand,
  ScheduleKeyDeletionCommand,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { ACCOUNT, startTestServer } from '../helpers/server.ts';

const DELAY_MS = 2000;
const DAY_MS = 24 * 60 * 60 * 1000;
const t = await startTestServer({ config: { multiRegionDelayMs: DELAY_MS } });
after(() => t.close());

const EAST = 'us-east-1';
const WEST = 'us-west-2';
const EU = 'eu-west-1';
const clients: Record<string, KMSClient> = { [EAST]: t.client({ region: EAST }), [WEST]: t.client({ region: WEST }), [EU]: t.client({ region: EU }) };
const kms = (region: string) => clients[region] ?? (clients[region] = t.client({ region }));

const arnIn = (region: string, keyId: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`;
const describeKey = async (region: string, keyId: string) => (await kms(region).send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
const withoutMetadata = <T extends { $metadata?: unknown }>(out: T) => {
  const { $metadata: _, ...rest } = out;
  return rest;
};
const schedule = (region: string, keyId: string, days: number) =>
  kms(region).send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: days }));
const notFound = (region: string, keyId: string) => `Key '${arnIn(region, keyId)}' does not exist`;
const pendingReplicaDeletion = (keyId: string) => `${arnIn(EAST, keyId)} is pending replica deletion.`;
const encryptIn = async (region: string, keyId: string, text: string) =>
  (await kms(region).send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(text) }))).CiphertextBlob!;
const decryptIn = async (region: string, blob: Uint8Array) =>
  Buffer.from((await kms(region).send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext!).toString();

/** A symmetric primary in us-east-1 with Enabled replicas in `regions` (their Creating state over). */
async function multiRegionKey(regions: string[]): Promise<string> {
  const keyId = (await kms(EAST).send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!.KeyId!;
  for (const region of regions) await kms(EAST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: region }));
  if (regions.length > 0) t.clock.advance(DELAY_MS);
  return keyId;
}

const configuration = (keyId: string, replicas: string[]) => ({
  MultiRegionKeyType: 'PRIMARY' as const,
  PrimaryKey: { Arn: arnIn(EAST, keyId), Region: EAST },
  ReplicaKeys: replicas.map((r) => ({ Arn: arnIn(r, keyId), Region: r })),
});

describe('a primary without replicas', () => {
  test('is scheduled like a single-Region key: PendingDeletion with its DeletionDate, then deleted', async () => {
    const keyId = await multiRegionKey([]);
    const before = await describeKey(EAST, keyId);
    const deletionDate = new Date(t.clock.now() + 7 * DAY_MS);
    assert.deepEqual(withoutMetadata(await schedule(EAST, keyId, 7)), {
      KeyId: arnIn(EAST, keyId),
      DeletionDate: deletionDate,
      KeyState: 'PendingDeletion',
      PendingWindowInDays: 7,
    });
    assert.deepEqual(await describeKey(EAST, keyId), {
      ...before,
      Enabled: false,
      KeyState: 'PendingDeletion',
      DeletionDate: deletionDate,
    } satisfies KeyMetadata);
    t.clock.advance(7 * DAY_MS);
    await t.server.sweep();
    await expectError(describeKey(EAST, keyId), 'NotFoundException', notFound(EAST, keyId));
  });

  test('a replica whose deletion date has passed no longer counts, even before the sweeper removes it', async () => {
    const keyId = await multiRegionKey([WEST]);
    await schedule(WEST, keyId, 7);
    t.clock.advance(7 * DAY_MS);
    const out = await schedule(EAST, keyId, 7);
    assert.equal(out.KeyState, 'PendingDeletion');
    assert.deepEqual(out.DeletionDate, new Date(t.clock.now() + 7 * DAY_MS));
  });
});

describe('a primary with replicas', () => {
  test('waits in PendingReplicaDeletion until its last replica is deleted, then counts down its own window', async () => {
    const keyId = await multiRegionKey([WEST, EU]);
    const before = await describeKey(EAST, keyId);
    const blob = await encryptIn(EAST, keyId, 'made in the east');

    // DG multi-region-keys-delete, API example: KeyState PendingReplicaDeletion and no DeletionDate.
    assert.deepEqual(withoutMetadata(await schedule(EAST, keyId, 10)), {
      KeyId: arnIn(EAST, keyId),
      KeyState: 'PendingReplicaDeletion',
      PendingWindowInDays: 10,
    });
    const waiting = { ...before, Enabled: false, KeyState: 'PendingReplicaDeletion', PendingDeletionWindowInDays: 10 } satisfies KeyMetadata;
    assert.deepEqual(await describeKey(EAST, keyId), waiting);
    // "Scheduling the deletion of a primary key doesn't affect the replica keys."
    for (const region of [WEST, EU]) {
      const replica = await describeKey(region, keyId);
      assert.equal(replica.KeyState, 'Enabled');
      assert.equal(replica.DeletionDate, undefined);
      assert.equal(replica.PendingDeletionWindowInDays, undefined);
      assert.equal(await decryptIn(region, blob), 'made in the east');
    }
    // "it cannot be replicated or used in cryptographic operations" (API ScheduleKeyDeletion).
    await expectError(encryptIn(EAST, keyId, 'x'), 'KMSInvalidStateException', pendingReplicaDeletion(keyId));
    await expectError(kms(EAST).send(new DecryptCommand({ CiphertextBlob: blob })), 'KMSInvalidStateException', pendingReplicaDeletion(keyId));
    await expectError(
      kms(EAST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'ap-southeast-2' })),
      'KMSInvalidStateException',
      pendingReplicaDeletion(keyId),
    );
    await expectError(schedule(EAST, keyId, 7), 'KMSInvalidStateException', pendingReplicaDeletion(keyId));

    // "This status can continue indefinitely": nothing changes while the replicas live.
    t.clock.advance(100 * DAY_MS);
    await t.server.sweep();
    assert.deepEqual(await describeKey(EAST, keyId), waiting);

    // One replica goes; the other still holds the primary back and still decrypts.
    const westOut = await schedule(WEST, keyId, 7);
    assert.deepEqual(withoutMetadata(westOut), {
      KeyId: arnIn(WEST, keyId),
      DeletionDate: new Date(t.clock.now() + 7 * DAY_MS),
      KeyState: 'PendingDeletion',
      PendingWindowInDays: 7,
    });
    t.clock.advance(7 * DAY_MS);
    assert.equal((await t.server.sweep()).deleted, 1);
    await expectError(describeKey(WEST, keyId), 'NotFoundException', notFound(WEST, keyId));
    assert.deepEqual(await describeKey(EAST, keyId), { ...waiting, MultiRegionConfiguration: configuration(keyId, [EU]) });
    assert.equal(await decryptIn(EU, blob), 'made in the east');

    // The last replica goes at its DeletionDate; the primary's 10 days start there.
    const euDeletion = (await schedule(EU, keyId, 8)).DeletionDate!;
    t.clock.advance(8 * DAY_MS);
    assert.equal((await t.server.sweep()).deleted, 1);
    await expectError(describeKey(EU, keyId), 'NotFoundException', notFound(EU, keyId));
    const counting = {
      ...before,
      Enabled: false,
      KeyState: 'PendingDeletion',
      DeletionDate: new Date(euDeletion.getTime() + 10 * DAY_MS),
      MultiRegionConfiguration: configuration(keyId, []),
    } satisfies KeyMetadata;
    assert.deepEqual(await describeKey(EAST, keyId), counting);
    await expectError(encryptIn(EAST, keyId, 'x'), 'KMSInvalidStateException', `${arnIn(EAST, keyId)} is pending deletion.`);
    await expectError(schedule(EAST, keyId, 7), 'KMSInvalidStateException', `${arnIn(EAST, keyId)} is pending deletion.`);

    t.clock.advance(10 * DAY_MS - 1);
    await t.server.sweep();
    assert.deepEqual(await describeKey(EAST, keyId), counting);
    t.clock.advance(1);
    assert.equal((await t.server.sweep()).deleted, 1);
    await expectError(describeKey(EAST, keyId), 'NotFoundException', notFound(EAST, keyId));
    await expectError(kms(EAST).send(new DecryptCommand({ CiphertextBlob: blob })), 'NotFoundException', notFound(EAST, keyId));
  });

  test("the primary's window runs from the last replica's DeletionDate, whenever the sweeper runs", async () => {
    const keyId = await multiRegionKey([WEST, EU]);
    await schedule(EAST, keyId, 7);
    await schedule(WEST, keyId, 7);
    const euDeletion = (await schedule(EU, keyId, 9)).DeletionDate!;
    const primaryDeletion = new Date(euDeletion.getTime() + 7 * DAY_MS);

    // Day 10, no sweep yet: both replicas are gone, so the primary already reads as PendingDeletion.
    t.clock.advance(10 * DAY_MS);
    const seen = await describeKey(EAST, keyId);
    assert.equal(seen.KeyState, 'PendingDeletion');
    assert.deepEqual(seen.DeletionDate, primaryDeletion);
    assert.equal(seen.PendingDeletionWindowInDays, undefined);
    await t.server.sweep();
    const stored = await describeKey(EAST, keyId);
    assert.deepEqual({ ...stored, MultiRegionConfiguration: undefined }, { ...seen, MultiRegionConfiguration: undefined });
    assert.deepEqual(stored.MultiRegionConfiguration, configuration(keyId, []));
  });

  test('a sweeper that runs late deletes replicas and the primary they released in one sweep', async () => {
    // A server of its own, so that the sweep's count is this key set's alone.
    const own = await startTestServer({ config: { multiRegionDelayMs: 0 } });
    try {
      const at = (region: string) => own.client({ region });
      const keyId = (await at(EAST).send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!.KeyId!;
      for (const region of [WEST, EU]) await at(EAST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: region }));
      await at(EAST).send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
      await at(WEST).send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
      await at(EU).send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 9 }));
      // Day 20: the primary fell due on day 16 (9 + 7): it is gone even before the sweeper runs.
      own.clock.advance(20 * DAY_MS);
      await expectError(at(EAST).send(new DescribeKeyCommand({ KeyId: keyId })), 'NotFoundException', notFound(EAST, keyId));
      assert.equal((await own.server.sweep()).deleted, 3);
      assert.equal((await own.server.sweep()).deleted, 0);
      for (const region of [EAST, WEST, EU]) {
        await expectError(at(region).send(new DescribeKeyCommand({ KeyId: keyId })), 'NotFoundException', notFound(region, keyId));
      }
    } finally {
      await own.close();
    }
  });

  test('a replica still Creating counts as a replica', async () => {
    const keyId = (await kms(EAST).send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!.KeyId!;
    await kms(EAST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: WEST }));
    assert.equal((await describeKey(WEST, keyId)).KeyState, 'Creating');
    assert.equal((await schedule(EAST, keyId, 7)).KeyState, 'PendingReplicaDeletion');
    t.clock.advance(DELAY_MS);
    assert.equal((await describeKey(WEST, keyId)).KeyState, 'Enabled');
    assert.equal((await describeKey(EAST, keyId)).KeyState, 'PendingReplicaDeletion');
  });

  test('ScheduleKeyDeletion validates the window before looking at replicas', async () => {
    const keyId = await multiRegionKey([WEST]);
    await expectError(schedule(EAST, keyId, 6), 'ValidationException', 'PendingWindowInDays must be between 7 and 30');
    assert.equal((await describeKey(EAST, keyId)).KeyState, 'Enabled');
    // Default window 30, shown while waiting.
    const out = await kms(EAST).send(new ScheduleKeyDeletionCommand({ KeyId: arnIn(EAST, keyId) }));
    assert.deepEqual(withoutMetadata(out), { KeyId: arnIn(EAST, keyId), KeyState: 'PendingReplicaDeletion', PendingWindowInDays: 30 });
    assert.equal((await describeKey(EAST, keyId)).PendingDeletionWindowInDays, 30);
  });
});

describe('CancelKeyDeletion', () => {
  test('on a primary in PendingReplicaDeletion: Disabled, the window forgotten, usable again once enabled', async () => {
    const keyId = await multiRegionKey([WEST]);
    const before = await describeKey(EAST, keyId);
    await schedule(EAST, keyId, 12);
    assert.deepEqual(withoutMetadata(await kms(EAST).send(new CancelKeyDeletionCommand({ KeyId: keyId }))), { KeyId: arnIn(EAST, keyId) });
    assert.deepEqual(await describeKey(EAST, keyId), { ...before, Enabled: false, KeyState: 'Disabled' } satisfies KeyMetadata);
    await kms(EAST).send(new EnableKeyCommand({ KeyId: keyId }));
    assert.deepEqual(await describeKey(EAST, keyId), before);
    assert.equal(await decryptIn(WEST, await encryptIn(EAST, keyId, 'back')), 'back');
    // The replica's deletion no longer moves a primary that is not waiting for it.
    await schedule(WEST, keyId, 7);
    t.clock.advance(7 * DAY_MS);
    await t.server.sweep();
    assert.deepEqual(await describeKey(EAST, keyId), { ...before, MultiRegionConfiguration: configuration(keyId, []) });
  });

  test('on a replica: Disabled; the primary keeps waiting for it indefinitely', async () => {
    const keyId = await multiRegionKey([WEST]);
    const replicaBefore = await describeKey(WEST, keyId);
    await schedule(EAST, keyId, 7);
    await schedule(WEST, keyId, 7);
    assert.deepEqual(withoutMetadata(await kms(WEST).send(new CancelKeyDeletionCommand({ KeyId: keyId }))), { KeyId: arnIn(WEST, keyId) });
    assert.deepEqual(await describeKey(WEST, keyId), { ...replicaBefore, Enabled: false, KeyState: 'Disabled' } satisfies KeyMetadata);
    t.clock.advance(30 * DAY_MS);
    await t.server.sweep();
    assert.equal((await describeKey(WEST, keyId)).KeyState, 'Disabled');
    const primary = await describeKey(EAST, keyId);
    assert.equal(primary.KeyState, 'PendingReplicaDeletion');
    assert.equal(primary.DeletionDate, undefined);
    assert.equal(primary.PendingDeletionWindowInDays, 7);
  });

  test('on keys that are not pending deletion', async () => {
    const keyId = await multiRegionKey([WEST]);
    for (const region of [EAST, WEST]) {
      await expectError(
        kms(region).send(new CancelKeyDeletionCommand({ KeyId: keyId })),
        'KMSInvalidStateException',
        `${arnIn(region, keyId)} is not pending deletion.`,
      );
    }
  });
});

describe('a replica', () => {
  test('is scheduled on its own at any time, whatever the primary does', async () => {
    const keyId = await multiRegionKey([WEST, EU]);
    await kms(EAST).send(new DisableKeyCommand({ KeyId: keyId }));
    const deletionDate = new Date(t.clock.now() + 9 * DAY_MS);
    assert.deepEqual(withoutMetadata(await schedule(EU, keyId, 9)), {
      KeyId: arnIn(EU, keyId),
      DeletionDate: deletionDate,
      KeyState: 'PendingDeletion',
      PendingWindowInDays: 9,
    });
    const replica = await describeKey(EU, keyId);
    assert.equal(replica.KeyState, 'PendingDeletion');
    assert.deepEqual(replica.DeletionDate, deletionDate);
    assert.equal(replica.PendingDeletionWindowInDays, undefined);
    assert.deepEqual(replica.MultiRegionConfiguration?.MultiRegionKeyType, 'REPLICA');
    // The primary and the other replica are untouched.
    assert.equal((await describeKey(EAST, keyId)).KeyState, 'Disabled');
    assert.equal((await describeKey(WEST, keyId)).KeyState, 'Enabled');
    await expectError(
      kms(EU).send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' })),
      'KMSInvalidStateException',
      `${arnIn(EU, keyId)} is pending deletion.`,
    );
    await expectError(schedule(EU, keyId, 7), 'KMSInvalidStateException', `${arnIn(EU, keyId)} is pending deletion.`);
  });

  test('scheduled while still Creating stays PendingDeletion when the Creating time ends; cancelled it is Disabled', async () => {
    const keyId = (await kms(EAST).send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!.KeyId!;
    await kms(EAST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: WEST }));
    assert.equal((await schedule(WEST, keyId, 7)).KeyState, 'PendingDeletion');
    t.clock.advance(DELAY_MS);
    await t.server.sweep();
    assert.equal((await describeKey(WEST, keyId)).KeyState, 'PendingDeletion');
    await kms(WEST).send(new CancelKeyDeletionCommand({ KeyId: keyId }));
    assert.equal((await describeKey(WEST, keyId)).KeyState, 'Disabled');
  });

  test('goes with its tags and aliases; its Region can be replicated into again afterwards, never before', async () => {
    const keyId = await multiRegionKey([WEST]);
    const blob = await encryptIn(EAST, keyId, 'kept across replicas');
    await kms(WEST).send(new CreateAliasCommand({ AliasName: `alias/west-${keyId}`, TargetKeyId: keyId }));
    await schedule(WEST, keyId, 7);
    // "You can recreate the replica in the same Region after the previous one is completely deleted" (CFN ReplicaKey).
    await expectError(
      kms(EAST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: WEST })),
      'AlreadyExistsException',
      `${arnIn(WEST, keyId)} already exists`,
    );
    t.clock.advance(7 * DAY_MS);
    await t.server.sweep();
    await expectError(describeKey(WEST, keyId), 'NotFoundException', notFound(WEST, keyId));
    const aliases = (await kms(WEST).send(new ListAliasesCommand({}))).Aliases!.map((a) => a.AliasName);
    assert.ok(!aliases.includes(`alias/west-${keyId}`));
    assert.deepEqual((await describeKey(EAST, keyId)).MultiRegionConfiguration, configuration(keyId, []));

    const again = await kms(EAST).send(
      new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: WEST, Tags: [{ TagKey: 'round', TagValue: '2' }] }),
    );
    assert.equal(again.ReplicaKeyMetadata!.KeyState, 'Creating');
    t.clock.advance(DELAY_MS);
    const replica = await describeKey(WEST, keyId);
    assert.equal(replica.KeyState, 'Enabled');
    assert.equal(replica.DeletionDate, undefined);
    assert.deepEqual((await kms(WEST).send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags, [{ TagKey: 'round', TagValue: '2' }]);
    assert.equal(await decryptIn(WEST, blob), 'kept across replicas');
    assert.deepEqual((await describeKey(EAST, keyId)).MultiRegionConfiguration, configuration(keyId, [WEST]));
  });
});
