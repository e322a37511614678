// VerifyMac — https://docs.aws.amazon.com/kms/latest/APIReference/API_VerifyMac.html
// Same checks as GenerateMac; a MAC that does not match is KMSInvalidMacException with an empty message
// (LS-snap), success answers MacValid: true.
import type { Handler } from '../context.ts';
import { verifyMac as hmacMatches } from '../crypto/mac.ts';
import { KmsError } from '../errors.ts';
import { openMaterial, requireCurrentMaterial } from '../keys/key-material.ts';
import { assertKeyUsage } from '../keys/key-usage.ts';
import { assertAlgorithmForKey } from '../keys/signing-rules.ts';
import { stopIfDryRun } from './dry-run.ts';
import { recordUse } from './record-use.ts';
import { ANY_KEY, withKey } from './with-key.ts';

export const verifyMac: Handler = (input, ctx) =>
  withKey(ctx, 'VerifyMac', input.KeyId, ANY_KEY, async (tx, { key, arn }) => {
    assertKeyUsage(key, arn, 'GENERATE_VERIFY_MAC', 'VerifyMac');
    const algorithm = input.MacAlgorithm as string;
    assertAlgorithmForKey(key.keySpec, key.keyUsage, algorithm);
    stopIfDryRun(input);
    const material = await requireCurrentMaterial(tx, key, arn);
    if (!hmacMatches(algorithm, openMaterial(ctx.vault, material), input.Message as Buffer, input.Mac as Buffer)) {
      throw new KmsError('KMSInvalidMacException', '');
    }
    recordUse(ctx, key, 'VerifyMac');
    return { KeyId: arn, MacValid: true, MacAlgorithm: algorithm };
  });
