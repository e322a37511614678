// ReplicateKey — https://docs.aws.amazon.com/kms/latest/APIReference/API_ReplicateKey.html
// Checks: model validation → tag rules → the primary (key ID or ARN, this account) → authorize kms:ReplicateKey
// on it (kms:ReplicaRegion) → key state → a multi-Region primary → a Region without this key → kms:CreateKey in
// the replica Region, and kms:TagResource when Tags are given → the replica's key policy → the replica, Creating
// for a moment, with a copy of every material and its own description, policy and tags (never synchronised).
import type { ConditionInput, Handler } from '../context.ts';
import { KmsError } from '../errors.ts';
import { defaultKeyPolicy } from '../keys/default-policy.ts';
import { keyArn } from '../keys/key-id.ts';
import { toKeyMetadata } from '../keys/key-metadata.ts';
import { awaitingImport } from '../keys/imported-material.ts';
import { isMultiRegionPrimary, keySet, materialCopy, notMultiRegionPrimary } from '../keys/multi-region.ts';
import { isDeletionDue, purgeKey } from '../keys/resolve-key.ts';
import { checkRequestTags } from '../keys/tags.ts';
import { inTransition } from '../keys/transitions.ts';
import type { KeyRecord } from '../store/store.ts';
import { authorizedKey, KEY_ONLY } from './with-key.ts';

/**
 * The condition keys of the CreateKey that ReplicateKey performs in the replica Region (CloudTrail records
 * one there, API ReplicateKey). AWS does not list them for this case; Trent gives the replica's own, as
 * CreateKey gives the new key's (kms:MultiRegionKeyType REPLICA: the key being created is a replica).
 */
function replicaCreateConditions(primary: KeyRecord): Record<string, ConditionInput> {
  return {
    'kms:KeySpec': primary.keySpec,
    'kms:KeyUsage': primary.keyUsage,
    'kms:KeyOrigin': primary.origin,
    'kms:MultiRegion': 'true',
    'kms:MultiRegionKeyType': 'REPLICA',
  };
}

export const replicateKey: Handler = async (input, ctx) => {
  const replicaRegion = input.ReplicaRegion as string;
  const tags = input.Tags === undefined ? [] : checkRequestTags(input.Tags);
  return ctx.transaction(async (tx) => {
    const { key: primary, arn } = await authorizedKey(tx, ctx, 'ReplicateKey', input.KeyId, KEY_ONLY);
    // Recorded from AWS for a replica (spec §5.3 [V]); a single-Region key is not a primary either.
    if (!isMultiRegionPrimary(primary)) throw notMultiRegionPrimary(arn);
    const replicaArn = keyArn(replicaRegion, primary.account, primary.keyId);
    const now = ctx.clock.now();
    const stored = await keySet(tx, primary);
    // A replica whose waiting period is over is gone, even before the sweeper removes its rows.
    for (const gone of stored.filter((k) => isDeletionDue(k, now))) await purgeKey(tx, gone, gone.deletionDate ?? now);
    const set = stored.filter((k) => !isDeletionDue(k, now));
    // "You cannot create more than one replica of a primary key in any Region … AlreadyExistsException" (API
    // ReplicateKey), even while that replica is PendingDeletion. The primary's own Region is refused the same
    // way: the key ID exists there. AWS's text is unrecorded; Trent's names the key that is in the way.
    if (set.some((k) => k.region === replicaRegion)) {
      throw new KmsError('AlreadyExistsException', `${replicaArn} already exists`);
    }
    // "kms:CreateKey in an IAM policy in the replica Region" and, "to use the Tags parameter, kms:TagResource in an
    // IAM policy in the replica Region" (API ReplicateKey, Required permissions): aws:RequestedRegion is that Region.
    await ctx.authorize(undefined, { action: 'kms:CreateKey', resource: '*', region: replicaRegion, conditions: replicaCreateConditions(primary) });
    if (tags.length > 0) await ctx.authorize(undefined, { action: 'kms:TagResource', resource: '*', region: replicaRegion, namedInDenial: false });

    const policy = (input.Policy as string | undefined) ?? defaultKeyPolicy(primary.account);
    // Imported key material is neither copied nor synchronised: each replica imports the same material itself
    // (DG multi-region-keys-import), so an EXTERNAL replica starts with none and ends up PendingImport.
    const imported = primary.origin === 'EXTERNAL';
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
        ...(!imported && primary.currentKeyMaterialId !== undefined ? { currentKeyMaterialId: primary.currentKeyMaterialId } : {}),
        // Automatic rotation is a shared property (API ReplicateKey); keys with imported material have none.
        ...(primary.rotationPeriodInDays !== undefined ? { rotationPeriodInDays: primary.rotationPeriodInDays } : {}),
        ...(primary.nextRotationAt !== undefined ? { nextRotationAt: primary.nextRotationAt } : {}),
      },
      'Creating',
      now + ctx.multiRegionDelayMs,
      imported ? 'PendingImport' : 'Enabled',
    );
    if (input.Policy !== undefined) {
      await ctx.checkKeyPolicy(undefined, replica, replicaArn, policy, input.BypassPolicyLockoutSafetyCheck === true);
    }
    await tx.insertKey(replica);
    // An EXTERNAL replica knows its primary's materials (ID and fingerprint) as awaiting import, so the same
    // material, and only it, can be imported into it.
    for (const m of await tx.listMaterials(primary)) {
      await tx.putMaterial(imported ? awaitingImport(m, replica) : materialCopy(ctx.vault, m, replica));
    }
    if (tags.length > 0) await tx.putTags(replica, tags);
    return {
      ReplicaKeyMetadata: toKeyMetadata(replica, [...set, replica]),
      ReplicaPolicy: policy,
      ReplicaTags: tags.map((t) => ({ TagKey: t.tagKey, TagValue: t.tagValue })),
    };
  });
};
