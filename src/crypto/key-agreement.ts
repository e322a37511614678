// ECDH for DeriveSharedSecret on P-256/P-384/P-521 and SM2: the raw shared x-coordinate (SP 800-56A, no KDF).
// Keys are read from their DER directly and fed to node:crypto's ECDH, because Node 20 loads SM2 DER keys as
// a key type that crypto.diffieHellman rejects. On the SM2 curve, sm-crypto-v2 computes it: the OpenSSL of
// Node 24 refuses ECDH there ("Failed to compute ECDH key").
import { createECDH, type ECDH } from 'node:crypto';
import { ecPrivateScalar, parseEcSpki } from './ec-keys.ts';
import { smCrypto } from './sm2-cipher.ts';

/** Prepared ECDH objects by the opened secret: the vault returns the same Buffer for a material each time. */
const prepared = new WeakMap<Buffer, ECDH>();

/**
 * The ECDH shared secret of our PKCS #8 key on `curve` and the peer's SPKI, or undefined when the peer key
 * is not an EC key on that curve or not a valid point on it.
 */
export async function ecdhSharedSecret(privatePkcs8: Buffer, curve: string, peerSpki: Buffer): Promise<Buffer | undefined> {
  const peer = parseEcSpki(peerSpki);
  if (!peer || peer.curve !== curve) return undefined;
  if (curve === 'SM2') return sm2SharedSecret(privatePkcs8, peer.point);
  let ecdh = prepared.get(privatePkcs8);
  if (!ecdh) {
    ecdh = createECDH(curve);
    ecdh.setPrivateKey(ecPrivateScalar(privatePkcs8)); // derives the public point: one scalar multiplication
    prepared.set(privatePkcs8, ecdh);
  }
  try {
    return ecdh.computeSecret(peer.point);
  } catch {
    return undefined; // ERR_CRYPTO_ECDH_INVALID_PUBLIC_KEY: not on the curve
  }
}

async function sm2SharedSecret(privatePkcs8: Buffer, point: Buffer): Promise<Buffer | undefined> {
  const { sm2 } = await smCrypto();
  try {
    // The shared point comes back compressed (02/03 ‖ x): x is the secret.
    return Buffer.from(sm2.ecdh(ecPrivateScalar(privatePkcs8).toString('hex'), point.toString('hex'))).subarray(1);
  } catch {
    return undefined; // not a point on the curve
  }
}
