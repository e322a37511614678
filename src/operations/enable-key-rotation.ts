// EnableKeyRotation — https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html
// Checks: key ID or ARN → key state → authorize → symmetric AWS_KMS key → not a multi-Region replica → schedule
// the next rotation, on every key of a multi-Region set ("set the property on the primary key"; KMS copies it
// to the replicas, DG multi-region-keys-manage).
import type { Handler } from '../context.ts';
import { assertNotReplica, syncSharedProperties } from '../keys/multi-region.ts';
import { assertAutomaticRotationSupported, DAY_MS, DEFAULT_ROTATION_PERIOD_DAYS } from '../keys/rotation-rules.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

export const enableKeyRotation: Handler = (input, ctx) =>
  withKey(ctx, 'EnableKeyRotation', input.KeyId, KEY_ONLY, async (tx, { key, arn }) => {
    assertAutomaticRotationSupported(key, arn);
    assertNotReplica(key, arn);
    const period = (input.RotationPeriodInDays as number | undefined) ?? DEFAULT_ROTATION_PERIOD_DAYS;
    const now = ctx.clock.now();
    let next = now + period * DAY_MS;
    if (key.rotationPeriodInDays !== undefined && key.nextRotationAt !== undefined) {
      // Already enabled: a new period counts from the start of the current cycle (the last automatic
      // rotation, or the day rotation was enabled), not from today, so re-sending the same period (as
      // Terraform does) leaves the schedule alone. A cycle already past its new end rotates at the next sweep.
      next = key.nextRotationAt - key.rotationPeriodInDays * DAY_MS + period * DAY_MS;
    }
    const updated = { ...key, rotationPeriodInDays: period, nextRotationAt: next };
    await tx.updateKey(updated);
    await syncSharedProperties(tx, updated);
    return undefined;
  });
