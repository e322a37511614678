// AES-256-GCM with a random 96-bit IV: the one authenticated cipher under symmetric ciphertexts and the
// root key's sealing of key material. Layout of a sealed value: iv (12) ‖ ciphertext ‖ tag (16).
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { pooledRandomBytes } from './random-pool.ts';

export const GCM_IV_BYTES = 12;
export const GCM_TAG_BYTES = 16;

/**
 * Encrypts `plaintext` under a 32-byte key, authenticating `aad` too. `prefix`, when given, comes first in the
 * returned buffer (a ciphertext's header): one copy instead of two on every Encrypt.
 */
export function sealAesGcm(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array, prefix?: Uint8Array): Buffer {
  const iv = pooledRandomBytes(GCM_IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = cipher.update(plaintext);
  const final = cipher.final();
  const tag = cipher.getAuthTag();
  return prefix === undefined ? Buffer.concat([iv, body, final, tag]) : Buffer.concat([prefix, iv, body, final, tag]);
}

/** Decrypts a sealed value; undefined when it is truncated or fails authentication. */
export function openAesGcm(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Buffer | undefined {
  if (sealed.length < GCM_IV_BYTES + GCM_TAG_BYTES) return undefined;
  const iv = sealed.subarray(0, GCM_IV_BYTES);
  const tag = sealed.subarray(sealed.length - GCM_TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    const body = decipher.update(sealed.subarray(GCM_IV_BYTES, sealed.length - GCM_TAG_BYTES));
    // GCM is a stream mode: final() only checks the tag and gives no bytes.
    const final = decipher.final();
    return final.length === 0 ? body : Buffer.concat([body, final]);
  } catch {
    return undefined;
  }
}
