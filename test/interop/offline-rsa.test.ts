// RSA encryption as a user does it outside KMS (AWS Developer Guide, "Offline operations"): OAEP with the
// key pair's public key in node:crypto, then Decrypt in Trent; and Trent's Encrypt output opened offline
// with the private key, for a key pair the user imported. Both directions need the raw OAEP block.
import { CreateKeyCommand, DecryptCommand, EncryptCommand, type EncryptionAlgorithmSpec } from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { constants, createPublicKey, generateKeyPairSync, privateDecrypt, publicEncrypt } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { sm2 } from 'sm-crypto-v2';
import { expectError } from '../helpers/expect-error.ts';
import { ACCOUNT, REGION, startTestServer } from '../helpers/server.ts';
import { createExternalKey, importMaterial } from '../operations/import-helpers.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const OAEP_HASH = { RSAES_OAEP_SHA_1: 'sha1', RSAES_OAEP_SHA_256: 'sha256' } as const;

/** The key pair's public key (SPKI DER), read from the store: what GetPublicKey returns. */
async function publicKeyOf(keyId: string): Promise<Buffer> {
  const materials = await t.store.transaction((tx) => tx.listMaterials({ account: ACCOUNT, region: REGION, keyId }));
  return Buffer.from(materials[0]!.publicKey!);
}

describe('offline RSA and SM2 encryption', () => {
  for (const algorithm of ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const) {
    test(`node:crypto publicEncrypt (${algorithm}) → Trent Decrypt`, async () => {
      const key = (await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }))).KeyMetadata!;
      const spki = await publicKeyOf(key.KeyId!);
      const message = Buffer.from(`offline ${algorithm}`);
      const ciphertext = publicEncrypt(
        { key: createPublicKey({ key: spki, format: 'der', type: 'spki' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[algorithm] },
        message,
      );
      const out = await kms.send(new DecryptCommand({ KeyId: key.KeyId, CiphertextBlob: ciphertext, EncryptionAlgorithm: algorithm }));
      assert.deepEqual(Buffer.from(out.Plaintext!), message);
      assert.equal(out.KeyId, key.Arn);
      assert.equal(out.EncryptionAlgorithm, algorithm);
    });
  }

  test('Trent Encrypt → node:crypto privateDecrypt, for an imported RSA key pair', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key = await createExternalKey(kms, 'RSA_2048', 'ENCRYPT_DECRYPT');
    await importMaterial(kms, key.KeyId!, pair.privateKey.export({ format: 'der', type: 'pkcs8' }), {
      algorithm: 'RSA_AES_KEY_WRAP_SHA_256',
      extra: { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' },
    });
    for (const algorithm of Object.keys(OAEP_HASH) as (keyof typeof OAEP_HASH)[]) {
      const message = Buffer.from(`from Trent, ${algorithm}`);
      const out = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: message, EncryptionAlgorithm: algorithm as EncryptionAlgorithmSpec }));
      const opened = privateDecrypt(
        { key: pair.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[algorithm] },
        out.CiphertextBlob!,
      );
      assert.deepEqual(opened, message);
    }
  });

  test('a ciphertext made offline with the wrong OAEP hash does not decrypt', async () => {
    const key = (await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }))).KeyMetadata!;
    const spki = await publicKeyOf(key.KeyId!);
    const ciphertext = publicEncrypt({ key: createPublicKey({ key: spki, format: 'der', type: 'spki' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from('x'));
    // The SDK renders AWS's empty InvalidCiphertextException message as 'UnknownError'.
    await expectError(
      kms.send(new DecryptCommand({ KeyId: key.KeyId, CiphertextBlob: ciphertext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' })),
      'InvalidCiphertextException',
      'UnknownError',
    );
  });

  test('SM2PKE made offline (C1C3C2, ASN.1 DER per GM/T 0009) → Trent Decrypt', async () => {
    const key = (await kms.send(new CreateKeyCommand({ KeySpec: 'SM2', KeyUsage: 'ENCRYPT_DECRYPT' }))).KeyMetadata!;
    const spki = await publicKeyOf(key.KeyId!);
    const point = spki.subarray(spki.length - 65).toString('hex');
    const message = Buffer.from('offline SM2');
    const ciphertext = Buffer.from(sm2.doEncrypt(Uint8Array.from(message), point, 1, { asn1: true }), 'hex');
    const out = await kms.send(new DecryptCommand({ KeyId: key.KeyId, CiphertextBlob: ciphertext, EncryptionAlgorithm: 'SM2PKE' }));
    assert.deepEqual(Buffer.from(out.Plaintext!), message);
  });
});
