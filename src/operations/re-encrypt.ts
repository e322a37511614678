// ReEncrypt — https://docs.aws.amazon.com/kms/latest/APIReference/API_ReEncrypt.html
// Decrypt under the source key and encrypt under the destination key inside Trent, in one transaction.
// Both keys go through the key-state row ReEncrypt; the caller needs kms:ReEncryptFrom on the source and
// kms:ReEncryptTo on the destination. Source errors come first (LS-snap test_re_encrypt_incorrect_source_key).
import type { Handler } from '../context.ts';
import { checkEncryption, encryptUnder } from '../keys/encrypting-key.ts';
import type { EncryptionContext } from '../keys/symmetric-encryption.ts';
import { openSource, readSource } from './decrypt-source.ts';
import { recordUse } from './record-use.ts';
import { ANY_KEY, authorizedKey } from './with-key.ts';

export const reEncrypt: Handler = async (input, ctx) => {
  const source = readSource(ctx, input, 'SourceKeyId');
  return ctx.transaction(async (tx) => {
    const from = await authorizedKey(tx, ctx, 'ReEncrypt', source.keyId, ANY_KEY, 'kms:ReEncryptFrom');
    const to = await authorizedKey(tx, ctx, 'ReEncrypt', input.DestinationKeyId, ANY_KEY, 'kms:ReEncryptTo');

    const destAlgorithm = (input.DestinationEncryptionAlgorithm as string | undefined) ?? 'SYMMETRIC_DEFAULT';
    const destContext = input.DestinationEncryptionContext as EncryptionContext;
    const opened = await openSource(ctx, tx, from.key, from.arn, {
      source,
      algorithm: input.SourceEncryptionAlgorithm,
      context: input.SourceEncryptionContext as EncryptionContext,
      operation: 'ReEncrypt',
      input,
      // The destination's usage error names the operation ReEncrypt (LS test_re_encrypt_invalid_destination_key
      // records InvalidKeyUsageException and notes AWS's operation name is ReEncrypt, not ReEncryptTo). The
      // plaintext size is only known after decrypting, so that check waits until then.
      moreChecks: () => checkEncryption(to.key, to.arn, 'ReEncrypt', destAlgorithm, 0, destContext),
    });
    checkEncryption(to.key, to.arn, 'ReEncrypt', destAlgorithm, opened.plaintext.length, destContext);
    const { blob, material } = await encryptUnder(tx, ctx.vault, to.key, to.arn, destAlgorithm, opened.plaintext, destContext);
    recordUse(ctx, from.key, 'ReEncrypt');
    recordUse(ctx, to.key, 'ReEncrypt');
    const out: Record<string, unknown> = {
      CiphertextBlob: blob,
      SourceKeyId: from.arn,
      KeyId: to.arn,
      SourceEncryptionAlgorithm: opened.algorithm,
      DestinationEncryptionAlgorithm: destAlgorithm,
    };
    if (opened.materialId !== undefined) out.SourceKeyMaterialId = opened.materialId;
    if (to.key.keySpec === 'SYMMETRIC_DEFAULT') out.DestinationKeyMaterialId = material.materialId;
    return out;
  });
};
