// Ed25519ph (RFC 8032 §5.1, empty context) for ED25519_PH_SHA_512, which node:crypto lacks. KMS takes a
// SHA-512 digest as the message and still applies the SHA-512 prehash to it (API_Sign MessageType).
import { createPrivateKey } from 'node:crypto';
import { lazyModule } from './lazy-module.ts';

const noble = lazyModule(() => import('@noble/curves/ed25519.js'));

/** The 32-byte seed of an Ed25519 PKCS #8 key. */
export function ed25519Seed(pkcs8: Buffer): Buffer {
  const jwk = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
  return Buffer.from(jwk.d!, 'base64url');
}

/** The raw 32-byte public key that ends an Ed25519 SubjectPublicKeyInfo. */
export const ed25519PublicKey = (spki: Buffer): Buffer => spki.subarray(spki.length - 32);

export async function signEd25519ph(pkcs8: Buffer, message: Buffer): Promise<Buffer> {
  const { ed25519ph } = await noble();
  return Buffer.from(ed25519ph.sign(message, ed25519Seed(pkcs8)));
}

export async function verifyEd25519ph(spki: Buffer, message: Buffer, signature: Buffer): Promise<boolean> {
  const { ed25519ph } = await noble();
  try {
    return ed25519ph.verify(signature, message, ed25519PublicKey(spki));
  } catch {
    return false;
  }
}
