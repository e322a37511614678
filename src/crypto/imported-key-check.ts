// Checks that unwrapped key material fits the KMS key's spec (Developer Guide, "Requirements for imported key
// material") and puts it in the form Trent stores, as key-generation.ts does: raw bytes for symmetric and HMAC
// keys, a canonical PKCS #8 for asymmetric keys (so the same key imported in another encoding is the same
// material), with the SubjectPublicKeyInfo that GetPublicKey returns.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { EC_CURVES, type GeneratedKey } from './key-generation.ts';
import { ML_DSA, mlDsaKeyPair, mlDsaPkcs8, mlDsaSeedFromPkcs8, mlDsaSpki } from './ml-dsa-keys.ts';

// HMAC key material may be longer than the digest (DG importing-keys-conceptual: HMAC_224 28–64 bytes,
// HMAC_256 32–64, HMAC_384 48–128, HMAC_512 64–128).
export const HMAC_LENGTHS: Readonly<Record<string, readonly [number, number]>> = {
  HMAC_224: [28, 64],
  HMAC_256: [32, 64],
  HMAC_384: [48, 128],
  HMAC_512: [64, 128],
};
const RSA_BITS: Record<string, number> = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };

/** The material in stored form, or undefined when it is not valid key material for `keySpec`. */
export async function checkImportedMaterial(keySpec: string, material: Buffer): Promise<GeneratedKey | undefined> {
  if (keySpec === 'SYMMETRIC_DEFAULT') return material.length === 32 ? { secret: material } : undefined;
  const hmac = HMAC_LENGTHS[keySpec];
  if (hmac !== undefined) return material.length >= hmac[0] && material.length <= hmac[1] ? { secret: material } : undefined;
  if (ML_DSA[keySpec] !== undefined) {
    const seed = mlDsaSeedFromPkcs8(keySpec, material);
    if (seed === undefined) return undefined;
    return { secret: mlDsaPkcs8(keySpec, seed), publicKey: mlDsaSpki(keySpec, (await mlDsaKeyPair(keySpec, seed)).publicKey) };
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: material, format: 'der', type: 'pkcs8' });
  } catch {
    return undefined;
  }
  if (!fitsSpec(key, keySpec)) return undefined;
  return {
    secret: key.export({ format: 'der', type: 'pkcs8' }),
    publicKey: createPublicKey(key).export({ format: 'der', type: 'spki' }),
  };
}

function fitsSpec(key: KeyObject, keySpec: string): boolean {
  const details = key.asymmetricKeyDetails ?? {};
  if (RSA_BITS[keySpec] !== undefined) return key.asymmetricKeyType === 'rsa' && details.modulusLength === RSA_BITS[keySpec];
  if (EC_CURVES[keySpec] !== undefined) return key.asymmetricKeyType === 'ec' && details.namedCurve === EC_CURVES[keySpec];
  if (keySpec === 'ECC_NIST_EDWARDS25519') return key.asymmetricKeyType === 'ed25519';
  return false;
}
