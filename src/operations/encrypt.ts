// Encrypt — https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html
// Checks: model validation (Plaintext 1..4096) → resolve key (any identifier) → key state → authorize →
// key usage, algorithm, context, size → DryRun → encrypt under the current material. Asymmetric keys give
// the raw RSAES-OAEP / SM2PKE ciphertext, as AWS does, so it interoperates with offline public-key use.
import type { Handler } from '../context.ts';
import { checkEncryption, encryptUnder } from '../keys/encrypting-key.ts';
import type { EncryptionContext } from '../keys/symmetric-encryption.ts';
import { stopIfDryRun } from './dry-run.ts';
import { recordUse } from './record-use.ts';
import { ANY_KEY, withKey } from './with-key.ts';

export const encrypt: Handler = (input, ctx) =>
  withKey(ctx, 'Encrypt', input.KeyId, ANY_KEY, async (tx, { key, arn }) => {
    // AWS defaults to SYMMETRIC_DEFAULT even for asymmetric keys, which then fails as incompatible.
    const algorithm = (input.EncryptionAlgorithm as string | undefined) ?? 'SYMMETRIC_DEFAULT';
    const plaintext = input.Plaintext as Buffer;
    const context = input.EncryptionContext as EncryptionContext;
    checkEncryption(key, arn, 'Encrypt', algorithm, plaintext.length, context);
    stopIfDryRun(input);
    const { blob } = await encryptUnder(tx, ctx.vault, key, arn, algorithm, plaintext, context);
    recordUse(ctx, key, 'Encrypt');
    return { CiphertextBlob: blob, KeyId: arn, EncryptionAlgorithm: algorithm };
  });
