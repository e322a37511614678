// The checks every operation that encrypts under a KMS key shares (Encrypt, GenerateDataKey*, ReEncrypt's
// destination): key usage ENCRYPT_DECRYPT, and an algorithm the key supports.
import { KmsError } from '../errors.ts';
import type { KeyRecord } from '../store/store.ts';
import { algorithmsFor } from './key-spec.ts';
import { assertKeyUsage } from './key-usage.ts';

export function assertCanEncrypt(key: KeyRecord, arn: string, operation: string, algorithm: string): void {
  assertKeyUsage(key, arn, 'ENCRYPT_DECRYPT', operation);
  const supported = algorithmsFor(key.keySpec, key.keyUsage)?.algorithms ?? [];
  if (!supported.includes(algorithm)) {
    throw new KmsError('InvalidKeyUsageException', `Algorithm ${algorithm} is incompatible with key spec ${key.keySpec}.`);
  }
}
