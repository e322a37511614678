// A ciphertext, signature or MAC made with any key of a multi-Region set is accepted by every other key of
// the set in its own Region (DG multi-region-keys-overview), through the real SDK in two Regions; a different
// multi-Region key, even one with replicas in the same Regions, accepts none of them.
import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateMacCommand,
  GetPublicKeyCommand,
  ReEncryptCommand,
  ReplicateKeyCommand,
  RotateKeyOnDemandCommand,
  SignCommand,
  VerifyCommand,
  VerifyMacCommand,
  type KeyMetadata,
  type KeySpec,
  type KeyUsageType,
  type KMSClient,
  type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { constants, createPublicKey, publicEncrypt, verify as nodeVerify } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { DEFAULTS } from '../../src/config.ts';
import { expectError } from '../helpers/expect-error.ts';
import { ACCOUNT, startTestServer } from '../helpers/server.ts';

const EAST = 'us-east-1';
const WEST = 'us-west-2';

const t = await startTestServer();
after(() => t.close());
const east = t.client();
const west = t.client({ region: WEST });
const eu = t.client({ region: 'eu-west-1' });

// AWS sends InvalidCiphertextException, KMSInvalidSignatureException and KMSInvalidMacException with an empty
// message (LS-snap); the SDK renders "" as 'UnknownError'.
const EMPTY = 'UnknownError';
const INCORRECT_KEY = 'The key ID in the request does not identify a CMK that can perform this operation.';
const arnIn = (region: string, keyId: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`;
const text = (s: string) => Buffer.from(s, 'utf8');

/** A multi-Region primary in EAST with an Enabled replica in WEST. */
async function newSet(KeySpec: KeySpec = 'SYMMETRIC_DEFAULT', KeyUsage: KeyUsageType = 'ENCRYPT_DECRYPT'): Promise<KeyMetadata> {
  const primary = (await east.send(new CreateKeyCommand({ MultiRegion: true, KeySpec, KeyUsage }))).KeyMetadata!;
  await east.send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: WEST }));
  t.clock.advance(DEFAULTS.multiRegionDelayMs + 1);
  return primary;
}

const both: readonly (readonly [string, KMSClient, string, KMSClient])[] = [
  [EAST, east, WEST, west],
  [WEST, west, EAST, east],
];

const sym = await newSet();
const otherSym = await newSet();

describe('symmetric encryption across Regions', () => {
  for (const [from, fromClient, to, toClient] of both) {
    test(`Encrypt in ${from}, Decrypt in ${to} with and without KeyId`, async () => {
      const context = { purpose: 'multi-region', from };
      const enc = await fromClient.send(new EncryptCommand({ KeyId: sym.KeyId, Plaintext: text(`made in ${from}`), EncryptionContext: context }));
      assert.equal(enc.KeyId, arnIn(from, sym.KeyId!));
      for (const KeyId of [undefined, sym.KeyId, arnIn(to, sym.KeyId!)]) {
        const dec = await toClient.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: context, ...(KeyId ? { KeyId } : {}) }));
        assert.equal(Buffer.from(dec.Plaintext!).toString(), `made in ${from}`);
        // Decrypt names the key of its own Region, and the material the set shares.
        assert.equal(dec.KeyId, arnIn(to, sym.KeyId!));
        assert.equal(dec.KeyMaterialId, sym.CurrentKeyMaterialId);
      }
      // The encryption context still binds the ciphertext in the other Region.
      await expectError(toClient.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })), 'InvalidCiphertextException', EMPTY);
    });
  }

  test('ReEncrypt in the replica Region opens a ciphertext of the primary', async () => {
    const enc = await east.send(new EncryptCommand({ KeyId: sym.KeyId, Plaintext: text('re-encrypt me') }));
    const re = await west.send(new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: otherSym.KeyId }));
    assert.equal(re.SourceKeyId, arnIn(WEST, sym.KeyId!));
    assert.equal(re.KeyId, arnIn(WEST, otherSym.KeyId!));
    // The new ciphertext belongs to the other set, and opens in either of its Regions.
    const dec = await east.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob }));
    assert.equal(Buffer.from(dec.Plaintext!).toString(), 're-encrypt me');
    assert.equal(dec.KeyId, otherSym.Arn);
    // And ReEncrypt to the same set's replica, naming the source key.
    const again = await west.send(new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, SourceKeyId: sym.KeyId, DestinationKeyId: sym.KeyId }));
    assert.equal(Buffer.from((await east.send(new DecryptCommand({ CiphertextBlob: again.CiphertextBlob }))).Plaintext!).toString(), 're-encrypt me');
  });

  test('a data key generated in one Region is decrypted in the other', async () => {
    const dk = await east.send(new GenerateDataKeyCommand({ KeyId: sym.KeyId, KeySpec: 'AES_256' }));
    const dec = await west.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob }));
    assert.deepEqual(Buffer.from(dec.Plaintext!), Buffer.from(dk.Plaintext!));
    const without = await west.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: sym.KeyId, NumberOfBytes: 48 }));
    assert.equal(Buffer.from((await east.send(new DecryptCommand({ CiphertextBlob: without.CiphertextBlob }))).Plaintext!).length, 48);
  });

  test('every material of the primary is copied: a ciphertext from before a rotation opens in a later replica', async () => {
    const primary = (await east.send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!;
    const old = await east.send(new EncryptCommand({ KeyId: primary.KeyId, Plaintext: text('old material') }));
    await east.send(new RotateKeyOnDemandCommand({ KeyId: primary.KeyId }));
    const fresh = await east.send(new EncryptCommand({ KeyId: primary.KeyId, Plaintext: text('new material') }));
    const replica = (await east.send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: WEST }))).ReplicaKeyMetadata!;
    t.clock.advance(DEFAULTS.multiRegionDelayMs + 1);
    const oldDec = await west.send(new DecryptCommand({ CiphertextBlob: old.CiphertextBlob }));
    const freshDec = await west.send(new DecryptCommand({ CiphertextBlob: fresh.CiphertextBlob }));
    assert.equal(Buffer.from(oldDec.Plaintext!).toString(), 'old material');
    assert.equal(Buffer.from(freshDec.Plaintext!).toString(), 'new material');
    assert.notEqual(oldDec.KeyMaterialId, freshDec.KeyMaterialId);
    assert.equal(freshDec.KeyMaterialId, replica.CurrentKeyMaterialId);
  });

  test('a different multi-Region key does not open the set\'s ciphertext', async () => {
    const enc = await east.send(new EncryptCommand({ KeyId: sym.KeyId, Plaintext: text('not yours') }));
    // Same answer as for any other wrong key (encrypt-decrypt.test.ts; LS-snap test_error_messaging_for_invalid_keys).
    await expectError(west.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, KeyId: otherSym.KeyId })), 'IncorrectKeyException', INCORRECT_KEY);
    await expectError(east.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, KeyId: otherSym.KeyId })), 'IncorrectKeyException', INCORRECT_KEY);
    await expectError(
      west.send(new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, SourceKeyId: otherSym.KeyId, DestinationKeyId: sym.KeyId })),
      'IncorrectKeyException',
      INCORRECT_KEY,
    );
  });

  test('a Region without a key of the set cannot open its ciphertext', async () => {
    const enc = await east.send(new EncryptCommand({ KeyId: sym.KeyId, Plaintext: text('nowhere') }));
    await expectError(eu.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })), 'NotFoundException', `Key '${arnIn('eu-west-1', sym.KeyId!)}' does not exist`);
  });
});

describe('asymmetric keys across Regions', () => {
  test('RSA: encrypted in one Region, decrypted in the other; the public key is the same everywhere', async () => {
    const rsa = await newSet('RSA_2048', 'ENCRYPT_DECRYPT');
    const eastPub = await east.send(new GetPublicKeyCommand({ KeyId: rsa.KeyId }));
    const westPub = await west.send(new GetPublicKeyCommand({ KeyId: rsa.KeyId }));
    assert.deepEqual(Buffer.from(westPub.PublicKey!), Buffer.from(eastPub.PublicKey!));
    assert.equal(eastPub.KeyId, rsa.Arn);
    assert.equal(westPub.KeyId, arnIn(WEST, rsa.KeyId!));
    assert.deepEqual(
      [westPub.KeySpec, westPub.KeyUsage, westPub.EncryptionAlgorithms],
      [eastPub.KeySpec, eastPub.KeyUsage, eastPub.EncryptionAlgorithms],
    );
    for (const [from, fromClient, , toClient] of both) {
      for (const EncryptionAlgorithm of ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const) {
        const enc = await fromClient.send(new EncryptCommand({ KeyId: rsa.KeyId, Plaintext: text(`rsa from ${from}`), EncryptionAlgorithm }));
        const dec = await toClient.send(new DecryptCommand({ KeyId: rsa.KeyId, CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm }));
        assert.equal(Buffer.from(dec.Plaintext!).toString(), `rsa from ${from}`);
      }
    }
    // Offline encryption under the replica's public key opens with the primary.
    const offline = publicEncrypt(
      { key: createPublicKey({ key: Buffer.from(westPub.PublicKey!), format: 'der', type: 'spki' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      text('offline'),
    );
    const dec = await east.send(new DecryptCommand({ KeyId: rsa.KeyId, CiphertextBlob: offline, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
    assert.equal(Buffer.from(dec.Plaintext!).toString(), 'offline');
    // Another RSA set cannot open it.
    const other = await newSet('RSA_2048', 'ENCRYPT_DECRYPT');
    await expectError(
      west.send(new DecryptCommand({ KeyId: other.KeyId, CiphertextBlob: offline, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })),
      'InvalidCiphertextException',
      EMPTY,
    );
  });

  for (const [KeySpec, algorithms] of [
    ['RSA_2048', ['RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384']],
    ['ECC_NIST_P256', ['ECDSA_SHA_256']],
  ] as const) {
    test(`${KeySpec}: signed in one Region, verified in the other`, async () => {
      const key = await newSet(KeySpec, 'SIGN_VERIFY');
      const other = await newSet(KeySpec, 'SIGN_VERIFY');
      const message = text(`signed with ${KeySpec}`);
      const westPub = Buffer.from((await west.send(new GetPublicKeyCommand({ KeyId: key.KeyId }))).PublicKey!);
      assert.deepEqual(Buffer.from((await east.send(new GetPublicKeyCommand({ KeyId: key.KeyId }))).PublicKey!), westPub);
      for (const SigningAlgorithm of algorithms as readonly SigningAlgorithmSpec[]) {
        for (const [from, fromClient, to, toClient] of both) {
          const sig = await fromClient.send(new SignCommand({ KeyId: key.KeyId, Message: message, SigningAlgorithm }));
          assert.equal(sig.KeyId, arnIn(from, key.KeyId!));
          const ok = await toClient.send(new VerifyCommand({ KeyId: key.KeyId, Message: message, Signature: sig.Signature, SigningAlgorithm }));
          assert.equal(ok.SignatureValid, true);
          assert.equal(ok.KeyId, arnIn(to, key.KeyId!));
          // The other set's key in the same Region rejects it.
          await expectError(
            toClient.send(new VerifyCommand({ KeyId: other.KeyId, Message: message, Signature: sig.Signature, SigningAlgorithm })),
            'KMSInvalidSignatureException',
            EMPTY,
          );
        }
      }
      // Offline check of a primary's signature with the replica's public key.
      const sig = await east.send(new SignCommand({ KeyId: key.KeyId, Message: message, SigningAlgorithm: algorithms[0] }));
      const pub = createPublicKey({ key: westPub, format: 'der', type: 'spki' });
      const opts = KeySpec === 'RSA_2048' ? { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : pub;
      assert.equal(nodeVerify('sha256', message, opts, Buffer.from(sig.Signature!)), true);
    });
  }
});

describe('HMAC keys across Regions', () => {
  test('a MAC generated in either Region verifies in the other, and both Regions compute the same MAC', async () => {
    const hmac = await newSet('HMAC_256', 'GENERATE_VERIFY_MAC');
    const other = await newSet('HMAC_256', 'GENERATE_VERIFY_MAC');
    const Message = text('mac me');
    const macs: Buffer[] = [];
    for (const [, fromClient, to, toClient] of both) {
      const mac = await fromClient.send(new GenerateMacCommand({ KeyId: hmac.KeyId, Message, MacAlgorithm: 'HMAC_SHA_256' }));
      macs.push(Buffer.from(mac.Mac!));
      const ok = await toClient.send(new VerifyMacCommand({ KeyId: hmac.KeyId, Message, Mac: mac.Mac, MacAlgorithm: 'HMAC_SHA_256' }));
      assert.equal(ok.MacValid, true);
      assert.equal(ok.KeyId, arnIn(to, hmac.KeyId!));
      await expectError(
        toClient.send(new VerifyMacCommand({ KeyId: other.KeyId, Message, Mac: mac.Mac, MacAlgorithm: 'HMAC_SHA_256' })),
        'KMSInvalidMacException',
        EMPTY,
      );
    }
    assert.deepEqual(macs[0], macs[1]);
  });
});

