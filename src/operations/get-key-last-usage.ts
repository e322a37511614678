// GetKeyLastUsage — https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyLastUsage.html
// The newest successful cryptographic use of a key: the tracker's unwritten record first, else the stored one.
// Key ID or key ARN only, same account only; every key state is allowed (key-state table).
import type { Handler } from '../context.ts';
import { epochSeconds } from '../keys/key-metadata.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

export const getKeyLastUsage: Handler = (input, ctx) =>
  withKey(ctx, 'GetKeyLastUsage', input.KeyId, KEY_ONLY, async (tx, { key }) => {
    const used = ctx.usage.pending(key) ?? (await tx.getKeyUsage(key));
    return {
      // "The globally unique identifier for the KMS key": the wording KeyMetadata.KeyId uses for the bare
      // key ID, where operations returning the ARN say "key ARN". Pinned in the test.
      KeyId: key.keyId,
      // CloudTrailEventId is left out: Trent writes no CloudTrail, so there is no event ID to point to.
      ...(used ? { KeyLastUsage: { Operation: used.operation, Timestamp: epochSeconds(used.usedAt), KmsRequestId: used.requestId } } : {}),
      // "The date KMS began recording … for this key, or the date the key was created, whichever is later":
      // Trent records every use from the moment a key exists, so tracking starts at the key's creation.
      TrackingStartDate: epochSeconds(key.createdAt),
      KeyCreationDate: epochSeconds(key.createdAt),
    };
  });
