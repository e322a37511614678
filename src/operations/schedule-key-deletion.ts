// ScheduleKeyDeletion — https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html
// The model allows 1..365 days; AWS itself accepts 7..30 (default 30). The response names the key by ARN.
import type { Handler } from '../context.ts';
import { KmsError } from '../errors.ts';
import { epochSeconds } from '../keys/key-metadata.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export const scheduleKeyDeletion: Handler = (input, ctx) => {
  const days = (input.PendingWindowInDays as number | undefined) ?? 30;
  // Observed AWS text (Skyscanner/kms-issuer#8): "ValidationException: PendingWindowInDays must be between 7 and 30".
  if (days < 7 || days > 30) throw new KmsError('ValidationException', 'PendingWindowInDays must be between 7 and 30');
  return withKey(ctx, 'ScheduleKeyDeletion', input.KeyId, KEY_ONLY, async (tx, { key, arn }) => {
    const deletionDate = ctx.clock.now() + days * DAY_MS;
    await tx.updateKey({ ...key, keyState: 'PendingDeletion', deletionDate });
    return { KeyId: arn, DeletionDate: epochSeconds(deletionDate), KeyState: 'PendingDeletion', PendingWindowInDays: days };
  });
};
