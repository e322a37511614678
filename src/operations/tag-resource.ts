// TagResource — https://docs.aws.amazon.com/kms/latest/APIReference/API_TagResource.html
// Checks: model lengths → tag rules (aws: prefix, duplicates, count) → key ID/ARN only → not pending
// deletion → authorize → upsert, refusing a total above 50 atomically.
import type { Handler } from '../context.ts';
import { applyTags, checkRequestTags } from '../keys/tags.ts';
import { CONSTRAINT, failureText, validationError } from '../protocol/validation-messages.ts';
import { noteTagChange } from './access-changes.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

export const tagResource: Handler = (input, ctx) => {
  const tags = checkRequestTags(input.Tags);
  // "TagResource and UntagResource fail when no tags are specified" (DG tag-permissions); the model
  // sets no minimum, so AWS's exact error is unrecorded: answered in Coral's wording for a min length.
  if (tags.length === 0) {
    throw validationError([failureText("Value '[]'", 'tags', CONSTRAINT.minLength(1))]);
  }
  return withKey(ctx, 'TagResource', input.KeyId, KEY_ONLY, async (tx, { key }) => {
    await noteTagChange(ctx, tx, key);
    await applyTags(tx, key, tags);
    return undefined;
  });
};
