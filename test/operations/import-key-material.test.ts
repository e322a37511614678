// GetParametersForImport, ImportKeyMaterial and DeleteImportedKeyMaterial through the real SDK, for symmetric
// keys: the key-state changes, re-import of the same material only, tokens, and AWS's (or Trent's pinned) errors.
import {
  CreateKeyCommand,
  DecryptCommand,
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  EncryptCommand,
  ImportKeyMaterialCommand,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { createPublicKey, randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { startTestServer } from '../helpers/server.ts';
import { createExternalKey, getParameters, importMaterial, wrapMaterial } from './import-helpers.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const DAY_MS = 24 * 60 * 60 * 1000;
const describeKey = async (KeyId: string) => (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!;
// The SDK reports an error with an empty message as message 'UnknownError'; the wire carries "".
const EMPTY = 'UnknownError';
const NOT_SAME =
  'The key material in the request is not the same key material that was previously imported into this KMS key.';

describe('GetParametersForImport', () => {
  test('returns the key ARN, an RSA wrapping public key and a token valid for 24 hours', async () => {
    const key = await createExternalKey(kms);
    const out = await getParameters(kms, key.KeyId!, 'RSAES_OAEP_SHA_256', 'RSA_3072');
    assert.equal(out.KeyId, key.Arn);
    const pub = createPublicKey({ key: Buffer.from(out.PublicKey!), format: 'der', type: 'spki' });
    assert.equal(pub.asymmetricKeyType, 'rsa');
    assert.equal(pub.asymmetricKeyDetails?.modulusLength, 3072);
    assert.ok(out.ImportToken!.length > 0);
    assert.equal(out.ParametersValidTo!.getTime(), t.clock.now() + DAY_MS);
  });

  test('refuses keys whose origin is AWS_KMS (LS-snap test_get_parameters_for_import)', async () => {
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await expectError(getParameters(kms, key.KeyId!), 'UnsupportedOperationException', `${key.Arn} origin is AWS_KMS which is not valid for this operation.`);
  });

  test('refuses the deprecated RSAES_PKCS1_V1_5 algorithm and mismatched SM2 pairs', async () => {
    const key = await createExternalKey(kms);
    // AWS stopped supporting RSAES_PKCS1_V1_5 on October 10, 2023 (API reference); the text is Trent's.
    await expectError(
      getParameters(kms, key.KeyId!, 'RSAES_PKCS1_V1_5', 'RSA_2048'),
      'ValidationException',
      'The RSAES_PKCS1_V1_5 wrapping algorithm is no longer supported. Use RSAES_OAEP_SHA_256 or RSA_AES_KEY_WRAP_SHA_256.',
    );
    await expectError(
      getParameters(kms, key.KeyId!, 'SM2PKE', 'RSA_2048'),
      'ValidationException',
      'Wrapping algorithm SM2PKE is not compatible with wrapping key spec RSA_2048.',
    );
    await expectError(
      getParameters(kms, key.KeyId!, 'RSAES_OAEP_SHA_1', 'SM2'),
      'ValidationException',
      'Wrapping algorithm RSAES_OAEP_SHA_1 is not compatible with wrapping key spec SM2.',
    );
  });

  test('takes key IDs and ARNs but not aliases', async () => {
    const key = await createExternalKey(kms);
    assert.equal((await getParameters(kms, key.Arn!)).KeyId, key.Arn);
    await expectError(getParameters(kms, 'alias/whatever'), 'NotFoundException', "Invalid keyId 'alias/whatever'");
  });
});

describe('ImportKeyMaterial (symmetric)', () => {
  test('PendingImport → Enabled; the imported key encrypts and decrypts', async () => {
    const key = await createExternalKey(kms);
    assert.equal(key.KeyState, 'PendingImport');
    assert.equal(key.CurrentKeyMaterialId, undefined);
    // LS-snap test_import_key_symmetric (encrypt-before-import-error).
    await expectError(kms.send(new EncryptCommand({ KeyId: key.KeyId!, Plaintext: Buffer.from('x') })), 'KMSInvalidStateException', `${key.Arn} is pending import.`);

    const out = await importMaterial(kms, key.KeyId!, randomBytes(32));
    assert.equal(out.KeyId, key.Arn);
    assert.match(out.KeyMaterialId!, /^[0-9a-f]{64}$/);
    const md = await describeKey(key.KeyId!);
    assert.equal(md.KeyState, 'Enabled');
    assert.equal(md.Enabled, true);
    // Without ExpirationModel and ValidTo the material does not expire (LS-snap describe-key-after-import).
    assert.equal(md.ExpirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');
    assert.equal(md.ValidTo, undefined);
    assert.equal(md.CurrentKeyMaterialId, out.KeyMaterialId);

    const enc = await kms.send(new EncryptCommand({ KeyId: key.KeyId!, Plaintext: Buffer.from('hello') }));
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob! }));
    assert.equal(Buffer.from(dec.Plaintext!).toString(), 'hello');
    assert.equal(dec.KeyMaterialId, out.KeyMaterialId);
  });

  test('delete, then re-import: the same material comes back, different material is refused', async () => {
    const key = await createExternalKey(kms);
    const material = randomBytes(32);
    const first = await importMaterial(kms, key.KeyId!, material);
    const enc = await kms.send(new EncryptCommand({ KeyId: key.KeyId!, Plaintext: Buffer.from('kept') }));

    const del = await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.KeyId! }));
    assert.equal(del.KeyId, key.Arn);
    assert.equal(del.KeyMaterialId, first.KeyMaterialId);
    const md = await describeKey(key.KeyId!);
    assert.equal(md.KeyState, 'PendingImport');
    assert.equal(md.Enabled, false);
    // LS-snap describe-key-after-deleted-import: no ExpirationModel once the material is gone.
    assert.equal(md.ExpirationModel, undefined);
    await expectError(kms.send(new EncryptCommand({ KeyId: key.KeyId!, Plaintext: Buffer.from('x') })), 'KMSInvalidStateException', `${key.Arn} is pending import.`);
    await expectError(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob! })), 'KMSInvalidStateException', `${key.Arn} is pending import.`);

    await expectError(importMaterial(kms, key.KeyId!, randomBytes(32)), 'IncorrectKeyMaterialException', NOT_SAME);
    // Same material under another wrapping algorithm and key spec: the same KeyMaterialId, old ciphertexts open.
    const again = await importMaterial(kms, key.KeyId!, material, { algorithm: 'RSA_AES_KEY_WRAP_SHA_1', spec: 'RSA_3072' });
    assert.equal(again.KeyMaterialId, first.KeyMaterialId);
    assert.equal((await describeKey(key.KeyId!)).KeyState, 'Enabled');
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob! }));
    assert.equal(Buffer.from(dec.Plaintext!).toString(), 'kept');
  });

  test('the KeyMaterialId depends on the key and the material', async () => {
    const material = randomBytes(32);
    const a = await createExternalKey(kms);
    const b = await createExternalKey(kms);
    const idA = (await importMaterial(kms, a.KeyId!, material)).KeyMaterialId;
    const idB = (await importMaterial(kms, b.KeyId!, material)).KeyMaterialId;
    assert.notEqual(idA, idB);
  });

  test('re-importing into an Enabled key resets the expiration; a Disabled key stays Disabled', async () => {
    const key = await createExternalKey(kms);
    const material = randomBytes(32);
    await importMaterial(kms, key.KeyId!, material);
    const validTo = new Date(Math.floor(t.clock.now() / 1000) * 1000 + 10 * DAY_MS);
    await importMaterial(kms, key.KeyId!, material, { extra: { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: validTo } });
    let md = await describeKey(key.KeyId!);
    assert.equal(md.ExpirationModel, 'KEY_MATERIAL_EXPIRES');
    assert.equal(md.ValidTo!.getTime(), validTo.getTime());
    const { DisableKeyCommand } = await import('@aws-sdk/client-kms');
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId! }));
    await importMaterial(kms, key.KeyId!, material);
    md = await describeKey(key.KeyId!);
    assert.equal(md.KeyState, 'Disabled');
    assert.equal(md.ExpirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');
    assert.equal(md.ValidTo, undefined);
  });

  test('material that is not 32 bytes is refused', async () => {
    const key = await createExternalKey(kms);
    await expectError(
      importMaterial(kms, key.KeyId!, randomBytes(16)),
      'IncorrectKeyMaterialException',
      'The key material is not valid for a KMS key with key spec SYMMETRIC_DEFAULT.',
    );
  });

  test('ExpirationModel and ValidTo rules', async () => {
    const key = await createExternalKey(kms);
    const material = randomBytes(32);
    // LS-snap test_import_key_symmetric (import-expiring-key-without-valid-to).
    await expectError(
      importMaterial(kms, key.KeyId!, material, { extra: { ExpirationModel: 'KEY_MATERIAL_EXPIRES' } }),
      'ValidationException',
      'A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES',
    );
    // ValidTo "is required when ... KEY_MATERIAL_EXPIRES. Otherwise it is not valid." (text is Trent's)
    await expectError(
      importMaterial(kms, key.KeyId!, material, {
        extra: { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ValidTo: new Date(t.clock.now() + DAY_MS) },
      }),
      'ValidationException',
      'A validTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE',
    );
    // "must be a future date and time. The maximum value is 365 days from the request date." (texts are Trent's)
    await expectError(
      importMaterial(kms, key.KeyId!, material, { extra: { ValidTo: new Date(t.clock.now() - 1000) } }),
      'ValidationException',
      'The ValidTo date must be in the future.',
    );
    await expectError(
      importMaterial(kms, key.KeyId!, material, { extra: { ValidTo: new Date(t.clock.now() + 366 * DAY_MS) } }),
      'ValidationException',
      'The ValidTo date must be no more than 365 days from the current date.',
    );
    // A ValidTo alone implies KEY_MATERIAL_EXPIRES.
    await importMaterial(kms, key.KeyId!, material, { extra: { ValidTo: new Date(t.clock.now() + 365 * DAY_MS) } });
    assert.equal((await describeKey(key.KeyId!)).ExpirationModel, 'KEY_MATERIAL_EXPIRES');
  });
});

describe('import tokens', () => {
  const INVALID = 'The import token is invalid or is associated with a different KMS key.';

  test('a token of another key, or no token at all, is InvalidImportTokenException', async () => {
    const key = await createExternalKey(kms);
    const other = await createExternalKey(kms);
    const params = await getParameters(kms, other.KeyId!);
    const EncryptedKeyMaterial = wrapMaterial('RSAES_OAEP_SHA_256', params.PublicKey!, randomBytes(32));
    await expectError(
      kms.send(new ImportKeyMaterialCommand({ KeyId: key.KeyId!, ImportToken: params.ImportToken!, EncryptedKeyMaterial })),
      'InvalidImportTokenException',
      INVALID,
    );
    await expectError(
      kms.send(new ImportKeyMaterialCommand({ KeyId: key.KeyId!, ImportToken: randomBytes(200), EncryptedKeyMaterial })),
      'InvalidImportTokenException',
      INVALID,
    );
  });

  test('a token past ParametersValidTo is ExpiredImportTokenException', async () => {
    const key = await createExternalKey(kms);
    const params = await getParameters(kms, key.KeyId!);
    t.clock.advance(DAY_MS);
    await expectError(
      kms.send(
        new ImportKeyMaterialCommand({
          KeyId: key.KeyId!,
          ImportToken: params.ImportToken!,
          EncryptedKeyMaterial: wrapMaterial('RSAES_OAEP_SHA_256', params.PublicKey!, randomBytes(32)),
        }),
      ),
      'ExpiredImportTokenException',
      'The import token is expired. Use GetParametersForImport to get a new import token and public key.',
    );
  });

  test('material wrapped under another public key or algorithm is InvalidCiphertextException', async () => {
    const key = await createExternalKey(kms);
    const params = await getParameters(kms, key.KeyId!, 'RSAES_OAEP_SHA_256');
    const stranger = await getParameters(kms, key.KeyId!, 'RSAES_OAEP_SHA_256');
    const ImportToken = params.ImportToken!;
    await expectError(
      kms.send(new ImportKeyMaterialCommand({ KeyId: key.KeyId!, ImportToken, EncryptedKeyMaterial: wrapMaterial('RSAES_OAEP_SHA_256', stranger.PublicKey!, randomBytes(32)) })),
      'InvalidCiphertextException',
      EMPTY,
    );
    await expectError(
      kms.send(new ImportKeyMaterialCommand({ KeyId: key.KeyId!, ImportToken, EncryptedKeyMaterial: wrapMaterial('RSAES_OAEP_SHA_1', params.PublicKey!, randomBytes(32)) })),
      'InvalidCiphertextException',
      EMPTY,
    );
    assert.equal((await describeKey(key.KeyId!)).KeyState, 'PendingImport');
  });
});

describe('keys whose origin is AWS_KMS', () => {
  test('ImportKeyMaterial and DeleteImportedKeyMaterial are UnsupportedOperationException', async () => {
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const external = await createExternalKey(kms);
    const params = await getParameters(kms, external.KeyId!);
    const msg = `${key.Arn} origin is AWS_KMS which is not valid for this operation.`;
    await expectError(
      kms.send(new ImportKeyMaterialCommand({ KeyId: key.KeyId!, ImportToken: params.ImportToken!, EncryptedKeyMaterial: randomBytes(256) })),
      'UnsupportedOperationException',
      msg,
    );
    await expectError(kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.KeyId! })), 'UnsupportedOperationException', msg);
  });

  test('DeleteImportedKeyMaterial on a key that never had material changes nothing', async () => {
    const key = await createExternalKey(kms);
    const out = await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.KeyId! }));
    assert.equal(out.KeyId, key.Arn);
    assert.equal(out.KeyMaterialId, undefined);
    assert.equal((await describeKey(key.KeyId!)).KeyState, 'PendingImport');
  });
});
