// RotateKeyOnDemand — https://docs.aws.amazon.com/kms/latest/APIReference/API_RotateKeyOnDemand.html
// Checks: key ID or ARN → key state → authorize → symmetric key → not a multi-Region replica → on-demand quota →
// rotate now. AWS_KMS keys get new generated material; EXTERNAL keys promote the material imported with
// ImportType NEW_KEY_MATERIAL, which every replica of a multi-Region key must have imported too. A multi-Region
// set rotates as a whole (makeCurrent). "On-demand rotations do not change existing automatic rotation
// schedules": nextRotationAt is untouched.
import type { Handler } from '../context.ts';
import { KmsError } from '../errors.ts';
import { expireKeyIfDue, summarizeImportedKey } from '../keys/imported-material.ts';
import { keyArn } from '../keys/key-id.ts';
import { generateMaterial } from '../keys/key-material.ts';
import { assertNotReplica, keySet, peersOf } from '../keys/multi-region.ts';
import {
  assertOnDemandRotationSupported,
  countOnDemandRotations,
  makeCurrent,
  MAX_ON_DEMAND_ROTATIONS,
} from '../keys/rotation-rules.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

export const rotateKeyOnDemand: Handler = (input, ctx) =>
  withKey(ctx, 'RotateKeyOnDemand', input.KeyId, KEY_ONLY, async (tx, { key, arn }) => {
    assertOnDemandRotationSupported(key, arn);
    // "To perform on-demand rotation of a set of related multi-Region keys, invoke the on-demand rotation on
    // the primary key" (API RotateKeyOnDemand, KeyId).
    assertNotReplica(key, arn);
    const materials = await tx.listMaterials(key);
    if (countOnDemandRotations(materials) >= MAX_ON_DEMAND_ROTATIONS) {
      throw new KmsError(
        'LimitExceededException',
        `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${arn}`,
      );
    }
    const now = ctx.clock.now();
    if (key.origin === 'EXTERNAL') {
      const pending = materials.find((m) => m.state === 'PENDING_ROTATION' && m.importState === 'IMPORTED' && m.wrapped);
      // AWS's text for this case is recorded only in LS-snap test_rotate_key_on_demand_raises_for_no_pending_key_material,
      // which could not be read here; the wording follows the API Reference's requirement.
      if (!pending) {
        throw new KmsError(
          'KMSInvalidStateException',
          `${arn} has no key material in PENDING_ROTATION state. Import new key material with ImportType NEW_KEY_MATERIAL before rotating on demand.`,
        );
      }
      // "import the same key material in each replica Region key, and invoke the on-demand rotation on the
      // primary Region key" (API RotateKeyOnDemand). AWS's error while a replica lacks it is unrecorded:
      // Trent names the material's state (RotationsListEntry) and the replica that still needs it.
      for (const peer of await peersOf(tx, key)) {
        const current = await expireKeyIfDue(tx, peer, now);
        const copy = (await tx.listMaterials(current)).find((m) => m.materialId === pending.materialId);
        if (copy?.wrapped === undefined) {
          throw new KmsError(
            'KMSInvalidStateException',
            `${arn} has key material in PENDING_MULTI_REGION_IMPORT_AND_ROTATION state. Import the same key material into ${keyArn(peer.region, peer.account, peer.keyId)} before rotating on demand.`,
          );
        }
      }
      // RotationDate is when the material became current, not when it was imported (DG list-rotations).
      await makeCurrent(tx, key, { ...pending, createdAt: now, rotationType: 'ON_DEMAND' }, ctx.vault);
      // The promoted material's ValidTo/ExpirationModel now show in each key's KeyMetadata.
      for (const ref of await keySet(tx, key)) {
        const k = await tx.getKey(ref);
        if (k) await tx.updateKey(summarizeImportedKey(k, await tx.listMaterials(k)));
      }
    } else {
      const material = await generateMaterial(ctx.vault, key, { createdAt: now, state: 'CURRENT', rotationType: 'ON_DEMAND' });
      await makeCurrent(tx, key, material, ctx.vault);
    }
    // The AWS-validated LS test test_rotate_key_on_demand_succeeds_given_symmetric_key (PR #12342) expects
    // the bare key ID here, not the ARN.
    return { KeyId: key.keyId };
  });
