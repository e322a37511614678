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
  const header = headerOf(material);
  const encodedContext = canonicalEncryptionContext(context);
  const aad = encodedContext.length === 0 ? header : Buffer.concat([header, encodedContext]);
  return sealAesGcm(secret, plaintext, aad, header);
}

/**
 * A material's ciphertext header, encoded once per material record: the read cache hands out the same frozen
 * record each time (a record that could still change is encoded each time).
 */
const headers = new WeakMap<KeyMaterialRecord, Buffer>();

function headerOf(material: KeyMaterialRecord): Buffer {
  let header = headers.get(material);
  if (header === undefined) {
    header = encodeHeader({ account: material.account, keyId: material.keyId, materialId: material.materialId });
    if (Object.isFrozen(material)) headers.set(material, header);
  }
  return header;
}

/** The key and material a blob names; undefined when it is not a symmetric ciphertext at all. */
export const ciphertextHeader = (blob: Uint8Array): EnvelopeHeader | undefined => decodeHeader(blob);

/** The plaintext, or undefined when the blob was altered or the encryption context differs. */
export function decryptSymmetric(secret: Uint8Array, blob: Uint8Array, context: EncryptionContext): Buffer | undefined {
  const header = blob.subarray(0, HEADER_BYTES);
  const encodedContext = canonicalEncryptionContext(context);
  const aad = encodedContext.length === 0 ? header : Buffer.concat([header, encodedContext]);
  return openAesGcm(secret, blob.subarray(HEADER_BYTES), aad);
}
