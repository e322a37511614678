// ListResourceTags — https://docs.aws.amazon.com/kms/latest/APIReference/API_ListResourceTags.html
// Key ID or key ARN only; every key state. Tags come sorted by tag key so pages are stable.
import type { Handler } from '../context.ts';
import { MAX_TAGS_PER_KEY } from '../keys/tags.ts';
import { pageOf, pageOutput, startAfter } from './paginate.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

export const listResourceTags: Handler = (input, ctx) =>
  withKey(ctx, 'ListResourceTags', input.KeyId, KEY_ONLY, async (tx, { key, arn }) => {
    const scope = `ListResourceTags:${arn}`;
    // The model allows Limit up to 1000 but the API documents 1..50; a key never holds more than 50
    // tags, so a larger Limit simply returns them all (AWS's answer for 51..1000 is unrecorded).
    const limit = Math.min((input.Limit as number | undefined) ?? MAX_TAGS_PER_KEY, MAX_TAGS_PER_KEY);
    const after = startAfter(ctx.markers, scope, input.Marker);
    const rows = await tx.listTags(key, after, limit + 1);
    const page = pageOf(rows, limit, ctx.markers, scope, (t) => t.tagKey);
    return pageOutput('Tags', page, (t) => ({ TagKey: t.tagKey, TagValue: t.tagValue }));
  });
