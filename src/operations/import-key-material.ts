// ImportKeyMaterial — https://docs.aws.amazon.com/kms/latest/APIReference/API_ImportKeyMaterial.html
// Checks: resolve key → key state → authorize → origin EXTERNAL → ExpirationModel/ValidTo → ImportType
// parameters → import token (sealed, this key, not expired) → unwrap → material fits the key spec →
// new or re-imported material (same material only) → key record follows its materials. Multi-Region keys:
// new material enters through the primary and reaches the replicas as material awaiting import; a replica
// imports only material of its primary, checked by fingerprint (DG multi-region-keys-import).
import type { Handler } from '../context.ts';
import { checkImportedMaterial } from '../crypto/imported-key-check.ts';
import { unwrapKeyMaterial } from '../crypto/import-unwrapping.ts';
import { KmsError } from '../errors.ts';
import { openImportToken } from '../keys/import-token.ts';
import { awaitingImport, expireKeyIfDue, importedMaterialId, summarizeImportedKey } from '../keys/imported-material.ts';
import { showsCurrentMaterialId } from '../keys/key-material.ts';
import { isMultiRegionReplica, peersOf } from '../keys/multi-region.ts';
import type { KeyMaterialRecord } from '../store/store.ts';
import { originNotExternal } from './get-parameters-for-import.ts';
import { KEY_ONLY, withKey } from './with-key.ts';

const MAX_VALID_TO_MS = 365 * 24 * 60 * 60 * 1000;
const invalid = (message: string) => new KmsError('ValidationException', message);
const incorrectMaterial = (message: string) => new KmsError('IncorrectKeyMaterialException', message);
// Trent's texts, after the model's documentation of these exceptions (AWS's messages are not recorded).
export const INVALID_TOKEN = 'The import token is invalid or is associated with a different KMS key.';
export const EXPIRED_TOKEN =
  'The import token is expired. Use GetParametersForImport to get a new import token and public key.';
export const NOT_SAME_MATERIAL =
  'The key material in the request is not the same key material that was previously imported into this KMS key.';
export const ALREADY_ASSOCIATED = 'The key material in the request is already associated with this KMS key.';
// "You cannot directly import new key material into the replica Region keys" (API ImportKeyMaterial); AWS's
// error for it is unrecorded: UnsupportedOperationException, as for the other primary-only operations.
export const replicaNewMaterial = (arn: string) =>
  new KmsError(
    'UnsupportedOperationException',
    `${arn} is a multi-Region replica key. Import new key material into its primary key, then import the same key material into this key with ImportType EXISTING_KEY_MATERIAL.`,
  );

export const importKeyMaterial: Handler = (input, ctx) =>
  withKey(ctx, 'ImportKeyMaterial', input.KeyId, KEY_ONLY, async (tx, { key: resolved, arn }) => {
    if (resolved.origin !== 'EXTERNAL') throw originNotExternal(arn, resolved.origin);
    const now = ctx.clock.now();
    // Material past its ValidTo is deleted before anything is compared with it (the sweeper may not have run).
    const key = await expireKeyIfDue(tx, resolved, now);
    const validToInput = input.ValidTo as Date | undefined;
    // Without ExpirationModel, material with a ValidTo expires and material without one does not: the
    // "default is KEY_MATERIAL_EXPIRES" of the reference applies to requests that give a ValidTo.
    const expirationModel =
      (input.ExpirationModel as string | undefined) ?? (validToInput ? 'KEY_MATERIAL_EXPIRES' : 'KEY_MATERIAL_DOES_NOT_EXPIRE');
    if (expirationModel === 'KEY_MATERIAL_EXPIRES' && !validToInput) {
      // LS-snap test_import_key_symmetric (import-expiring-key-without-valid-to).
      throw invalid('A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES');
    }
    if (expirationModel === 'KEY_MATERIAL_DOES_NOT_EXPIRE' && validToInput) {
      throw invalid('A validTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE');
    }
    const validTo = validToInput?.getTime();
    // "The value of this parameter must be a future date and time. The maximum value is 365 days from the request date."
    if (validTo !== undefined && validTo <= now) throw invalid('The ValidTo date must be in the future.');
    if (validTo !== undefined && validTo > now + MAX_VALID_TO_MS) {
      throw invalid('The ValidTo date must be no more than 365 days from the current date.');
    }

    const symmetric = showsCurrentMaterialId(key);
    // ImportType, KeyMaterialId and KeyMaterialDescription are "only usable with symmetric encryption keys".
    for (const name of ['ImportType', 'KeyMaterialId', 'KeyMaterialDescription'] as const) {
      if (!symmetric && input[name] !== undefined) {
        throw invalid(`${name} is only supported for symmetric encryption KMS keys.`);
      }
    }
    // A replica holds the primary's materials awaiting import (ReplicateKey, and new material of the primary):
    // they are what it may import.
    const materials = await tx.listMaterials(key);
    const replica = isMultiRegionReplica(key);
    const importType = (input.ImportType as string | undefined) ?? (materials.length === 0 ? 'NEW_KEY_MATERIAL' : 'EXISTING_KEY_MATERIAL');
    const requestedId = input.KeyMaterialId as string | undefined;
    if (requestedId !== undefined && importType === 'NEW_KEY_MATERIAL') {
      throw invalid('You cannot specify a KeyMaterialId when ImportType is NEW_KEY_MATERIAL.');
    }
    if (replica && importType === 'NEW_KEY_MATERIAL') throw replicaNewMaterial(arn);

    const token = openImportToken(ctx.vault, input.ImportToken as Buffer);
    if (!token || token.account !== key.account || token.region !== key.region || token.keyId !== key.keyId) {
      throw new KmsError('InvalidImportTokenException', INVALID_TOKEN);
    }
    if (now >= token.validTo) throw new KmsError('ExpiredImportTokenException', EXPIRED_TOKEN);
    const unwrapped = await unwrapKeyMaterial(token.wrappingAlgorithm, token.privateKey, input.EncryptedKeyMaterial as Buffer);
    // AWS answers material it cannot unwrap with an empty message, as it does for Decrypt.
    if (!unwrapped) throw new KmsError('InvalidCiphertextException', '');
    const material = await checkImportedMaterial(key.keySpec, unwrapped);
    if (!material) throw incorrectMaterial(`The key material is not valid for a KMS key with key spec ${key.keySpec}.`);

    const fingerprint = ctx.vault.fingerprint(material.secret);
    const materialId = importedMaterialId(key.keyId, fingerprint);
    const existing = materials.find((m) => m.fingerprint !== undefined && Buffer.from(m.fingerprint).equals(fingerprint));
    const imported = {
      importState: 'IMPORTED' as const,
      expirationModel,
      wrapped: ctx.vault.seal(key, materialId, material.secret),
      fingerprint,
    };
    let record: KeyMaterialRecord;
    if (importType === 'EXISTING_KEY_MATERIAL') {
      if (!existing || (requestedId !== undefined && requestedId !== existing.materialId)) throw incorrectMaterial(NOT_SAME_MATERIAL);
      record = { ...existing, ...imported };
      delete record.validTo;
    } else {
      if (existing) throw incorrectMaterial(ALREADY_ASSOCIATED);
      const pending = materials.find((m) => m.state === 'PENDING_ROTATION' && m.wrapped !== undefined);
      if (pending) {
        throw new KmsError(
          'KMSInvalidStateException',
          `${arn} already has key material pending rotation. Rotate the key or delete the pending key material first.`,
        );
      }
      record = {
        account: key.account,
        region: key.region,
        keyId: key.keyId,
        materialId,
        createdAt: now,
        // New material for a key that has some waits for RotateKeyOnDemand to become current.
        state: materials.length === 0 ? 'CURRENT' : 'PENDING_ROTATION',
        ...imported,
      };
    }
    if (validTo !== undefined) record.validTo = validTo;
    if (material.publicKey !== undefined) record.publicKey = material.publicKey;
    const description = input.KeyMaterialDescription as string | undefined;
    if (description !== undefined) record.description = description;
    await tx.putMaterial(record);
    if (importType === 'NEW_KEY_MATERIAL') {
      // The other keys of the set learn of the new material, to be imported into each of them before the
      // primary can rotate to it (API ImportKeyMaterial, multi-Region symmetric keys).
      for (const peer of await peersOf(tx, key)) await tx.putMaterial(awaitingImport(record, peer));
    }

    const after = materials.some((m) => m.materialId === record.materialId)
      ? materials.map((m) => (m.materialId === record.materialId ? record : m))
      : [...materials, record];
    const next = summarizeImportedKey(key, after);
    if (symmetric && record.state === 'CURRENT') next.currentKeyMaterialId = record.materialId;
    await tx.updateKey(next);
    return { KeyId: arn, KeyMaterialId: record.materialId };
  });
