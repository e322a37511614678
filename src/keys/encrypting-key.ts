// What every operation that encrypts under a KMS key shares (Encrypt, GenerateDataKey*, ReEncrypt's
// destination): key usage ENCRYPT_DECRYPT, an algorithm the key supports, no encryption context on
// asymmetric keys, AWS's plaintext limits, and the encryption itself under the current material.
import { asymmetricEncrypt } from '../crypto/asymmetric-encryption.ts';
import { KmsError } from '../errors.ts';
import type { KeyMaterialRecord, KeyRecord, Tx } from '../store/store.ts';
import { openMaterial, publicKeyOf, requireCurrentMaterial } from './key-material.ts';
import { algorithmsFor } from './key-spec.ts';
import { assertKeyUsage } from './key-usage.ts';
import { assertPlaintextFits } from './plaintext-limits.ts';
import { encryptSymmetric, type EncryptionContext } from './symmetric-encryption.ts';
import type { MaterialVault } from './vault.ts';

/** AWS's text when a key does not support an algorithm (zalando/spring-cloud-config-aws-kms#82:
 *  "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_4096."; same form as the HMAC
 *  text of LS-snap test_invalid_generate_mac). */
export const incompatibleAlgorithm = (algorithm: string, keySpec: string) =>
  new KmsError('InvalidKeyUsageException', `Algorithm ${algorithm} is incompatible with key spec ${keySpec}.`);

/** Throws unless the key is an encryption key that supports `algorithm`. */
export function assertCanEncrypt(key: KeyRecord, arn: string, operation: string, algorithm: string): void {
  assertKeyUsage(key, arn, 'ENCRYPT_DECRYPT', operation);
  assertAlgorithm(key, algorithm);
}

export function assertAlgorithm(key: KeyRecord, algorithm: string): void {
  const supported = algorithmsFor(key.keySpec, key.keyUsage)?.algorithms ?? [];
  if (!supported.includes(algorithm)) throw incompatibleAlgorithm(algorithm, key.keySpec);
}

/** The API Reference says an encryption context "is valid only for cryptographic operations with a
 *  symmetric encryption KMS key"; AWS's answer to one on an asymmetric key is unrecorded, so Trent
 *  refuses it rather than silently dropping what the caller meant to bind (an empty map is no context). */
export function assertNoContextForAsymmetric(key: KeyRecord, context: EncryptionContext): void {
  if (key.keySpec !== 'SYMMETRIC_DEFAULT' && context !== undefined && Object.keys(context).length > 0) {
    throw new KmsError('ValidationException', 'EncryptionContext is not supported for asymmetric KMS keys.');
  }
}

/** All the checks of an encryption under `key`, in AWS's order; call before DryRun. */
export function checkEncryption(
  key: KeyRecord,
  arn: string,
  operation: string,
  algorithm: string,
  plaintextLength: number,
  context: EncryptionContext,
): void {
  assertCanEncrypt(key, arn, operation, algorithm);
  assertNoContextForAsymmetric(key, context);
  assertPlaintextFits(key.keySpec, algorithm, plaintextLength);
}

export interface Encrypted {
  blob: Buffer;
  material: KeyMaterialRecord;
}

/** Encrypts under the key's current material; the caller has run checkEncryption. */
export async function encryptUnder(
  tx: Tx,
  vault: MaterialVault,
  key: KeyRecord,
  arn: string,
  algorithm: string,
  plaintext: Uint8Array,
  context: EncryptionContext,
): Promise<Encrypted> {
  const material = await requireCurrentMaterial(tx, key, arn);
  if (algorithm === 'SYMMETRIC_DEFAULT') {
    return { blob: encryptSymmetric(openMaterial(vault, material), material, plaintext, context), material };
  }
  return { blob: await asymmetricEncrypt(algorithm, publicKeyOf(material), plaintext), material };
}
