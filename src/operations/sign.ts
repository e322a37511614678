// Sign — https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html
// Checks: model validation (Message 1..4096) → resolve key (any identifier) → key state → authorize →
// key usage SIGN_VERIFY → algorithm of the key spec → MessageType and digest length → DryRun → sign.
import type { Handler } from '../context.ts';
import { sign as signMessage } from '../crypto/signing.ts';
import { openMaterial, publicKeyOf } from '../keys/key-material.ts';
import { recordUse } from './record-use.ts';
import { signingInput } from './signing-checks.ts';
import { ANY_KEY, withKey } from './with-key.ts';

export const sign: Handler = (input, ctx) =>
  withKey(ctx, 'Sign', input.KeyId, ANY_KEY, async (tx, { key, arn }) => {
    const { algorithm, messageType, message, material } = await signingInput(tx, input, key, arn, 'Sign');
    const secret = openMaterial(ctx.vault, material);
    const signature = await signMessage(key.keySpec, algorithm, messageType, { secret, publicKey: publicKeyOf(material) }, message);
    recordUse(ctx, key, 'Sign');
    return { KeyId: arn, Signature: signature, SigningAlgorithm: algorithm };
  });
