// DisableKeyRotation — https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKeyRotation.html
// Checks: key ID or ARN → key state → authorize → symmetric AWS_KMS key → forget the schedule. Enabling it
// again starts a new schedule from that day (DG rotating-keys-disable: "based on the new rotation-enable date").
import type { Handler } from '../context.ts';
import { assertAutomaticRotationSupported } from '../keys/rotation-rules.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

export const disableKeyRotation: Handler = (input, ctx) =>
  withKey(ctx, 'DisableKeyRotation', input.KeyId, KEY_ONLY, async (tx, { key, arn }) => {
    assertAutomaticRotationSupported(key, arn);
    const { rotationPeriodInDays: _period, nextRotationAt: _next, ...rest } = key;
    await tx.updateKey(rest);
    return undefined;
  });
