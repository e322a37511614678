// Tag rules shared by CreateKey, TagResource and ReplicateKey (spec §1). Lengths are model constraints,
// checked before any handler runs; these are the business rules, with AWS's exact TagException texts.
import { KmsError } from '../errors.ts';
import type { KeyRef, TagRecord, Tx } from '../store/store.ts';

export const MAX_TAGS_PER_KEY = 50;

const tooMany = () => new KmsError('TagException', 'Too many tags');

/** Input `Tags` ([{TagKey, TagValue}], already model-validated) → records, or AWS's TagException. */
export function checkRequestTags(input: unknown): TagRecord[] {
  const tags = (input as { TagKey: string; TagValue: string }[]).map((t) => ({ tagKey: t.TagKey, tagValue: t.TagValue }));
  // AWS rejects `aws:` and `AWS:` alike (LS-snap test_create_key_with_invalid_tag_key[uppercase_prefix]).
  if (tags.some((t) => t.tagKey.toLowerCase().startsWith('aws:'))) {
    throw new KmsError('TagException', 'Tags beginning with aws: are reserved');
  }
  if (new Set(tags.map((t) => t.tagKey)).size !== tags.length) throw new KmsError('TagException', 'Duplicate tag keys');
  if (tags.length > MAX_TAGS_PER_KEY) throw tooMany();
  return tags;
}

/**
 * Adds or replaces `tags` on a key inside the caller's transaction, refusing a change that would leave
 * more than 50 tags. Replacing an existing tag's value does not count as a new tag.
 */
export async function applyTags(tx: Tx, ref: KeyRef, tags: readonly TagRecord[]): Promise<void> {
  const existing = await tx.countTags(ref);
  if (existing + tags.length > MAX_TAGS_PER_KEY) {
    // Only keys not already on the key add to the count; read them only when the cheap bound fails.
    const present = new Set((await tx.listTags(ref, undefined, MAX_TAGS_PER_KEY)).map((t) => t.tagKey));
    const added = tags.filter((t) => !present.has(t.tagKey)).length;
    if (existing + added > MAX_TAGS_PER_KEY) throw tooMany();
  }
  await tx.putTags(ref, tags);
}
