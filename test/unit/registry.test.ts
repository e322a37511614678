// The operation registry against the official model, and the key-state table: which operations it covers
// and AWS's exact error for a few cells (spec §3).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Ctx } from '../../src/context.ts';
import { isKmsError, type KmsError } from '../../src/errors.ts';
import { assertKeyState, KEY_STATE_OPERATIONS } from '../../src/keys/key-state.ts';
import { OPERATION_NAMES, OPERATIONS as MODEL_OPERATIONS, SHAPES } from '../../src/model/kms.generated.ts';
import { IMPLEMENTED, OPERATIONS } from '../../src/operations/index.ts';
import type { KeyState } from '../../src/store/store.ts';

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const MODEL: ReadonlySet<string> = new Set(OPERATION_NAMES);

/** Operations that act on no existing key, or only filter by one (ListAliases), or only by alias (DeleteAlias). */
const KEYLESS: ReadonlySet<string> = new Set([
  'CreateKey',
  'ListKeys',
  'ListAliases',
  'DeleteAlias',
  'GenerateRandom',
  'ListRetirableGrants',
  'ConnectCustomKeyStore',
  'CreateCustomKeyStore',
  'DeleteCustomKeyStore',
  'DescribeCustomKeyStores',
  'DisconnectCustomKeyStore',
  'UpdateCustomKeyStore',
]);

function thrown(fn: () => void): KmsError {
  try {
    fn();
  } catch (e) {
    if (isKmsError(e)) return e;
    throw e;
  }
  assert.fail('expected a KmsError');
}

describe('operation registry', () => {
  test('every model operation is routed, and nothing else', () => {
    assert.deepEqual([...OPERATIONS.keys()], [...OPERATION_NAMES]);
    for (const op of OPERATION_NAMES) assert.equal(typeof OPERATIONS.get(op), 'function', op);
  });

  test('IMPLEMENTED holds only operations of the model, each routed to its own handler', () => {
    const implemented = Object.keys(IMPLEMENTED);
    assert.ok(implemented.length > 0);
    for (const op of implemented) {
      assert.ok(MODEL.has(op), `${op} is not a model operation`);
      assert.equal(OPERATIONS.get(op), IMPLEMENTED[op as keyof typeof IMPLEMENTED], op);
    }
  });

  test('the operations built so far', () => {
    assert.deepEqual(Object.keys(IMPLEMENTED).sort(), [
      'CancelKeyDeletion',
      'CreateAlias',
      'CreateGrant',
      'CreateKey',
      'Decrypt',
      'DeleteAlias',
      'DeleteImportedKeyMaterial',
      'DeriveSharedSecret',
      'DescribeKey',
      'DisableKey',
      'DisableKeyRotation',
      'EnableKey',
      'EnableKeyRotation',
      'Encrypt',
      'GenerateDataKey',
      'GenerateDataKeyPair',
      'GenerateDataKeyPairWithoutPlaintext',
      'GenerateDataKeyWithoutPlaintext',
      'GenerateMac',
      'GenerateRandom',
      'GetKeyLastUsage',
      'GetKeyPolicy',
      'GetKeyRotationStatus',
      'GetParametersForImport',
      'GetPublicKey',
      'ImportKeyMaterial',
      'ListAliases',
      'ListGrants',
      'ListKeyPolicies',
      'ListKeyRotations',
      'ListKeys',
      'ListResourceTags',
      'ListRetirableGrants',
      'PutKeyPolicy',
      'ReEncrypt',
      'ReplicateKey',
      'RetireGrant',
      'RevokeGrant',
      'RotateKeyOnDemand',
      'ScheduleKeyDeletion',
      'Sign',
      'TagResource',
      'UntagResource',
      'UpdateAlias',
      'UpdateKeyDescription',
      'UpdatePrimaryRegion',
      'Verify',
      'VerifyMac',
    ]);
  });

  test('an operation not built yet answers UnsupportedOperationException naming it', async () => {
    const handler = OPERATIONS.get('CreateCustomKeyStore')!;
    await assert.rejects(handler({ KeyId: 'k' }, {} as Ctx), (e: unknown) => {
      assert.ok(isKmsError(e));
      assert.equal(e.type, 'UnsupportedOperationException');
      assert.equal(e.message, 'CreateCustomKeyStore is not supported by Trent yet.');
      assert.equal(e.status, 400);
      return true;
    });
  });

  test('every implemented operation on a key has a row in the key-state table', () => {
    const rows = new Set(KEY_STATE_OPERATIONS);
    for (const op of Object.keys(IMPLEMENTED)) {
      if (!KEYLESS.has(op)) assert.ok(rows.has(op), `${op} has no key-state row`);
    }
  });

  test('every model operation whose input names a key has a row, and every row is a model operation', () => {
    const rows = new Set(KEY_STATE_OPERATIONS);
    for (const row of rows) assert.ok(MODEL.has(row), `key-state row ${row} is not a model operation`);
    for (const op of OPERATION_NAMES) {
      const members = Object.keys(SHAPES[MODEL_OPERATIONS[op].input!]?.members ?? {});
      const namesKey = members.some((m) => m === 'KeyId' || m === 'TargetKeyId' || m === 'DestinationKeyId');
      if (namesKey && !KEYLESS.has(op)) assert.ok(rows.has(op), `${op} takes a key but has no key-state row`);
    }
  });
});

describe('assertKeyState', () => {
  test('Disabled key, Encrypt → DisabledException naming the key ARN', () => {
    const e = thrown(() => assertKeyState('Encrypt', 'Disabled', ARN));
    assert.equal(e.type, 'DisabledException');
    assert.equal(e.message, `${ARN} is disabled.`);
    assert.equal(e.status, 400);
  });

  test('PendingDeletion key, GenerateDataKey → KMSInvalidStateException, not DisabledException', () => {
    // The guide says "[2] or [3]"; AWS answered KMSInvalidStateException (LS-snap test_cant_use_disabled_or_deleted_keys).
    const e = thrown(() => assertKeyState('GenerateDataKey', 'PendingDeletion', ARN));
    assert.equal(e.type, 'KMSInvalidStateException');
    assert.equal(e.message, `${ARN} is pending deletion.`);
  });

  test('PendingReplicaDeletion uses the PendingDeletion column and names its own state', () => {
    // The guide's footnote reads "is pending deletion (or pending replica deletion)"; Trent names the actual state.
    const e = thrown(() => assertKeyState('GenerateDataKey', 'PendingReplicaDeletion', ARN));
    assert.equal(e.type, 'KMSInvalidStateException');
    assert.equal(e.message, `${ARN} is pending replica deletion.`);
    assert.doesNotThrow(() => assertKeyState('CancelKeyDeletion', 'PendingReplicaDeletion', ARN));
  });

  test('CancelKeyDeletion on an Enabled key → not pending deletion', () => {
    const e = thrown(() => assertKeyState('CancelKeyDeletion', 'Enabled', ARN));
    assert.equal(e.type, 'KMSInvalidStateException');
    assert.equal(e.message, `${ARN} is not pending deletion.`);
  });

  test('PendingImport key, Encrypt → pending import', () => {
    const e = thrown(() => assertKeyState('Encrypt', 'PendingImport', ARN));
    assert.equal(e.type, 'KMSInvalidStateException');
    assert.equal(e.message, `${ARN} is pending import.`);
  });

  test('Unavailable, Creating and Updating cells', () => {
    assert.equal(thrown(() => assertKeyState('Decrypt', 'Unavailable', ARN)).message, `${ARN} is unavailable.`);
    assert.equal(thrown(() => assertKeyState('Sign', 'Creating', ARN)).message, `${ARN} is creating.`);
    assert.equal(thrown(() => assertKeyState('EnableKey', 'Updating', ARN)).message, `${ARN} is updating.`);
  });

  test('allowed cells do not throw', () => {
    const all: KeyState[] = ['Enabled', 'Disabled', 'PendingDeletion', 'PendingReplicaDeletion', 'PendingImport', 'Unavailable', 'Creating', 'Updating'];
    for (const state of all) {
      for (const op of ['DescribeKey', 'DeleteAlias', 'ListAliases', 'GetKeyPolicy', 'ListResourceTags']) {
        assert.doesNotThrow(() => assertKeyState(op, state, ARN), `${op} in ${state}`);
      }
    }
    assert.doesNotThrow(() => assertKeyState('CancelKeyDeletion', 'PendingDeletion', ARN));
    assert.doesNotThrow(() => assertKeyState('TagResource', 'Disabled', ARN));
    assert.doesNotThrow(() => assertKeyState('CreateAlias', 'PendingImport', ARN));
  });

  test('the alias operations: CreateAlias and UpdateAlias refuse a target pending deletion', () => {
    for (const op of ['CreateAlias', 'UpdateAlias']) {
      const e = thrown(() => assertKeyState(op, 'PendingDeletion', ARN));
      assert.equal(e.type, 'KMSInvalidStateException');
      assert.equal(e.message, `${ARN} is pending deletion.`);
    }
  });

  test('an operation without a row is a programming error, not an AWS error', () => {
    assert.throws(
      () => assertKeyState('CreateKey', 'Enabled', ARN),
      (e: unknown) => !isKmsError(e) && e instanceof Error && e.message === 'key-state table has no row for CreateKey',
    );
  });
});
