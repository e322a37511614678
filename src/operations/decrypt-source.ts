// The decrypting half shared by Decrypt and ReEncrypt: which key a ciphertext names, and opening it.
// Symmetric blobs carry their key and material version (ciphertext.ts), so the KeyId is optional;
// asymmetric ciphertext is the raw OAEP/SM2 block and needs KeyId and the algorithm.
import type { Ctx } from '../context.ts';
import { asymmetricDecrypt } from '../crypto/asymmetric-encryption.ts';
import { KmsError } from '../errors.ts';
import { assertAlgorithm, assertNoContextForAsymmetric } from '../keys/encrypting-key.ts';
import { keyArn } from '../keys/key-id.ts';
import { currentMaterial, openMaterial } from '../keys/key-material.ts';
import { assertKeyUsage } from '../keys/key-usage.ts';
import { ciphertextHeader, decryptSymmetric, type EncryptionContext } from '../keys/symmetric-encryption.ts';
import type { EnvelopeHeader } from '../keys/ciphertext.ts';
import type { KeyRecord, Tx } from '../store/store.ts';
import { stopIfDryRun } from './dry-run.ts';

/** AWS answers a blob it cannot use with an empty message (LS-snap test_encrypt_decrypt_encryption_context). */
export const invalidCiphertext = () => new KmsError('InvalidCiphertextException', '');
/** LS-snap test_error_messaging_for_invalid_keys, test_re_encrypt_incorrect_source_key. */
export const incorrectKey = () =>
  new KmsError('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');

export interface Source {
  blob: Buffer | undefined;
  header: EnvelopeHeader | undefined;
  /** The key to resolve: the request's KeyId, else the key the symmetric blob names. */
  keyId: string;
  /** DryRun with DryRunModifiers IGNORE_CIPHERTEXT: authorization only, the blob is not examined. */
  ignoreCiphertext: boolean;
}

/** Reads the ciphertext and the key it must be opened with; `keyMember` is KeyId or SourceKeyId. */
export function readSource(ctx: Ctx, input: Record<string, unknown>, keyMember: 'KeyId' | 'SourceKeyId'): Source {
  const blob = input.CiphertextBlob as Buffer | undefined;
  const ignoreCiphertext =
    input.DryRun === true && ((input.DryRunModifiers as string[] | undefined) ?? []).includes('IGNORE_CIPHERTEXT');
  if (blob === undefined && !ignoreCiphertext) {
    // The model makes CiphertextBlob optional only for IGNORE_CIPHERTEXT; otherwise AWS's missing-member text.
    throw new KmsError(
      'ValidationException',
      "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null",
    );
  }
  const header = blob === undefined || ignoreCiphertext ? undefined : ciphertextHeader(blob);
  const requested = input[keyMember] as string | undefined;
  if (requested !== undefined) return { blob, header, keyId: requested, ignoreCiphertext };
  if (ignoreCiphertext) {
    // API Reference: the key ID "is required ... when DryRun is true and DryRunModifiers is set to IGNORE_CIPHERTEXT".
    throw new KmsError('ValidationException', `${keyMember} is required when DryRunModifiers is IGNORE_CIPHERTEXT.`);
  }
  // Not a Trent symmetric blob and no key named: nothing says which key could open it.
  if (header === undefined) throw invalidCiphertext();
  // A blob naming a key that no longer exists resolves to NotFoundException "Key '<arn>' does not exist",
  // as a deleted key is reported everywhere else; the key is in the same region as the blob's caller.
  return { blob, header, keyId: keyArn(ctx.region, header.account, header.keyId), ignoreCiphertext };
}

export interface Opened {
  plaintext: Buffer;
  algorithm: string;
  /** Symmetric keys only: the material version that opened the blob. */
  materialId?: string;
}

export interface OpenRequest {
  source: Source;
  algorithm: unknown;
  context: EncryptionContext;
  /** The name in key-usage errors (Decrypt or ReEncrypt). */
  operation: string;
  /** The request, for its DryRun flag. */
  input: Record<string, unknown>;
  /** Further checks to run after the source checks and before DryRun (ReEncrypt's destination). */
  moreChecks?: () => void;
}

/** Opens the source with the resolved key; throws AWS's errors. Runs the DryRun stop after the last check. */
export async function openSource(ctx: Ctx, tx: Tx, key: KeyRecord, arn: string, req: OpenRequest): Promise<Opened> {
  const { source, context, operation, input } = req;
  const algorithm = (req.algorithm as string | undefined) ?? 'SYMMETRIC_DEFAULT';
  if (key.keySpec !== 'SYMMETRIC_DEFAULT' && algorithm === 'SYMMETRIC_DEFAULT') {
    // A symmetric decryption with a key that is not a symmetric encryption key: AWS answers
    // IncorrectKeyException, also for an HMAC source key (LS-snap test_re_encrypt_incorrect_source_key; the
    // Terraform aws_kms_secrets docs note the same for asymmetric keys decrypted without their algorithm).
    throw incorrectKey();
  }
  assertKeyUsage(key, arn, 'ENCRYPT_DECRYPT', operation);
  assertAlgorithm(key, algorithm);
  if (source.ignoreCiphertext) {
    req.moreChecks?.();
    stopIfDryRun(input);
  }

  if (key.keySpec === 'SYMMETRIC_DEFAULT') {
    const header = source.header;
    if (header === undefined) throw invalidCiphertext();
    if (header.keyId !== key.keyId || header.account !== key.account) throw incorrectKey();
    req.moreChecks?.();
    stopIfDryRun(input);
    const material = await tx.getMaterial(key, header.materialId);
    if (!material || material.wrapped === undefined) throw invalidCiphertext();
    const plaintext = decryptSymmetric(openMaterial(ctx.vault, material), source.blob!, context);
    if (plaintext === undefined) throw invalidCiphertext();
    return { plaintext, algorithm, materialId: material.materialId };
  }

  assertNoContextForAsymmetric(key, context);
  req.moreChecks?.();
  stopIfDryRun(input);
  const material = await currentMaterial(tx, key);
  if (!material) throw invalidCiphertext();
  const plaintext = await asymmetricDecrypt(algorithm, openMaterial(ctx.vault, material), source.blob!);
  if (plaintext === undefined) throw invalidCiphertext();
  return { plaintext, algorithm };
}
