// Random bytes cut from a pool filled by the CSPRNG 4 KB at a time: randomBytes' fixed cost per call showed in
// the profiles of Encrypt (its IV) and GenerateDataKey (its key). A pool is replaced when used up, never
// rewritten, so no byte is handed out twice.
import { randomBytes } from 'node:crypto';

const POOL_BYTES = 4096;
/** Larger requests (GenerateRandom up to 1024 bytes) go to the CSPRNG directly. */
const MAX_POOLED = 256;

let pool = Buffer.alloc(0);
let at = 0;

export function pooledRandomBytes(n: number): Buffer {
  if (n > MAX_POOLED) return randomBytes(n);
  if (at + n > pool.length) [pool, at] = [randomBytes(POOL_BYTES), 0];
  return pool.subarray(at, (at += n));
}
