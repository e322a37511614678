// Encrypt — https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html
// Checks: model validation (Plaintext 1..4096) → resolve key (any identifier) → key state → authorize →
// key usage and algorithm → DryRun → encrypt under the current material.
import type { Handler } from '../context.ts';
import { KmsError } from '../errors.ts';
import { assertCanEncrypt } from '../keys/encrypting-key.ts';
import { currentMaterial, openMaterial } from '../keys/key-material.ts';
import { encryptSymmetric, type EncryptionContext } from '../keys/symmetric-encryption.ts';
import { stopIfDryRun } from './dry-run.ts';
import { recordUse } from './record-use.ts';
import { ANY_KEY, withKey } from './with-key.ts';

export const encrypt: Handler = (input, ctx) =>
  withKey(ctx, 'Encrypt', input.KeyId, ANY_KEY, async (tx, { key, arn }) => {
    const algorithm = (input.EncryptionAlgorithm as string | undefined) ?? 'SYMMETRIC_DEFAULT';
    assertCanEncrypt(key, arn, 'Encrypt', algorithm);
    stopIfDryRun(input);
    const material = await currentMaterial(tx, key);
    if (!material) throw new KmsError('KMSInvalidStateException', `${arn} is pending import.`);
    const plaintext = input.Plaintext as Buffer;
    let blob: Buffer;
    if (algorithm === 'SYMMETRIC_DEFAULT') {
      blob = encryptSymmetric(openMaterial(ctx.vault, material), material, plaintext, input.EncryptionContext as EncryptionContext);
    } else {
      throw new KmsError('UnsupportedOperationException', `Encrypt with ${algorithm} is not supported by Trent yet.`);
    }
    recordUse(ctx, key, 'Encrypt');
    return { CiphertextBlob: blob, KeyId: arn, EncryptionAlgorithm: algorithm };
  });
