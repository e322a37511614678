// The largest plaintext each asymmetric key spec and algorithm can encrypt, with AWS's error text
// (LS-snap test_encrypt_validate_plaintext_size_per_key_type). RSA OAEP: modulus bytes − 2·hash − 2.
// SM2PKE: AWS documents 1024 bytes (Developer Guide, "SM2 key spec"); its text follows the RSA form.
import { KmsError } from '../errors.ts';

const MODULUS_BYTES: Readonly<Record<string, number>> = { RSA_2048: 256, RSA_3072: 384, RSA_4096: 512 };
const OAEP_HASH_BYTES: Readonly<Record<string, number>> = { RSAES_OAEP_SHA_1: 20, RSAES_OAEP_SHA_256: 32 };
const SM2PKE_MAX = 1024;

/** Undefined for SYMMETRIC_DEFAULT (the model's 4096-byte bound is the only limit). */
export function maxPlaintextBytes(keySpec: string, algorithm: string): number | undefined {
  const modulus = MODULUS_BYTES[keySpec];
  const hash = OAEP_HASH_BYTES[algorithm];
  if (modulus !== undefined && hash !== undefined) return modulus - 2 * hash - 2;
  if (keySpec === 'SM2' && algorithm === 'SM2PKE') return SM2PKE_MAX;
  return undefined;
}

export function assertPlaintextFits(keySpec: string, algorithm: string, length: number): void {
  const max = maxPlaintextBytes(keySpec, algorithm);
  if (max !== undefined && length > max) {
    throw new KmsError(
      'ValidationException',
      `Algorithm ${algorithm} and key spec ${keySpec} cannot encrypt data larger than ${max} bytes.`,
    );
  }
}
