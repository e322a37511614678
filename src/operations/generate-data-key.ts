// GenerateDataKey — https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html
// A fresh data key, in plaintext and encrypted under a symmetric encryption KMS key (data-key-common.ts).
import type { Handler } from '../context.ts';
import { generateDataKey as generate } from './data-key-common.ts';

export const generateDataKey: Handler = async (input, ctx) => {
  const key = await generate(input, ctx, 'GenerateDataKey');
  return { CiphertextBlob: key.blob, Plaintext: key.plaintext, KeyId: key.arn, KeyMaterialId: key.materialId };
};
