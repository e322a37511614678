// Ed25519ph (RFC 8032 §5.1, empty context) for ED25519_PH_SHA_512, which node:crypto lacks. KMS takes a
// SHA-512 digest as the message and still applies the SHA-512 prehash to it (API_Sign MessageType).
import { ed25519ph } from '@noble/curves/ed25519.js';
import { createPrivateKey } from 'node:crypto';

/** The 32-byte seed of an Ed25519 PKCS #8 key. */
export function ed25519Seed(pkcs8: Buffer): Buffer {
  const jwk = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
  return Buffer.from(jwk.d!, 'base64url');
}

/** The raw 32-byte public key that ends an Ed25519 SubjectPublicKeyInfo. */
export const ed25519PublicKey = (spki: Buffer): Buffer => spki.subarray(spki.length - 32);

export function signEd25519ph(pkcs8: Buffer, message: Buffer): Buffer {
  return Buffer.from(ed25519ph.sign(message, ed25519Seed(pkcs8)));
}

export function verifyEd25519ph(spki: Buffer, message: Buffer, signature: Buffer): boolean {
  try {
    return ed25519ph.verify(signature, message, ed25519PublicKey(spki));
  } catch {
    return false;
  }
}
