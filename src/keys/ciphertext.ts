// The symmetric ciphertext envelope. Self-describing (Decrypt without KeyId finds the key and the material
// version), versioned and compact: 71 bytes plus the plaintext. The whole header is authenticated with the
// encryption context, so a changed byte anywhere fails as InvalidCiphertextException.
//
//   0      version (1)
//   1      flags: bit 0 = multi-Region key ID (mrk- + 32 hex), otherwise a UUID
//   2..6   account, 40-bit big-endian integer (12 decimal digits)
//   7..22  key ID, 16 bytes
//   23..54 material ID, 32 bytes (the 64-hex KeyMaterialId)
//   55..   AES-256-GCM: iv (12) ‖ ciphertext ‖ tag (16), AAD = bytes 0..54 ‖ canonical encryption context
import { GCM_IV_BYTES, GCM_TAG_BYTES } from '../crypto/aes-gcm.ts';

const VERSION = 1;
const FLAG_MRK = 1;
export const HEADER_BYTES = 55;
export const ENVELOPE_OVERHEAD = HEADER_BYTES + GCM_IV_BYTES + GCM_TAG_BYTES;

export interface EnvelopeHeader {
  account: string;
  keyId: string;
  materialId: string;
}

export function encodeHeader(h: EnvelopeHeader): Buffer {
  const out = Buffer.alloc(HEADER_BYTES);
  out[0] = VERSION;
  const mrk = h.keyId.startsWith('mrk-');
  out[1] = mrk ? FLAG_MRK : 0;
  out.writeUIntBE(Number(h.account), 2, 5);
  const idHex = mrk ? h.keyId.slice(4) : h.keyId.replaceAll('-', '');
  out.write(idHex, 7, 16, 'hex');
  out.write(h.materialId, 23, 32, 'hex');
  return out;
}

/** Reads the header of a blob; undefined when the blob cannot be a Trent symmetric ciphertext. */
export function decodeHeader(blob: Uint8Array): EnvelopeHeader | undefined {
  if (blob.length < ENVELOPE_OVERHEAD || blob[0] !== VERSION || (blob[1]! & ~FLAG_MRK) !== 0) return undefined;
  const b = Buffer.from(blob.buffer, blob.byteOffset, blob.length);
  const account = String(b.readUIntBE(2, 5)).padStart(12, '0');
  if (account.length !== 12) return undefined;
  const hex = b.toString('hex', 7, 23);
  const keyId =
    blob[1] === FLAG_MRK
      ? `mrk-${hex}`
      : `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { account, keyId, materialId: b.toString('hex', 23, HEADER_BYTES) };
}
