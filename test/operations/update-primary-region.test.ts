// UpdatePrimaryRegion through the real SDK with clients in three Regions: the roles swap in every key's
// MultiRegionConfiguration, the old and new primary are Updating for a moment (key-state table column), only
// the new primary replicates afterwards, ciphertexts still cross Regions, and every refusal with AWS's text.
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  ReplicateKeyCommand,
  ScheduleKeyDeletionCommand,
  UpdateKeyDescriptionCommand,
  UpdatePrimaryRegionCommand,
  type KeyMetadata,
  type KMSClient,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { DEFAULTS } from '../../src/config.ts';
import { expectError } from '../helpers/expect-error.ts';
import { ACCOUNT, REGION, startTestServer } from '../helpers/server.ts';
import { importMaterial } from './import-helpers.ts';

const WEST = 'us-west-2';
const EU = 'eu-west-1';
const DELAY = DEFAULTS.multiRegionDelayMs;

const t = await startTestServer();
after(() => t.close());
const clients: Record<string, KMSClient> = {
  [REGION]: t.client(),
  [WEST]: t.client({ region: WEST }),
  [EU]: t.client({ region: EU }),
};
const kms = (region: string): KMSClient => (clients[region] ??= t.client({ region }));

const arnIn = (region: string, keyId: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`;
const describe_ = async (region: string, KeyId: string) => (await kms(region).send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!;
const update = (region: string, KeyId: string, PrimaryRegion: string) =>
  kms(region).send(new UpdatePrimaryRegionCommand({ KeyId, PrimaryRegion }));
const PLAINTEXT = new TextEncoder().encode('crosses Regions');

/** A multi-Region primary in us-east-1 with Enabled replicas in `replicaRegions`; returns its key ID. */
async function newSet(replicaRegions: readonly string[] = [WEST], opts: { settle?: boolean } = {}): Promise<string> {
  const key = (await kms(REGION).send(new CreateKeyCommand({ MultiRegion: true, Description: 'primary' }))).KeyMetadata!;
  for (const ReplicaRegion of replicaRegions) {
    await kms(REGION).send(new ReplicateKeyCommand({ KeyId: key.KeyId, ReplicaRegion, Description: `replica in ${ReplicaRegion}` }));
  }
  if (opts.settle !== false) t.clock.advance(DELAY);
  return key.KeyId!;
}

/** MultiRegionConfiguration with ReplicaKeys in Region order (AWS documents no order). */
function configOf(md: KeyMetadata) {
  const c = md.MultiRegionConfiguration!;
  return { ...c, ReplicaKeys: [...c.ReplicaKeys!].sort((a, b) => a.Region!.localeCompare(b.Region!)) };
}

const expectedConfig = (keyId: string, self: string, primary: string, regions: readonly string[]) => ({
  MultiRegionKeyType: self === primary ? 'PRIMARY' : 'REPLICA',
  PrimaryKey: { Arn: arnIn(primary, keyId), Region: primary },
  ReplicaKeys: regions
    .filter((r) => r !== primary)
    .sort()
    .map((r) => ({ Arn: arnIn(r, keyId), Region: r })),
});

describe('UpdatePrimaryRegion swaps the roles', () => {
  test('returns an empty body; DescribeKey in every Region shows the new primary and the other keys as its replicas', async () => {
    const keyId = await newSet([WEST, EU]);
    const before = await Promise.all([REGION, WEST, EU].map((r) => describe_(r, keyId)));
    const { $metadata: _, ...out } = await update(REGION, keyId, WEST);
    assert.deepEqual(out, {});
    t.clock.advance(DELAY);
    const regions = [REGION, WEST, EU];
    for (const [i, region] of regions.entries()) {
      const md = await describe_(region, keyId);
      assert.deepEqual(configOf(md), expectedConfig(keyId, region, WEST, regions), region);
      // Nothing else about the key changes (DG multi-region-update: no effect on ARNs, shared or independent properties).
      assert.deepEqual({ ...md, MultiRegionConfiguration: undefined }, { ...before[i], MultiRegionConfiguration: undefined }, region);
    }
  });

  test('accepts the primary by key ARN and can swap back', async () => {
    const keyId = await newSet([WEST]);
    await update(REGION, arnIn(REGION, keyId), WEST);
    t.clock.advance(DELAY);
    await update(WEST, arnIn(WEST, keyId), REGION);
    t.clock.advance(DELAY);
    assert.deepEqual(configOf(await describe_(REGION, keyId)), expectedConfig(keyId, REGION, REGION, [REGION, WEST]));
    assert.deepEqual(configOf(await describe_(WEST, keyId)), expectedConfig(keyId, WEST, REGION, [REGION, WEST]));
  });

  test('a disabled third replica stays disabled and follows the new primary', async () => {
    const keyId = await newSet([WEST, EU]);
    await kms(EU).send(new DisableKeyCommand({ KeyId: keyId }));
    await update(REGION, keyId, WEST);
    const eu = await describe_(EU, keyId);
    assert.equal(eu.KeyState, 'Disabled');
    assert.deepEqual(configOf(eu), expectedConfig(keyId, EU, WEST, [REGION, WEST, EU]));
  });
});

describe('the Updating state (key-state table, footnote [15])', () => {
  test('the old and the new primary are Updating right after, a third replica is not; after the delay both are Enabled again', async () => {
    const keyId = await newSet([WEST, EU]);
    await update(REGION, keyId, WEST);
    for (const region of [REGION, WEST]) {
      const md = await describe_(region, keyId);
      assert.equal(md.KeyState, 'Updating', region);
      assert.equal(md.Enabled, false, region);
    }
    assert.equal((await describe_(EU, keyId)).KeyState, 'Enabled');
    t.clock.advance(DELAY - 1);
    assert.equal((await describe_(WEST, keyId)).KeyState, 'Updating');
    t.clock.advance(1);
    for (const region of [REGION, WEST]) {
      const md = await describe_(region, keyId);
      assert.equal(md.KeyState, 'Enabled', region);
      assert.equal(md.Enabled, true, region);
    }
  });

  test('the sweeper stores the end of Updating', async () => {
    const keyId = await newSet([WEST]);
    await t.server.sweep();
    await update(REGION, keyId, WEST);
    t.clock.advance(DELAY);
    const result = await t.server.sweep();
    assert.ok(result.settled >= 2, `settled ${result.settled}`);
    const stored = await t.store.transaction(async (tx) => [await tx.getKey({ account: ACCOUNT, region: REGION, keyId }), await tx.getKey({ account: ACCOUNT, region: WEST, keyId })]);
    for (const k of stored) {
      assert.equal(k?.keyState, 'Enabled');
      assert.equal(k?.transitionEndsAt, undefined);
      assert.equal(k?.primaryRegion, WEST);
    }
  });

  test('while Updating, management operations refuse with `<arn> is updating.` and cryptography works', async () => {
    const keyId = await newSet([WEST]);
    const early = await kms(REGION).send(new EncryptCommand({ KeyId: keyId, Plaintext: PLAINTEXT }));
    await update(REGION, keyId, WEST);
    for (const region of [REGION, WEST]) {
      const updating = `${arnIn(region, keyId)} is updating.`;
      await expectError(kms(region).send(new DisableKeyCommand({ KeyId: keyId })), 'KMSInvalidStateException', updating);
      await expectError(kms(region).send(new EnableKeyCommand({ KeyId: keyId })), 'KMSInvalidStateException', updating);
      await expectError(
        kms(region).send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 })),
        'KMSInvalidStateException',
        updating,
      );
      // Operations whose Updating cell is ✓ still work.
      await kms(region).send(new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: `renamed in ${region}` }));
      const out = await kms(region).send(new EncryptCommand({ KeyId: keyId, Plaintext: PLAINTEXT }));
      assert.deepEqual((await kms(region).send(new DecryptCommand({ CiphertextBlob: out.CiphertextBlob }))).Plaintext, PLAINTEXT);
      assert.deepEqual((await kms(region).send(new DecryptCommand({ CiphertextBlob: early.CiphertextBlob }))).Plaintext, PLAINTEXT);
    }
    // "you cannot replicate the new primary key" while it is Updating (DG multi-region-update).
    await expectError(
      kms(WEST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: EU })),
      'KMSInvalidStateException',
      `${arnIn(WEST, keyId)} is updating.`,
    );
    t.clock.advance(DELAY);
    await kms(REGION).send(new DisableKeyCommand({ KeyId: keyId }));
    assert.equal((await describe_(REGION, keyId)).KeyState, 'Disabled');
  });

  test('the Updating column of UpdatePrimaryRegion is ✓: a key still Updating can be swapped again, and every key returns to Enabled', async () => {
    const keyId = await newSet([WEST, EU]);
    await update(REGION, keyId, WEST);
    await update(WEST, keyId, EU);
    for (const region of [REGION, WEST, EU]) assert.equal((await describe_(region, keyId)).KeyState, 'Updating', region);
    t.clock.advance(DELAY);
    for (const region of [REGION, WEST, EU]) {
      const md = await describe_(region, keyId);
      assert.equal(md.KeyState, 'Enabled', region);
      assert.deepEqual(configOf(md), expectedConfig(keyId, region, EU, [REGION, WEST, EU]), region);
    }
  });
});

describe('after the swap', () => {
  test('only the new primary replicates; the old one is a replica', async () => {
    const keyId = await newSet([WEST]);
    await update(REGION, keyId, WEST);
    t.clock.advance(DELAY);
    await expectError(
      kms(REGION).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: EU })),
      'UnsupportedOperationException',
      `${arnIn(REGION, keyId)} is not a multi-region primary key.`,
    );
    const out = await kms(WEST).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: EU }));
    assert.deepEqual(configOf(out.ReplicaKeyMetadata!), expectedConfig(keyId, EU, WEST, [REGION, WEST, EU]));
    t.clock.advance(DELAY);
    assert.deepEqual(configOf(await describe_(REGION, keyId)), expectedConfig(keyId, REGION, WEST, [REGION, WEST, EU]));
  });

  test('ciphertexts made before and after the swap decrypt in every Region', async () => {
    const keyId = await newSet([WEST, EU]);
    const before = await kms(REGION).send(new EncryptCommand({ KeyId: keyId, Plaintext: PLAINTEXT }));
    await update(REGION, keyId, WEST);
    t.clock.advance(DELAY);
    const afterSwap = await kms(WEST).send(new EncryptCommand({ KeyId: keyId, Plaintext: PLAINTEXT }));
    const fromOldPrimary = await kms(REGION).send(new EncryptCommand({ KeyId: keyId, Plaintext: PLAINTEXT }));
    for (const region of [REGION, WEST, EU]) {
      for (const c of [before, afterSwap, fromOldPrimary]) {
        const out = await kms(region).send(new DecryptCommand({ CiphertextBlob: c.CiphertextBlob }));
        assert.deepEqual(out.Plaintext, PLAINTEXT, region);
        assert.equal(out.KeyId, arnIn(region, keyId));
      }
    }
  });
});

describe('deleting the old primary while keeping its replicas (DG multi-region-update)', () => {
  test('after the swap the old primary is a replica and goes straight to PendingDeletion; the new primary waits for its replicas', async () => {
    const keyId = await newSet([WEST]);
    await update(REGION, keyId, WEST);
    t.clock.advance(DELAY);
    const old = await kms(REGION).send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    assert.equal(old.KeyState, 'PendingDeletion');
    const primary = await kms(WEST).send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    assert.equal(primary.KeyState, 'PendingReplicaDeletion');
  });
});

describe('refusals', () => {
  test('a replica as KeyId: UnsupportedOperationException naming the replica', async () => {
    const keyId = await newSet([WEST]);
    // AWS's text for UpdatePrimaryRegion is unrecorded; ReplicateKey's recorded one names the same condition.
    await expectError(update(WEST, keyId, REGION), 'UnsupportedOperationException', `${arnIn(WEST, keyId)} is not a multi-region primary key.`);
  });

  test('a single-Region key: UnsupportedOperationException', async () => {
    const key = (await kms(REGION).send(new CreateKeyCommand({}))).KeyMetadata!;
    await expectError(update(REGION, key.KeyId!, WEST), 'UnsupportedOperationException', `${key.Arn} is not a multi-region primary key.`);
  });

  test('a Region without a replica: NotFoundException naming the key ARN there; nothing changes', async () => {
    const keyId = await newSet([WEST]);
    await expectError(update(REGION, keyId, 'ap-south-1'), 'NotFoundException', `Key '${arnIn('ap-south-1', keyId)}' does not exist`);
    const md = await describe_(REGION, keyId);
    assert.equal(md.KeyState, 'Enabled');
    assert.deepEqual(configOf(md), expectedConfig(keyId, REGION, REGION, [REGION, WEST]));
  });

  test("the primary's own Region: UnsupportedOperationException", async () => {
    const keyId = await newSet([WEST]);
    // AWS's answer is unrecorded; there is no replica there to promote, and a silent no-op would hide a wrong Region.
    await expectError(update(REGION, keyId, REGION), 'UnsupportedOperationException', `${arnIn(REGION, keyId)} is already the primary key in ${REGION}.`);
    assert.equal((await describe_(REGION, keyId)).KeyState, 'Enabled');
  });

  test('key identifiers: alias name, alias ARN, another Region’s ARN, an unknown key', async () => {
    const keyId = await newSet([WEST]);
    await kms(REGION).send(new CreateAliasCommand({ AliasName: `alias/upr-${keyId}`, TargetKeyId: keyId }));
    await expectError(update(REGION, `alias/upr-${keyId}`, WEST), 'NotFoundException', `Invalid keyId 'alias/upr-${keyId}'`);
    await expectError(
      update(REGION, `arn:aws:kms:${REGION}:${ACCOUNT}:alias/upr-${keyId}`, WEST),
      'InvalidArnException',
      'Key Aliases are not supported for this operation',
    );
    await expectError(update(WEST, arnIn(REGION, keyId), WEST), 'NotFoundException', `Invalid arn ${REGION}`);
    const unknown = `mrk-${randomBytes(16).toString('hex')}`;
    await expectError(update(REGION, unknown, WEST), 'NotFoundException', `Key '${arnIn(REGION, unknown)}' does not exist`);
  });

  test('a PrimaryRegion that is not a Region name: ValidationException', async () => {
    const keyId = await newSet([WEST]);
    await expectError(
      update(REGION, keyId, 'US_WEST'),
      'ValidationException',
      "1 validation error detected: Value 'US_WEST' at 'primaryRegion' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([a-z]+-){2,3}\\d+$",
    );
  });
});

describe('key states (key-state table row UpdatePrimaryRegion)', () => {
  test('primary Disabled: DisabledException [1]', async () => {
    const keyId = await newSet([WEST]);
    await kms(REGION).send(new DisableKeyCommand({ KeyId: keyId }));
    await expectError(update(REGION, keyId, WEST), 'DisabledException', `${arnIn(REGION, keyId)} is disabled.`);
  });

  test('primary PendingDeletion: KMSInvalidStateException [3]', async () => {
    const keyId = await newSet([]);
    await kms(REGION).send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    await expectError(update(REGION, keyId, WEST), 'KMSInvalidStateException', `${arnIn(REGION, keyId)} is pending deletion.`);
  });

  test('primary PendingReplicaDeletion: KMSInvalidStateException [3]', async () => {
    const keyId = await newSet([WEST]);
    await kms(REGION).send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    await expectError(update(REGION, keyId, WEST), 'KMSInvalidStateException', `${arnIn(REGION, keyId)} is pending replica deletion.`);
  });

  test('primary PendingImport: KMSInvalidStateException [5]', async () => {
    const key = (await kms(REGION).send(new CreateKeyCommand({ MultiRegion: true, Origin: 'EXTERNAL' }))).KeyMetadata!;
    await expectError(update(REGION, key.KeyId!, WEST), 'KMSInvalidStateException', `${key.Arn} is pending import.`);
  });

  test('replica Creating: KMSInvalidStateException [14] naming the replica', async () => {
    const keyId = await newSet([WEST], { settle: false });
    await expectError(update(REGION, keyId, WEST), 'KMSInvalidStateException', `${arnIn(WEST, keyId)} is creating.`);
    t.clock.advance(DELAY);
    await update(REGION, keyId, WEST);
  });

  test('replica PendingDeletion: KMSInvalidStateException [3] naming the replica', async () => {
    const keyId = await newSet([WEST]);
    await kms(WEST).send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    await expectError(update(REGION, keyId, WEST), 'KMSInvalidStateException', `${arnIn(WEST, keyId)} is pending deletion.`);
  });

  test('a replica whose waiting period is over is gone: NotFoundException', async () => {
    const keyId = await newSet([WEST]);
    await kms(WEST).send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    t.clock.advanceDays(7);
    await expectError(update(REGION, keyId, WEST), 'NotFoundException', `Key '${arnIn(WEST, keyId)}' does not exist`);
  });

  test('replica Disabled: DisabledException naming the replica (both keys must be Enabled, DG multi-region-update)', async () => {
    const keyId = await newSet([WEST]);
    await kms(WEST).send(new DisableKeyCommand({ KeyId: keyId }));
    await expectError(update(REGION, keyId, WEST), 'DisabledException', `${arnIn(WEST, keyId)} is disabled.`);
    assert.equal((await describe_(REGION, keyId)).KeyState, 'Enabled');
  });

  test('replica PendingImport: KMSInvalidStateException naming the replica', async () => {
    const key = (await kms(REGION).send(new CreateKeyCommand({ MultiRegion: true, Origin: 'EXTERNAL' }))).KeyMetadata!;
    await importMaterial(kms(REGION), key.KeyId!, randomBytes(32), { extra: { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' } });
    await kms(REGION).send(new ReplicateKeyCommand({ KeyId: key.KeyId, ReplicaRegion: WEST }));
    t.clock.advance(DELAY);
    assert.equal((await describe_(WEST, key.KeyId!)).KeyState, 'PendingImport');
    await expectError(update(REGION, key.KeyId!, WEST), 'KMSInvalidStateException', `${arnIn(WEST, key.KeyId!)} is pending import.`);
  });
});
