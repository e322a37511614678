// The key-state table's Creating and PendingReplicaDeletion columns (spec §3, DG key-state), through the real SDK:
// every operation that takes a key, on a replica held in Creating (us-west-2) and on a primary waiting in
// PendingReplicaDeletion (us-east-1). Expectations are written out from the DG table, not read from src/.
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DeleteImportedKeyMaterialCommand,
  DeriveSharedSecretCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateMacCommand,
  GetKeyLastUsageCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  KMSClient,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeyPoliciesCommand,
  ListKeyRotationsCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  ReEncryptCommand,
  ReplicateKeyCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateKeyDescriptionCommand,
  UpdatePrimaryRegionCommand,
  VerifyCommand,
  VerifyMacCommand,
  type CreateKeyCommandInput,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { ACCOUNT, startTestServer } from '../helpers/server.ts';

const EAST = 'us-east-1';
const WEST = 'us-west-2';
// The clock never moves in this file, so a replica stays Creating throughout.
const t = await startTestServer({ config: { multiRegionDelayMs: 600_000 } });
after(() => t.close());
const east = t.client({ region: EAST });
const west = t.client({ region: WEST });

type Kind = 'sym' | 'hmac' | 'sign' | 'agree';
const SPECS: Record<Kind, CreateKeyCommandInput> = {
  sym: {},
  hmac: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' },
  sign: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' },
  agree: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' },
};
const arnIn = (region: string, keyId: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`;
const peerPublicKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });
const message = Buffer.from('state table');

/** One multi-Region key of each kind, made and used in us-east-1, replicated to us-west-2 (Creating). */
interface KeySet {
  ids: Record<Kind, string>;
  blob: Uint8Array;
  mac: Uint8Array;
  signature: Uint8Array;
  /** Grants on the primary, made before its deletion was scheduled (CreateGrant is refused afterwards). */
  grants: string[];
  /** Alias in us-east-1 on the symmetric primary, made before scheduling. */
  eastAlias: string;
}

/** The key under test and what a row needs to call it. */
interface Target {
  state: 'Creating' | 'PendingReplicaDeletion';
  client: KMSClient;
  region: string;
  id(kind: Kind): string;
  arn(kind?: Kind): string;
  keys: KeySet;
  /** A new symmetric key in the same state, for rows whose success changes the state. */
  fresh(): Promise<string>;
}

async function replicatedKeyId(spec: CreateKeyCommandInput): Promise<string> {
  const keyId = (await east.send(new CreateKeyCommand({ ...spec, MultiRegion: true }))).KeyMetadata!.KeyId!;
  await east.send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: WEST }));
  return keyId;
}

async function makeKeySet(): Promise<KeySet> {
  const ids = {} as Record<Kind, string>;
  for (const kind of Object.keys(SPECS) as Kind[]) ids[kind] = await replicatedKeyId(SPECS[kind]);
  const blob = (await east.send(new EncryptCommand({ KeyId: ids.sym, Plaintext: message }))).CiphertextBlob!;
  const mac = (await east.send(new GenerateMacCommand({ KeyId: ids.hmac, Message: message, MacAlgorithm: 'HMAC_SHA_256' }))).Mac!;
  const signature = (
    await east.send(new SignCommand({ KeyId: ids.sign, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }))
  ).Signature!;
  const grants: string[] = [];
  for (let i = 0; i < 2; i++) {
    const out = await east.send(new CreateGrantCommand({ KeyId: ids.sym, GranteePrincipal: `arn:aws:iam::${ACCOUNT}:root`, Operations: ['Encrypt'] }));
    grants.push(out.GrantId!);
  }
  const eastAlias = `alias/prd-${ids.sym}`;
  await east.send(new CreateAliasCommand({ AliasName: eastAlias, TargetKeyId: ids.sym }));
  for (const keyId of Object.values(ids)) await east.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
  return { ids, blob, mac, signature, grants, eastAlias };
}

let keys: KeySet;
let creating: Target;
let pending: Target;
before(async () => {
  keys = await makeKeySet();
  const target = (state: Target['state'], client: KMSClient, region: string, fresh: () => Promise<string>): Target => ({
    state,
    client,
    region,
    keys,
    id: (kind) => keys.ids[kind],
    arn: (kind = 'sym') => arnIn(region, keys.ids[kind]),
    fresh,
  });
  creating = target('Creating', west, WEST, () => replicatedKeyId({}));
  pending = target('PendingReplicaDeletion', east, EAST, async () => {
    const keyId = await replicatedKeyId({});
    await east.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    return keyId;
  });
});

/** `ok`: allowed; C/P/N: KMSInvalidStateException "is creating." / "is pending replica deletion." / "is not pending deletion.". */
type Expect = 'ok' | 'C' | 'P' | 'N' | { type: string; message: (target: Target) => string };

interface Row {
  op: string;
  kind?: Kind;
  /** [Creating replica, PendingReplicaDeletion primary], from the DG key-state table. */
  expect: [Expect, Expect];
  run(target: Target): Promise<unknown>;
  /** For allowed calls: what the answer must say. */
  check?(out: any, target: Target): void | Promise<void>;
}

const grantIdNotThere = 'a'.repeat(64);
const ROWS: Row[] = [
  {
    op: 'CancelKeyDeletion',
    expect: ['N', 'ok'],
    run: async (x) => x.client.send(new CancelKeyDeletionCommand({ KeyId: x.state === 'Creating' ? x.id('sym') : await x.fresh() })),
    check: async (out, x) => {
      const keyId = out.KeyId.split('/')[1];
      assert.equal(out.KeyId, arnIn(x.region, keyId));
      const md = (await x.client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
      assert.equal(md.KeyState, 'Disabled');
      assert.equal(md.PendingDeletionWindowInDays, undefined);
    },
  },
  {
    op: 'CreateAlias',
    expect: ['ok', 'P'],
    run: (x) => x.client.send(new CreateAliasCommand({ AliasName: `alias/create-${x.region}-${x.id('sym')}`, TargetKeyId: x.id('sym') })),
  },
  {
    op: 'CreateGrant',
    expect: ['C', 'P'],
    run: (x) => x.client.send(new CreateGrantCommand({ KeyId: x.id('sym'), GranteePrincipal: `arn:aws:iam::${ACCOUNT}:root`, Operations: ['Decrypt'] })),
  },
  { op: 'Decrypt', expect: ['C', 'P'], run: (x) => x.client.send(new DecryptCommand({ CiphertextBlob: x.keys.blob })) },
  {
    op: 'DeleteAlias',
    expect: ['ok', 'ok'],
    run: async (x) => {
      let name = x.keys.eastAlias;
      if (x.state === 'Creating') {
        name = `alias/delete-${x.id('sym')}`;
        await x.client.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: x.id('sym') }));
      }
      return x.client.send(new DeleteAliasCommand({ AliasName: name }));
    },
  },
  {
    op: 'DeleteImportedKeyMaterial',
    // PendingReplicaDeletion passes the state rule ([9]); the key's AWS_KMS origin then refuses the operation.
    expect: ['C', { type: 'UnsupportedOperationException', message: (x) => `${x.arn()} origin is AWS_KMS which is not valid for this operation.` }],
    run: (x) => x.client.send(new DeleteImportedKeyMaterialCommand({ KeyId: x.id('sym') })),
  },
  {
    op: 'DeriveSharedSecret',
    kind: 'agree',
    expect: ['C', 'P'],
    run: (x) => x.client.send(new DeriveSharedSecretCommand({ KeyId: x.id('agree'), KeyAgreementAlgorithm: 'ECDH', PublicKey: peerPublicKey })),
  },
  {
    op: 'DescribeKey',
    expect: ['ok', 'ok'],
    run: (x) => x.client.send(new DescribeKeyCommand({ KeyId: x.id('sym') })),
    check: (out, x) => {
      assert.equal(out.KeyMetadata.KeyState, x.state);
      assert.equal(out.KeyMetadata.Enabled, false);
      assert.equal(out.KeyMetadata.DeletionDate, undefined);
      assert.equal(out.KeyMetadata.PendingDeletionWindowInDays, x.state === 'PendingReplicaDeletion' ? 7 : undefined);
    },
  },
  { op: 'DisableKey', expect: ['C', 'P'], run: (x) => x.client.send(new DisableKeyCommand({ KeyId: x.id('sym') })) },
  { op: 'DisableKeyRotation', expect: ['C', 'P'], run: (x) => x.client.send(new DisableKeyRotationCommand({ KeyId: x.id('sym') })) },
  { op: 'EnableKey', expect: ['C', 'P'], run: (x) => x.client.send(new EnableKeyCommand({ KeyId: x.id('sym') })) },
  { op: 'EnableKeyRotation', expect: ['C', 'P'], run: (x) => x.client.send(new EnableKeyRotationCommand({ KeyId: x.id('sym') })) },
  { op: 'Encrypt', expect: ['C', 'P'], run: (x) => x.client.send(new EncryptCommand({ KeyId: x.id('sym'), Plaintext: message })) },
  {
    op: 'GenerateDataKey',
    expect: ['C', 'P'],
    run: (x) => x.client.send(new GenerateDataKeyCommand({ KeyId: x.id('sym'), KeySpec: 'AES_256' })),
  },
  {
    op: 'GenerateDataKeyPair',
    expect: ['C', 'P'],
    run: (x) => x.client.send(new GenerateDataKeyPairCommand({ KeyId: x.id('sym'), KeyPairSpec: 'ECC_NIST_P256' })),
  },
  {
    op: 'GenerateDataKeyPairWithoutPlaintext',
    expect: ['C', 'P'],
    run: (x) => x.client.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: x.id('sym'), KeyPairSpec: 'ECC_NIST_P256' })),
  },
  {
    op: 'GenerateDataKeyWithoutPlaintext',
    expect: ['C', 'P'],
    run: (x) => x.client.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: x.id('sym'), KeySpec: 'AES_256' })),
  },
  {
    op: 'GenerateMac',
    kind: 'hmac',
    expect: ['C', 'P'],
    run: (x) => x.client.send(new GenerateMacCommand({ KeyId: x.id('hmac'), Message: message, MacAlgorithm: 'HMAC_SHA_256' })),
  },
  {
    op: 'GetKeyLastUsage',
    expect: ['ok', 'ok'],
    run: (x) => x.client.send(new GetKeyLastUsageCommand({ KeyId: x.id('sym') })),
    check: (out, x) => assert.equal(out.KeyId, x.id('sym')),
  },
  {
    op: 'GetKeyPolicy',
    expect: ['ok', 'ok'],
    run: (x) => x.client.send(new GetKeyPolicyCommand({ KeyId: x.id('sym') })),
    check: (out) => assert.equal(out.PolicyName, 'default'),
  },
  {
    op: 'GetKeyRotationStatus',
    expect: ['ok', 'ok'],
    run: (x) => x.client.send(new GetKeyRotationStatusCommand({ KeyId: x.id('sym') })),
    check: (out, x) => {
      assert.equal(out.KeyRotationEnabled, false);
      assert.equal(out.KeyId, x.arn());
    },
  },
  {
    op: 'GetParametersForImport',
    expect: ['C', 'P'],
    run: (x) =>
      x.client.send(new GetParametersForImportCommand({ KeyId: x.id('sym'), WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' })),
  },
  { op: 'GetPublicKey', kind: 'sign', expect: ['C', 'P'], run: (x) => x.client.send(new GetPublicKeyCommand({ KeyId: x.id('sign') })) },
  {
    op: 'ImportKeyMaterial',
    expect: ['C', 'P'],
    run: (x) =>
      x.client.send(
        new ImportKeyMaterialCommand({
          KeyId: x.id('sym'),
          ImportToken: Buffer.from('token'),
          EncryptedKeyMaterial: Buffer.from('material'),
          ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        }),
      ),
  },
  {
    op: 'ListAliases',
    expect: ['ok', 'ok'],
    run: (x) => x.client.send(new ListAliasesCommand({ KeyId: x.id('sym') })),
    check: (out) => assert.ok(Array.isArray(out.Aliases)),
  },
  {
    op: 'ListGrants',
    expect: ['ok', 'ok'],
    run: (x) => x.client.send(new ListGrantsCommand({ KeyId: x.id('sym') })),
    check: (out, x) => {
      const ids = out.Grants.map((g: { GrantId: string }) => g.GrantId);
      // Grants are each Region's own: the replica has none.
      if (x.state === 'Creating') assert.deepEqual(ids, []);
      else for (const id of ids) assert.ok(x.keys.grants.includes(id));
    },
  },
  {
    op: 'ListKeyPolicies',
    expect: ['ok', 'ok'],
    run: (x) => x.client.send(new ListKeyPoliciesCommand({ KeyId: x.id('sym') })),
    check: (out) => assert.deepEqual(out.PolicyNames, ['default']),
  },
  {
    op: 'ListKeyRotations',
    expect: ['ok', 'ok'],
    run: (x) => x.client.send(new ListKeyRotationsCommand({ KeyId: x.id('sym') })),
    check: (out) => assert.deepEqual(out.Rotations, []),
  },
  {
    op: 'ListResourceTags',
    expect: ['ok', 'ok'],
    run: (x) => x.client.send(new ListResourceTagsCommand({ KeyId: x.id('sym') })),
    check: (out) => assert.ok(Array.isArray(out.Tags)),
  },
  {
    op: 'PutKeyPolicy',
    expect: ['ok', 'ok'],
    run: async (x) => {
      const { Policy } = await x.client.send(new GetKeyPolicyCommand({ KeyId: x.id('sym') }));
      return x.client.send(new PutKeyPolicyCommand({ KeyId: x.id('sym'), PolicyName: 'default', Policy }));
    },
  },
  {
    op: 'ReEncrypt',
    expect: ['C', 'P'],
    run: (x) => x.client.send(new ReEncryptCommand({ CiphertextBlob: x.keys.blob, DestinationKeyId: x.id('sym') })),
  },
  {
    op: 'ReplicateKey',
    // Both fail on the state before anything else: a replica is not a primary, but it is still Creating.
    expect: ['C', 'P'],
    run: (x) => x.client.send(new ReplicateKeyCommand({ KeyId: x.id('sym'), ReplicaRegion: 'eu-central-1' })),
  },
  {
    op: 'RetireGrant',
    expect: [{ type: 'NotFoundException', message: () => `Grant '${grantIdNotThere}' does not exist` }, 'ok'],
    run: (x) =>
      x.client.send(new RetireGrantCommand({ KeyId: x.id('sym'), GrantId: x.state === 'Creating' ? grantIdNotThere : x.keys.grants[0] })),
  },
  {
    op: 'RevokeGrant',
    // Allowed in every state: on the replica the state passes and the made-up grant is then not found.
    expect: [{ type: 'NotFoundException', message: () => `Grant '${grantIdNotThere}' does not exist` }, 'ok'],
    run: (x) =>
      x.client.send(new RevokeGrantCommand({ KeyId: x.id('sym'), GrantId: x.state === 'Creating' ? grantIdNotThere : x.keys.grants[1] })),
  },
  { op: 'RotateKeyOnDemand', expect: ['C', 'P'], run: (x) => x.client.send(new RotateKeyOnDemandCommand({ KeyId: x.id('sym') })) },
  {
    op: 'ScheduleKeyDeletion',
    expect: ['ok', 'P'],
    run: async (x) =>
      x.client.send(new ScheduleKeyDeletionCommand({ KeyId: x.state === 'Creating' ? await x.fresh() : x.id('sym'), PendingWindowInDays: 7 })),
    check: (out) => assert.equal(out.KeyState, 'PendingDeletion'),
  },
  {
    op: 'Sign',
    kind: 'sign',
    expect: ['C', 'P'],
    run: (x) => x.client.send(new SignCommand({ KeyId: x.id('sign'), Message: message, SigningAlgorithm: 'ECDSA_SHA_256' })),
  },
  {
    op: 'TagResource',
    expect: ['ok', 'P'],
    run: (x) => x.client.send(new TagResourceCommand({ KeyId: x.id('sym'), Tags: [{ TagKey: 'state', TagValue: x.state }] })),
  },
  { op: 'UntagResource', expect: ['ok', 'P'], run: (x) => x.client.send(new UntagResourceCommand({ KeyId: x.id('sym'), TagKeys: ['state'] })) },
  {
    op: 'UpdateAlias',
    expect: ['ok', 'P'],
    run: async (x) => {
      let name = x.keys.eastAlias;
      if (x.state === 'Creating') {
        name = `alias/update-${x.id('sym')}`;
        await x.client.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: x.id('sym') }));
      } else {
        // The alias must exist for the target's state to be the answer (DG key-state [10]: the destination key).
        name = `alias/update-east-${x.id('sym')}`;
        const other = (await east.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
        await east.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: other }));
      }
      return x.client.send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: x.id('sym') }));
    },
  },
  {
    op: 'UpdateKeyDescription',
    expect: ['ok', 'P'],
    run: (x) => x.client.send(new UpdateKeyDescriptionCommand({ KeyId: x.id('sym'), Description: `while ${x.state}` })),
  },
  {
    op: 'UpdatePrimaryRegion',
    expect: ['C', 'P'],
    run: (x) => x.client.send(new UpdatePrimaryRegionCommand({ KeyId: x.id('sym'), PrimaryRegion: x.state === 'Creating' ? EAST : WEST })),
  },
  {
    op: 'Verify',
    kind: 'sign',
    expect: ['C', 'P'],
    run: (x) =>
      x.client.send(new VerifyCommand({ KeyId: x.id('sign'), Message: message, Signature: x.keys.signature, SigningAlgorithm: 'ECDSA_SHA_256' })),
  },
  {
    op: 'VerifyMac',
    kind: 'hmac',
    expect: ['C', 'P'],
    run: (x) => x.client.send(new VerifyMacCommand({ KeyId: x.id('hmac'), Message: message, Mac: x.keys.mac, MacAlgorithm: 'HMAC_SHA_256' })),
  },
];

const TEXT = { C: 'is creating.', P: 'is pending replica deletion.', N: 'is not pending deletion.' } as const;

for (const [column, state] of [
  [0, 'Creating'],
  [1, 'PendingReplicaDeletion'],
] as const) {
  describe(`key state ${state}`, () => {
    const subject = () => (state === 'Creating' ? creating : pending);
    for (const row of ROWS) {
      const expected = row.expect[column];
      const label = expected === 'ok' ? 'allowed' : typeof expected === 'string' ? TEXT[expected] : expected.type;
      test(`${row.op}: ${label}`, async () => {
        const x = subject();
        const call = row.run(x);
        if (expected === 'ok') {
          const out = await call;
          await row.check?.(out, x);
        } else if (typeof expected === 'string') {
          await expectError(call, 'KMSInvalidStateException', `${x.arn(row.kind)} ${TEXT[expected]}`);
        } else {
          await expectError(call, expected.type, expected.message(x));
        }
      });
    }

    test('no row changed the state of the keys under test', async () => {
      const x = subject();
      for (const kind of Object.keys(SPECS) as Kind[]) {
        const md = (await x.client.send(new DescribeKeyCommand({ KeyId: x.id(kind) }))).KeyMetadata!;
        assert.equal(md.KeyState, state, `${kind} key`);
      }
    });
  });
}

test('the rows cover every operation of the key-state table that names a key', () => {
  // The DG table's operations (spec §3) plus the later DeriveSharedSecret, GetKeyLastUsage and ListKeyRotations.
  const table = [
    'CancelKeyDeletion', 'CreateAlias', 'CreateGrant', 'Decrypt', 'DeleteAlias', 'DeleteImportedKeyMaterial', 'DeriveSharedSecret',
    'DescribeKey', 'DisableKey', 'DisableKeyRotation', 'EnableKey', 'EnableKeyRotation', 'Encrypt', 'GenerateDataKey',
    'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'GenerateDataKeyWithoutPlaintext', 'GenerateMac',
    'GetKeyLastUsage', 'GetKeyPolicy', 'GetKeyRotationStatus', 'GetParametersForImport', 'GetPublicKey', 'ImportKeyMaterial',
    'ListAliases', 'ListGrants', 'ListKeyPolicies', 'ListKeyRotations', 'ListResourceTags', 'PutKeyPolicy', 'ReEncrypt',
    'ReplicateKey', 'RetireGrant', 'RevokeGrant', 'RotateKeyOnDemand', 'ScheduleKeyDeletion', 'Sign', 'TagResource',
    'UntagResource', 'UpdateAlias', 'UpdateKeyDescription', 'UpdatePrimaryRegion', 'Verify', 'VerifyMac',
  ];
  assert.deepEqual(ROWS.map((r) => r.op).sort(), [...table].sort());
});
