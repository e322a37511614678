// GenerateMac — https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateMac.html
// Checks: model validation → resolve key → key state → authorize → key usage GENERATE_VERIFY_MAC →
// MacAlgorithm of the key spec (LS-snap test_invalid_generate_mac) → DryRun → HMAC.
import type { Handler } from '../context.ts';
import { generateMac as hmac } from '../crypto/mac.ts';
import { openMaterial, requireCurrentMaterial } from '../keys/key-material.ts';
import { assertKeyUsage } from '../keys/key-usage.ts';
import { assertAlgorithmForKey } from '../keys/signing-rules.ts';
import { stopIfDryRun } from './dry-run.ts';
import { recordUse } from './record-use.ts';
import { ANY_KEY, withKey } from './with-key.ts';

export const generateMac: Handler = (input, ctx) =>
  withKey(ctx, 'GenerateMac', input.KeyId, ANY_KEY, async (tx, { key, arn }) => {
    assertKeyUsage(key, arn, 'GENERATE_VERIFY_MAC', 'GenerateMac');
    const algorithm = input.MacAlgorithm as string;
    assertAlgorithmForKey(key.keySpec, key.keyUsage, algorithm);
    stopIfDryRun(input);
    const material = await requireCurrentMaterial(tx, key, arn);
    const mac = hmac(algorithm, openMaterial(ctx.vault, material), input.Message as Buffer);
    recordUse(ctx, key, 'GenerateMac');
    return { Mac: mac, MacAlgorithm: algorithm, KeyId: arn };
  });
