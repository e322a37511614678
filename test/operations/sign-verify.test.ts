// Sign and Verify through the real SDK for every key spec × signing algorithm × MessageType. Every
// signature is checked offline against the stored SPKI: node:crypto for RSA, ECDSA and Ed25519, node's
// SM3 plus curve arithmetic written here for SM2DSA, and FIPS 204 μ recomputed for ML-DSA.
import { CreateKeyCommand, DisableKeyCommand, GetKeyLastUsageCommand, SignCommand, VerifyCommand, type KeySpec, type MessageType, type SigningAlgorithmSpec } from '@aws-sdk/client-kms';
import { weierstrass } from '@noble/curves/abstract/weierstrass.js';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { shake256 } from '@noble/hashes/sha3.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import assert from 'node:assert/strict';
import { constants, createHash, createPublicKey, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { ACCOUNT, REGION, startTestServer } from '../helpers/server.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const message = Buffer.from('Trent signs what Alice asked for');
const keyIds = new Map<string, string>();

async function keyFor(spec: string): Promise<string> {
  let id = keyIds.get(spec);
  if (!id) {
    id = (await kms.send(new CreateKeyCommand({ KeySpec: spec as KeySpec, KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!.KeyId!;
    keyIds.set(spec, id);
  }
  return id;
}

async function storedPublicKey(keyId: string): Promise<Buffer> {
  const materials = await t.store.transaction((tx) => tx.listMaterials({ account: ACCOUNT, region: REGION, keyId }));
  assert.equal(materials.length, 1);
  return Buffer.from(materials[0]!.publicKey!);
}

// ---- Independent oracles -------------------------------------------------------------------------
/** FIPS 204 Algorithm 7 lines 6–7 with an empty context: μ = SHAKE256(SHAKE256(pk, 64) ‖ 0 ‖ 0 ‖ M, 64). */
const mlDsaMu = (pk: Uint8Array, msg: Uint8Array): Buffer =>
  Buffer.from(shake256(Buffer.concat([shake256(pk, { dkLen: 64 }), Buffer.of(0, 0), msg]), { dkLen: 64 }));

// GB/T 32918.5 SM2 curve parameters.
const SM2 = {
  p: BigInt('0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff'),
  a: BigInt('0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc'),
  b: BigInt('0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93'),
  n: BigInt('0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123'),
  Gx: BigInt('0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7'),
  Gy: BigInt('0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0'),
  h: 1n,
};
const Sm2Point = weierstrass(SM2);
const be32 = (x: bigint) => Buffer.from(x.toString(16).padStart(64, '0'), 'hex');

/** e = SM3(Z_A ‖ M) with Z_A = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA), ID = KMS's default 1234567812345678. */
function sm2Digest(spki: Buffer, msg: Buffer): Buffer {
  const id = Buffer.from('1234567812345678');
  const point = spki.subarray(spki.length - 64);
  const z = createHash('sm3')
    .update(Buffer.of(0, id.length * 8))
    .update(id)
    .update(Buffer.concat([be32(SM2.a), be32(SM2.b), be32(SM2.Gx), be32(SM2.Gy), point]))
    .digest();
  return createHash('sm3').update(z).update(msg).digest();
}

/** GB/T 32918.2 §7 verification of a DER (r, s) signature. */
function sm2VerifyOffline(spki: Buffer, msg: Buffer, der: Buffer): boolean {
  const rLen = der[3]!;
  const r = BigInt('0x' + der.subarray(4, 4 + rLen).toString('hex'));
  const s = BigInt('0x' + der.subarray(4 + rLen + 2).toString('hex'));
  const e = BigInt('0x' + sm2Digest(spki, msg).toString('hex'));
  const t = (r + s) % SM2.n;
  if (t === 0n) return false;
  const pa = Sm2Point.fromBytes(spki.subarray(spki.length - 65));
  const x1 = Sm2Point.BASE.multiply(s).add(pa.multiply(t)).toAffine().x;
  return (e + x1) % SM2.n === r;
}
// -------------------------------------------------------------------------------------------------

// AWS sends these errors with an empty message (LS-snap); the SDK renders an empty message as "UnknownError".
const EMPTY = 'UnknownError';

const arnOf = (keyId: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}`;

const hashOf = (algorithm: string) => (algorithm.endsWith('256') ? 'sha256' : algorithm.endsWith('384') ? 'sha384' : 'sha512');

/** What the caller passes as Message for `type`, derived from the one message all tests sign. */
function messageFor(spec: string, algorithm: string, type: string, spki: Buffer): Buffer {
  if (type === 'RAW') return message;
  if (type === 'EXTERNAL_MU') return mlDsaMu(spki.subarray(spki.length - ML_DSA[spec]!.lengths.publicKey!), message);
  if (algorithm === 'SM2DSA') return sm2Digest(spki, message);
  return createHash(hashOf(algorithm)).update(message).digest();
}

const ML_DSA: Record<string, typeof ml_dsa44> = { ML_DSA_44: ml_dsa44, ML_DSA_65: ml_dsa65, ML_DSA_87: ml_dsa87 };

/** Independent check that `signature` signs the original `message` under `spki`. */
function verifiesOffline(spec: string, algorithm: string, spki: Buffer, signature: Buffer): boolean {
  const key = () => createPublicKey({ key: spki, format: 'der', type: 'spki' });
  if (algorithm.startsWith('RSASSA_PKCS1')) return nodeVerify(hashOf(algorithm), message, key(), signature);
  if (algorithm.startsWith('RSASSA_PSS')) {
    const hash = hashOf(algorithm);
    const saltLength = createHash(hash).digest().length;
    return nodeVerify(hash, message, { key: key(), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, signature);
  }
  if (algorithm.startsWith('ECDSA')) return nodeVerify(hashOf(algorithm), message, { key: key(), dsaEncoding: 'der' }, signature);
  if (algorithm === 'ED25519_SHA_512') return nodeVerify(null, message, key(), signature);
  // KMS prehashes the caller's SHA-512 digest again (API_Sign): Ed25519ph over SHA-512(message) as message.
  if (algorithm === 'ED25519_PH_SHA_512') {
    return ed25519ph.verify(signature, createHash('sha512').update(message).digest(), spki.subarray(spki.length - 32));
  }
  if (algorithm === 'ML_DSA_SHAKE_256') {
    const alg = ML_DSA[spec]!;
    return alg.verify(signature, message, spki.subarray(spki.length - alg.lengths.publicKey!));
  }
  if (algorithm === 'SM2DSA') return sm2VerifyOffline(spki, message, signature);
  throw new Error(algorithm);
}

const CASES: [spec: string, algorithms: string[], types: string[]][] = [
  ['RSA_2048', ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512'], ['RAW', 'DIGEST']],
  ['RSA_3072', ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512'], ['RAW', 'DIGEST']],
  ['RSA_4096', ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512'], ['RAW', 'DIGEST']],
  ['ECC_NIST_P256', ['ECDSA_SHA_256'], ['RAW', 'DIGEST']],
  ['ECC_NIST_P384', ['ECDSA_SHA_384'], ['RAW', 'DIGEST']],
  ['ECC_NIST_P521', ['ECDSA_SHA_512'], ['RAW', 'DIGEST']],
  ['ECC_SECG_P256K1', ['ECDSA_SHA_256'], ['RAW', 'DIGEST']],
  ['ECC_NIST_EDWARDS25519', ['ED25519_SHA_512'], ['RAW']],
  ['ECC_NIST_EDWARDS25519', ['ED25519_PH_SHA_512'], ['DIGEST']],
  ['ML_DSA_44', ['ML_DSA_SHAKE_256'], ['RAW', 'EXTERNAL_MU']],
  ['ML_DSA_65', ['ML_DSA_SHAKE_256'], ['RAW', 'EXTERNAL_MU']],
  ['ML_DSA_87', ['ML_DSA_SHAKE_256'], ['RAW', 'EXTERNAL_MU']],
  ['SM2', ['SM2DSA'], ['RAW', 'DIGEST']],
];

describe('Sign and Verify: every spec, algorithm and message type', () => {
  for (const [spec, algorithms, types] of CASES) {
    for (const algorithm of algorithms) {
      test(`${spec} ${algorithm} (${types.join(', ')})`, async () => {
        const keyId = await keyFor(spec);
        const spki = await storedPublicKey(keyId);
        const SigningAlgorithm = algorithm as SigningAlgorithmSpec;
        for (const type of types) {
          const Message = messageFor(spec, algorithm, type, spki);
          const MessageType = type as MessageType;
          const out = await kms.send(new SignCommand({ KeyId: keyId, Message, MessageType, SigningAlgorithm }));
          assert.equal(out.KeyId, arnOf(keyId));
          assert.equal(out.SigningAlgorithm, algorithm);
          const signature = Buffer.from(out.Signature!);
          assert.ok(verifiesOffline(spec, algorithm, spki, signature), `${type} signature verifies offline`);

          // Verify with every accepted message type: "a message and its hash digest are the same message".
          for (const verifyType of types) {
            const v = await kms.send(
              new VerifyCommand({ KeyId: keyId, Message: messageFor(spec, algorithm, verifyType, spki), MessageType: verifyType as MessageType, Signature: signature, SigningAlgorithm }),
            );
            assert.deepEqual([v.KeyId, v.SignatureValid, v.SigningAlgorithm], [arnOf(keyId), true, algorithm]);
          }
          const tampered = Buffer.from(Message);
          tampered[0]! ^= 1;
          await expectError(kms.send(new VerifyCommand({ KeyId: keyId, Message: tampered, MessageType, Signature: signature, SigningAlgorithm })), 'KMSInvalidSignatureException', EMPTY);
        }
      });
    }
  }

  test('RSASSA_PKCS1_V1_5 is deterministic: DIGEST and RAW give the same bytes as node:crypto', async () => {
    const keyId = await keyFor('RSA_2048');
    const raw = await kms.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_384' }));
    const digest = await kms.send(
      new SignCommand({ KeyId: keyId, Message: createHash('sha384').update(message).digest(), MessageType: 'DIGEST', SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_384' }),
    );
    assert.deepEqual(Buffer.from(digest.Signature!), Buffer.from(raw.Signature!));
  });

  test('ECDSA signatures are DER and not low-S normalized (AWS returns OpenSSL-style signatures)', async () => {
    const keyId = await keyFor('ECC_SECG_P256K1');
    const n = BigInt('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');
    let highS = 0;
    for (let i = 0; i < 24; i++) {
      const type: MessageType = i % 2 ? 'DIGEST' : 'RAW';
      const Message = type === 'RAW' ? message : createHash('sha256').update(message).digest();
      const sig = Buffer.from((await kms.send(new SignCommand({ KeyId: keyId, Message, MessageType: type, SigningAlgorithm: 'ECDSA_SHA_256' }))).Signature!);
      assert.equal(sig[0], 0x30);
      // SEQUENCE { INTEGER r, INTEGER s }: s is the second INTEGER.
      const rLen = sig[3]!;
      const s = BigInt('0x' + sig.subarray(4 + rLen + 2).toString('hex'));
      if (s > n / 2n) highS++;
    }
    // With random k half the signatures have a high s; all 24 low would mean normalization (p ≈ 6e-8).
    assert.ok(highS > 0);
  });

  test('a signature made offline with another key does not verify; neither does garbage', async () => {
    const keyId = await keyFor('ECC_NIST_P256');
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const foreign = nodeSign('sha256', message, { key: other.privateKey, dsaEncoding: 'der' });
    await expectError(kms.send(new VerifyCommand({ KeyId: keyId, Message: message, Signature: foreign, SigningAlgorithm: 'ECDSA_SHA_256' })), 'KMSInvalidSignatureException', EMPTY);
    await expectError(kms.send(new VerifyCommand({ KeyId: keyId, Message: message, Signature: Buffer.from('not a signature'), SigningAlgorithm: 'ECDSA_SHA_256' })), 'KMSInvalidSignatureException', EMPTY);
    const rsa = await keyFor('RSA_2048');
    await expectError(
      kms.send(new VerifyCommand({ KeyId: rsa, Message: createHash('sha256').update(message).digest(), MessageType: 'DIGEST', Signature: Buffer.alloc(256, 0xff), SigningAlgorithm: 'RSASSA_PSS_SHA_256' })),
      'KMSInvalidSignatureException',
      EMPTY,
    );
  });

  test('a signature verifies only with the algorithm it was made with', async () => {
    const keyId = await keyFor('RSA_2048');
    const sig = (await kms.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }))).Signature!;
    await expectError(kms.send(new VerifyCommand({ KeyId: keyId, Message: message, Signature: sig, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' })), 'KMSInvalidSignatureException', EMPTY);
  });
});

test('GetKeyLastUsage records a Sign and a successful Verify, never a failed one', async () => {
  const key = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
  const lastOperation = async () => (await kms.send(new GetKeyLastUsageCommand({ KeyId: key.KeyId }))).KeyLastUsage?.Operation;
  assert.equal(await lastOperation(), undefined);
  const sig = (await kms.send(new SignCommand({ KeyId: key.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_384' }))).Signature!;
  assert.equal(await lastOperation(), 'Sign');
  await expectError(kms.send(new VerifyCommand({ KeyId: key.KeyId, Message: Buffer.from('x'), Signature: sig, SigningAlgorithm: 'ECDSA_SHA_384' })), 'KMSInvalidSignatureException', EMPTY);
  assert.equal(await lastOperation(), 'Sign');
  await kms.send(new VerifyCommand({ KeyId: key.KeyId, Message: message, Signature: sig, SigningAlgorithm: 'ECDSA_SHA_384' }));
  assert.equal(await lastOperation(), 'Verify');
});

describe('Sign and Verify: request errors', () => {
  test('a key whose usage is not SIGN_VERIFY is InvalidKeyUsageException', async () => {
    const sym = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await expectError(kms.send(new SignCommand({ KeyId: sym.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' })), 'InvalidKeyUsageException', `${sym.Arn} key usage is ENCRYPT_DECRYPT which is not valid for Sign.`);
    await expectError(
      kms.send(new VerifyCommand({ KeyId: sym.KeyId, Message: message, Signature: Buffer.alloc(64), SigningAlgorithm: 'ECDSA_SHA_256' })),
      'InvalidKeyUsageException',
      `${sym.Arn} key usage is ENCRYPT_DECRYPT which is not valid for Verify.`,
    );
  });

  test('an algorithm the key spec does not support is InvalidKeyUsageException', async () => {
    const p256 = await keyFor('ECC_NIST_P256');
    await expectError(kms.send(new SignCommand({ KeyId: p256, Message: message, SigningAlgorithm: 'ECDSA_SHA_384' })), 'InvalidKeyUsageException', 'Algorithm ECDSA_SHA_384 is incompatible with key spec ECC_NIST_P256.');
    await expectError(
      kms.send(new VerifyCommand({ KeyId: p256, Message: message, Signature: Buffer.alloc(64), SigningAlgorithm: 'RSASSA_PSS_SHA_256' })),
      'InvalidKeyUsageException',
      'Algorithm RSASSA_PSS_SHA_256 is incompatible with key spec ECC_NIST_P256.',
    );
  });

  test('a DIGEST of the wrong length is ValidationException (AWS text, aws-sdk-rust discussion #571)', async () => {
    const p256 = await keyFor('ECC_NIST_P256');
    await expectError(kms.send(new SignCommand({ KeyId: p256, Message: Buffer.alloc(33), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' })), 'ValidationException', 'Digest is invalid length for algorithm ECDSA_SHA_256.');
    const rsa = await keyFor('RSA_2048');
    await expectError(
      kms.send(new VerifyCommand({ KeyId: rsa, Message: Buffer.alloc(32), MessageType: 'DIGEST', Signature: Buffer.alloc(256), SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_512' })),
      'ValidationException',
      'Digest is invalid length for algorithm RSASSA_PKCS1_V1_5_SHA_512.',
    );
  });

  // API_Sign: ED25519_SHA_512 requires RAW, ED25519_PH_SHA_512 requires DIGEST, EXTERNAL_MU is ML-DSA only.
  // The wording is not recorded from AWS; it follows AWS's "… is incompatible with …" family.
  test('a MessageType the algorithm does not accept is ValidationException', async () => {
    const ed = await keyFor('ECC_NIST_EDWARDS25519');
    await expectError(kms.send(new SignCommand({ KeyId: ed, Message: Buffer.alloc(64), MessageType: 'DIGEST', SigningAlgorithm: 'ED25519_SHA_512' })), 'ValidationException', 'Message type DIGEST is incompatible with algorithm ED25519_SHA_512.');
    await expectError(kms.send(new SignCommand({ KeyId: ed, Message: message, SigningAlgorithm: 'ED25519_PH_SHA_512' })), 'ValidationException', 'Message type RAW is incompatible with algorithm ED25519_PH_SHA_512.');
    await expectError(kms.send(new SignCommand({ KeyId: ed, Message: Buffer.alloc(32), MessageType: 'DIGEST', SigningAlgorithm: 'ED25519_PH_SHA_512' })), 'ValidationException', 'Digest is invalid length for algorithm ED25519_PH_SHA_512.');
    const ml = await keyFor('ML_DSA_44');
    await expectError(kms.send(new SignCommand({ KeyId: ml, Message: Buffer.alloc(64), MessageType: 'DIGEST', SigningAlgorithm: 'ML_DSA_SHAKE_256' })), 'ValidationException', 'Message type DIGEST is incompatible with key spec ML_DSA_44.');
    await expectError(kms.send(new SignCommand({ KeyId: ml, Message: Buffer.alloc(32), MessageType: 'EXTERNAL_MU', SigningAlgorithm: 'ML_DSA_SHAKE_256' })), 'ValidationException', 'External Mu is invalid length for algorithm ML_DSA_SHAKE_256.');
    const rsa = await keyFor('RSA_2048');
    await expectError(kms.send(new SignCommand({ KeyId: rsa, Message: Buffer.alloc(64), MessageType: 'EXTERNAL_MU', SigningAlgorithm: 'RSASSA_PSS_SHA_512' })), 'ValidationException', 'Message type EXTERNAL_MU is incompatible with key spec RSA_2048.');
  });

  test('DryRun runs every check, then answers DryRunOperationException', async () => {
    const p256 = await keyFor('ECC_NIST_P256');
    const dry = 'The request would have succeeded, but the DryRun option is set.';
    await expectError(kms.send(new SignCommand({ KeyId: p256, Message: message, SigningAlgorithm: 'ECDSA_SHA_256', DryRun: true })), 'DryRunOperationException', dry);
    await expectError(kms.send(new VerifyCommand({ KeyId: p256, Message: message, Signature: Buffer.alloc(8), SigningAlgorithm: 'ECDSA_SHA_256', DryRun: true })), 'DryRunOperationException', dry);
    await expectError(kms.send(new SignCommand({ KeyId: p256, Message: Buffer.alloc(31), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256', DryRun: true })), 'ValidationException', 'Digest is invalid length for algorithm ECDSA_SHA_256.');
  });

  test('a disabled key is DisabledException', async () => {
    const key = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    await expectError(kms.send(new SignCommand({ KeyId: key.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' })), 'DisabledException', `${key.Arn} is disabled.`);
    await expectError(kms.send(new VerifyCommand({ KeyId: key.KeyId, Message: message, Signature: Buffer.alloc(8), SigningAlgorithm: 'ECDSA_SHA_256' })), 'DisabledException', `${key.Arn} is disabled.`);
  });
});
