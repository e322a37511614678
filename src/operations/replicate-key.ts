// ReplicateKey — https://docs.aws.amazon.com/kms/latest/APIReference/API_ReplicateKey.html
// Checks: model validation → tag rules → the primary (key ID or ARN, this account) → authorize kms:ReplicateKey
// on it (kms:ReplicaRegion) → key state → a multi-Region primary → a Region without this key → kms:CreateKey in
// the replica Region, and kms:TagResource when Tags are given → the replica's key policy → the replica, Creating
// for a moment, with a copy of every material and its own description, policy and tags (never synchronised).
import type { Handler } from '../context.ts';
import { KmsError } from '../errors.ts';
import { defaultKeyPolicy } from '../keys/default-policy.ts';
import { keyArn } from '../keys/key-id.ts';
import { toKeyMetadata } from '../keys/key-metadata.ts';
import { isMultiRegionPrimary, keySet, materialCopy } from '../keys/multi-region.ts';
import { checkRequestTags } from '../keys/tags.ts';
import { inTransition } from '../keys/transitions.ts';
import type { KeyRecord } from '../store/store.ts';
import { authorizedKey, KEY_ONLY } from './with-key.ts';

export const replicateKey: Handler = async (input, ctx) => {
  const replicaRegion = input.ReplicaRegion as string;
  const tags = input.Tags === undefined ? [] : checkRequestTags(input.Tags);
  return ctx.transaction(async (tx) => {
    const { key: primary, arn } = await authorizedKey(tx, ctx, 'ReplicateKey', input.KeyId, KEY_ONLY);
    // Recorded from AWS for a replica (spec §5.3 [V]); a single-Region key is not a primary either.
    if (!isMultiRegionPrimary(primary)) {
      throw new KmsError('UnsupportedOperationException', `${arn} is not a multi-region primary key.`);
    }
    const replicaArn = keyArn(replicaRegion, primary.account, primary.keyId);
    const set = await keySet(tx, primary);
    if (set.some((k) => k.region === replicaRegion)) {
      // "each must be in a different Region" (API ReplicateKey); AWS's text is unrecorded.
      throw new KmsError('AlreadyExistsException', `${replicaArn} already exists`);
    }
    await ctx.authorize(undefined, { action: 'kms:CreateKey', resource: '*' });
    // "To use this parameter, you must have kms:TagResource permission in an IAM policy" (ReplicateKey Tags).
    if (tags.length > 0) await ctx.authorize(undefined, { action: 'kms:TagResource', resource: '*', namedInDenial: false });

    const now = ctx.clock.now();
    const policy = (input.Policy as string | undefined) ?? defaultKeyPolicy(primary.account);
    const replica: KeyRecord = inTransition(
      {
        account: primary.account,
        region: replicaRegion,
        keyId: primary.keyId,
        createdAt: now,
        // The description is the replica's own, not the primary's (spec §5.3 [V]).
        description: (input.Description as string | undefined) ?? '',
        keySpec: primary.keySpec,
        keyUsage: primary.keyUsage,
        origin: primary.origin,
        keyManager: primary.keyManager,
        keyState: 'Creating',
        multiRegion: true,
        primaryRegion: primary.region,
        policy,
        ...(primary.currentKeyMaterialId !== undefined ? { currentKeyMaterialId: primary.currentKeyMaterialId } : {}),
        ...(primary.rotationPeriodInDays !== undefined ? { rotationPeriodInDays: primary.rotationPeriodInDays } : {}),
        ...(primary.nextRotationAt !== undefined ? { nextRotationAt: primary.nextRotationAt } : {}),
      },
      'Creating',
      now + ctx.multiRegionDelayMs,
      // Imported key material is not copied: each replica imports the same material itself (DG multi-region-keys-import).
      primary.origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled',
    );
    if (input.Policy !== undefined) {
      await ctx.checkKeyPolicy(undefined, replica, replicaArn, policy, input.BypassPolicyLockoutSafetyCheck === true);
    }
    await tx.insertKey(replica);
    if (primary.origin !== 'EXTERNAL') {
      for (const m of await tx.listMaterials(primary)) await tx.putMaterial(materialCopy(ctx.vault, m, replica));
    }
    if (tags.length > 0) await tx.putTags(replica, tags);
    return {
      ReplicaKeyMetadata: toKeyMetadata(replica, [...set, replica]),
      ReplicaPolicy: policy,
      ReplicaTags: tags.map((t) => ({ TagKey: t.tagKey, TagValue: t.tagValue })),
    };
  });
};
