// Every wrapping algorithm and wrapping key spec, and interop for imported HMAC, RSA, ECC and ML-DSA keys:
// material the user knows gives the outputs node:crypto computes offline from the same material.
import {
  DecryptCommand,
  EncryptCommand,
  GenerateMacCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  SignCommand,
  type AlgorithmSpec,
  type WrappingKeySpec,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { constants, createHmac, createPublicKey, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes, verify } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { mlDsaPkcs8 } from '../../src/crypto/ml-dsa-keys.ts';
import { expectError } from '../helpers/expect-error.ts';
import { startTestServer } from '../helpers/server.ts';
import { createExternalKey, getParameters, importMaterial } from './import-helpers.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const ALGORITHMS: AlgorithmSpec[] = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256'];

describe('wrapping algorithms × wrapping key specs', () => {
  const cases: [AlgorithmSpec, WrappingKeySpec][] = [
    ...ALGORITHMS.flatMap((a) => (['RSA_2048', 'RSA_3072'] as WrappingKeySpec[]).map((s): [AlgorithmSpec, WrappingKeySpec] => [a, s])),
    // RSA_4096 key generation takes seconds: once.
    ['RSA_AES_KEY_WRAP_SHA_256', 'RSA_4096'],
    // SM2 wrapping (China Regions in AWS): Trent accepts it in every Region, as it accepts SM2 keys.
    ['SM2PKE', 'SM2'],
  ];
  for (const [algorithm, spec] of cases) {
    test(`${algorithm} with ${spec}`, async () => {
      const key = await createExternalKey(kms);
      const material = randomBytes(32);
      await importMaterial(kms, key.KeyId!, material, { algorithm, spec });
      const enc = await kms.send(new EncryptCommand({ KeyId: key.KeyId!, Plaintext: Buffer.from(spec) }));
      const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob! }));
      assert.equal(Buffer.from(dec.Plaintext!).toString(), spec);
    });
  }
});

describe('imported HMAC keys', () => {
  test('GenerateMac equals createHmac over the same material, and material longer than the digest is allowed', async () => {
    const key = await createExternalKey(kms, 'HMAC_256', 'GENERATE_VERIFY_MAC');
    // DG: HMAC_256 key material may be 32 to 64 bytes.
    const material = randomBytes(48);
    const out = await importMaterial(kms, key.KeyId!, material);
    assert.match(out.KeyMaterialId!, /^[0-9a-f]{64}$/);
    const message = Buffer.from('message to authenticate');
    const mac = await kms.send(new GenerateMacCommand({ KeyId: key.KeyId!, MacAlgorithm: 'HMAC_SHA_256', Message: message }));
    assert.deepEqual(Buffer.from(mac.Mac!), createHmac('sha256', material).update(message).digest());
  });

  test('material outside the spec’s length range is refused; ImportType is for symmetric keys only', async () => {
    const key = await createExternalKey(kms, 'HMAC_384', 'GENERATE_VERIFY_MAC');
    await expectError(
      importMaterial(kms, key.KeyId!, randomBytes(32)),
      'IncorrectKeyMaterialException',
      'The key material is not valid for a KMS key with key spec HMAC_384.',
    );
    await expectError(
      importMaterial(kms, key.KeyId!, randomBytes(48), { extra: { ImportType: 'NEW_KEY_MATERIAL' } }),
      'ValidationException',
      'ImportType is only supported for symmetric encryption KMS keys.',
    );
  });
});

describe('imported asymmetric keys', () => {
  test('RSA (RSA_AES_KEY_WRAP): GetPublicKey, Encrypt and Sign interoperate with the offline key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const enc = await createExternalKey(kms, 'RSA_2048', 'ENCRYPT_DECRYPT');
    await importMaterial(kms, enc.KeyId!, privateKey.export({ format: 'der', type: 'pkcs8' }), { algorithm: 'RSA_AES_KEY_WRAP_SHA_256', spec: 'RSA_3072' });
    const pub = await kms.send(new GetPublicKeyCommand({ KeyId: enc.KeyId! }));
    assert.deepEqual(Buffer.from(pub.PublicKey!), publicKey.export({ format: 'der', type: 'spki' }));
    const ct = await kms.send(new EncryptCommand({ KeyId: enc.KeyId!, Plaintext: Buffer.from('secret'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
    const opened = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, ct.CiphertextBlob!);
    assert.equal(opened.toString(), 'secret');
    const offline = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from('back'));
    const dec = await kms.send(new DecryptCommand({ KeyId: enc.KeyId!, CiphertextBlob: offline, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }));
    assert.equal(Buffer.from(dec.Plaintext!).toString(), 'back');

    const signing = await createExternalKey(kms, 'RSA_2048', 'SIGN_VERIFY');
    await importMaterial(kms, signing.KeyId!, privateKey.export({ format: 'der', type: 'pkcs8' }), { algorithm: 'RSA_AES_KEY_WRAP_SHA_1' });
    const message = Buffer.from('signed');
    const sig = await kms.send(new SignCommand({ KeyId: signing.KeyId!, Message: message, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }));
    assert.ok(verify('sha256', message, publicKey, Buffer.from(sig.Signature!)));
  });

  test('ECC P-256 (RSAES_OAEP): signatures verify offline; a key of another curve or type is refused', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const key = await createExternalKey(kms, 'ECC_NIST_P256', 'SIGN_VERIFY');
    const other = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ format: 'der', type: 'pkcs8' });
    await expectError(
      importMaterial(kms, key.KeyId!, other, { algorithm: 'RSA_AES_KEY_WRAP_SHA_256' }),
      'IncorrectKeyMaterialException',
      'The key material is not valid for a KMS key with key spec ECC_NIST_P256.',
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'der', type: 'pkcs8' });
    await expectError(
      importMaterial(kms, key.KeyId!, rsa, { algorithm: 'RSA_AES_KEY_WRAP_SHA_256' }),
      'IncorrectKeyMaterialException',
      'The key material is not valid for a KMS key with key spec ECC_NIST_P256.',
    );
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
    await importMaterial(kms, key.KeyId!, pkcs8, { algorithm: 'RSAES_OAEP_SHA_256', spec: 'RSA_2048' });
    const message = Buffer.from('ecdsa');
    const sig = await kms.send(new SignCommand({ KeyId: key.KeyId!, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }));
    assert.ok(verify('sha256', message, publicKey, Buffer.from(sig.Signature!)));
    const pub = await kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId! }));
    assert.deepEqual(Buffer.from(pub.PublicKey!), publicKey.export({ format: 'der', type: 'spki' }));
  });

  test('asymmetric material cannot be replaced: another key pair is IncorrectKeyMaterialException', async () => {
    const key = await createExternalKey(kms, 'ECC_NIST_P256', 'SIGN_VERIFY');
    const der = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'der', type: 'pkcs8' });
    await importMaterial(kms, key.KeyId!, der());
    await expectError(
      importMaterial(kms, key.KeyId!, der()),
      'IncorrectKeyMaterialException',
      'The key material in the request is not the same key material that was previously imported into this KMS key.',
    );
  });

  test('ML-DSA: a seed-only PKCS #8 imports and GetPublicKey gives its public key', async () => {
    const key = await createExternalKey(kms, 'ML_DSA_44', 'SIGN_VERIFY');
    const seed = randomBytes(32);
    await importMaterial(kms, key.KeyId!, mlDsaPkcs8('ML_DSA_44', seed), { algorithm: 'RSA_AES_KEY_WRAP_SHA_256' });
    const pub = await kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId! }));
    const { ml_dsa44 } = await import('@noble/post-quantum/ml-dsa.js');
    const expected = ml_dsa44.keygen(seed).publicKey;
    assert.deepEqual(Buffer.from(pub.PublicKey!).subarray(-expected.length), Buffer.from(expected));
  });

  test('the RSAES_OAEP wrapping limit is the client’s: a P-521 key does not fit RSA_2048 OAEP', async () => {
    const p521 = generateKeyPairSync('ec', { namedCurve: 'secp521r1' }).privateKey.export({ format: 'der', type: 'pkcs8' });
    const key = await createExternalKey(kms, 'ECC_NIST_P521', 'SIGN_VERIFY');
    const params = await getParameters(kms, key.KeyId!, 'RSAES_OAEP_SHA_1', 'RSA_2048');
    // "You cannot use the RSAES_OAEP_SHA_1 wrapping algorithm with the RSA_2048 wrapping key spec to wrap ECC_NIST_P521".
    const pub = createPublicKey({ key: Buffer.from(params.PublicKey!), format: 'der', type: 'spki' });
    assert.throws(() => publicEncrypt({ key: pub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, p521));
    // Anything sent instead does not unwrap.
    await expectError(
      kms.send(new ImportKeyMaterialCommand({ KeyId: key.KeyId!, ImportToken: params.ImportToken!, EncryptedKeyMaterial: p521 })),
      'InvalidCiphertextException',
      'UnknownError',
    );
  });
});
