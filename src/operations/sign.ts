// Sign — https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html
// Checks: model validation (Message 1..4096) → resolve key (any identifier) → key state → authorize →
// key usage SIGN_VERIFY → algorithm of the key spec → MessageType and digest length → DryRun → sign.
import type { Handler } from '../context.ts';
import { sign as signMessage, type MessageType } from '../crypto/signing.ts';
import { openMaterial, publicKeyOf, requireCurrentMaterial } from '../keys/key-material.ts';
import { assertKeyUsage } from '../keys/key-usage.ts';
import { assertSigningRequest } from '../keys/signing-rules.ts';
import { stopIfDryRun } from './dry-run.ts';
import { recordUse } from './record-use.ts';
import { ANY_KEY, withKey } from './with-key.ts';

export const sign: Handler = (input, ctx) =>
  withKey(ctx, 'Sign', input.KeyId, ANY_KEY, async (tx, { key, arn }) => {
    assertKeyUsage(key, arn, 'SIGN_VERIFY', 'Sign');
    const algorithm = input.SigningAlgorithm as string;
    const messageType = ((input.MessageType as string | undefined) ?? 'RAW') as MessageType;
    const message = input.Message as Buffer;
    assertSigningRequest(key.keySpec, algorithm, messageType, message);
    stopIfDryRun(input);
    const material = await requireCurrentMaterial(tx, key, arn);
    const secret = openMaterial(ctx.vault, material);
    const signature = signMessage(key.keySpec, algorithm, messageType, { secret, publicKey: publicKeyOf(material) }, message);
    recordUse(ctx, key, 'Sign');
    return { KeyId: arn, Signature: signature, SigningAlgorithm: algorithm };
  });
