// GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext through the real SDK: each KeyPairSpec gives
// a working pair whose private key Decrypt recovers, under the encryption context, and AWS's refusals.
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  type DataKeyPairSpec,
  type KeySpec,
  type KeyUsageType,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { parseEcSpki } from '../../src/crypto/ec-keys.ts';
import { ecdhSharedSecret } from '../../src/crypto/key-agreement.ts';
import { expectError } from '../helpers/expect-error.ts';
import { sm2Peer } from '../helpers/sm2-peer.ts';
import { startTestServer } from '../helpers/server.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const newKey = async (KeySpec?: KeySpec, KeyUsage?: KeyUsageType) =>
  (await kms.send(new CreateKeyCommand({ KeySpec, KeyUsage }))).KeyMetadata!;
const symmetric = await newKey();
const DRY_RUN = 'The request would have succeeded, but the DryRun option is set.';

/** Signs offline with the private key and verifies with the public key: the two halves belong together. */
async function assertPairMatches(spec: DataKeyPairSpec, privateDer: Buffer, publicDer: Buffer): Promise<void> {
  if (spec === 'SM2') {
    // Node 20 cannot sign with an SM2 PKCS #8 key; ECDH with a third key shows the halves match instead.
    const peer = sm2Peer();
    const ours = (await ecdhSharedSecret(privateDer, 'SM2', peer.spki))!;
    assert.ok(ours.equals(peer.secretWith(parseEcSpki(publicDer)!.point)), spec);
    return;
  }
  const privateKey = createPrivateKey({ key: privateDer, format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey({ key: publicDer, format: 'der', type: 'spki' });
  const digest = spec === 'ECC_NIST_EDWARDS25519' ? null : 'sha256';
  const message = Buffer.from(`data key pair ${spec}`);
  assert.ok(verify(digest, message, publicKey, sign(digest, message, privateKey)), spec);
}

describe('GenerateDataKeyPair', () => {
  test('every KeyPairSpec: Decrypt of the blob returns the PKCS #8 private key, which matches the public key', async () => {
    const specs: DataKeyPairSpec[] = ['RSA_2048', 'RSA_3072', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519', 'SM2'];
    const current = (await kms.send(new DescribeKeyCommand({ KeyId: symmetric.KeyId }))).KeyMetadata!.CurrentKeyMaterialId;
    await Promise.all(
      specs.map(async (spec) => {
        const out = await kms.send(new GenerateDataKeyPairCommand({ KeyId: symmetric.KeyId, KeyPairSpec: spec }));
        assert.equal(out.KeyId, symmetric.Arn);
        assert.equal(out.KeyPairSpec, spec);
        assert.equal(out.KeyMaterialId, current);
        assert.deepEqual(
          Object.keys(out).filter((k) => k !== '$metadata').sort(),
          ['KeyId', 'KeyMaterialId', 'KeyPairSpec', 'PrivateKeyCiphertextBlob', 'PrivateKeyPlaintext', 'PublicKey'],
        );
        const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: out.PrivateKeyCiphertextBlob }));
        assert.ok(Buffer.from(decrypted.Plaintext!).equals(Buffer.from(out.PrivateKeyPlaintext!)), spec);
        assert.equal(decrypted.KeyId, symmetric.Arn);
        await assertPairMatches(spec, Buffer.from(out.PrivateKeyPlaintext!), Buffer.from(out.PublicKey!));
      }),
    );
  });

  test('the public key is an SPKI of the spec (modulus size, curve)', async () => {
    const rsa = await kms.send(new GenerateDataKeyPairCommand({ KeyId: symmetric.KeyId, KeyPairSpec: 'RSA_3072' }));
    assert.equal(createPublicKey({ key: Buffer.from(rsa.PublicKey!), format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength, 3072);
    const ec = await kms.send(new GenerateDataKeyPairCommand({ KeyId: symmetric.KeyId, KeyPairSpec: 'ECC_NIST_P384' }));
    assert.equal(createPublicKey({ key: Buffer.from(ec.PublicKey!), format: 'der', type: 'spki' }).asymmetricKeyDetails?.namedCurve, 'secp384r1');
  });

  test('each call gives a new pair', async () => {
    const a = await kms.send(new GenerateDataKeyPairCommand({ KeyId: symmetric.KeyId, KeyPairSpec: 'ECC_NIST_P256' }));
    const b = await kms.send(new GenerateDataKeyPairCommand({ KeyId: symmetric.KeyId, KeyPairSpec: 'ECC_NIST_P256' }));
    assert.ok(!Buffer.from(a.PublicKey!).equals(Buffer.from(b.PublicKey!)));
  });

  test('the encryption context binds the private key (LS-snap test_encryption_context_generate_data_key_pair)', async () => {
    const EncryptionContext = { purpose: 'test' };
    const out = await kms.send(new GenerateDataKeyPairCommand({ KeyId: symmetric.KeyId, KeyPairSpec: 'ECC_NIST_P256', EncryptionContext }));
    await expectError(kms.send(new DecryptCommand({ CiphertextBlob: out.PrivateKeyCiphertextBlob, KeyId: symmetric.KeyId })), 'InvalidCiphertextException', 'UnknownError');
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: out.PrivateKeyCiphertextBlob, EncryptionContext }));
    assert.ok(Buffer.from(decrypted.Plaintext!).equals(Buffer.from(out.PrivateKeyPlaintext!)));
  });

  test('keys that cannot protect the private key: InvalidKeyUsageException', async () => {
    const signing = await newKey('ECC_NIST_P256', 'SIGN_VERIFY');
    await expectError(
      kms.send(new GenerateDataKeyPairCommand({ KeyId: signing.KeyId, KeyPairSpec: 'RSA_2048' })),
      'InvalidKeyUsageException',
      `${signing.Arn} key usage is SIGN_VERIFY which is not valid for GenerateDataKeyPair.`,
    );
    const hmac = await newKey('HMAC_256', 'GENERATE_VERIFY_MAC');
    await expectError(
      kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: hmac.KeyId, KeyPairSpec: 'RSA_2048' })),
      'InvalidKeyUsageException',
      `${hmac.Arn} key usage is GENERATE_VERIFY_MAC which is not valid for GenerateDataKeyPairWithoutPlaintext.`,
    );
    // An asymmetric encryption key: the API Reference allows only symmetric encryption keys.
    const rsa = await newKey('RSA_2048', 'ENCRYPT_DECRYPT');
    await expectError(
      kms.send(new GenerateDataKeyPairCommand({ KeyId: rsa.KeyId, KeyPairSpec: 'ECC_NIST_P256' })),
      'InvalidKeyUsageException',
      'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.',
    );
  });

  test('DryRun on both operations (LS-snap test_generate_data_key_pair*_dry_run)', async () => {
    await expectError(kms.send(new GenerateDataKeyPairCommand({ KeyId: symmetric.KeyId, KeyPairSpec: 'RSA_2048', DryRun: true })), 'DryRunOperationException', DRY_RUN);
    await expectError(
      kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: symmetric.KeyId, KeyPairSpec: 'RSA_2048', DryRun: true })),
      'DryRunOperationException',
      DRY_RUN,
    );
  });

  test('Recipient is refused: Trent cannot verify attestation documents', async () => {
    await expectError(
      kms.send(
        new GenerateDataKeyPairCommand({
          KeyId: symmetric.KeyId,
          KeyPairSpec: 'ECC_NIST_P256',
          Recipient: { KeyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', AttestationDocument: Buffer.from('doc') },
        }),
      ),
      'UnsupportedOperationException',
      'Recipient is not supported: Trent cannot verify Nitro Enclaves attestation documents.',
    );
  });
});

describe('GenerateDataKeyPairWithoutPlaintext', () => {
  test('no plaintext private key; Decrypt recovers one that matches the public key', async () => {
    const out = await kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: symmetric.Arn, KeyPairSpec: 'ECC_NIST_P256' }));
    assert.deepEqual(Object.keys(out).filter((k) => k !== '$metadata').sort(), ['KeyId', 'KeyMaterialId', 'KeyPairSpec', 'PrivateKeyCiphertextBlob', 'PublicKey']);
    assert.equal(out.KeyId, symmetric.Arn);
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: out.PrivateKeyCiphertextBlob }));
    await assertPairMatches('ECC_NIST_P256', Buffer.from(decrypted.Plaintext!), Buffer.from(out.PublicKey!));
  });
});
