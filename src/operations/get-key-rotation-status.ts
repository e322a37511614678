// GetKeyRotationStatus — https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html
// Key ID or key ARN, across accounts; every key state. RotationPeriodInDays and NextRotationDate only
// while rotation is on; OnDemandRotationStartDate never, as Trent completes on-demand rotations at once.
// A multi-Region replica answers with the set's shared schedule, which the primary writes to every key.
import type { Handler } from '../context.ts';
import { KmsError } from '../errors.ts';
import { epochSeconds } from '../keys/key-metadata.ts';
import { automaticRotationEnabled, isSymmetricEncryption } from '../keys/rotation-rules.ts';
import { withKey } from './with-key.ts';

export const getKeyRotationStatus: Handler = (input, ctx) =>
  withKey(ctx, 'GetKeyRotationStatus', input.KeyId, { allowAlias: false, allowCrossAccount: true }, async (_tx, { key, arn }) => {
    // Imported material or a custom key store: UnsupportedOperationException (DG key-state [6][7]).
    if (key.origin !== 'AWS_KMS') {
      throw new KmsError('UnsupportedOperationException', `${arn} origin is ${key.origin} which is not valid for this operation.`);
    }
    // Asymmetric and HMAC keys answer false rather than an error: Terraform reads the status of every
    // AWS_KMS key (terraform-provider-aws findKeyRotationEnabledByKeyID), floci-io/floci PR #618.
    if (!isSymmetricEncryption(key) || !automaticRotationEnabled(key)) return { KeyRotationEnabled: false, KeyId: arn };
    return {
      KeyRotationEnabled: true,
      KeyId: arn,
      RotationPeriodInDays: key.rotationPeriodInDays,
      NextRotationDate: epochSeconds(key.nextRotationAt!),
    };
  });
