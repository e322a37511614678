// CreateKey — https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html
// Checks: model validation → spec/usage/origin rules → tag rules → authorize (kms:CreateKey, and
// kms:TagResource when Tags are given) → insert key and tags in one transaction.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Ctx, Handler } from '../context.ts';
import { KmsError } from '../errors.ts';
import { defaultKeyPolicy } from '../keys/default-policy.ts';
import { keyArn } from '../keys/key-id.ts';
import { toKeyMetadata } from '../keys/key-metadata.ts';
import { generateMaterial, givenMaterials, showsCurrentMaterialId, type GivenMaterial } from '../keys/key-material.ts';
import { algorithmsFor, isSymmetricEncryption } from '../keys/key-spec.ts';
import { checkRequestTags } from '../keys/tags.ts';
import type { KeyMaterialRecord, KeyRecord } from '../store/store.ts';

const invalid = (message: string) => new KmsError('ValidationException', message);

/** What a seed fixes that CreateKey otherwise chooses: the key ID and the material versions (oldest first). */
export interface GivenKey {
  keyId?: string;
  materials?: readonly GivenMaterial[];
}

export const createKey: Handler = (input, ctx) => createKeyWith(input, ctx, {});

/** CreateKey with a fixed key ID and material when `given` has them; every rule of the operation applies. */
export async function createKeyWith(input: Record<string, unknown>, ctx: Ctx, given: GivenKey): Promise<Record<string, unknown>> {
  if (input.KeySpec !== undefined && input.CustomerMasterKeySpec !== undefined) {
    throw invalid('You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.');
  }
  const keySpec = (input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT') as string;
  let keyUsage = input.KeyUsage as string | undefined;
  if (keyUsage === undefined) {
    if (!isSymmetricEncryption(keySpec)) {
      throw invalid('You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.');
    }
    keyUsage = 'ENCRYPT_DECRYPT';
  }
  // Recorded from AWS for RSA_2048 + KEY_AGREEMENT (LS-snap test_derive_shared_secret).
  if (!algorithmsFor(keySpec, keyUsage)) throw invalid(`KeyUsage ${keyUsage} is not compatible with KeySpec ${keySpec}`);

  const origin = (input.Origin ?? 'AWS_KMS') as string;
  if (input.CustomKeyStoreId !== undefined) {
    // Trent has no custom key stores, so any ID names a store that does not exist.
    throw new KmsError('CustomKeyStoreNotFoundException', `Custom key store '${String(input.CustomKeyStoreId)}' does not exist.`);
  }
  if (origin === 'AWS_CLOUDHSM' || origin === 'EXTERNAL_KEY_STORE') {
    throw invalid(`You must specify a CustomKeyStoreId when Origin is ${origin}.`);
  }
  if (input.XksKeyId !== undefined) throw invalid('XksKeyId is valid only when Origin is EXTERNAL_KEY_STORE.');

  const tags = input.Tags === undefined ? [] : checkRequestTags(input.Tags);
  const policy = (input.Policy as string | undefined) ?? defaultKeyPolicy(ctx.caller.accountId);

  await ctx.authorize(undefined, { action: 'kms:CreateKey', resource: '*' });
  // "To use this parameter, you must have kms:TagResource permission in an IAM policy." (CreateKey.Tags)
  if (tags.length > 0) await ctx.authorize(undefined, { action: 'kms:TagResource', resource: '*', namedInDenial: false });

  const multiRegion = input.MultiRegion === true;
  const key: KeyRecord = {
    account: ctx.caller.accountId,
    region: ctx.region,
    keyId: given.keyId ?? (multiRegion ? `mrk-${randomBytes(16).toString('hex')}` : randomUUID()),
    createdAt: ctx.clock.now(),
    description: (input.Description as string | undefined) ?? '',
    keySpec,
    keyUsage,
    origin,
    keyManager: 'CUSTOMER',
    keyState: origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled',
    multiRegion,
    policy,
  };
  if (multiRegion) key.primaryRegion = key.region;
  if (input.Policy !== undefined) {
    await ctx.checkKeyPolicy(undefined, key, keyArn(key.region, key.account, key.keyId), policy, input.BypassPolicyLockoutSafetyCheck === true);
  }
  // Generated before the transaction: RSA_4096 takes seconds, and other requests must not wait for it.
  let materials: KeyMaterialRecord[] = [];
  if (given.materials !== undefined) materials = givenMaterials(ctx.vault, key, given.materials, key.createdAt);
  else if (origin === 'AWS_KMS') materials = [await generateMaterial(ctx.vault, key, { createdAt: key.createdAt, state: 'CURRENT' })];
  const current = materials.at(-1);
  // Only symmetric encryption keys report a CurrentKeyMaterialId (spec §5.3).
  if (current && showsCurrentMaterialId(key)) key.currentKeyMaterialId = current.materialId;

  await ctx.transaction(async (tx) => {
    await tx.insertKey(key);
    for (const m of materials) await tx.putMaterial(m);
    if (tags.length > 0) await tx.putTags(key, tags);
  });
  return { KeyMetadata: toKeyMetadata(key) };
};
