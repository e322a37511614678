// GenerateDataKeyPair — https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyPair.html
// Shared with GenerateDataKeyPairWithoutPlaintext in data-key-pair.ts.
import type { Handler } from '../context.ts';
import { generateDataKeyPair as generate } from './data-key-pair.ts';

export const generateDataKeyPair: Handler = (input, ctx) => generate(input, ctx, 'GenerateDataKeyPair');
