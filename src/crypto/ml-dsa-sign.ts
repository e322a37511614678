// ML-DSA (FIPS 204) signing for ML_DSA_SHAKE_256: pure ML-DSA with an empty context for RAW, and the
// internal sign/verify on a caller-computed 64-byte μ for EXTERNAL_MU (FIPS 204 §6.2).
import { ML_DSA, mlDsaAlg, mlDsaKeyPair, mlDsaSeedFromPkcs8 } from './ml-dsa-keys.ts';

// Expanding the seed costs milliseconds; the vault hands out the same secret Buffer per material.
const expanded = new WeakMap<Buffer, Uint8Array>();

async function secretKey(keySpec: string, pkcs8: Buffer): Promise<Uint8Array> {
  let sk = expanded.get(pkcs8);
  if (!sk) {
    const seed = mlDsaSeedFromPkcs8(keySpec, pkcs8);
    if (!seed) throw new Error(`not a seed-only ${keySpec} private key`);
    sk = (await mlDsaKeyPair(keySpec, seed)).secretKey;
    expanded.set(pkcs8, sk);
  }
  return sk;
}

/** The raw public key that ends an ML-DSA SubjectPublicKeyInfo. */
export function mlDsaPublicKey(keySpec: string, spki: Buffer): Buffer {
  const p = ML_DSA[keySpec];
  if (!p) throw new Error(`no ML-DSA parameters for ${keySpec}`);
  return spki.subarray(spki.length - p.publicKeyBytes);
}

export async function signMlDsa(keySpec: string, pkcs8: Buffer, message: Buffer, externalMu: boolean): Promise<Buffer> {
  const a = await mlDsaAlg(keySpec);
  const sk = await secretKey(keySpec, pkcs8);
  return Buffer.from(externalMu ? a.internal.sign(message, sk, { externalMu: true }) : a.sign(message, sk));
}

export async function verifyMlDsa(keySpec: string, spki: Buffer, message: Buffer, signature: Buffer, externalMu: boolean): Promise<boolean> {
  const a = await mlDsaAlg(keySpec);
  const pk = mlDsaPublicKey(keySpec, spki);
  try {
    return externalMu ? a.internal.verify(signature, message, pk, { externalMu: true }) : a.verify(signature, message, pk);
  } catch {
    return false;
  }
}
