// The pure signing and MAC code against independent implementations and published vectors: node:crypto
// for RSA and ECDSA (DIGEST mode must equal or verify like RAW), RFC 8032 for Ed25519ph, FIPS 204 μ for
// ML-DSA EXTERNAL_MU, node's SM3 for the SM2 Z value, RFC 4231 for HMAC.
import { ed25519 } from '@noble/curves/ed25519.js';
import { shake256 } from '@noble/hashes/sha3.js';
import assert from 'node:assert/strict';
import { constants, createHash, createPublicKey, generateKeyPairSync, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { describe, test } from 'node:test';
import { generateKeyMaterial } from '../../src/crypto/key-generation.ts';
import { generateMac, verifyMac } from '../../src/crypto/mac.ts';
import { mlDsaPublicKey } from '../../src/crypto/ml-dsa-sign.ts';
import { sign, verify } from '../../src/crypto/signing.ts';
import { messageTypesFor, DIGEST_LENGTHS } from '../../src/keys/signing-rules.ts';

const message = Buffer.from('The quick brown fox jumps over the lazy dog');
const sha = (hash: string, data: Buffer) => createHash(hash).update(data).digest();
const der = (k: KeyObject, type: 'pkcs8' | 'spki') => k.export({ format: 'der', type }) as Buffer;

describe('RSA with MessageType DIGEST', () => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = { secret: der(pair.privateKey, 'pkcs8'), publicKey: der(pair.publicKey, 'spki') };
  for (const hash of ['256', '384', '512']) {
    const h = `sha${hash}`;
    test(`PKCS #1 v1.5 SHA-${hash}: DIGEST signature is byte-identical to node:crypto's RAW signature`, async () => {
      const viaDigest = await sign('RSA_2048', `RSASSA_PKCS1_V1_5_SHA_${hash}`, 'DIGEST', key, sha(h, message));
      assert.deepEqual(viaDigest, nodeSign(h, message, pair.privateKey));
      assert.ok(await verify('RSA_2048', `RSASSA_PKCS1_V1_5_SHA_${hash}`, 'DIGEST', key.publicKey, sha(h, message), viaDigest));
      assert.ok(!await verify('RSA_2048', `RSASSA_PKCS1_V1_5_SHA_${hash}`, 'DIGEST', key.publicKey, sha(h, Buffer.from('other')), viaDigest));
    });
    test(`PSS SHA-${hash}: DIGEST signatures verify in node:crypto and node's verify in ours`, async () => {
      const saltLength = Number(hash) / 8;
      const opts = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength };
      const viaDigest = await sign('RSA_2048', `RSASSA_PSS_SHA_${hash}`, 'DIGEST', key, sha(h, message));
      assert.ok(nodeVerify(h, message, { key: pair.publicKey, ...opts }, viaDigest));
      const fromNode = nodeSign(h, message, { key: pair.privateKey, ...opts });
      assert.ok(await verify('RSA_2048', `RSASSA_PSS_SHA_${hash}`, 'DIGEST', key.publicKey, sha(h, message), fromNode));
      // Salt length is the hash length: a node signature with a shorter salt must not verify.
      const shortSalt = nodeSign(h, message, { key: pair.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 20 });
      assert.ok(!await verify('RSA_2048', `RSASSA_PSS_SHA_${hash}`, 'DIGEST', key.publicKey, sha(h, message), shortSalt));
    });
  }
  test('PSS on a modulus of 8k+1 bits (encoded message one byte shorter than the modulus)', async () => {
    const odd = generateKeyPairSync('rsa', { modulusLength: 1025 });
    const k = { secret: der(odd.privateKey, 'pkcs8'), publicKey: der(odd.publicKey, 'spki') };
    const opts = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    const sig = await sign('RSA_2048', 'RSASSA_PSS_SHA_256', 'DIGEST', k, sha('sha256', message));
    assert.ok(nodeVerify('sha256', message, { key: odd.publicKey, ...opts }, sig));
    assert.ok(await verify('RSA_2048', 'RSASSA_PSS_SHA_256', 'DIGEST', k.publicKey, sha('sha256', message), nodeSign('sha256', message, { key: odd.privateKey, ...opts })));
  });
  test('malformed signatures are invalid, not errors', async () => {
    for (const sig of [Buffer.alloc(0), Buffer.alloc(255, 1), Buffer.alloc(256, 0xff)]) {
      assert.equal(await verify('RSA_2048', 'RSASSA_PSS_SHA_256', 'DIGEST', key.publicKey, sha('sha256', message), sig), false);
      assert.equal(await verify('RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256', 'DIGEST', key.publicKey, sha('sha256', message), sig), false);
      assert.equal(await verify('RSA_2048', 'RSASSA_PSS_SHA_256', 'RAW', key.publicKey, message, sig), false);
    }
  });
});

describe('ECDSA with MessageType DIGEST', () => {
  for (const [spec, hash] of [
    ['ECC_NIST_P256', 'sha256'],
    ['ECC_NIST_P384', 'sha384'],
    ['ECC_NIST_P521', 'sha512'],
    ['ECC_SECG_P256K1', 'sha256'],
  ] as const) {
    test(`${spec}: DIGEST and node:crypto RAW signatures verify each other`, async () => {
      const { secret, publicKey } = await generateKeyMaterial(spec);
      const key = { secret, publicKey: publicKey! };
      const algorithm = `ECDSA_SHA_${hash.slice(3)}`;
      const pub = createPublicKey({ key: key.publicKey, format: 'der', type: 'spki' });
      const viaDigest = await sign(spec, algorithm, 'DIGEST', key, sha(hash, message));
      assert.equal(viaDigest[0], 0x30, 'DER');
      assert.ok(nodeVerify(hash, message, { key: pub, dsaEncoding: 'der' }, viaDigest));
      const raw = await sign(spec, algorithm, 'RAW', key, message);
      assert.ok(await verify(spec, algorithm, 'DIGEST', key.publicKey, sha(hash, message), raw));
      assert.ok(!await verify(spec, algorithm, 'DIGEST', key.publicKey, sha(hash, Buffer.from('x')), raw));
      assert.ok(!await verify(spec, algorithm, 'DIGEST', key.publicKey, sha(hash, message), Buffer.from('garbage')));
      assert.notDeepEqual(await sign(spec, algorithm, 'DIGEST', key, sha(hash, message)), viaDigest, 'k is randomized');
    });
  }
});

describe('Ed25519', () => {
  // RFC 8032 §7.3, test vector "abc" for Ed25519ph.
  const seed = Buffer.from('833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42', 'hex');
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from('ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf', 'hex')]);
  const key = { secret: pkcs8, publicKey: spki };

  test('ED25519_PH_SHA_512 matches the RFC 8032 Ed25519ph vector', async () => {
    const expected = '98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae4131f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406';
    assert.equal((await sign('ECC_NIST_EDWARDS25519', 'ED25519_PH_SHA_512', 'DIGEST', key, Buffer.from('abc'))).toString('hex'), expected);
    assert.ok(await verify('ECC_NIST_EDWARDS25519', 'ED25519_PH_SHA_512', 'DIGEST', spki, Buffer.from('abc'), Buffer.from(expected, 'hex')));
    assert.ok(!await verify('ECC_NIST_EDWARDS25519', 'ED25519_PH_SHA_512', 'DIGEST', spki, Buffer.from('abd'), Buffer.from(expected, 'hex')));
  });

  test('ED25519_SHA_512 is deterministic pure Ed25519, equal to @noble/curves', async () => {
    const a = await sign('ECC_NIST_EDWARDS25519', 'ED25519_SHA_512', 'RAW', key, message);
    assert.deepEqual(a, await sign('ECC_NIST_EDWARDS25519', 'ED25519_SHA_512', 'RAW', key, message));
    assert.deepEqual(a, Buffer.from(ed25519.sign(message, seed)));
    assert.ok(await verify('ECC_NIST_EDWARDS25519', 'ED25519_SHA_512', 'RAW', spki, message, a));
  });
});

describe('ML-DSA', () => {
  /** FIPS 204 Algorithm 7 lines 6–7, empty context: μ = SHAKE256(SHAKE256(pk, 64) ‖ 0x00 ‖ 0x00 ‖ M, 64). */
  const mu = (pk: Uint8Array, msg: Buffer) => Buffer.from(shake256(Buffer.concat([shake256(pk, { dkLen: 64 }), Buffer.of(0, 0), msg]), { dkLen: 64 }));
  for (const spec of ['ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87']) {
    test(`${spec}: an EXTERNAL_MU signature on μ(pk, M) is a RAW signature on M, and back`, async () => {
      const { secret, publicKey } = await generateKeyMaterial(spec);
      const key = { secret, publicKey: publicKey! };
      const m = mu(mlDsaPublicKey(spec, key.publicKey), message);
      const viaMu = await sign(spec, 'ML_DSA_SHAKE_256', 'EXTERNAL_MU', key, m);
      assert.ok(await verify(spec, 'ML_DSA_SHAKE_256', 'RAW', key.publicKey, message, viaMu));
      const raw = await sign(spec, 'ML_DSA_SHAKE_256', 'RAW', key, message);
      assert.ok(await verify(spec, 'ML_DSA_SHAKE_256', 'EXTERNAL_MU', key.publicKey, m, raw));
      assert.ok(!await verify(spec, 'ML_DSA_SHAKE_256', 'RAW', key.publicKey, Buffer.from('other'), raw));
      assert.ok(!await verify(spec, 'ML_DSA_SHAKE_256', 'RAW', key.publicKey, message, raw.subarray(1)));
    });
  }
});

describe('SM2DSA', () => {
  test('a RAW signature verifies as DIGEST on e = SM3(Z ‖ M) with the default ID computed by node:crypto SM3', async () => {
    const { secret, publicKey } = await generateKeyMaterial('SM2');
    const key = { secret, publicKey: publicKey! };
    const curve = [
      'fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc',
      '28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93',
      '32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7',
      'bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0',
    ].map((h) => Buffer.from(h, 'hex'));
    const id = Buffer.from('1234567812345678');
    const z = sha('sm3', Buffer.concat([Buffer.of(0, 128), id, ...curve, key.publicKey.subarray(key.publicKey.length - 64)]));
    const e = sha('sm3', Buffer.concat([z, message]));
    const raw = await sign('SM2', 'SM2DSA', 'RAW', key, message);
    assert.ok(await verify('SM2', 'SM2DSA', 'DIGEST', key.publicKey, e, raw));
    assert.ok(await verify('SM2', 'SM2DSA', 'RAW', key.publicKey, message, await sign('SM2', 'SM2DSA', 'DIGEST', key, e)));
    assert.ok(!await verify('SM2', 'SM2DSA', 'RAW', key.publicKey, Buffer.from('other'), raw));
    assert.ok(!await verify('SM2', 'SM2DSA', 'RAW', key.publicKey, message, Buffer.from('garbage')));
  });
});

describe('HMAC', () => {
  // RFC 4231 test case 2.
  const key = Buffer.from('Jefe');
  const data = Buffer.from('what do ya want for nothing?');
  const expected: Record<string, string> = {
    HMAC_SHA_224: 'a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44',
    HMAC_SHA_256: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    HMAC_SHA_384: 'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649',
    HMAC_SHA_512: '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
  };
  for (const [algorithm, hex] of Object.entries(expected)) {
    test(`${algorithm} matches RFC 4231`, async () => {
      assert.equal(generateMac(algorithm, key, data).toString('hex'), hex);
      assert.ok(verifyMac(algorithm, key, data, Buffer.from(hex, 'hex')));
      assert.ok(!verifyMac(algorithm, key, data, Buffer.from(hex, 'hex').subarray(1)));
    });
  }
});

describe('signing rules', () => {
  test('digest lengths are the hash lengths, and MessageTypes follow API_Sign', () => {
    assert.deepEqual(
      Object.fromEntries(['ECDSA_SHA_384', 'RSASSA_PSS_SHA_512', 'SM2DSA', 'ED25519_PH_SHA_512'].map((a) => [a, DIGEST_LENGTHS[a]])),
      { ECDSA_SHA_384: 48, RSASSA_PSS_SHA_512: 64, SM2DSA: 32, ED25519_PH_SHA_512: 64 },
    );
    assert.deepEqual(messageTypesFor('ED25519_SHA_512'), ['RAW']);
    assert.deepEqual(messageTypesFor('ED25519_PH_SHA_512'), ['DIGEST']);
    assert.deepEqual(messageTypesFor('ML_DSA_SHAKE_256'), ['RAW', 'EXTERNAL_MU']);
    assert.deepEqual(messageTypesFor('RSASSA_PKCS1_V1_5_SHA_256'), ['RAW', 'DIGEST']);
  });
});
