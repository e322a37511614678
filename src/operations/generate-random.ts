// GenerateRandom — https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateRandom.html
// The model leaves NumberOfBytes optional but bounds it 1..1024; AWS requires it with its own text
// (LS-snap test_generate_random_invalid_number_of_bytes[None]: "NumberOfBytes is required.").
import { randomBytes } from 'node:crypto';
import type { Handler } from '../context.ts';
import { KmsError } from '../errors.ts';
import { refuseRecipient } from './decrypt-recipient.ts';

export const generateRandom: Handler = async (input, ctx) => {
  if (input.NumberOfBytes === undefined) throw new KmsError('ValidationException', 'NumberOfBytes is required.');
  refuseRecipient(input);
  await ctx.authorize(undefined, { action: 'kms:GenerateRandom', resource: '*' });
  if (input.CustomKeyStoreId !== undefined) {
    // Trent has no custom key stores, so any ID names a store that does not exist (as in CreateKey).
    throw new KmsError('CustomKeyStoreNotFoundException', `Custom key store '${String(input.CustomKeyStoreId)}' does not exist.`);
  }
  return { Plaintext: randomBytes(input.NumberOfBytes as number) };
};
