// Key rotation through the real SDK: EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus,
// RotateKeyOnDemand and automatic rotation by the sweeper, with old ciphertexts still decrypting.
import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  ListKeyRotationsCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  type CreateKeyCommandInput,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { startTestServer } from '../helpers/server.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const DAY_MS = 24 * 60 * 60 * 1000;
// The SDK reports an error with an empty message as message 'UnknownError'; the wire carries "".
const EMPTY = 'UnknownError';
const newKey = async (opts: CreateKeyCommandInput = {}) => (await kms.send(new CreateKeyCommand(opts))).KeyMetadata!;
const status = async (KeyId: string) => {
  const { $metadata: _, ...rest } = await kms.send(new GetKeyRotationStatusCommand({ KeyId }));
  return rest;
};
const rotations = (KeyId: string, extra: { IncludeKeyMaterial?: 'ALL_KEY_MATERIAL' | 'ROTATIONS_ONLY'; Limit?: number; Marker?: string } = {}) =>
  kms.send(new ListKeyRotationsCommand({ KeyId, ...extra }));
const currentMaterialId = async (KeyId: string) => (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.CurrentKeyMaterialId!;
const encrypt = async (KeyId: string) =>
  (await kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from('rotate me') }))).CiphertextBlob!;
const decrypt = (CiphertextBlob: Uint8Array) => kms.send(new DecryptCommand({ CiphertextBlob }));

describe('EnableKeyRotation, DisableKeyRotation and GetKeyRotationStatus', () => {
  test('a new key has rotation off; enabling defaults to 365 days from now', async () => {
    const key = await newKey();
    assert.deepEqual(await status(key.KeyId!), { KeyRotationEnabled: false, KeyId: key.Arn });
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId }));
    assert.deepEqual(await status(key.Arn!), {
      KeyRotationEnabled: true,
      KeyId: key.Arn,
      RotationPeriodInDays: 365,
      NextRotationDate: new Date(t.clock.now() + 365 * DAY_MS),
    });
  });

  test('a new period on an enabled key counts from the start of the current cycle', async () => {
    const key = await newKey();
    const start = t.clock.now();
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
    t.clock.advanceDays(10);
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 180 }));
    const s = await status(key.KeyId!);
    assert.equal(s.RotationPeriodInDays, 180);
    assert.equal(s.NextRotationDate!.getTime(), start + 180 * DAY_MS);
  });

  test('disabling forgets the schedule; enabling again starts from that day', async () => {
    const key = await newKey();
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 2560 }));
    await kms.send(new DisableKeyRotationCommand({ KeyId: key.KeyId }));
    assert.deepEqual(await status(key.KeyId!), { KeyRotationEnabled: false, KeyId: key.Arn });
    t.clock.advanceDays(3);
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
    assert.equal((await status(key.KeyId!)).NextRotationDate!.getTime(), t.clock.now() + 90 * DAY_MS);
  });

  test('RotationPeriodInDays outside 90..2560 fails model validation', async () => {
    const key = await newKey();
    await expectError(
      kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 89 })),
      'ValidationException',
      "1 validation error detected: Value '89' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90",
    );
  });

  test('disabled key: Enable/DisableKeyRotation fail, the status is unchanged', async () => {
    const key = await newKey();
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId }));
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    await expectError(kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId })), 'DisabledException', `${key.Arn} is disabled.`);
    await expectError(kms.send(new DisableKeyRotationCommand({ KeyId: key.KeyId })), 'DisabledException', `${key.Arn} is disabled.`);
    // "The key rotation status does not change when you disable a KMS key" (API GetKeyRotationStatus).
    assert.equal((await status(key.KeyId!)).KeyRotationEnabled, true);
  });

  test('pending deletion: status false, restored when the deletion is cancelled', async () => {
    const key = await newKey();
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 100 }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    assert.deepEqual(await status(key.KeyId!), { KeyRotationEnabled: false, KeyId: key.Arn });
    await expectError(
      kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId })),
      'KMSInvalidStateException',
      `${key.Arn} is pending deletion.`,
    );
    await kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }));
    const s = await status(key.KeyId!);
    assert.equal(s.KeyRotationEnabled, true);
    assert.equal(s.RotationPeriodInDays, 100);
  });

  test('asymmetric and HMAC keys: status false, rotation operations unsupported', async () => {
    for (const opts of [
      { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' },
      { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' },
    ] as const) {
      const key = await newKey(opts);
      assert.deepEqual(await status(key.KeyId!), { KeyRotationEnabled: false, KeyId: key.Arn });
      await expectError(kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId })), 'UnsupportedOperationException', EMPTY);
      await expectError(kms.send(new DisableKeyRotationCommand({ KeyId: key.KeyId })), 'UnsupportedOperationException', EMPTY);
      await expectError(kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })), 'UnsupportedOperationException', EMPTY);
      await expectError(rotations(key.KeyId!), 'UnsupportedOperationException', EMPTY);
    }
  });

  test('EXTERNAL keys: no automatic rotation status', async () => {
    const key = await newKey({ Origin: 'EXTERNAL' });
    await expectError(
      status(key.KeyId!),
      'UnsupportedOperationException',
      `${key.Arn} origin is EXTERNAL which is not valid for this operation.`,
    );
  });

  test('aliases are refused: key ID or key ARN only', async () => {
    await expectError(status('alias/anything'), 'NotFoundException', "Invalid keyId 'alias/anything'");
  });
});

describe('RotateKeyOnDemand', () => {
  test('new material becomes current; old ciphertexts still decrypt', async () => {
    const key = await newKey();
    const first = await currentMaterialId(key.KeyId!);
    const before = await encrypt(key.KeyId!);
    const out = await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.Arn }));
    assert.equal(out.KeyId, key.KeyId);
    const second = await currentMaterialId(key.KeyId!);
    assert.notEqual(second, first);
    assert.match(second, /^[0-9a-f]{64}$/);
    const afterBlob = await encrypt(key.KeyId!);
    assert.equal((await decrypt(before)).KeyMaterialId, first);
    assert.equal(Buffer.from((await decrypt(before)).Plaintext!).toString(), 'rotate me');
    assert.equal((await decrypt(afterBlob)).KeyMaterialId, second);

    const listed = await rotations(key.KeyId!);
    assert.equal(listed.Truncated, false);
    assert.equal(listed.NextMarker, undefined);
    assert.deepEqual(listed.Rotations, [
      {
        KeyId: key.KeyId,
        KeyMaterialId: second,
        KeyMaterialState: 'CURRENT',
        RotationDate: new Date(t.clock.now()),
        RotationType: 'ON_DEMAND',
      },
    ]);
    const all = await rotations(key.KeyId!, { IncludeKeyMaterial: 'ALL_KEY_MATERIAL' });
    assert.deepEqual(all.Rotations![0], { KeyId: key.KeyId, KeyMaterialId: first, KeyMaterialState: 'NON_CURRENT' });
    assert.equal(all.Rotations![1]!.KeyMaterialId, second);
  });

  test('does not change the automatic rotation schedule', async () => {
    const key = await newKey();
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 730 }));
    const before = await status(key.KeyId!);
    t.clock.advanceDays(5);
    await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
    assert.deepEqual(await status(key.KeyId!), before);
  });

  test('at most 25 on-demand rotations per key', async () => {
    const key = await newKey();
    for (let i = 0; i < 25; i++) await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
    await expectError(
      kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })),
      'LimitExceededException',
      `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${key.Arn}`,
    );
    assert.equal((await rotations(key.KeyId!)).Rotations!.length, 25);
  });

  test('disabled key: DisabledException (LS-snap)', async () => {
    const key = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    await expectError(kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })), 'DisabledException', `${key.Arn} is disabled.`);
  });

  test('EXTERNAL key without material: pending import', async () => {
    const key = await newKey({ Origin: 'EXTERNAL' });
    await expectError(
      kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })),
      'KMSInvalidStateException',
      `${key.Arn} is pending import.`,
    );
  });
});

describe('automatic rotation', () => {
  test('rotates when the period ends, then every period after', async () => {
    const key = await newKey();
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
    const first = await currentMaterialId(key.KeyId!);
    const blob = await encrypt(key.KeyId!);
    t.clock.advanceDays(89);
    await t.server.sweep();
    assert.equal(await currentMaterialId(key.KeyId!), first);
    t.clock.advanceDays(1);
    const swept = await t.server.sweep();
    assert.ok(swept.rotated >= 1);
    const second = await currentMaterialId(key.KeyId!);
    assert.notEqual(second, first);
    const listed = await rotations(key.KeyId!);
    assert.deepEqual(listed.Rotations, [
      { KeyId: key.KeyId, KeyMaterialId: second, KeyMaterialState: 'CURRENT', RotationDate: new Date(t.clock.now()), RotationType: 'AUTOMATIC' },
    ]);
    assert.equal((await status(key.KeyId!)).NextRotationDate!.getTime(), t.clock.now() + 90 * DAY_MS);
    assert.equal((await decrypt(blob)).KeyMaterialId, first);
    assert.equal((await decrypt(await encrypt(key.KeyId!))).KeyMaterialId, second);
  });

  test('a disabled key is not rotated; it rotates once enabled again', async () => {
    const key = await newKey();
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 90 }));
    const first = await currentMaterialId(key.KeyId!);
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    t.clock.advanceDays(100);
    await t.server.sweep();
    assert.equal(await currentMaterialId(key.KeyId!), first);
    await kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
    await t.server.sweep();
    assert.notEqual(await currentMaterialId(key.KeyId!), first);
    assert.equal((await status(key.KeyId!)).NextRotationDate!.getTime(), t.clock.now() + 90 * DAY_MS);
  });

  test('a key whose rotation is off is never rotated', async () => {
    const key = await newKey();
    const first = await currentMaterialId(key.KeyId!);
    t.clock.advanceDays(3000);
    await t.server.sweep();
    assert.equal(await currentMaterialId(key.KeyId!), first);
    assert.deepEqual((await rotations(key.KeyId!)).Rotations, []);
  });
});
