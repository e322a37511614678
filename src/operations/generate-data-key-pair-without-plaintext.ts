// GenerateDataKeyPairWithoutPlaintext — https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyPairWithoutPlaintext.html
// GenerateDataKeyPair without PrivateKeyPlaintext; shared code in data-key-pair.ts.
import type { Handler } from '../context.ts';
import { generateDataKeyPair } from './data-key-pair.ts';

export const generateDataKeyPairWithoutPlaintext: Handler = (input, ctx) =>
  generateDataKeyPair(input, ctx, 'GenerateDataKeyPairWithoutPlaintext');
