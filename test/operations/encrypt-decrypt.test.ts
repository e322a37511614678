// Encrypt and Decrypt through the real SDK: symmetric blobs with and without KeyId, encryption context,
// tampering, wrong keys, key states, RSA OAEP and SM2PKE with AWS's size limits and errors, DryRun.
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  GetKeyLastUsageCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  type EncryptionAlgorithmSpec,
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

const text = (s: string) => Buffer.from(s, 'utf8');
const newKey = async (KeySpec: KeySpec = 'SYMMETRIC_DEFAULT', KeyUsage: KeyUsageType = 'ENCRYPT_DECRYPT') =>
  (await kms.send(new CreateKeyCommand({ KeySpec, KeyUsage }))).KeyMetadata!;
const encrypt = (KeyId: string, Plaintext: Uint8Array, extra: Record<string, unknown> = {}) =>
  kms.send(new EncryptCommand({ KeyId, Plaintext, ...extra }));
const decrypt = (CiphertextBlob: Uint8Array | undefined, extra: Record<string, unknown> = {}) =>
  kms.send(new DecryptCommand({ CiphertextBlob, ...extra }));
// AWS sends InvalidCiphertextException with an empty message (LS-snap); the SDK renders "" as 'UnknownError'
// (the wire text is checked through boto3 in test/clients).
const EMPTY = 'UnknownError';
const INCORRECT_KEY = 'The key ID in the request does not identify a CMK that can perform this operation.';

const sym = await newKey();
const rsa2048 = await newKey('RSA_2048');
const sm2 = await newKey('SM2');

describe('Encrypt and Decrypt with a symmetric key', () => {
  test('round trip with and without KeyId, by alias, with the material ID', async () => {
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/enc', TargetKeyId: sym.KeyId }));
    const enc = await encrypt('alias/enc', text('hello'));
    assert.equal(enc.KeyId, sym.Arn);
    assert.equal(enc.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    const current = (await kms.send(new DescribeKeyCommand({ KeyId: sym.KeyId }))).KeyMetadata!.CurrentKeyMaterialId;
    for (const extra of [{}, { KeyId: sym.KeyId }, { KeyId: sym.Arn }, { KeyId: 'alias/enc' }, { EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' }]) {
      const dec = await decrypt(enc.CiphertextBlob, extra);
      assert.deepEqual(Buffer.from(dec.Plaintext!), text('hello'));
      assert.equal(dec.KeyId, sym.Arn);
      assert.equal(dec.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
      assert.equal(dec.KeyMaterialId, current);
    }
  });

  test('the encryption context must match exactly; {} is the same as none', async () => {
    const ctx = { purpose: 'test', tenant: 'a' };
    const { CiphertextBlob } = await encrypt(sym.KeyId!, text('ctx'), { EncryptionContext: ctx });
    const dec = await decrypt(CiphertextBlob, { EncryptionContext: { tenant: 'a', purpose: 'test' } });
    assert.deepEqual(Buffer.from(dec.Plaintext!), text('ctx'));
    // LS-snap test_encrypt_decrypt_encryption_context: missing context → InvalidCiphertextException, empty message.
    await expectError(decrypt(CiphertextBlob), 'InvalidCiphertextException', EMPTY);
    await expectError(decrypt(CiphertextBlob, { EncryptionContext: { purpose: 'test', tenant: 'b' } }), 'InvalidCiphertextException', EMPTY);
    await expectError(decrypt(CiphertextBlob, { EncryptionContext: { ...ctx, extra: 'x' } }), 'InvalidCiphertextException', EMPTY);
    const plain = await encrypt(sym.KeyId!, text('none'));
    assert.deepEqual(Buffer.from((await decrypt(plain.CiphertextBlob, { EncryptionContext: {} })).Plaintext!), text('none'));
  });

  test('a changed byte anywhere, a truncated blob or garbage is InvalidCiphertextException and never decrypts', async () => {
    const { CiphertextBlob } = await encrypt(sym.KeyId!, text('tamper me'));
    const blob = Buffer.from(CiphertextBlob!);
    for (const at of [23, 40, 60, blob.length - 1]) {
      const bad = Buffer.from(blob);
      bad[at]! ^= 0x01;
      await expectError(decrypt(bad, { KeyId: sym.KeyId }), 'InvalidCiphertextException', EMPTY);
    }
    await expectError(decrypt(blob.subarray(0, blob.length - 1)), 'InvalidCiphertextException', EMPTY);
    // No KeyId and nothing naming a key: nothing can open it.
    await expectError(decrypt(Buffer.from('not a ciphertext at all')), 'InvalidCiphertextException', EMPTY);
    await expectError(decrypt(Buffer.from('not a ciphertext at all'), { KeyId: sym.KeyId }), 'InvalidCiphertextException', EMPTY);
  });

  test('a KeyId that is not the blob\'s key is IncorrectKeyException, whatever kind of key it names', async () => {
    const { CiphertextBlob } = await encrypt(sym.KeyId!, text('mine'));
    const other = await newKey();
    const hmac = await newKey('HMAC_256', 'GENERATE_VERIFY_MAC');
    // LS-snap test_error_messaging_for_invalid_keys (decrypt-invalid-key-id).
    for (const KeyId of [other.KeyId, hmac.KeyId, rsa2048.KeyId]) {
      await expectError(decrypt(CiphertextBlob, { KeyId }), 'IncorrectKeyException', INCORRECT_KEY);
    }
  });

  test('the key named in the blob must be usable: disabled, pending deletion, deleted', async () => {
    const key = await newKey();
    const { CiphertextBlob } = await encrypt(key.KeyId!, text('state'));
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    await expectError(decrypt(CiphertextBlob), 'DisabledException', `${key.Arn} is disabled.`);
    await expectError(encrypt(key.KeyId!, text('x')), 'DisabledException', `${key.Arn} is disabled.`);
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    await expectError(decrypt(CiphertextBlob), 'KMSInvalidStateException', `${key.Arn} is pending deletion.`);
    t.clock.advanceDays(8);
    await t.server.sweep();
    // Trent's choice (pinned): a blob naming a deleted key reports the key as absent, as every other call does.
    await expectError(decrypt(CiphertextBlob), 'NotFoundException', `Key '${key.Arn}' does not exist`);
  });

  test('blobs made under an earlier material version still decrypt after rotation', async () => {
    const key = await newKey();
    const before = await encrypt(key.KeyId!, text('old'));
    const firstMaterial = (await decrypt(before.CiphertextBlob)).KeyMaterialId;
    await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
    await t.server.sweep();
    const after = await encrypt(key.KeyId!, text('new'));
    const old = await decrypt(before.CiphertextBlob, { KeyId: key.KeyId });
    assert.deepEqual(Buffer.from(old.Plaintext!), text('old'));
    assert.equal(old.KeyMaterialId, firstMaterial);
    const fresh = await decrypt(after.CiphertextBlob);
    assert.deepEqual(Buffer.from(fresh.Plaintext!), text('new'));
    assert.notEqual(fresh.KeyMaterialId, firstMaterial);
  });
});

describe('key usage and algorithms', () => {
  test('keys of another usage cannot encrypt (LS-snap test_error_messaging_for_invalid_keys)', async () => {
    const signing = await newKey('RSA_2048', 'SIGN_VERIFY');
    await expectError(
      encrypt(signing.KeyId!, text('x'), { EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
      'InvalidKeyUsageException',
      `${signing.Arn} key usage is SIGN_VERIFY which is not valid for Encrypt.`,
    );
    const hmac = await newKey('HMAC_224', 'GENERATE_VERIFY_MAC');
    await expectError(encrypt(hmac.KeyId!, text('x')), 'InvalidKeyUsageException', `${hmac.Arn} key usage is GENERATE_VERIFY_MAC which is not valid for Encrypt.`);
  });

  test('an algorithm the key does not support: AWS\'s "incompatible with key spec" text', async () => {
    // zalando/spring-cloud-config-aws-kms#82: Encrypt with an RSA key and no algorithm.
    await expectError(encrypt(rsa2048.KeyId!, text('x')), 'InvalidKeyUsageException', 'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.');
    await expectError(
      encrypt(sym.KeyId!, text('x'), { EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
      'InvalidKeyUsageException',
      'Algorithm RSAES_OAEP_SHA_256 is incompatible with key spec SYMMETRIC_DEFAULT.',
    );
    await expectError(encrypt(rsa2048.KeyId!, text('x'), { EncryptionAlgorithm: 'SM2PKE' }), 'InvalidKeyUsageException', 'Algorithm SM2PKE is incompatible with key spec RSA_2048.');
    await expectError(encrypt(sm2.KeyId!, text('x'), { EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }), 'InvalidKeyUsageException', 'Algorithm RSAES_OAEP_SHA_1 is incompatible with key spec SM2.');
    const { CiphertextBlob } = await encrypt(sym.KeyId!, text('x'));
    await expectError(
      decrypt(CiphertextBlob, { EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }),
      'InvalidKeyUsageException',
      'Algorithm RSAES_OAEP_SHA_1 is incompatible with key spec SYMMETRIC_DEFAULT.',
    );
  });
});

describe('asymmetric encryption', () => {
  for (const algorithm of ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const) {
    test(`RSA_2048 ${algorithm}: a raw 256-byte OAEP block that Decrypt opens with KeyId and algorithm`, async () => {
      const enc = await encrypt(rsa2048.KeyId!, text('rsa secret'), { EncryptionAlgorithm: algorithm });
      assert.equal(enc.CiphertextBlob!.length, 256);
      assert.equal(enc.EncryptionAlgorithm, algorithm);
      assert.equal(enc.KeyId, rsa2048.Arn);
      const dec = await decrypt(enc.CiphertextBlob, { KeyId: rsa2048.KeyId, EncryptionAlgorithm: algorithm });
      assert.deepEqual(Buffer.from(dec.Plaintext!), text('rsa secret'));
      assert.equal(dec.EncryptionAlgorithm, algorithm);
      assert.equal(dec.KeyMaterialId, undefined);
      // Without KeyId the blob names no key (aws/aws-sdk-java#2310: InvalidCiphertextException).
      await expectError(decrypt(enc.CiphertextBlob), 'InvalidCiphertextException', EMPTY);
      // Without the algorithm the request is a symmetric decryption with a non-symmetric key (pinned:
      // IncorrectKeyException, as the Terraform aws_kms_secrets docs report).
      await expectError(decrypt(enc.CiphertextBlob, { KeyId: rsa2048.KeyId }), 'IncorrectKeyException', INCORRECT_KEY);
      // The other OAEP hash does not open it.
      const other = algorithm === 'RSAES_OAEP_SHA_1' ? 'RSAES_OAEP_SHA_256' : 'RSAES_OAEP_SHA_1';
      await expectError(decrypt(enc.CiphertextBlob, { KeyId: rsa2048.KeyId, EncryptionAlgorithm: other }), 'InvalidCiphertextException', EMPTY);
    });
  }

  test('RSA ciphertext of another key or altered does not decrypt', async () => {
    const other = await newKey('RSA_2048');
    const enc = await encrypt(other.KeyId!, text('x'), { EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    await expectError(decrypt(enc.CiphertextBlob, { KeyId: rsa2048.KeyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }), 'InvalidCiphertextException', EMPTY);
    const bad = Buffer.from(enc.CiphertextBlob!);
    bad[100]! ^= 0x80;
    await expectError(decrypt(bad, { KeyId: other.KeyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }), 'InvalidCiphertextException', EMPTY);
  });

  test('encryption context on an asymmetric key is refused (pinned: the API Reference says it is valid only for symmetric keys)', async () => {
    const message = 'EncryptionContext is not supported for asymmetric KMS keys.';
    await expectError(
      encrypt(rsa2048.KeyId!, text('x'), { EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', EncryptionContext: { a: 'b' } }),
      'ValidationException',
      message,
    );
    const enc = await encrypt(rsa2048.KeyId!, text('x'), { EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', EncryptionContext: {} });
    await expectError(
      decrypt(enc.CiphertextBlob, { KeyId: rsa2048.KeyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', EncryptionContext: { a: 'b' } }),
      'ValidationException',
      message,
    );
  });

  test('plaintext limits per key spec and algorithm (LS-snap test_encrypt_validate_plaintext_size_per_key_type)', async () => {
    const rsa3072 = await newKey('RSA_3072');
    const rsa4096 = await newKey('RSA_4096');
    const limits: [typeof rsa2048, string, EncryptionAlgorithmSpec, number][] = [
      [rsa2048, 'RSA_2048', 'RSAES_OAEP_SHA_1', 214],
      [rsa2048, 'RSA_2048', 'RSAES_OAEP_SHA_256', 190],
      [rsa3072, 'RSA_3072', 'RSAES_OAEP_SHA_1', 342],
      [rsa3072, 'RSA_3072', 'RSAES_OAEP_SHA_256', 318],
      [rsa4096, 'RSA_4096', 'RSAES_OAEP_SHA_1', 470],
      [rsa4096, 'RSA_4096', 'RSAES_OAEP_SHA_256', 446],
    ];
    for (const [key, spec, algorithm, max] of limits) {
      const fits = Buffer.alloc(max, 7);
      const enc = await encrypt(key.KeyId!, fits, { EncryptionAlgorithm: algorithm });
      const dec = await decrypt(enc.CiphertextBlob, { KeyId: key.KeyId, EncryptionAlgorithm: algorithm });
      assert.deepEqual(Buffer.from(dec.Plaintext!), fits);
      await expectError(
        encrypt(key.KeyId!, Buffer.alloc(max + 1, 7), { EncryptionAlgorithm: algorithm }),
        'ValidationException',
        `Algorithm ${algorithm} and key spec ${spec} cannot encrypt data larger than ${max} bytes.`,
      );
    }
  });

  test('SM2PKE: round trip, 1024-byte limit, altered ciphertext', async () => {
    const enc = await encrypt(sm2.KeyId!, text('sm2 secret'), { EncryptionAlgorithm: 'SM2PKE' });
    assert.equal(enc.CiphertextBlob![0], 0x30, 'GM/T 0009 ASN.1 SEQUENCE');
    const dec = await decrypt(enc.CiphertextBlob, { KeyId: sm2.KeyId, EncryptionAlgorithm: 'SM2PKE' });
    assert.deepEqual(Buffer.from(dec.Plaintext!), text('sm2 secret'));
    assert.equal(dec.EncryptionAlgorithm, 'SM2PKE');
    const big = Buffer.alloc(1024, 1);
    const bigEnc = await encrypt(sm2.KeyId!, big, { EncryptionAlgorithm: 'SM2PKE' });
    assert.deepEqual(Buffer.from((await decrypt(bigEnc.CiphertextBlob, { KeyId: sm2.KeyId, EncryptionAlgorithm: 'SM2PKE' })).Plaintext!), big);
    await expectError(
      encrypt(sm2.KeyId!, Buffer.alloc(1025, 1), { EncryptionAlgorithm: 'SM2PKE' }),
      'ValidationException',
      'Algorithm SM2PKE and key spec SM2 cannot encrypt data larger than 1024 bytes.',
    );
    const bad = Buffer.from(enc.CiphertextBlob!);
    bad[bad.length - 1]! ^= 1;
    await expectError(decrypt(bad, { KeyId: sm2.KeyId, EncryptionAlgorithm: 'SM2PKE' }), 'InvalidCiphertextException', EMPTY);
  });
});

describe('DryRun, missing members, Recipient, usage record', () => {
  test('DryRun runs every check, then answers DryRunOperationException', async () => {
    const dry = 'The request would have succeeded, but the DryRun option is set.';
    await expectError(encrypt(sym.KeyId!, text('x'), { DryRun: true }), 'DryRunOperationException', dry);
    await expectError(encrypt(rsa2048.KeyId!, text('x'), { DryRun: true }), 'InvalidKeyUsageException', 'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.');
    const { CiphertextBlob } = await encrypt(sym.KeyId!, text('x'));
    await expectError(decrypt(CiphertextBlob, { DryRun: true }), 'DryRunOperationException', dry);
    await expectError(decrypt(CiphertextBlob, { DryRun: true, KeyId: rsa2048.KeyId }), 'IncorrectKeyException', INCORRECT_KEY);
    // IGNORE_CIPHERTEXT: authorization only, no blob needed, but a KeyId is (API Reference, Decrypt KeyId).
    await expectError(decrypt(undefined, { DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'], KeyId: sym.KeyId }), 'DryRunOperationException', dry);
    await expectError(
      decrypt(undefined, { DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] }),
      'ValidationException',
      'KeyId is required when DryRunModifiers is IGNORE_CIPHERTEXT.',
    );
  });

  test('Decrypt without CiphertextBlob: the model\'s missing-member text', async () => {
    await expectError(
      decrypt(undefined, { KeyId: sym.KeyId }),
      'ValidationException',
      "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null",
    );
  });

  test('Recipient (Nitro attestation) is unsupported (pinned: Trent cannot verify attestation documents)', async () => {
    const { CiphertextBlob } = await encrypt(sym.KeyId!, text('x'));
    await expectError(
      decrypt(CiphertextBlob, { Recipient: { KeyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', AttestationDocument: Buffer.from('doc') } }),
      'UnsupportedOperationException',
      'Recipient is not supported: Trent cannot verify Nitro Enclaves attestation documents.',
    );
  });

  test('successful calls are recorded for GetKeyLastUsage', async () => {
    const key = await newKey();
    const { CiphertextBlob } = await encrypt(key.KeyId!, text('x'));
    assert.equal((await kms.send(new GetKeyLastUsageCommand({ KeyId: key.KeyId }))).KeyLastUsage?.Operation, 'Encrypt');
    await decrypt(CiphertextBlob);
    assert.equal((await kms.send(new GetKeyLastUsageCommand({ KeyId: key.KeyId }))).KeyLastUsage?.Operation, 'Decrypt');
  });
});
