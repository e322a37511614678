// VerifyMac — https://docs.aws.amazon.com/kms/latest/APIReference/API_VerifyMac.html
// Same checks as GenerateMac; a MAC that does not match is KMSInvalidMacException with an empty message
// (LS-snap), success answers MacValid: true.
import type { Handler } from '../context.ts';
import { verifyMac as hmacMatches } from '../crypto/mac.ts';
import { KmsError } from '../errors.ts';
import { recordUse } from './record-use.ts';
import { macInput } from './signing-checks.ts';
import { ANY_KEY, withKey } from './with-key.ts';

export const verifyMac: Handler = (input, ctx) =>
  withKey(ctx, 'VerifyMac', input.KeyId, ANY_KEY, async (tx, { key, arn }) => {
    const { algorithm, secret } = await macInput(tx, ctx, input, key, arn, 'VerifyMac');
    if (!hmacMatches(algorithm, secret, input.Message as Buffer, input.Mac as Buffer)) {
      throw new KmsError('KMSInvalidMacException', '');
    }
    recordUse(ctx, key, 'VerifyMac');
    return { KeyId: arn, MacValid: true, MacAlgorithm: algorithm };
  });
