// HMAC-SHA256 under a fixed key as two one-shot hashes over preallocated pads (RFC 2104). SigV4 checks one
// signature per request: this makes no Hmac object, native handle or Buffer per call (each costs the
// garbage collector more than the hashing), and answers in hex, the form signatures arrive in.
import { hash } from 'node:crypto';

const BLOCK = 64;
const DIGEST = 32;
/** Messages up to this many bytes use the preallocated buffer; longer ones allocate. */
const SCRATCH = 1024;

/** A function computing hex(HMAC-SHA256(key, message)) for Latin-1 `message` strings (SigV4's are ASCII). */
export function keyedHmacSha256Hex(key: Uint8Array): (message: string) => string {
  if (key.length > BLOCK) throw new Error('HMAC keys longer than the block size must be hashed first');
  const inner = Buffer.alloc(BLOCK + SCRATCH);
  const outer = Buffer.alloc(BLOCK + DIGEST);
  for (let i = 0; i < BLOCK; i++) {
    const k = key[i] ?? 0;
    inner[i] = k ^ 0x36;
    outer[i] = k ^ 0x5c;
  }
  // SigV4's strings to sign under one key all have the same length: the view of the pad and message is kept.
  let view = inner.subarray(0, BLOCK);
  return (message) => {
    const length = message.length;
    if (length > SCRATCH) {
      const input = Buffer.concat([inner.subarray(0, BLOCK), Buffer.alloc(length)]);
      input.write(message, BLOCK, 'latin1');
      outer.write(hash('sha256', input, 'binary'), BLOCK, 'latin1');
    } else {
      if (view.length !== BLOCK + length) view = inner.subarray(0, BLOCK + length);
      inner.write(message, BLOCK, 'latin1');
      outer.write(hash('sha256', view, 'binary'), BLOCK, 'latin1');
    }
    return hash('sha256', outer, 'hex');
  };
}

/** Compares two strings in time that depends only on their length. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
