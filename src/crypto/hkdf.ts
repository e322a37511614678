// Subkeys of one secret for separate purposes (HKDF-SHA-256, RFC 5869), so the root key never keys two
// different constructions directly.
import { hkdfSync } from 'node:crypto';

export function deriveSubkey(secret: Uint8Array, purpose: string, bytes = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `trent ${purpose}`, bytes));
}
