// New key material for every KeySpec, generated off the event loop where node:crypto allows it (RSA, EC).
// `secret` is the form ImportKeyMaterial accepts for the spec: raw bytes for symmetric and HMAC keys,
// PKCS #8 DER for asymmetric keys. `publicKey` is the SubjectPublicKeyInfo DER that GetPublicKey returns.
import { generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { ML_DSA, mlDsaKeyPair, mlDsaPkcs8, mlDsaSpki } from './ml-dsa-keys.ts';
import { pooledRandomBytes } from './random-pool.ts';

export interface GeneratedKey {
  secret: Buffer;
  publicKey?: Buffer;
}

const generateKeyPairAsync = promisify(generateKeyPair) as unknown as (
  type: string,
  options: Record<string, unknown>,
) => Promise<{ publicKey: KeyObject; privateKey: KeyObject }>;

const HMAC_BYTES: Record<string, number> = { HMAC_224: 28, HMAC_256: 32, HMAC_384: 48, HMAC_512: 64 };
const RSA_BITS: Record<string, number> = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };
/** OpenSSL curve names of the elliptic-curve specs (SM2 uses the SM2 curve under id-ecPublicKey). */
export const EC_CURVES: Readonly<Record<string, string>> = {
  ECC_NIST_P256: 'prime256v1',
  ECC_NIST_P384: 'secp384r1',
  ECC_NIST_P521: 'secp521r1',
  ECC_SECG_P256K1: 'secp256k1',
  SM2: 'SM2',
};

export async function generateKeyMaterial(keySpec: string): Promise<GeneratedKey> {
  // Sealed at once and not kept: a slice of the shared pool serves (CreateKey's profile showed each CSPRNG call).
  if (keySpec === 'SYMMETRIC_DEFAULT') return { secret: pooledRandomBytes(32) };
  const hmacBytes = HMAC_BYTES[keySpec];
  if (hmacBytes !== undefined) return { secret: pooledRandomBytes(hmacBytes) };
  if (ML_DSA[keySpec] !== undefined) {
    const seed = randomBytes(32);
    return { secret: mlDsaPkcs8(keySpec, seed), publicKey: mlDsaSpki(keySpec, (await mlDsaKeyPair(keySpec, seed)).publicKey) };
  }
  let pair: { publicKey: KeyObject; privateKey: KeyObject };
  if (RSA_BITS[keySpec] !== undefined) {
    pair = await generateKeyPairAsync('rsa', { modulusLength: RSA_BITS[keySpec], publicExponent: 0x10001 });
  } else if (EC_CURVES[keySpec] !== undefined) {
    pair = await generateKeyPairAsync('ec', { namedCurve: EC_CURVES[keySpec] });
  } else if (keySpec === 'ECC_NIST_EDWARDS25519') {
    pair = await generateKeyPairAsync('ed25519', {});
  } else {
    throw new Error(`no key generation for ${keySpec}`);
  }
  return {
    secret: pair.privateKey.export({ format: 'der', type: 'pkcs8' }),
    publicKey: pair.publicKey.export({ format: 'der', type: 'spki' }),
  };
}
