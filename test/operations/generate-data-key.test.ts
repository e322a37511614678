// GenerateDataKey and GenerateDataKeyWithoutPlaintext through the real SDK: key lengths, the KeySpec /
// NumberOfBytes rule, encryption context, symmetric keys only, DryRun, Recipient, material ID, usage.
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GetKeyLastUsageCommand,
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
const EITHER = 'Please specify either number of bytes or key spec.';
const newKey = async (KeySpec: KeySpec = 'SYMMETRIC_DEFAULT', KeyUsage: KeyUsageType = 'ENCRYPT_DECRYPT') =>
  (await kms.send(new CreateKeyCommand({ KeySpec, KeyUsage }))).KeyMetadata!;
const gdk = (input: Record<string, unknown>) => kms.send(new GenerateDataKeyCommand(input as never));
const gdkNp = (input: Record<string, unknown>) => kms.send(new GenerateDataKeyWithoutPlaintextCommand(input as never));

const key = await newKey();
const current = (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!.CurrentKeyMaterialId;

describe('GenerateDataKey', () => {
  test('AES_128, AES_256 and NumberOfBytes give keys of that length whose blob decrypts to them', async () => {
    for (const [input, length] of [[{ KeySpec: 'AES_128' }, 16], [{ KeySpec: 'AES_256' }, 32], [{ NumberOfBytes: 1 }, 1], [{ NumberOfBytes: 1024 }, 1024]] as const) {
      const out = await gdk({ KeyId: key.KeyId, ...input });
      assert.equal(out.Plaintext!.length, length);
      assert.equal(out.KeyId, key.Arn);
      assert.equal(out.KeyMaterialId, current);
      const dec = await kms.send(new DecryptCommand({ CiphertextBlob: out.CiphertextBlob }));
      assert.deepEqual(Buffer.from(dec.Plaintext!), Buffer.from(out.Plaintext!));
    }
  });

  test('exactly one of KeySpec and NumberOfBytes (nsmithuk/local-kms#6 records the text for neither)', async () => {
    await expectError(gdk({ KeyId: key.KeyId }), 'ValidationException', EITHER);
    await expectError(gdkNp({ KeyId: key.KeyId }), 'ValidationException', EITHER);
    // Both: AWS's text is unrecorded; the same sentence (pinned).
    await expectError(gdk({ KeyId: key.KeyId, KeySpec: 'AES_256', NumberOfBytes: 32 }), 'ValidationException', EITHER);
    await expectError(
      gdk({ KeyId: key.KeyId, NumberOfBytes: 1025 }),
      'ValidationException',
      "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
    );
  });

  test('the encryption context binds the data key (LS-snap test_encryption_context_generate_data_key)', async () => {
    const out = await gdk({ KeyId: key.KeyId, KeySpec: 'AES_256', EncryptionContext: { app: 'x' } });
    await expectError(kms.send(new DecryptCommand({ CiphertextBlob: out.CiphertextBlob })), 'InvalidCiphertextException', EMPTY);
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: out.CiphertextBlob, EncryptionContext: { app: 'x' } }));
    assert.deepEqual(Buffer.from(dec.Plaintext!), Buffer.from(out.Plaintext!));
  });

  test('asymmetric and non-encryption keys are refused', async () => {
    const rsa = await newKey('RSA_2048');
    await expectError(gdk({ KeyId: rsa.KeyId, KeySpec: 'AES_256' }), 'InvalidKeyUsageException', 'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.');
    await expectError(gdkNp({ KeyId: rsa.KeyId, KeySpec: 'AES_256' }), 'InvalidKeyUsageException', 'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.');
    const hmac = await newKey('HMAC_256', 'GENERATE_VERIFY_MAC');
    await expectError(gdk({ KeyId: hmac.KeyId, KeySpec: 'AES_256' }), 'InvalidKeyUsageException', `${hmac.Arn} key usage is GENERATE_VERIFY_MAC which is not valid for GenerateDataKey.`);
    await expectError(
      gdkNp({ KeyId: hmac.KeyId, KeySpec: 'AES_256' }),
      'InvalidKeyUsageException',
      `${hmac.Arn} key usage is GENERATE_VERIFY_MAC which is not valid for GenerateDataKeyWithoutPlaintext.`,
    );
  });

  test('DryRun and Recipient', async () => {
    const dry = 'The request would have succeeded, but the DryRun option is set.';
    await expectError(gdk({ KeyId: key.KeyId, KeySpec: 'AES_256', DryRun: true }), 'DryRunOperationException', dry);
    await expectError(gdkNp({ KeyId: key.KeyId, KeySpec: 'AES_256', DryRun: true }), 'DryRunOperationException', dry);
    // Pinned: Trent cannot verify a Nitro attestation document, so it refuses rather than answer in plaintext.
    await expectError(
      gdk({ KeyId: key.KeyId, KeySpec: 'AES_256', Recipient: { KeyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', AttestationDocument: Buffer.from('doc') } }),
      'UnsupportedOperationException',
      'Recipient is not supported: Trent cannot verify Nitro Enclaves attestation documents.',
    );
  });
});

describe('GenerateDataKeyWithoutPlaintext', () => {
  test('no plaintext in the answer; the blob decrypts to a key of the asked length', async () => {
    const out = await gdkNp({ KeyId: key.Arn, NumberOfBytes: 48, EncryptionContext: { k: 'v' } });
    assert.equal((out as { Plaintext?: unknown }).Plaintext, undefined);
    assert.equal(out.KeyId, key.Arn);
    assert.equal(out.KeyMaterialId, current);
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: out.CiphertextBlob, EncryptionContext: { k: 'v' } }));
    assert.equal(dec.Plaintext!.length, 48);
    const used = await kms.send(new GetKeyLastUsageCommand({ KeyId: key.KeyId }));
    assert.equal(used.KeyLastUsage?.Operation, 'Decrypt');
    await gdkNp({ KeyId: key.KeyId, KeySpec: 'AES_128' });
    assert.equal((await kms.send(new GetKeyLastUsageCommand({ KeyId: key.KeyId }))).KeyLastUsage?.Operation, 'GenerateDataKeyWithoutPlaintext');
  });
});
