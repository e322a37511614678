// ListKeyRotations through the real SDK: paging, IncludeKeyMaterial, the entries of imported keys, and
// RotateKeyOnDemand promoting imported material that waits in PENDING_ROTATION.
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  ListKeyRotationsCommand,
  RotateKeyOnDemandCommand,
  type CreateKeyCommandInput,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { ACCOUNT, REGION, startTestServer } from '../helpers/server.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const newKey = async (opts: CreateKeyCommandInput = {}) => (await kms.send(new CreateKeyCommand(opts))).KeyMetadata!;
const rotations = (KeyId: string, extra: { IncludeKeyMaterial?: 'ALL_KEY_MATERIAL' | 'ROTATIONS_ONLY'; Limit?: number; Marker?: string } = {}) =>
  kms.send(new ListKeyRotationsCommand({ KeyId, ...extra }));
const currentMaterialId = async (KeyId: string) => (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.CurrentKeyMaterialId!;

describe('RotateKeyOnDemand of imported (EXTERNAL) keys', () => {
  // Stands in for ImportKeyMaterial (built elsewhere): an imported CURRENT material and, optionally, one
  // imported with ImportType NEW_KEY_MATERIAL, which waits in PENDING_ROTATION.
  const importedKey = async (withPending: boolean) => {
    const key = await newKey({ Origin: 'EXTERNAL' });
    const ref = { account: ACCOUNT, region: REGION, keyId: key.KeyId! };
    const [current, pending] = ['a'.repeat(64), 'b'.repeat(64)];
    await t.store.transaction(async (tx) => {
      const stored = (await tx.getKey(ref))!;
      await tx.updateKey({ ...stored, keyState: 'Enabled', currentKeyMaterialId: current, expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
      const common = { ...ref, importState: 'IMPORTED' as const, expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', wrapped: new Uint8Array(1) };
      await tx.putMaterial({ ...common, materialId: current, createdAt: t.clock.now(), state: 'CURRENT', description: 'first' });
      if (withPending) await tx.putMaterial({ ...common, materialId: pending, createdAt: t.clock.now(), state: 'PENDING_ROTATION' });
    });
    return { key, current, pending };
  };

  test('the material pending rotation becomes current', async () => {
    const { key, current, pending } = await importedKey(true);
    const listedBefore = await rotations(key.KeyId!, { IncludeKeyMaterial: 'ALL_KEY_MATERIAL' });
    assert.deepEqual(listedBefore.Rotations!.map((r) => [r.KeyMaterialState, r.RotationType]), [
      ['CURRENT', undefined],
      ['PENDING_ROTATION', undefined],
    ]);
    assert.deepEqual((await rotations(key.KeyId!)).Rotations, []);
    t.clock.advanceDays(1);
    await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
    assert.equal(await currentMaterialId(key.KeyId!), pending);
    const all = await rotations(key.KeyId!, { IncludeKeyMaterial: 'ALL_KEY_MATERIAL' });
    assert.deepEqual(all.Rotations, [
      {
        KeyId: key.KeyId,
        KeyMaterialId: current,
        KeyMaterialDescription: 'first',
        ImportState: 'IMPORTED',
        KeyMaterialState: 'NON_CURRENT',
        ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      },
      {
        KeyId: key.KeyId,
        KeyMaterialId: pending,
        ImportState: 'IMPORTED',
        KeyMaterialState: 'CURRENT',
        ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        RotationDate: new Date(t.clock.now()),
        RotationType: 'ON_DEMAND',
      },
    ]);
  });

  test('without material pending rotation it fails', async () => {
    const { key } = await importedKey(false);
    // AWS's text is recorded only in LS-snap test_rotate_key_on_demand_raises_for_no_pending_key_material,
    // which could not be read: this wording is Trent's.
    await expectError(
      kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })),
      'KMSInvalidStateException',
      `${key.Arn} has no key material in PENDING_ROTATION state. Import new key material with ImportType NEW_KEY_MATERIAL before rotating on demand.`,
    );
  });

  test('automatic rotation stays unsupported', async () => {
    const { key } = await importedKey(false);
    const origin = `${key.Arn} origin is EXTERNAL which is not valid for this operation.`;
    await expectError(kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId })), 'UnsupportedOperationException', origin);
    await expectError(kms.send(new DisableKeyRotationCommand({ KeyId: key.KeyId })), 'UnsupportedOperationException', origin);
  });
});

describe('ListKeyRotations paging', () => {
  test('Limit and Marker walk the rotations in order', async () => {
    const key = await newKey();
    for (let i = 0; i < 3; i++) await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
    const all = (await rotations(key.KeyId!)).Rotations!.map((r) => r.KeyMaterialId);
    assert.equal(all.length, 3);
    const p1 = await rotations(key.KeyId!, { Limit: 2 });
    assert.equal(p1.Truncated, true);
    assert.deepEqual(p1.Rotations!.map((r) => r.KeyMaterialId), all.slice(0, 2));
    const p2 = await rotations(key.KeyId!, { Limit: 2, Marker: p1.NextMarker });
    assert.equal(p2.Truncated, false);
    assert.deepEqual(p2.Rotations!.map((r) => r.KeyMaterialId), all.slice(2));
    assert.deepEqual(p1.Rotations!.map((r) => r.KeyMaterialState), ['NON_CURRENT', 'NON_CURRENT']);
    assert.equal(p2.Rotations![0]!.KeyMaterialState, 'CURRENT');
    await expectError(rotations(key.KeyId!, { Marker: 'bm90LWEtbWFya2Vy' }), 'InvalidMarkerException', 'Invalid marker');
  });
});
