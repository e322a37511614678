// GenerateDataKeyWithoutPlaintext — https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyWithoutPlaintext.html
// GenerateDataKey without the plaintext copy (data-key-common.ts); the model has no Recipient here.
import type { Handler } from '../context.ts';
import { generateDataKey } from './data-key-common.ts';

export const generateDataKeyWithoutPlaintext: Handler = async (input, ctx) => {
  const key = await generateDataKey(input, ctx, 'GenerateDataKeyWithoutPlaintext');
  return { CiphertextBlob: key.blob, KeyId: key.arn, KeyMaterialId: key.materialId };
};
