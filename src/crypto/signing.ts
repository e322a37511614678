// Sign and Verify for every SigningAlgorithm of every KMS key spec, on PKCS #8 / SPKI DER key material.
// node:crypto where it can (RAW RSA, ECDSA, Ed25519); hand-coded or @noble/sm-crypto-v2 code elsewhere, those
// libraries loaded on first use (hence asynchronous).
// Request rules (which MessageType, digest lengths) are checked before, in keys/signing-rules.ts.
import { constants, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { privateKeyObject, publicKeyObject } from './key-objects.ts';
import { signEcdsaDigest, verifyEcdsaDigest } from './ecdsa-digest.ts';
import { signEd25519ph, verifyEd25519ph } from './ed25519ph.ts';
import { signMlDsa, verifyMlDsa } from './ml-dsa-sign.ts';
import { signPkcs1Digest, signPssDigest, verifyPkcs1Digest, verifyPssDigest, type RsaHash } from './rsa-digest.ts';
import { signSm2, verifySm2 } from './sm2-sign.ts';

export type MessageType = 'RAW' | 'DIGEST' | 'EXTERNAL_MU';

interface KeyMaterialDer {
  /** PKCS #8 DER (seed-only form for ML-DSA). */
  secret: Buffer;
  /** SubjectPublicKeyInfo DER: the stored buffer itself, so the parsed key is cached (key-objects.ts). */
  publicKey: Uint8Array;
}

const HASH_OF = (algorithm: string): RsaHash => {
  if (algorithm.endsWith('SHA_256')) return 'sha256';
  if (algorithm.endsWith('SHA_384')) return 'sha384';
  if (algorithm.endsWith('SHA_512')) return 'sha512';
  throw new Error(`no hash for ${algorithm}`);
};

const HASH_LENGTH: Record<RsaHash, number> = { sha256: 32, sha384: 48, sha512: 64 };


export async function sign(keySpec: string, algorithm: string, messageType: MessageType, key: KeyMaterialDer, message: Buffer): Promise<Buffer> {
  const digest = messageType === 'DIGEST';
  if (algorithm.startsWith('RSASSA_PKCS1_V1_5')) {
    const hash = HASH_OF(algorithm);
    const k = privateKeyObject(key.secret);
    return digest ? signPkcs1Digest(hash, k, message) : nodeSign(hash, message, { key: k, padding: constants.RSA_PKCS1_PADDING });
  }
  if (algorithm.startsWith('RSASSA_PSS')) {
    const hash = HASH_OF(algorithm);
    const k = privateKeyObject(key.secret);
    return digest
      ? signPssDigest(hash, k, message)
      : nodeSign(hash, message, { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LENGTH[hash] });
  }
  if (algorithm.startsWith('ECDSA')) {
    if (digest) return signEcdsaDigest(keySpec, key.secret, message);
    return nodeSign(HASH_OF(algorithm), message, { key: privateKeyObject(key.secret), dsaEncoding: 'der' });
  }
  switch (algorithm) {
    case 'ED25519_SHA_512':
      return nodeSign(null, message, privateKeyObject(key.secret));
    case 'ED25519_PH_SHA_512':
      return signEd25519ph(key.secret, message);
    case 'ML_DSA_SHAKE_256':
      return signMlDsa(keySpec, key.secret, message, messageType === 'EXTERNAL_MU');
    case 'SM2DSA':
      return signSm2(key.secret, Buffer.from(key.publicKey), message, digest);
  }
  throw new Error(`no signing for ${algorithm}`);
}

/** Whether `signature` is valid; malformed signatures are simply invalid. */
export async function verify(
  keySpec: string,
  algorithm: string,
  messageType: MessageType,
  publicKey: Uint8Array,
  message: Buffer,
  signature: Buffer,
): Promise<boolean> {
  const digest = messageType === 'DIGEST';
  const nodeVerifies = (alg: string | null, opts: Record<string, unknown> = {}): boolean => {
    try {
      return nodeVerify(alg, message, { key: publicKeyObject(publicKey), ...opts }, signature);
    } catch {
      return false;
    }
  };
  if (algorithm.startsWith('RSASSA_PKCS1_V1_5')) {
    const hash = HASH_OF(algorithm);
    return digest
      ? verifyPkcs1Digest(hash, publicKeyObject(publicKey), message, signature)
      : nodeVerifies(hash, { padding: constants.RSA_PKCS1_PADDING });
  }
  if (algorithm.startsWith('RSASSA_PSS')) {
    const hash = HASH_OF(algorithm);
    return digest
      ? verifyPssDigest(hash, publicKeyObject(publicKey), message, signature)
      : nodeVerifies(hash, { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LENGTH[hash] });
  }
  if (algorithm.startsWith('ECDSA')) {
    return digest ? verifyEcdsaDigest(keySpec, Buffer.from(publicKey), message, signature) : nodeVerifies(HASH_OF(algorithm), { dsaEncoding: 'der' });
  }
  switch (algorithm) {
    case 'ED25519_SHA_512':
      return nodeVerifies(null);
    case 'ED25519_PH_SHA_512':
      return verifyEd25519ph(Buffer.from(publicKey), message, signature);
    case 'ML_DSA_SHAKE_256':
      return verifyMlDsa(keySpec, Buffer.from(publicKey), message, signature, messageType === 'EXTERNAL_MU');
    case 'SM2DSA':
      return verifySm2(Buffer.from(publicKey), message, signature, digest);
  }
  throw new Error(`no verification for ${algorithm}`);
}
