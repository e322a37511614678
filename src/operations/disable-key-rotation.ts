// DisableKeyRotation — https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKeyRotation.html
// Checks: key ID or ARN → key state → authorize → symmetric AWS_KMS key → not a multi-Region replica → forget
// the schedule, on every key of a multi-Region set. Enabling it again starts a new schedule from that day
// (DG rotating-keys-disable: "based on the new rotation-enable date").
import type { Handler } from '../context.ts';
import { assertNotReplica, syncSharedProperties } from '../keys/multi-region.ts';
import { assertAutomaticRotationSupported } from '../keys/rotation-rules.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

export const disableKeyRotation: Handler = (input, ctx) =>
  withKey(ctx, 'DisableKeyRotation', input.KeyId, KEY_ONLY, async (tx, { key, arn }) => {
    assertAutomaticRotationSupported(key, arn);
    assertNotReplica(key, arn);
    const { rotationPeriodInDays: _period, nextRotationAt: _next, ...rest } = key;
    await tx.updateKey(rest);
    await syncSharedProperties(tx, rest);
    return undefined;
  });
