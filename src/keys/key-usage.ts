// Which KeyUsage an operation needs, with AWS's InvalidKeyUsageException text naming the key ARN
// (LS-snap test_invalid_key_usage: "<arn> key usage is SIGN_VERIFY which is not valid for Encrypt.").
import { KmsError } from '../errors.ts';
import type { KeyRecord } from '../store/store.ts';

export function invalidKeyUsage(arn: string, keyUsage: string, operation: string): KmsError {
  return new KmsError('InvalidKeyUsageException', `${arn} key usage is ${keyUsage} which is not valid for ${operation}.`);
}

/** Throws InvalidKeyUsageException unless the key's usage is `usage`. */
export function assertKeyUsage(key: KeyRecord, arn: string, usage: string, operation: string): void {
  if (key.keyUsage !== usage) throw invalidKeyUsage(arn, key.keyUsage, operation);
}
