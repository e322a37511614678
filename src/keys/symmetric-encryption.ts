// Symmetric encryption under a key's material: the envelope of ciphertext.ts around AES-256-GCM, with the
// encryption context bound as authenticated data.
import { openAesGcm, sealAesGcm } from '../crypto/aes-gcm.ts';
import type { KeyMaterialRecord } from '../store/store.ts';
import { decodeHeader, encodeHeader, HEADER_BYTES, type EnvelopeHeader } from './ciphertext.ts';
import { canonicalEncryptionContext } from './encryption-context.ts';

export type EncryptionContext = Readonly<Record<string, string>> | undefined;

export function encryptSymmetric(
  secret: Uint8Array,
  material: KeyMaterialRecord,
  plaintext: Uint8Array,
  context: EncryptionContext,
): Buffer {
  const header = encodeHeader({ account: material.account, keyId: material.keyId, materialId: material.materialId });
  const aad = Buffer.concat([header, canonicalEncryptionContext(context)]);
  return Buffer.concat([header, sealAesGcm(secret, plaintext, aad)]);
}

/** The key and material a blob names; undefined when it is not a symmetric ciphertext at all. */
export const ciphertextHeader = (blob: Uint8Array): EnvelopeHeader | undefined => decodeHeader(blob);

/** The plaintext, or undefined when the blob was altered or the encryption context differs. */
export function decryptSymmetric(secret: Uint8Array, blob: Uint8Array, context: EncryptionContext): Buffer | undefined {
  const aad = Buffer.concat([blob.subarray(0, HEADER_BYTES), canonicalEncryptionContext(context)]);
  return openAesGcm(secret, blob.subarray(HEADER_BYTES), aad);
}
