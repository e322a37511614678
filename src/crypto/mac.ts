// HMAC (RFC 2104) for GenerateMac/VerifyMac; the key is the raw secret of an HMAC_* key.
import { createHmac, timingSafeEqual } from 'node:crypto';

const HASHES: Readonly<Record<string, string>> = {
  HMAC_SHA_224: 'sha224',
  HMAC_SHA_256: 'sha256',
  HMAC_SHA_384: 'sha384',
  HMAC_SHA_512: 'sha512',
};

export function generateMac(algorithm: string, key: Buffer, message: Buffer): Buffer {
  const hash = HASHES[algorithm];
  if (!hash) throw new Error(`no HMAC for ${algorithm}`);
  return createHmac(hash, key).update(message).digest();
}

/** Constant-time comparison of the expected MAC with the one presented. */
export function verifyMac(algorithm: string, key: Buffer, message: Buffer, mac: Buffer): boolean {
  const expected = generateMac(algorithm, key, message);
  return mac.length === expected.length && timingSafeEqual(expected, mac);
}
