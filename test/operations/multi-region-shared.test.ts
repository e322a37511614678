// Shared properties of multi-Region keys through the real SDK in two Regions: automatic rotation is set on the
// primary and shows on every replica, a rotation (automatic or on demand) reaches the whole set at once, and
// imported key material is imported into each key separately but must be the primary's material.
import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  ListKeyRotationsCommand,
  ReplicateKeyCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  type CreateKeyCommandInput,
  type KMSClient,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { NOT_SAME_MATERIAL } from '../../src/operations/import-key-material.ts';
import { expectError } from '../helpers/expect-error.ts';
import { startTestServer } from '../helpers/server.ts';
import { getParameters, importMaterial } from './import-helpers.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const WEST = 'us-west-2';
// Replicas leave Creating at once: these tests are about what the set shares, not about Creating.
const t = await startTestServer({ config: { multiRegionDelayMs: 0 } });
const east = t.client();
const west = t.client({ region: WEST });
after(() => t.close());

/** A multi-Region primary in us-east-1 and its replica in us-west-2. */
async function newSet(kms: KMSClient = east, opts: CreateKeyCommandInput = {}) {
  const primary = (await kms.send(new CreateKeyCommand({ MultiRegion: true, ...opts }))).KeyMetadata!;
  const replica = (await kms.send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: WEST }))).ReplicaKeyMetadata!;
  return { keyId: primary.KeyId!, primaryArn: primary.Arn!, replicaArn: replica.Arn! };
}
const status = async (kms: KMSClient, KeyId: string) => {
  const { $metadata: _, ...rest } = await kms.send(new GetKeyRotationStatusCommand({ KeyId }));
  return rest;
};
const rotations = async (kms: KMSClient, KeyId: string, all = false) =>
  (await kms.send(new ListKeyRotationsCommand({ KeyId, ...(all ? { IncludeKeyMaterial: 'ALL_KEY_MATERIAL' as const } : {}) })))
    .Rotations!;
const metadata = async (kms: KMSClient, KeyId: string) => (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!;
const encrypt = async (kms: KMSClient, KeyId: string, text: string) =>
  (await kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from(text) }))).CiphertextBlob!;
/** Decrypts in the client's Region; returns the plaintext and the material that decrypted it. */
const decrypt = async (kms: KMSClient, CiphertextBlob: Uint8Array) => {
  const out = await kms.send(new DecryptCommand({ CiphertextBlob }));
  return { text: Buffer.from(out.Plaintext!).toString(), material: out.KeyMaterialId };
};
const notPrimary = (arn: string) => `${arn} is not a multi-region primary key.`;

describe('automatic rotation is a shared property, managed on the primary', () => {
  test('EnableKeyRotation on the primary shows on the replica; DisableKeyRotation turns it off on both', async () => {
    const set = await newSet();
    assert.deepEqual(await status(west, set.keyId), { KeyRotationEnabled: false, KeyId: set.replicaArn });
    await east.send(new EnableKeyRotationCommand({ KeyId: set.keyId, RotationPeriodInDays: 90 }));
    const next = new Date(t.clock.now() + 90 * DAY_MS);
    assert.deepEqual(await status(west, set.keyId), {
      KeyRotationEnabled: true,
      KeyId: set.replicaArn,
      RotationPeriodInDays: 90,
      NextRotationDate: next,
    });
    assert.deepEqual(await status(east, set.keyId), { ...(await status(west, set.keyId)), KeyId: set.primaryArn });
    await east.send(new DisableKeyRotationCommand({ KeyId: set.primaryArn }));
    assert.deepEqual(await status(west, set.keyId), { KeyRotationEnabled: false, KeyId: set.replicaArn });
  });

  test('a replica refuses EnableKeyRotation, DisableKeyRotation and RotateKeyOnDemand, and stays as it was', async () => {
    const set = await newSet();
    await east.send(new EnableKeyRotationCommand({ KeyId: set.keyId }));
    const before = await status(west, set.keyId);
    // AWS's text is recorded for ReplicateKey on a replica (spec §5.3); the rotation operations answer alike.
    await expectError(west.send(new EnableKeyRotationCommand({ KeyId: set.keyId, RotationPeriodInDays: 100 })), 'UnsupportedOperationException', notPrimary(set.replicaArn));
    await expectError(west.send(new DisableKeyRotationCommand({ KeyId: set.replicaArn })), 'UnsupportedOperationException', notPrimary(set.replicaArn));
    await expectError(west.send(new RotateKeyOnDemandCommand({ KeyId: set.keyId })), 'UnsupportedOperationException', notPrimary(set.replicaArn));
    assert.deepEqual(await status(west, set.keyId), before);
    assert.deepEqual(await rotations(west, set.keyId), []);
    assert.equal(before.RotationPeriodInDays, 365);
  });

  test('a replica created after rotations holds every material of the set', async () => {
    const primary = (await east.send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!;
    const old = await encrypt(east, primary.KeyId!, 'before the rotation');
    await east.send(new RotateKeyOnDemandCommand({ KeyId: primary.KeyId }));
    await east.send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: WEST }));
    assert.deepEqual(await rotations(west, primary.KeyId!, true), await rotations(east, primary.KeyId!, true));
    assert.equal((await decrypt(west, old)).text, 'before the rotation');
    assert.equal((await metadata(west, primary.KeyId!)).CurrentKeyMaterialId, (await metadata(east, primary.KeyId!)).CurrentKeyMaterialId);
  });
});

describe('a rotation of the primary reaches every replica', () => {
  test('automatic rotation: the sweeper rotates the set once, through its primary', async () => {
    // A server of its own, so that the sweep's count is this set's alone.
    const s = await startTestServer({ config: { multiRegionDelayMs: 0 } });
    try {
      const e = s.client();
      const w = s.client({ region: WEST });
      const primary = (await e.send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!;
      const keyId = primary.KeyId!;
      await e.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
      await e.send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: WEST }));
      const firstMaterial = (await metadata(w, keyId)).CurrentKeyMaterialId!;
      const before = await encrypt(w, keyId, 'made in the west before');

      s.clock.advanceDays(90);
      const rotatedAt = s.clock.now();
      assert.equal((await s.server.sweep()).rotated, 1);
      assert.equal((await s.server.sweep()).rotated, 0);

      const list = await rotations(w, keyId);
      assert.deepEqual(list, await rotations(e, keyId));
      assert.equal(list.length, 1);
      assert.deepEqual(list[0], {
        KeyId: keyId,
        KeyMaterialId: list[0]!.KeyMaterialId,
        KeyMaterialState: 'CURRENT',
        RotationDate: new Date(rotatedAt),
        RotationType: 'AUTOMATIC',
      });
      const current = (await metadata(w, keyId)).CurrentKeyMaterialId;
      assert.equal(current, list[0]!.KeyMaterialId);
      assert.notEqual(current, firstMaterial);
      assert.equal((await metadata(e, keyId)).CurrentKeyMaterialId, current);
      // The next rotation counts from this one, in both Regions.
      assert.deepEqual((await status(w, keyId)).NextRotationDate, new Date(rotatedAt + 90 * DAY_MS));
      assert.deepEqual((await status(e, keyId)).NextRotationDate, new Date(rotatedAt + 90 * DAY_MS));

      const afterRotation = await encrypt(w, keyId, 'made in the west after');
      assert.deepEqual(await decrypt(e, before), { text: 'made in the west before', material: firstMaterial });
      assert.deepEqual(await decrypt(w, before), { text: 'made in the west before', material: firstMaterial });
      assert.deepEqual(await decrypt(e, afterRotation), { text: 'made in the west after', material: current });
      assert.deepEqual(await decrypt(w, afterRotation), { text: 'made in the west after', material: current });
    } finally {
      await s.close();
    }
  });

  test('a set whose primary is disabled is not rotated, even though its replica is enabled and due', async () => {
    // AWS does not rotate disabled keys (API GetKeyRotationStatus); for a set with an enabled replica it is
    // unrecorded. Rotation is the primary's ("You manage automatic key rotation only on the primary key"), so
    // the set waits for it, and rotates once at the first sweep after the primary is enabled again.
    const s = await startTestServer({ config: { multiRegionDelayMs: 0 } });
    try {
      const e = s.client();
      const w = s.client({ region: WEST });
      const primary = (await e.send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!;
      const keyId = primary.KeyId!;
      await e.send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: WEST }));
      await e.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
      await e.send(new DisableKeyCommand({ KeyId: keyId }));
      s.clock.advanceDays(91);
      assert.equal((await s.server.sweep()).rotated, 0);
      assert.deepEqual(await rotations(w, keyId), []);
      await e.send(new EnableKeyCommand({ KeyId: keyId }));
      assert.equal((await s.server.sweep()).rotated, 1);
      const list = await rotations(w, keyId);
      assert.equal(list.length, 1);
      assert.deepEqual(list, await rotations(e, keyId));
    } finally {
      await s.close();
    }
  });

  test('RotateKeyOnDemand on the primary: same new material in both Regions, old and new ciphertexts decrypt everywhere', async () => {
    const set = await newSet();
    const first = (await metadata(east, set.keyId)).CurrentKeyMaterialId!;
    const before = await encrypt(east, set.keyId, 'east before');
    assert.deepEqual(await east.send(new RotateKeyOnDemandCommand({ KeyId: set.primaryArn })).then((r) => r.KeyId), set.keyId);

    const list = await rotations(west, set.keyId, true);
    assert.deepEqual(list, await rotations(east, set.keyId, true));
    assert.deepEqual(
      list.map((r) => [r.KeyMaterialId, r.KeyMaterialState, r.RotationType]),
      [
        [first, 'NON_CURRENT', undefined],
        [list[1]!.KeyMaterialId, 'CURRENT', 'ON_DEMAND'],
      ],
    );
    const current = list[1]!.KeyMaterialId;
    assert.equal((await metadata(west, set.keyId)).CurrentKeyMaterialId, current);
    assert.equal((await metadata(east, set.keyId)).CurrentKeyMaterialId, current);

    const afterWest = await encrypt(west, set.keyId, 'west after');
    assert.deepEqual(await decrypt(west, before), { text: 'east before', material: first });
    assert.deepEqual(await decrypt(east, afterWest), { text: 'west after', material: current });
    assert.deepEqual(await decrypt(west, afterWest), { text: 'west after', material: current });
  });

  test('a replica pending deletion still receives the rotation, so it decrypts after its deletion is cancelled', async () => {
    const set = await newSet();
    await west.send(new ScheduleKeyDeletionCommand({ KeyId: set.keyId, PendingWindowInDays: 7 }));
    await east.send(new RotateKeyOnDemandCommand({ KeyId: set.keyId }));
    await west.send(new CancelKeyDeletionCommand({ KeyId: set.keyId }));
    await west.send(new EnableKeyCommand({ KeyId: set.keyId }));
    const blob = await encrypt(east, set.keyId, 'after the rotation');
    assert.equal((await decrypt(west, blob)).text, 'after the rotation');
    assert.deepEqual(await rotations(west, set.keyId), await rotations(east, set.keyId));
  });
});

describe('imported key material: each key imports the primary material itself', () => {
  const material = () => randomBytes(32);
  /** An EXTERNAL multi-Region primary with material `m` and a replica in us-west-2 (PendingImport). */
  async function externalSet(m: Buffer) {
    const primary = (await east.send(new CreateKeyCommand({ MultiRegion: true, Origin: 'EXTERNAL' }))).KeyMetadata!;
    await importMaterial(east, primary.KeyId!, m);
    const replica = (await east.send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: WEST }))).ReplicaKeyMetadata!;
    return { keyId: primary.KeyId!, primaryArn: primary.Arn!, replicaArn: replica.Arn! };
  }

  test('the replica starts PendingImport, refuses other material, and works with the same material', async () => {
    const m = material();
    const set = await externalSet(m);
    const replica = await metadata(west, set.keyId);
    assert.equal(replica.KeyState, 'PendingImport');
    assert.equal(replica.Origin, 'EXTERNAL');
    await expectError(encrypt(west, set.keyId, 'x'), 'KMSInvalidStateException', `${set.replicaArn} is pending import.`);

    // GetParametersForImport works on a replica and names it.
    const params = await getParameters(west, set.keyId);
    assert.equal(params.KeyId, set.replicaArn);

    // "If the key material that you try to import into the replica key isn't the same the key material as
    // its primary key, the operation fails" (DG multi-region-keys-import).
    await expectError(importMaterial(west, set.keyId, material()), 'IncorrectKeyMaterialException', NOT_SAME_MATERIAL);
    assert.equal((await metadata(west, set.keyId)).KeyState, 'PendingImport');

    const imported = await importMaterial(west, set.keyId, m);
    const primaryMaterial = (await metadata(east, set.keyId)).CurrentKeyMaterialId;
    assert.equal(imported.KeyId, set.replicaArn);
    assert.equal(imported.KeyMaterialId, primaryMaterial);
    const after = await metadata(west, set.keyId);
    assert.equal(after.KeyState, 'Enabled');
    assert.equal(after.CurrentKeyMaterialId, primaryMaterial);
    assert.equal(after.ExpirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');

    const fromEast = await encrypt(east, set.keyId, 'imported east');
    const fromWest = await encrypt(west, set.keyId, 'imported west');
    assert.deepEqual(await decrypt(west, fromEast), { text: 'imported east', material: primaryMaterial });
    assert.deepEqual(await decrypt(east, fromWest), { text: 'imported west', material: primaryMaterial });
  });

  test('a replica cannot take new key material', async () => {
    const set = await externalSet(material());
    // AWS's error is unrecorded ("You cannot directly import new key material into the replica Region keys",
    // API ImportKeyMaterial); UnsupportedOperationException as for the other primary-only operations.
    await expectError(
      importMaterial(west, set.keyId, material(), { extra: { ImportType: 'NEW_KEY_MATERIAL' } }),
      'UnsupportedOperationException',
      `${set.replicaArn} is a multi-Region replica key. Import new key material into its primary key, then import the same key material into this key with ImportType EXISTING_KEY_MATERIAL.`,
    );
  });

  test('expiration is per key: the replica material expiring leaves the primary Enabled', async () => {
    const m = material();
    const set = await externalSet(m);
    const validTo = new Date(t.clock.now() + 10 * DAY_MS);
    await importMaterial(west, set.keyId, m, { extra: { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: validTo } });
    const replica = await metadata(west, set.keyId);
    assert.equal(replica.ExpirationModel, 'KEY_MATERIAL_EXPIRES');
    assert.deepEqual(replica.ValidTo, validTo);
    assert.equal((await metadata(east, set.keyId)).ExpirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');
    t.clock.advanceDays(11);
    await t.server.sweep();
    assert.equal((await metadata(west, set.keyId)).KeyState, 'PendingImport');
    assert.equal((await metadata(east, set.keyId)).KeyState, 'Enabled');
    // The same material brings it back.
    await importMaterial(west, set.keyId, m);
    assert.equal((await metadata(west, set.keyId)).KeyState, 'Enabled');
  });

  test('on-demand rotation: new material into the primary, then into every replica, then RotateKeyOnDemand on the primary', async () => {
    const m1 = material();
    const m2 = material();
    const set = await externalSet(m1);
    await importMaterial(west, set.keyId, m1);
    const before = await encrypt(west, set.keyId, 'under the first material');
    const first = (await metadata(east, set.keyId)).CurrentKeyMaterialId!;

    const { KeyMaterialId: second } = await importMaterial(east, set.keyId, m2, { extra: { ImportType: 'NEW_KEY_MATERIAL' } });
    const stateOf = async (kms: KMSClient) =>
      (await rotations(kms, set.keyId, true)).map((r) => [r.KeyMaterialId, r.KeyMaterialState, r.ImportState]);
    // Imported into the primary but not yet into the replica (API RotationsListEntry).
    assert.deepEqual(await stateOf(east), [
      [first, 'CURRENT', 'IMPORTED'],
      [second, 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION', 'IMPORTED'],
    ]);
    assert.deepEqual(await stateOf(west), [
      [first, 'CURRENT', 'IMPORTED'],
      [second, 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION', 'PENDING_IMPORT'],
    ]);
    // AWS's text is unrecorded; Trent names the state and the replica that still needs the material.
    await expectError(
      east.send(new RotateKeyOnDemandCommand({ KeyId: set.keyId })),
      'KMSInvalidStateException',
      `${set.primaryArn} has key material in PENDING_MULTI_REGION_IMPORT_AND_ROTATION state. Import the same key material into ${set.replicaArn} before rotating on demand.`,
    );
    await expectError(
      importMaterial(west, set.keyId, material(), { extra: { ImportType: 'EXISTING_KEY_MATERIAL' } }),
      'IncorrectKeyMaterialException',
      NOT_SAME_MATERIAL,
    );

    await importMaterial(west, set.keyId, m2, { extra: { ImportType: 'EXISTING_KEY_MATERIAL', KeyMaterialId: second } });
    assert.deepEqual(await stateOf(east), [
      [first, 'CURRENT', 'IMPORTED'],
      [second, 'PENDING_ROTATION', 'IMPORTED'],
    ]);
    assert.deepEqual(await stateOf(west), await stateOf(east));

    await east.send(new RotateKeyOnDemandCommand({ KeyId: set.keyId }));
    assert.equal((await metadata(east, set.keyId)).CurrentKeyMaterialId, second);
    assert.equal((await metadata(west, set.keyId)).CurrentKeyMaterialId, second);
    assert.deepEqual(await rotations(west, set.keyId), await rotations(east, set.keyId));
    const afterEast = await encrypt(east, set.keyId, 'under the second material');
    assert.deepEqual(await decrypt(west, afterEast), { text: 'under the second material', material: second });
    assert.deepEqual(await decrypt(east, before), { text: 'under the first material', material: first });
  });

  test('deleting new material from the primary deletes it from the replicas; a replica deletes only its own', async () => {
    const m1 = material();
    const set = await externalSet(m1);
    await importMaterial(west, set.keyId, m1);
    const { KeyMaterialId: pending } = await importMaterial(east, set.keyId, material(), { extra: { ImportType: 'NEW_KEY_MATERIAL' } });
    await east.send(new DeleteImportedKeyMaterialCommand({ KeyId: set.keyId, KeyMaterialId: pending }));
    assert.equal((await rotations(west, set.keyId, true)).length, 1);
    assert.equal((await rotations(east, set.keyId, true)).length, 1);

    // The replica deleting its current material: it alone becomes PendingImport.
    await west.send(new DeleteImportedKeyMaterialCommand({ KeyId: set.keyId }));
    assert.equal((await metadata(west, set.keyId)).KeyState, 'PendingImport');
    assert.equal((await metadata(east, set.keyId)).KeyState, 'Enabled');
    await importMaterial(west, set.keyId, m1);
    assert.equal((await metadata(west, set.keyId)).KeyState, 'Enabled');
  });

  test('automatic rotation stays unsupported for imported material on either key', async () => {
    const set = await externalSet(material());
    for (const [kms, arn] of [[east, set.primaryArn], [west, set.replicaArn]] as const) {
      await expectError(kms.send(new EnableKeyRotationCommand({ KeyId: set.keyId })), 'UnsupportedOperationException', `${arn} origin is EXTERNAL which is not valid for this operation.`);
    }
  });
});
