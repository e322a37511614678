// Decrypt — https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html
// Checks: blob/KeyId → resolve key → state → authorize → symmetric blob names this key (IncorrectKey) →
// usage and algorithm → DryRun → open. Symmetric blobs open on any material version they name.
import type { Handler } from '../context.ts';
import type { EncryptionContext } from '../keys/symmetric-encryption.ts';
import { refuseRecipient } from './decrypt-recipient.ts';
import { openSource, readSource } from './decrypt-source.ts';
import { recordUse } from './record-use.ts';
import { ANY_KEY, withKey } from './with-key.ts';

export { incorrectKey, invalidCiphertext } from './decrypt-source.ts';

export const decrypt: Handler = async (input, ctx) => {
  refuseRecipient(input);
  const source = readSource(ctx, input, 'KeyId');
  return withKey(ctx, 'Decrypt', source.keyId, ANY_KEY, async (tx, { key, arn }) => {
    const context = input.EncryptionContext as EncryptionContext;
    const opened = await openSource(ctx, tx, key, arn, { source, algorithm: input.EncryptionAlgorithm, context, operation: 'Decrypt', input });
    recordUse(ctx, key, 'Decrypt');
    const out: Record<string, unknown> = { KeyId: arn, Plaintext: opened.plaintext, EncryptionAlgorithm: opened.algorithm };
    if (opened.materialId !== undefined) out.KeyMaterialId = opened.materialId;
    return out;
  });
};
