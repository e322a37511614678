// GenerateRandom through the real SDK: lengths, AWS's texts for a missing or out-of-range NumberOfBytes
// (LS-snap test_generate_random_invalid_number_of_bytes), custom key stores and Recipient.
import { GenerateRandomCommand } from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { startTestServer } from '../helpers/server.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const random = (input: Record<string, unknown>) => kms.send(new GenerateRandomCommand(input as never));

describe('GenerateRandom', () => {
  test('returns exactly NumberOfBytes random bytes (LS-snap test_generate_random)', async () => {
    for (const n of [1, 12, 44, 91, 1024]) {
      const out = await random({ NumberOfBytes: n });
      assert.equal(out.Plaintext!.length, n);
    }
    const a = Buffer.from((await random({ NumberOfBytes: 32 })).Plaintext!);
    const b = Buffer.from((await random({ NumberOfBytes: 32 })).Plaintext!);
    assert.notDeepEqual(a, b);
  });

  test('NumberOfBytes missing, 0 or 1025', async () => {
    await expectError(random({}), 'ValidationException', 'NumberOfBytes is required.');
    await expectError(
      random({ NumberOfBytes: 0 }),
      'ValidationException',
      "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await expectError(
      random({ NumberOfBytes: 1025 }),
      'ValidationException',
      "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
    );
  });

  test('a custom key store ID names a store Trent does not have', async () => {
    await expectError(
      random({ NumberOfBytes: 8, CustomKeyStoreId: 'cks-1234567890abcdef0' }),
      'CustomKeyStoreNotFoundException',
      "Custom key store 'cks-1234567890abcdef0' does not exist.",
    );
  });

  test('Recipient is unsupported (pinned: Trent cannot verify attestation documents)', async () => {
    await expectError(
      random({ NumberOfBytes: 8, Recipient: { KeyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', AttestationDocument: Buffer.from('doc') } }),
      'UnsupportedOperationException',
      'Recipient is not supported: Trent cannot verify Nitro Enclaves attestation documents.',
    );
  });
});
