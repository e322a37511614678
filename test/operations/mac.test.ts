// GenerateMac and VerifyMac through the real SDK for HMAC_224/256/384/512: MAC lengths, determinism,
// rejection of a changed MAC or message, and AWS's errors (LS-snap test_invalid_generate_mac/verify_mac).
// Recomputing the HMAC offline needs the raw key, which only an imported key gives (tested with import).
import { CreateKeyCommand, DisableKeyCommand, GenerateMacCommand, GetKeyLastUsageCommand, SignCommand, VerifyMacCommand, type KeySpec, type MacAlgorithmSpec } from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { startTestServer } from '../helpers/server.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const message = Buffer.from('some important message');
// AWS sends KMSInvalidMacException with an empty message (LS-snap); the SDK renders it as "UnknownError".
const EMPTY = 'UnknownError';
const newHmacKey = async (spec: string) => (await kms.send(new CreateKeyCommand({ KeySpec: spec as KeySpec, KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!;

describe('GenerateMac and VerifyMac', () => {
  for (const [spec, algorithm, length] of [
    ['HMAC_224', 'HMAC_SHA_224', 28],
    ['HMAC_256', 'HMAC_SHA_256', 32],
    ['HMAC_384', 'HMAC_SHA_384', 48],
    ['HMAC_512', 'HMAC_SHA_512', 64],
  ] as const) {
    test(`${spec} with ${algorithm}`, async () => {
      const key = await newHmacKey(spec);
      const MacAlgorithm = algorithm as MacAlgorithmSpec;
      const out = await kms.send(new GenerateMacCommand({ KeyId: key.KeyId, Message: message, MacAlgorithm }));
      assert.equal(out.KeyId, key.Arn);
      assert.equal(out.MacAlgorithm, algorithm);
      const mac = Buffer.from(out.Mac!);
      assert.equal(mac.length, length);

      const again = await kms.send(new GenerateMacCommand({ KeyId: key.Arn, Message: message, MacAlgorithm }));
      assert.deepEqual(Buffer.from(again.Mac!), mac, 'HMAC is deterministic');
      const other = await kms.send(new GenerateMacCommand({ KeyId: key.KeyId, Message: Buffer.from('another message'), MacAlgorithm }));
      assert.notDeepEqual(Buffer.from(other.Mac!), mac);

      const v = await kms.send(new VerifyMacCommand({ KeyId: key.KeyId, Message: message, MacAlgorithm, Mac: mac }));
      assert.deepEqual([v.KeyId, v.MacValid, v.MacAlgorithm], [key.Arn, true, algorithm]);

      const flipped = Buffer.from(mac);
      flipped[flipped.length - 1]! ^= 1;
      await expectError(kms.send(new VerifyMacCommand({ KeyId: key.KeyId, Message: message, MacAlgorithm, Mac: flipped })), 'KMSInvalidMacException', EMPTY);
      await expectError(kms.send(new VerifyMacCommand({ KeyId: key.KeyId, Message: Buffer.from('some important messagE'), MacAlgorithm, Mac: mac })), 'KMSInvalidMacException', EMPTY);
      await expectError(kms.send(new VerifyMacCommand({ KeyId: key.KeyId, Message: message, MacAlgorithm, Mac: mac.subarray(0, length - 1) })), 'KMSInvalidMacException', EMPTY);
    });
  }

  test('two keys of the same spec give different MACs, and one does not verify the other', async () => {
    const a = await newHmacKey('HMAC_256');
    const b = await newHmacKey('HMAC_256');
    const macA = (await kms.send(new GenerateMacCommand({ KeyId: a.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }))).Mac!;
    const macB = (await kms.send(new GenerateMacCommand({ KeyId: b.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }))).Mac!;
    assert.notDeepEqual(Buffer.from(macA), Buffer.from(macB));
    await expectError(kms.send(new VerifyMacCommand({ KeyId: b.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256', Mac: macA })), 'KMSInvalidMacException', EMPTY);
  });
});

test('GetKeyLastUsage records GenerateMac and a successful VerifyMac, never a failed one', async () => {
  const key = await newHmacKey('HMAC_256');
  const lastOperation = async () => (await kms.send(new GetKeyLastUsageCommand({ KeyId: key.KeyId }))).KeyLastUsage?.Operation;
  const mac = (await kms.send(new GenerateMacCommand({ KeyId: key.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }))).Mac!;
  assert.equal(await lastOperation(), 'GenerateMac');
  await expectError(kms.send(new VerifyMacCommand({ KeyId: key.KeyId, Message: Buffer.from('x'), MacAlgorithm: 'HMAC_SHA_256', Mac: mac })), 'KMSInvalidMacException', EMPTY);
  assert.equal(await lastOperation(), 'GenerateMac');
  await kms.send(new VerifyMacCommand({ KeyId: key.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256', Mac: mac }));
  assert.equal(await lastOperation(), 'VerifyMac');
});

describe('GenerateMac and VerifyMac: errors', () => {
  test('a MacAlgorithm of another HMAC spec is InvalidKeyUsageException (LS-snap test_invalid_generate_mac)', async () => {
    const key = await newHmacKey('HMAC_224');
    await expectError(
      kms.send(new GenerateMacCommand({ KeyId: key.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' })),
      'InvalidKeyUsageException',
      'Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224.',
    );
    await expectError(
      kms.send(new VerifyMacCommand({ KeyId: key.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_512', Mac: Buffer.alloc(64) })),
      'InvalidKeyUsageException',
      'Algorithm HMAC_SHA_512 is incompatible with key spec HMAC_224.',
    );
  });

  test('a key that is not an HMAC key is InvalidKeyUsageException naming its usage', async () => {
    const sym = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await expectError(
      kms.send(new GenerateMacCommand({ KeyId: sym.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' })),
      'InvalidKeyUsageException',
      `${sym.Arn} key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac.`,
    );
    const signing = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
    await expectError(
      kms.send(new VerifyMacCommand({ KeyId: signing.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256', Mac: Buffer.alloc(32) })),
      'InvalidKeyUsageException',
      `${signing.Arn} key usage is SIGN_VERIFY which is not valid for VerifyMac.`,
    );
  });

  test('an HMAC key cannot Sign', async () => {
    const key = await newHmacKey('HMAC_256');
    await expectError(
      kms.send(new SignCommand({ KeyId: key.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' })),
      'InvalidKeyUsageException',
      `${key.Arn} key usage is GENERATE_VERIFY_MAC which is not valid for Sign.`,
    );
  });

  test('DryRun runs every check, then answers DryRunOperationException', async () => {
    const key = await newHmacKey('HMAC_256');
    const dry = 'The request would have succeeded, but the DryRun option is set.';
    await expectError(kms.send(new GenerateMacCommand({ KeyId: key.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256', DryRun: true })), 'DryRunOperationException', dry);
    // The MAC is not checked under DryRun: the call would have failed with KMSInvalidMacException otherwise.
    await expectError(kms.send(new VerifyMacCommand({ KeyId: key.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256', Mac: Buffer.alloc(32), DryRun: true })), 'DryRunOperationException', dry);
    await expectError(
      kms.send(new GenerateMacCommand({ KeyId: key.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_384', DryRun: true })),
      'InvalidKeyUsageException',
      'Algorithm HMAC_SHA_384 is incompatible with key spec HMAC_256.',
    );
  });

  test('a disabled key is DisabledException', async () => {
    const key = await newHmacKey('HMAC_512');
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    await expectError(kms.send(new GenerateMacCommand({ KeyId: key.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_512' })), 'DisabledException', `${key.Arn} is disabled.`);
    await expectError(
      kms.send(new VerifyMacCommand({ KeyId: key.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_512', Mac: Buffer.alloc(64) })),
      'DisabledException',
      `${key.Arn} is disabled.`,
    );
  });
});
