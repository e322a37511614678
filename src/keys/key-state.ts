// Which key states each operation accepts, and AWS's error otherwise: the table of the KMS Developer
// Guide's key-state page (spec §3). Messages always name the key ARN, even when the request used an ID.
import { KmsError } from '../errors.ts';
import type { KeyState } from '../store/store.ts';

// One letter per state column, in this order (as in the Developer Guide's table):
const COLUMNS: readonly KeyState[] = ['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'Unavailable', 'Creating', 'Updating'];
// o = allowed; D = DisabledException "is disabled."; P = KMSInvalidState "is pending deletion.";
// N = "is not pending deletion."; I = "is pending import."; U = "is unavailable."; C = "is creating.";
// W = "is updating.". PendingReplicaDeletion uses the PendingDeletion column.
// Where the guide says "[2] or [3]" for PendingDeletion, AWS answers KMSInvalidStateException (LS-snap
// test_cant_use_disabled_or_deleted_keys), so those cells are P. Enable/DisableKeyRotation on PendingImport
// and Unavailable keys fail on their origin (footnotes [6]/[7]), which the handlers check, so those cells are o.
const TABLE: Record<string, string> = {
  CancelKeyDeletion: 'NNoNNNN',
  CreateAlias: 'ooPoooo',
  CreateGrant: 'oDPIoCo',
  Decrypt: 'oDPIUCo',
  DeleteAlias: 'ooooooo',
  DeleteImportedKeyMaterial: 'oooooCW',
  DeriveSharedSecret: 'oDPIUCo',
  DescribeKey: 'ooooooo',
  DisableKey: 'ooPIoCW',
  DisableKeyRotation: 'oDPooCo',
  EnableKey: 'ooPIoCW',
  EnableKeyRotation: 'oDPooCo',
  Encrypt: 'oDPIUCo',
  GenerateDataKey: 'oDPIUCo',
  GenerateDataKeyPair: 'oDPIUCo',
  GenerateDataKeyPairWithoutPlaintext: 'oDPIUCo',
  GenerateDataKeyWithoutPlaintext: 'oDPIUCo',
  GenerateMac: 'oDPIUCo',
  GetKeyLastUsage: 'ooooooo',
  GetKeyPolicy: 'ooooooo',
  GetKeyRotationStatus: 'ooooooo',
  GetParametersForImport: 'ooPoUCW',
  GetPublicKey: 'oDPIUCo',
  ImportKeyMaterial: 'ooPoUCo',
  ListAliases: 'ooooooo',
  ListGrants: 'ooooooo',
  ListKeyPolicies: 'ooooooo',
  ListKeyRotations: 'ooooooo',
  ListResourceTags: 'ooooooo',
  PutKeyPolicy: 'ooooooo',
  ReEncrypt: 'oDPIUCo',
  ReplicateKey: 'oDPIoCW',
  RetireGrant: 'ooooooo',
  RevokeGrant: 'ooooooo',
  RotateKeyOnDemand: 'oDPIUCW',
  ScheduleKeyDeletion: 'ooPoooW',
  Sign: 'oDPIUCo',
  TagResource: 'ooPoooo',
  UntagResource: 'ooPoooo',
  UpdateAlias: 'ooPoooo',
  UpdateKeyDescription: 'ooPoooo',
  UpdatePrimaryRegion: 'oDPIoCo',
  Verify: 'oDPIUCo',
  VerifyMac: 'oDPIUCo',
};

function columnOf(state: KeyState): number {
  return COLUMNS.indexOf(state === 'PendingReplicaDeletion' ? 'PendingDeletion' : state);
}

function stateError(code: string, state: KeyState, arn: string): KmsError {
  switch (code) {
    case 'D':
      return new KmsError('DisabledException', `${arn} is disabled.`);
    case 'P':
      return new KmsError(
        'KMSInvalidStateException',
        state === 'PendingReplicaDeletion' ? `${arn} is pending replica deletion.` : `${arn} is pending deletion.`,
      );
    case 'N':
      return new KmsError('KMSInvalidStateException', `${arn} is not pending deletion.`);
    case 'I':
      return new KmsError('KMSInvalidStateException', `${arn} is pending import.`);
    case 'U':
      return new KmsError('KMSInvalidStateException', `${arn} is unavailable.`);
    case 'C':
      return new KmsError('KMSInvalidStateException', `${arn} is creating.`);
    case 'W':
      return new KmsError('KMSInvalidStateException', `${arn} is updating.`);
    default:
      throw new Error(`key-state table: unknown code ${code}`);
  }
}

/** Throws AWS's error when `operation` may not run on a key in `state`. */
export function assertKeyState(operation: string, state: KeyState, arn: string): void {
  const row = TABLE[operation];
  if (row === undefined) throw new Error(`key-state table has no row for ${operation}`);
  const code = row[columnOf(state)];
  if (code === undefined) throw new Error(`key-state table: no column for state ${state}`);
  if (code !== 'o') throw stateError(code, state, arn);
}

/** For tests and docs: the operations the table covers. */
export const KEY_STATE_OPERATIONS: readonly string[] = Object.keys(TABLE);
