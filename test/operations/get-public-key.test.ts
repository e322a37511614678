// GetPublicKey through the real SDK: the SPKI of every asymmetric key spec parses with node:crypto (or has
// the right OID and length for ML-DSA), exactly one algorithm list per usage, and the errors around it.
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  GetPublicKeyCommand,
  ScheduleKeyDeletionCommand,
  type KeySpec,
  type KeyUsageType,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { parseEcSpki } from '../../src/crypto/ec-keys.ts';
import { expectError } from '../helpers/expect-error.ts';
import { startTestServer } from '../helpers/server.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const newKey = async (KeySpec?: KeySpec, KeyUsage?: KeyUsageType) =>
  (await kms.send(new CreateKeyCommand({ KeySpec, KeyUsage }))).KeyMetadata!;
const getPublicKey = (KeyId: string) => kms.send(new GetPublicKeyCommand({ KeyId }));

const ALGORITHM_FIELDS = ['EncryptionAlgorithms', 'SigningAlgorithms', 'KeyAgreementAlgorithms'] as const;

/** The response's fields besides $metadata, and which algorithm list it carries. */
async function checkShape(spec: KeySpec, usage: KeyUsageType, field: (typeof ALGORITHM_FIELDS)[number], algorithms: string[]) {
  const key = await newKey(spec, usage);
  const out = await getPublicKey(key.KeyId!);
  assert.equal(out.KeyId, key.Arn);
  assert.equal(out.KeySpec, spec);
  assert.equal(out.CustomerMasterKeySpec, spec);
  assert.equal(out.KeyUsage, usage);
  assert.deepEqual(out[field], algorithms);
  for (const other of ALGORITHM_FIELDS) if (other !== field) assert.equal(out[other], undefined, other);
  assert.deepEqual(
    Object.keys(out).filter((k) => k !== '$metadata').sort(),
    ['CustomerMasterKeySpec', 'KeyId', 'KeySpec', 'KeyUsage', 'PublicKey', field].sort(),
  );
  return Buffer.from(out.PublicKey!);
}

describe('GetPublicKey', () => {
  test('RSA: an SPKI of the spec’s modulus size, with the usage’s algorithms', async () => {
    const cases: [KeySpec, number][] = [['RSA_2048', 2048], ['RSA_3072', 3072], ['RSA_4096', 4096]];
    await Promise.all(
      cases.map(async ([spec, bits]) => {
        const der = await checkShape(spec, 'ENCRYPT_DECRYPT', 'EncryptionAlgorithms', ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
        const pub = createPublicKey({ key: der, format: 'der', type: 'spki' });
        assert.equal(pub.asymmetricKeyType, 'rsa');
        assert.equal(pub.asymmetricKeyDetails?.modulusLength, bits);
      }),
    );
    const der = await checkShape('RSA_2048', 'SIGN_VERIFY', 'SigningAlgorithms', [
      'RSASSA_PKCS1_V1_5_SHA_256',
      'RSASSA_PKCS1_V1_5_SHA_384',
      'RSASSA_PKCS1_V1_5_SHA_512',
      'RSASSA_PSS_SHA_256',
      'RSASSA_PSS_SHA_384',
      'RSASSA_PSS_SHA_512',
    ]);
    assert.equal(createPublicKey({ key: der, format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength, 2048);
  });

  test('ECC: an SPKI on the spec’s curve, for signing and for key agreement', async () => {
    const cases: [KeySpec, string, string][] = [
      ['ECC_NIST_P256', 'prime256v1', 'ECDSA_SHA_256'],
      ['ECC_NIST_P384', 'secp384r1', 'ECDSA_SHA_384'],
      ['ECC_NIST_P521', 'secp521r1', 'ECDSA_SHA_512'],
      ['ECC_SECG_P256K1', 'secp256k1', 'ECDSA_SHA_256'],
    ];
    for (const [spec, curve, algorithm] of cases) {
      const der = await checkShape(spec, 'SIGN_VERIFY', 'SigningAlgorithms', [algorithm]);
      assert.equal(createPublicKey({ key: der, format: 'der', type: 'spki' }).asymmetricKeyDetails?.namedCurve, curve, spec);
      if (spec !== 'ECC_SECG_P256K1') {
        const agreement = await checkShape(spec, 'KEY_AGREEMENT', 'KeyAgreementAlgorithms', ['ECDH']);
        assert.equal(createPublicKey({ key: agreement, format: 'der', type: 'spki' }).asymmetricKeyDetails?.namedCurve, curve);
      }
    }
  });

  test('SM2: an SPKI on the SM2 curve for each of its three usages', async () => {
    const usages: [KeyUsageType, (typeof ALGORITHM_FIELDS)[number], string][] = [
      ['ENCRYPT_DECRYPT', 'EncryptionAlgorithms', 'SM2PKE'],
      ['SIGN_VERIFY', 'SigningAlgorithms', 'SM2DSA'],
      ['KEY_AGREEMENT', 'KeyAgreementAlgorithms', 'ECDH'],
    ];
    for (const [usage, field, algorithm] of usages) {
      const der = await checkShape('SM2', usage, field, [algorithm]);
      createPublicKey({ key: der, format: 'der', type: 'spki' }); // parses (Node 20 reports no key type for SM2)
      assert.equal(parseEcSpki(der)?.curve, 'SM2');
      assert.equal(parseEcSpki(der)?.point.length, 65); // uncompressed point
    }
  });

  test('Ed25519: an Ed25519 SPKI with both Ed25519 signing algorithms', async () => {
    const der = await checkShape('ECC_NIST_EDWARDS25519', 'SIGN_VERIFY', 'SigningAlgorithms', ['ED25519_SHA_512', 'ED25519_PH_SHA_512']);
    assert.equal(createPublicKey({ key: der, format: 'der', type: 'spki' }).asymmetricKeyType, 'ed25519');
  });

  test('ML-DSA: an SPKI with the FIPS 204 OID and public key length (RFC 9881)', async () => {
    const cases: [KeySpec, number, number][] = [['ML_DSA_44', 0x11, 1312], ['ML_DSA_65', 0x12, 1952], ['ML_DSA_87', 0x13, 2592]];
    for (const [spec, oidLast, length] of cases) {
      const der = await checkShape(spec, 'SIGN_VERIFY', 'SigningAlgorithms', ['ML_DSA_SHAKE_256']);
      const algorithmId = Buffer.from([0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, oidLast]);
      assert.ok(der.subarray(4, 4 + algorithmId.length).equals(algorithmId), spec);
      // SEQUENCE(4) AlgorithmIdentifier(13) BIT STRING header(4) unused-bits(1) key
      assert.equal(der.length, 4 + 13 + 4 + 1 + length, spec);
    }
  });

  test('an alias names the key too', async () => {
    const key = await newKey('ECC_NIST_P256', 'SIGN_VERIFY');
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/public-key', TargetKeyId: key.KeyId }));
    assert.equal((await getPublicKey('alias/public-key')).KeyId, key.Arn);
  });

  test('symmetric and HMAC keys have no public key: UnsupportedOperationException', async () => {
    const symmetric = await newKey();
    await expectError(
      getPublicKey(symmetric.KeyId!),
      'UnsupportedOperationException',
      `${symmetric.Arn} key spec SYMMETRIC_DEFAULT is not supported for this operation.`,
    );
    const hmac = await newKey('HMAC_256', 'GENERATE_VERIFY_MAC');
    await expectError(getPublicKey(hmac.Arn!), 'UnsupportedOperationException', `${hmac.Arn} key spec HMAC_256 is not supported for this operation.`);
  });

  test('key states: disabled and pending deletion are refused (key-state table)', async () => {
    const disabled = await newKey('ECC_NIST_P256', 'SIGN_VERIFY');
    await kms.send(new DisableKeyCommand({ KeyId: disabled.KeyId }));
    await expectError(getPublicKey(disabled.KeyId!), 'DisabledException', `${disabled.Arn} is disabled.`);
    const deleting = await newKey('ECC_NIST_P256', 'SIGN_VERIFY');
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: deleting.KeyId, PendingWindowInDays: 7 }));
    await expectError(getPublicKey(deleting.KeyId!), 'KMSInvalidStateException', `${deleting.Arn} is pending deletion.`);
  });
});
