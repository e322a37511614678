// UntagResource — https://docs.aws.amazon.com/kms/latest/APIReference/API_UntagResource.html
// Removing a tag key the key does not have is a silent success (model documentation).
import type { Handler } from '../context.ts';
import { CONSTRAINT, failureText, validationError } from '../protocol/validation-messages.ts';
import { noteTagChange } from './access-changes.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

export const untagResource: Handler = (input, ctx) => {
  const tagKeys = input.TagKeys as string[];
  // Same documented rule and chosen wording as TagResource with no tags.
  if (tagKeys.length === 0) {
    throw validationError([failureText("Value '[]'", 'tagKeys', CONSTRAINT.minLength(1))]);
  }
  return withKey(ctx, 'UntagResource', input.KeyId, KEY_ONLY, async (tx, { key }) => {
    await noteTagChange(ctx, tx, key);
    await tx.deleteTags(key, tagKeys);
    return undefined;
  });
};
