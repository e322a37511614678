// ReEncrypt through the real SDK: symmetric and asymmetric sources and destinations, encryption contexts,
// AWS's errors for a wrong source key and an unusable destination (LS-snap), DryRun, usage records.
import {
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  EncryptCommand,
  GetKeyLastUsageCommand,
  ReEncryptCommand,
  type KeySpec,
  type KeyUsageType,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { startTestServer } from '../helpers/server.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const EMPTY = 'UnknownError'; // the SDK's rendering of AWS's empty InvalidCiphertextException message
const INCORRECT_KEY = 'The key ID in the request does not identify a CMK that can perform this operation.';
const newKey = async (KeySpec: KeySpec = 'SYMMETRIC_DEFAULT', KeyUsage: KeyUsageType = 'ENCRYPT_DECRYPT') =>
  (await kms.send(new CreateKeyCommand({ KeySpec, KeyUsage }))).KeyMetadata!;
const reEncrypt = (input: Record<string, unknown>) => kms.send(new ReEncryptCommand(input as never));
const plaintextOf = async (CiphertextBlob: Uint8Array, extra: Record<string, unknown> = {}) =>
  Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob, ...extra }))).Plaintext!).toString();

const source = await newKey();
const dest = await newKey();
const rsa = await newKey('RSA_2048');
const message = Buffer.from('re-encrypt me');
const { CiphertextBlob: blob } = await kms.send(new EncryptCommand({ KeyId: source.KeyId, Plaintext: message, EncryptionContext: { a: '1' } }));

describe('ReEncrypt', () => {
  test('symmetric to symmetric: new context, both keys and materials reported', async () => {
    const out = await reEncrypt({
      CiphertextBlob: blob,
      SourceEncryptionContext: { a: '1' },
      DestinationKeyId: dest.KeyId,
      DestinationEncryptionContext: { b: '2' },
    });
    assert.equal(out.SourceKeyId, source.Arn);
    assert.equal(out.KeyId, dest.Arn);
    assert.equal(out.SourceEncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    assert.equal(out.DestinationEncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    assert.match(out.SourceKeyMaterialId!, /^[0-9a-f]{64}$/);
    assert.match(out.DestinationKeyMaterialId!, /^[0-9a-f]{64}$/);
    assert.notEqual(out.SourceKeyMaterialId, out.DestinationKeyMaterialId);
    assert.equal(await plaintextOf(out.CiphertextBlob!, { EncryptionContext: { b: '2' } }), 're-encrypt me');
    await expectError(kms.send(new DecryptCommand({ CiphertextBlob: out.CiphertextBlob })), 'InvalidCiphertextException', EMPTY);
    // With SourceKeyId given explicitly, by ARN.
    const again = await reEncrypt({ CiphertextBlob: blob, SourceKeyId: source.Arn, SourceEncryptionContext: { a: '1' }, DestinationKeyId: source.KeyId });
    assert.equal(again.KeyId, source.Arn);
  });

  test('the source context must match', async () => {
    await expectError(reEncrypt({ CiphertextBlob: blob, DestinationKeyId: dest.KeyId }), 'InvalidCiphertextException', EMPTY);
  });

  test('a source key that is not the blob\'s key: IncorrectKeyException (LS-snap test_re_encrypt_incorrect_source_key)', async () => {
    const hmac = await newKey('HMAC_224', 'GENERATE_VERIFY_MAC');
    await expectError(
      reEncrypt({
        CiphertextBlob: blob,
        SourceKeyId: hmac.KeyId,
        DestinationKeyId: hmac.KeyId,
        SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      }),
      'IncorrectKeyException',
      INCORRECT_KEY,
    );
    await expectError(
      reEncrypt({ CiphertextBlob: blob, SourceKeyId: dest.KeyId, SourceEncryptionContext: { a: '1' }, DestinationKeyId: dest.KeyId }),
      'IncorrectKeyException',
      INCORRECT_KEY,
    );
  });

  test('a destination that cannot encrypt: InvalidKeyUsageException (LS test_re_encrypt_invalid_destination_key)', async () => {
    const signing = await newKey('ECC_NIST_P256', 'SIGN_VERIFY');
    // The LS test records the type and notes AWS names the operation ReEncrypt in the text.
    await expectError(
      reEncrypt({ CiphertextBlob: blob, SourceKeyId: source.KeyId, SourceEncryptionContext: { a: '1' }, DestinationKeyId: signing.KeyId }),
      'InvalidKeyUsageException',
      `${signing.Arn} key usage is SIGN_VERIFY which is not valid for ReEncrypt.`,
    );
    await expectError(
      reEncrypt({ CiphertextBlob: blob, SourceEncryptionContext: { a: '1' }, DestinationKeyId: rsa.KeyId }),
      'InvalidKeyUsageException',
      'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.',
    );
    await kms.send(new DisableKeyCommand({ KeyId: signing.KeyId }));
    await expectError(
      reEncrypt({ CiphertextBlob: blob, SourceEncryptionContext: { a: '1' }, DestinationKeyId: signing.KeyId }),
      'DisabledException',
      `${signing.Arn} is disabled.`,
    );
  });

  test('symmetric to RSA and back, with algorithms', async () => {
    const toRsa = await reEncrypt({
      CiphertextBlob: blob,
      SourceEncryptionContext: { a: '1' },
      DestinationKeyId: rsa.KeyId,
      DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
    });
    assert.equal(toRsa.CiphertextBlob!.length, 256);
    assert.equal(toRsa.DestinationEncryptionAlgorithm, 'RSAES_OAEP_SHA_256');
    assert.equal(toRsa.DestinationKeyMaterialId, undefined);
    assert.ok(toRsa.SourceKeyMaterialId);
    // An RSA source needs SourceKeyId and SourceEncryptionAlgorithm.
    await expectError(reEncrypt({ CiphertextBlob: toRsa.CiphertextBlob, DestinationKeyId: dest.KeyId }), 'InvalidCiphertextException', EMPTY);
    await expectError(
      reEncrypt({ CiphertextBlob: toRsa.CiphertextBlob, SourceKeyId: rsa.KeyId, DestinationKeyId: dest.KeyId }),
      'IncorrectKeyException',
      INCORRECT_KEY,
    );
    const back = await reEncrypt({
      CiphertextBlob: toRsa.CiphertextBlob,
      SourceKeyId: rsa.KeyId,
      SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      DestinationKeyId: dest.KeyId,
    });
    assert.equal(back.SourceEncryptionAlgorithm, 'RSAES_OAEP_SHA_256');
    assert.equal(back.SourceKeyMaterialId, undefined);
    assert.equal(await plaintextOf(back.CiphertextBlob!), 're-encrypt me');
  });

  test('the destination plaintext limit applies to the decrypted data', async () => {
    const big = await kms.send(new EncryptCommand({ KeyId: source.KeyId, Plaintext: Buffer.alloc(191, 1) }));
    await expectError(
      reEncrypt({ CiphertextBlob: big.CiphertextBlob, DestinationKeyId: rsa.KeyId, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
      'ValidationException',
      'Algorithm RSAES_OAEP_SHA_256 and key spec RSA_2048 cannot encrypt data larger than 190 bytes.',
    );
  });

  test('DryRun checks both keys, then stops', async () => {
    await expectError(
      reEncrypt({ CiphertextBlob: blob, SourceEncryptionContext: { a: '1' }, DestinationKeyId: dest.KeyId, DryRun: true }),
      'DryRunOperationException',
      'The request would have succeeded, but the DryRun option is set.',
    );
    await expectError(
      reEncrypt({ CiphertextBlob: blob, SourceEncryptionContext: { a: '1' }, DestinationKeyId: rsa.KeyId, DryRun: true }),
      'InvalidKeyUsageException',
      'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.',
    );
  });

  test('both keys record the use', async () => {
    const a = await newKey();
    const b = await newKey();
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: a.KeyId, Plaintext: message }));
    await reEncrypt({ CiphertextBlob, DestinationKeyId: b.KeyId });
    for (const key of [a, b]) {
      assert.equal((await kms.send(new GetKeyLastUsageCommand({ KeyId: key.KeyId }))).KeyLastUsage?.Operation, 'ReEncrypt');
    }
  });
});
