// Expiry of imported material (ValidTo) and several materials in one symmetric key (ImportType, KeyMaterialId,
// PENDING_ROTATION), through the real SDK with the test clock and the sweeper.
import {
  DecryptCommand,
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  EncryptCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { startTestServer } from '../helpers/server.ts';
import { createExternalKey, importMaterial } from './import-helpers.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const DAY_MS = 24 * 60 * 60 * 1000;
const describeKey = async (KeyId: string) => (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!;
const encrypt = (KeyId: string) => kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from('data') }));
const wholeSecondsFromNow = (ms: number) => new Date(Math.floor(t.clock.now() / 1000) * 1000 + ms);

describe('ValidTo', () => {
  test('material expires at ValidTo: the sweep returns the key to PendingImport, the same material restores it', async () => {
    const key = await createExternalKey(kms);
    const material = randomBytes(32);
    const validTo = wholeSecondsFromNow(2 * DAY_MS);
    await importMaterial(kms, key.KeyId!, material, { extra: { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: validTo } });
    let md = await describeKey(key.KeyId!);
    assert.equal(md.ExpirationModel, 'KEY_MATERIAL_EXPIRES');
    assert.equal(md.ValidTo!.getTime(), validTo.getTime());
    const enc = await encrypt(key.KeyId!);

    t.clock.advance(DAY_MS);
    await t.server.sweep();
    assert.equal((await describeKey(key.KeyId!)).KeyState, 'Enabled');

    t.clock.advance(DAY_MS);
    await t.server.sweep();
    md = await describeKey(key.KeyId!);
    assert.equal(md.KeyState, 'PendingImport');
    assert.equal(md.Enabled, false);
    assert.equal(md.ValidTo, undefined);
    assert.equal(md.ExpirationModel, undefined);
    await expectError(encrypt(key.KeyId!), 'KMSInvalidStateException', `${key.Arn} is pending import.`);

    await expectError(
      importMaterial(kms, key.KeyId!, randomBytes(32)),
      'IncorrectKeyMaterialException',
      'The key material in the request is not the same key material that was previously imported into this KMS key.',
    );
    await importMaterial(kms, key.KeyId!, material);
    md = await describeKey(key.KeyId!);
    assert.equal(md.KeyState, 'Enabled');
    assert.equal(md.ExpirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob! }));
    assert.equal(Buffer.from(dec.Plaintext!).toString(), 'data');
  });

  test('after ValidTo and before any sweep, the key is already pending import; re-import works then too', async () => {
    const key = await createExternalKey(kms);
    const material = randomBytes(32);
    await importMaterial(kms, key.KeyId!, material, { extra: { ValidTo: wholeSecondsFromNow(DAY_MS) } });
    t.clock.advance(DAY_MS);
    await expectError(encrypt(key.KeyId!), 'KMSInvalidStateException', `${key.Arn} is pending import.`);
    assert.equal((await describeKey(key.KeyId!)).KeyState, 'PendingImport');
    await expectError(
      importMaterial(kms, key.KeyId!, randomBytes(32)),
      'IncorrectKeyMaterialException',
      'The key material in the request is not the same key material that was previously imported into this KMS key.',
    );
    await importMaterial(kms, key.KeyId!, material);
    const md = await describeKey(key.KeyId!);
    assert.equal(md.KeyState, 'Enabled');
    assert.equal(md.ValidTo, undefined);
    await encrypt(key.KeyId!);
  });

  test('a key pending deletion stays pending deletion when its material expires or is deleted', async () => {
    const key = await createExternalKey(kms);
    await importMaterial(kms, key.KeyId!, randomBytes(32), { extra: { ValidTo: wholeSecondsFromNow(DAY_MS) } });
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId!, PendingWindowInDays: 7 }));
    t.clock.advance(DAY_MS);
    await t.server.sweep();
    const md = await describeKey(key.KeyId!);
    assert.equal(md.KeyState, 'PendingDeletion');
    assert.equal(md.ValidTo, undefined);
    const out = await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.KeyId! }));
    assert.equal(out.KeyId, key.Arn);
    assert.equal((await describeKey(key.KeyId!)).KeyState, 'PendingDeletion');
  });
});

describe('several materials in one symmetric key', () => {
  test('NEW_KEY_MATERIAL waits as PENDING_ROTATION; one pending at a time; KeyMaterialId and ImportType rules', async () => {
    const key = await createExternalKey(kms);
    const first = randomBytes(32);
    const second = randomBytes(32);
    const firstId = (await importMaterial(kms, key.KeyId!, first)).KeyMaterialId!;
    const secondId = (await importMaterial(kms, key.KeyId!, second, { extra: { ImportType: 'NEW_KEY_MATERIAL', KeyMaterialDescription: 'next' } })).KeyMaterialId!;
    assert.notEqual(secondId, firstId);
    // The pending material is not current: the key still encrypts under the first.
    assert.equal((await describeKey(key.KeyId!)).CurrentKeyMaterialId, firstId);
    const enc = await encrypt(key.KeyId!);
    assert.equal((await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob! }))).KeyMaterialId, firstId);

    // Trent's text: AWS refuses a second pending material (LS test_import_key_material_raises_if_there_is_already_key_material_pending); its text is not recorded.
    await expectError(
      importMaterial(kms, key.KeyId!, randomBytes(32), { extra: { ImportType: 'NEW_KEY_MATERIAL' } }),
      'KMSInvalidStateException',
      `${key.Arn} already has key material pending rotation. Rotate the key or delete the pending key material first.`,
    );
    // "KMS expected new key material but the key material being imported is already associated with the KMS key."
    await expectError(
      importMaterial(kms, key.KeyId!, first, { extra: { ImportType: 'NEW_KEY_MATERIAL' } }),
      'IncorrectKeyMaterialException',
      'The key material in the request is already associated with this KMS key.',
    );
    // "You cannot specify a key material ID with ImportType set to NEW_KEY_MATERIAL."
    await expectError(
      importMaterial(kms, key.KeyId!, randomBytes(32), { extra: { ImportType: 'NEW_KEY_MATERIAL', KeyMaterialId: firstId } }),
      'ValidationException',
      'You cannot specify a KeyMaterialId when ImportType is NEW_KEY_MATERIAL.',
    );
    // EXISTING with a KeyMaterialId: the material must compute to that ID.
    await expectError(
      importMaterial(kms, key.KeyId!, first, { extra: { KeyMaterialId: secondId } }),
      'IncorrectKeyMaterialException',
      'The key material in the request is not the same key material that was previously imported into this KMS key.',
    );
    assert.equal((await importMaterial(kms, key.KeyId!, second, { extra: { KeyMaterialId: secondId } })).KeyMaterialId, secondId);

    // Deleting the pending material leaves the key Enabled and makes room for other new material.
    const del = await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.KeyId!, KeyMaterialId: secondId }));
    assert.equal(del.KeyMaterialId, secondId);
    assert.equal((await describeKey(key.KeyId!)).KeyState, 'Enabled');
    await importMaterial(kms, key.KeyId!, randomBytes(32), { extra: { ImportType: 'NEW_KEY_MATERIAL' } });
  });

  test('DeleteImportedKeyMaterial with an unknown KeyMaterialId is NotFoundException', async () => {
    const key = await createExternalKey(kms);
    await importMaterial(kms, key.KeyId!, randomBytes(32));
    const id = 'ab'.repeat(32);
    // Trent's text: AWS's is not recorded.
    await expectError(
      kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.KeyId!, KeyMaterialId: id })),
      'NotFoundException',
      `Key material ${id} is not associated with ${key.Arn}.`,
    );
  });
});
