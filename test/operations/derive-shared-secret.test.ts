// DeriveSharedSecret through the real SDK: the raw ECDH secret matches what the peer computes offline with
// node:crypto on every KEY_AGREEMENT curve, two KMS keys agree, and AWS's errors for bad keys and peers.
import {
  CreateKeyCommand,
  DeriveSharedSecretCommand,
  DisableKeyCommand,
  GetPublicKeyCommand,
  type KeySpec,
  type KeyUsageType,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { createECDH, createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { parseEcSpki } from '../../src/crypto/ec-keys.ts';
import { expectError } from '../helpers/expect-error.ts';
import { sm2Peer } from '../helpers/sm2-peer.ts';
import { ACCOUNT, startTestServer } from '../helpers/server.ts';
import { rawRequest } from '../helpers/signed-fetch.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const newKey = async (KeySpec?: KeySpec, KeyUsage?: KeyUsageType) =>
  (await kms.send(new CreateKeyCommand({ KeySpec, KeyUsage }))).KeyMetadata!;
const publicKeyOf = async (KeyId: string) => Buffer.from((await kms.send(new GetPublicKeyCommand({ KeyId }))).PublicKey!);
const derive = (KeyId: string, PublicKey: Uint8Array, extra: { DryRun?: boolean } = {}) =>
  kms.send(new DeriveSharedSecretCommand({ KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey, ...extra }));
// The SDK reports an error with an empty message as message 'UnknownError'; the wire carries "".
const EMPTY = 'UnknownError';
const peerPair = (curve: string) => {
  const pair = generateKeyPairSync('ec', { namedCurve: curve });
  return { privateKey: pair.privateKey, spki: pair.publicKey.export({ format: 'der', type: 'spki' }) };
};

describe('DeriveSharedSecret', () => {
  test('NIST curves: the secret is the raw ECDH x-coordinate the peer computes with the KMS public key', async () => {
    const cases: [KeySpec, string, number][] = [['ECC_NIST_P256', 'prime256v1', 32], ['ECC_NIST_P384', 'secp384r1', 48], ['ECC_NIST_P521', 'secp521r1', 66]];
    for (const [spec, curve, length] of cases) {
      const key = await newKey(spec, 'KEY_AGREEMENT');
      const peer = peerPair(curve);
      const out = await derive(key.KeyId!, peer.spki);
      const offline = diffieHellman({ privateKey: peer.privateKey, publicKey: createPublicKey({ key: await publicKeyOf(key.KeyId!), format: 'der', type: 'spki' }) });
      assert.equal(out.SharedSecret!.length, length, spec);
      assert.ok(Buffer.from(out.SharedSecret!).equals(offline), spec);
      assert.deepEqual(
        { KeyId: out.KeyId, KeyAgreementAlgorithm: out.KeyAgreementAlgorithm, KeyOrigin: out.KeyOrigin },
        { KeyId: key.Arn, KeyAgreementAlgorithm: 'ECDH', KeyOrigin: 'AWS_KMS' },
      );
      assert.equal(out.CiphertextForRecipient, undefined);
    }
  });

  test('SM2: the peer’s ECDH on the SM2 curve gives the same secret', async () => {
    const key = await newKey('SM2', 'KEY_AGREEMENT');
    const peer = sm2Peer();
    const out = await derive(key.KeyId!, peer.spki);
    const offline = peer.secretWith(parseEcSpki(await publicKeyOf(key.KeyId!))!.point);
    assert.ok(Buffer.from(out.SharedSecret!).equals(offline));
    // A point that is not on the SM2 curve is refused like any other bad peer key.
    const offCurve = Buffer.concat([peer.spki.subarray(0, peer.spki.length - 64), Buffer.alloc(64, 1)]);
    await expectError(derive(key.KeyId!, offCurve), 'ValidationException', EMPTY);
  });

  test('two KMS keys derive the same secret from each other’s public keys (LS-snap test_derive_shared_secret)', async () => {
    const a = await newKey('ECC_NIST_P256', 'KEY_AGREEMENT');
    const b = await newKey('ECC_NIST_P256', 'KEY_AGREEMENT');
    const ab = await derive(a.KeyId!, await publicKeyOf(b.KeyId!));
    const ba = await derive(b.Arn!, await publicKeyOf(a.KeyId!));
    assert.ok(Buffer.from(ab.SharedSecret!).equals(Buffer.from(ba.SharedSecret!)));
  });

  test('a key without KEY_AGREEMENT usage: InvalidKeyUsageException (LS-snap response-invalid-key-usage)', async () => {
    const peer = peerPair('prime256v1').spki;
    const signing = await newKey('ECC_NIST_P256', 'SIGN_VERIFY');
    await expectError(derive(signing.KeyId!, peer), 'InvalidKeyUsageException', `${signing.Arn} key usage is SIGN_VERIFY which is not valid for DeriveSharedSecret.`);
    const symmetric = await newKey();
    await expectError(derive(symmetric.KeyId!, peer), 'InvalidKeyUsageException', `${symmetric.Arn} key usage is ENCRYPT_DECRYPT which is not valid for DeriveSharedSecret.`);
  });

  test('a peer key that is not an EC SPKI on the key’s curve: ValidationException with no message', async () => {
    const key = await newKey('ECC_NIST_P256', 'KEY_AGREEMENT');
    // LS-snap response-invalid-public-key: AWS's answer to these bytes.
    await expectError(derive(key.KeyId!, Buffer.from('InvalidPublicKey')), 'ValidationException', EMPTY);
    const res = await rawRequest(t.url, {
      target: 'TrentService.DeriveSharedSecret',
      body: JSON.stringify({ KeyId: key.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: Buffer.from('InvalidPublicKey').toString('base64') }),
      creds: { accessKeyId: ACCOUNT, secretAccessKey: 'test-secret' },
    });
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.text), { __type: 'ValidationException', message: '' });
    // The same answer for a well-formed key of the wrong kind or curve (Trent's choice: the input is invalid).
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'der', type: 'spki' });
    await expectError(derive(key.KeyId!, rsa), 'ValidationException', EMPTY);
    await expectError(derive(key.KeyId!, peerPair('secp384r1').spki), 'ValidationException', EMPTY);
    // A point that is not on P-256: the last byte of a real point's y-coordinate changed.
    const offCurve = Buffer.from(peerPair('prime256v1').spki);
    offCurve[offCurve.length - 1]! ^= 1;
    await expectError(derive(key.KeyId!, offCurve), 'ValidationException', EMPTY);
  });

  test('an unknown KeyAgreementAlgorithm fails model validation (LS-snap response-invalid-key-agreement-algo)', async () => {
    const key = await newKey('ECC_NIST_P256', 'KEY_AGREEMENT');
    await expectError(
      kms.send(new DeriveSharedSecretCommand({ KeyId: key.KeyId, KeyAgreementAlgorithm: 'INVALID' as 'ECDH', PublicKey: peerPair('prime256v1').spki })),
      'ValidationException',
      /keyAgreementAlgorithm/,
    );
  });

  test('Recipient: Trent cannot verify attestation documents, so it refuses rather than answer in the clear', async () => {
    const key = await newKey('ECC_NIST_P256', 'KEY_AGREEMENT');
    await expectError(
      kms.send(
        new DeriveSharedSecretCommand({
          KeyId: key.KeyId,
          KeyAgreementAlgorithm: 'ECDH',
          PublicKey: peerPair('prime256v1').spki,
          Recipient: { KeyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', AttestationDocument: Buffer.from('doc') },
        }),
      ),
      'UnsupportedOperationException',
      'Recipient is not supported: Trent cannot verify Nitro Enclaves attestation documents.',
    );
  });

  test('DryRun after every check; a disabled key is refused first', async () => {
    const key = await newKey('ECC_NIST_P384', 'KEY_AGREEMENT');
    await expectError(derive(key.KeyId!, peerPair('secp384r1').spki, { DryRun: true }), 'DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
    await expectError(derive(key.KeyId!, Buffer.from('InvalidPublicKey'), { DryRun: true }), 'ValidationException', EMPTY);
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    await expectError(derive(key.KeyId!, peerPair('secp384r1').spki), 'DisabledException', `${key.Arn} is disabled.`);
  });
});
