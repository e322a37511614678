// Decrypt — https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html
// Symmetric ciphertexts name their key and material, so KeyId is optional; when given it must be that key
// (IncorrectKeyException). Checks: blob header → resolve key → state → authorize → usage → DryRun → open.
import type { Handler } from '../context.ts';
import { KmsError } from '../errors.ts';
import { keyArn } from '../keys/key-id.ts';
import { assertKeyUsage } from '../keys/key-usage.ts';
import { openMaterial } from '../keys/key-material.ts';
import { ciphertextHeader, decryptSymmetric, type EncryptionContext } from '../keys/symmetric-encryption.ts';
import { stopIfDryRun } from './dry-run.ts';
import { recordUse } from './record-use.ts';
import { ANY_KEY, withKey } from './with-key.ts';

/** AWS answers a blob it cannot use with an empty message (LS-snap test_encrypt_decrypt_encryption_context). */
export const invalidCiphertext = () => new KmsError('InvalidCiphertextException', '');
export const incorrectKey = () =>
  new KmsError('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');

export const decrypt: Handler = async (input, ctx) => {
  const blob = input.CiphertextBlob as Buffer;
  const header = ciphertextHeader(blob);
  if (input.KeyId === undefined && header === undefined) throw invalidCiphertext();
  const keyId = (input.KeyId as string | undefined) ?? keyArn(ctx.region, header!.account, header!.keyId);
  return withKey(ctx, 'Decrypt', keyId, ANY_KEY, async (tx, { key, arn }) => {
    assertKeyUsage(key, arn, 'ENCRYPT_DECRYPT', 'Decrypt');
    const algorithm = (input.EncryptionAlgorithm as string | undefined) ?? 'SYMMETRIC_DEFAULT';
    if (algorithm !== 'SYMMETRIC_DEFAULT' || key.keySpec !== 'SYMMETRIC_DEFAULT') {
      throw new KmsError('UnsupportedOperationException', `Decrypt with ${algorithm} is not supported by Trent yet.`);
    }
    if (header === undefined) throw invalidCiphertext();
    if (header.keyId !== key.keyId || header.account !== key.account) throw incorrectKey();
    stopIfDryRun(input);
    const material = await tx.getMaterial(key, header.materialId);
    if (!material || material.wrapped === undefined) throw invalidCiphertext();
    const plaintext = decryptSymmetric(openMaterial(ctx.vault, material), blob, input.EncryptionContext as EncryptionContext);
    if (plaintext === undefined) throw invalidCiphertext();
    recordUse(ctx, key, 'Decrypt');
    return { KeyId: arn, Plaintext: plaintext, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT', KeyMaterialId: material.materialId };
  });
};
