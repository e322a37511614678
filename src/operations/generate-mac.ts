// GenerateMac — https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateMac.html
// Checks: model validation → resolve key → key state → authorize → key usage GENERATE_VERIFY_MAC →
// MacAlgorithm of the key spec (LS-snap test_invalid_generate_mac) → DryRun → HMAC.
import type { Handler } from '../context.ts';
import { generateMac as hmac } from '../crypto/mac.ts';
import { recordUse } from './record-use.ts';
import { macInput } from './signing-checks.ts';
import { ANY_KEY, withKey } from './with-key.ts';

export const generateMac: Handler = (input, ctx) =>
  withKey(ctx, 'GenerateMac', input.KeyId, ANY_KEY, async (tx, { key, arn }) => {
    const { algorithm, secret } = await macInput(tx, ctx, input, key, arn, 'GenerateMac');
    const mac = hmac(algorithm, secret, input.Message as Buffer);
    recordUse(ctx, key, 'GenerateMac');
    return { Mac: mac, MacAlgorithm: algorithm, KeyId: arn };
  });
