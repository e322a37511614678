// ReplicateKey through the real SDK with clients in three Regions: the replica's metadata, policy and tags,
// the Creating state, AWS's errors for every kind of source key and Region, and the properties each key of a
// set keeps for itself (tags, description, policy, enabled state, aliases), across a server restart.
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  ReplicateKeyCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateKeyDescriptionCommand,
  type KeyMetadata,
  type KMSClient,
  type ReplicateKeyCommandInput,
  type Tag,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { DEFAULTS } from '../../src/config.ts';
import { expectError } from '../helpers/expect-error.ts';
import { ACCOUNT, startTestServer } from '../helpers/server.ts';
import { createExternalKey, importMaterial } from './import-helpers.ts';

const EAST = 'us-east-1';
const WEST = 'us-west-2';
const EU = 'eu-west-1';
const DELAY = DEFAULTS.multiRegionDelayMs;

const t = await startTestServer();
after(() => t.close());
const east = t.client();
const west = t.client({ region: WEST });
const eu = t.client({ region: EU });

const arnIn = (region: string, keyId: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`;
const DEFAULT_POLICY =
  `{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow",` +
  `"Principal":{"AWS":"arn:aws:iam::${ACCOUNT}:root"},"Action":"kms:*","Resource":"*"}]}`;
const LOCKOUT = 'The new key policy will not allow you to update the key policy in the future.';

const newPrimary = async (extra: Record<string, unknown> = {}): Promise<KeyMetadata> =>
  (await east.send(new CreateKeyCommand({ MultiRegion: true, ...extra }))).KeyMetadata!;
const replicate = (KeyId: string, ReplicaRegion = WEST, extra: Partial<ReplicateKeyCommandInput> = {}, client: KMSClient = east) =>
  client.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion, ...extra }));
const describeIn = async (client: KMSClient, KeyId: string) => (await client.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!;
const tagsIn = async (client: KMSClient, KeyId: string) => (await client.send(new ListResourceTagsCommand({ KeyId }))).Tags!;
const policyIn = async (client: KMSClient, KeyId: string) => (await client.send(new GetKeyPolicyCommand({ KeyId }))).Policy!;
/** Moves time past the Creating state of every replica made so far. */
const settle = () => t.clock.advance(DELAY + 1);
/** A primary with a replica in `WEST` that has finished Creating. */
const replicated = async (extra: Partial<ReplicateKeyCommandInput> = {}, primaryExtra: Record<string, unknown> = {}) => {
  const primary = await newPrimary(primaryExtra);
  const out = await replicate(primary.KeyId!, WEST, extra);
  settle();
  return { primary, replica: out.ReplicaKeyMetadata!, out };
};
/** Nothing was created in `region`: the key ID is unknown there. */
const assertNoKeyIn = (client: KMSClient, region: string, keyId: string) =>
  expectError(client.send(new DescribeKeyCommand({ KeyId: keyId })), 'NotFoundException', `Key '${arnIn(region, keyId)}' does not exist`);

describe('the replica ReplicateKey returns', () => {
  test('has the primary\'s mrk- key ID, an ARN in its own Region, its own empty description, and is Creating', async () => {
    const primary = await newPrimary({ Description: 'the primary' });
    const out = await replicate(primary.KeyId!);
    const md = out.ReplicaKeyMetadata!;
    assert.match(md.KeyId!, /^mrk-[0-9a-f]{32}$/);
    assert.equal(md.CreationDate!.getTime(), t.clock.now());
    const { CreationDate: _created, ...rest } = md;
    assert.deepEqual(rest, {
      AWSAccountId: ACCOUNT,
      KeyId: primary.KeyId,
      Arn: arnIn(WEST, primary.KeyId!),
      Enabled: false,
      // The description is not copied from the primary (spec §5.3 [V]).
      Description: '',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: 'Creating',
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: true,
      MultiRegionConfiguration: {
        MultiRegionKeyType: 'REPLICA',
        PrimaryKey: { Arn: primary.Arn, Region: EAST },
        ReplicaKeys: [{ Arn: arnIn(WEST, primary.KeyId!), Region: WEST }],
      },
      // The same material: a ciphertext names it in every Region.
      CurrentKeyMaterialId: primary.CurrentKeyMaterialId,
    });
    assert.equal(out.ReplicaPolicy, DEFAULT_POLICY);
    assert.deepEqual(out.ReplicaTags, []);
    settle();
  });

  test('keeps the Description it is given', async () => {
    const primary = await newPrimary({ Description: 'east' });
    const md = (await replicate(primary.KeyId!, WEST, { Description: 'west copy' })).ReplicaKeyMetadata!;
    assert.equal(md.Description, 'west copy');
    assert.equal((await describeIn(west, primary.KeyId!)).Description, 'west copy');
    assert.equal((await describeIn(east, primary.KeyId!)).Description, 'east');
    settle();
  });

  test('asymmetric and HMAC primaries give replicas of the same spec, usage and algorithms', async () => {
    for (const [KeySpec, KeyUsage, field, algorithms] of [
      ['RSA_2048', 'SIGN_VERIFY', 'SigningAlgorithms', 6],
      ['ECC_NIST_P256', 'SIGN_VERIFY', 'SigningAlgorithms', 1],
      ['HMAC_256', 'GENERATE_VERIFY_MAC', 'MacAlgorithms', 1],
    ] as const) {
      const primary = await newPrimary({ KeySpec, KeyUsage });
      const md = (await replicate(primary.KeyId!)).ReplicaKeyMetadata!;
      assert.equal(md.KeySpec, KeySpec);
      assert.equal(md.KeyUsage, KeyUsage);
      assert.deepEqual(md[field], primary[field]);
      assert.equal(md[field]!.length, algorithms);
      assert.equal(md.CurrentKeyMaterialId, undefined, 'only symmetric encryption keys show a material ID');
    }
    settle();
  });

  test('is Creating for a moment: it refuses cryptography, then is Enabled', async () => {
    const primary = await newPrimary();
    await replicate(primary.KeyId!);
    const replicaArn = arnIn(WEST, primary.KeyId!);
    assert.equal((await describeIn(west, primary.KeyId!)).KeyState, 'Creating');
    // DG key-state footnote [14]: "<key ARN> is creating."
    await expectError(
      west.send(new EncryptCommand({ KeyId: primary.KeyId, Plaintext: Buffer.from('x') })),
      'KMSInvalidStateException',
      `${replicaArn} is creating.`,
    );
    // "While the key state is Creating, you can manage key" (API ReplicateKey).
    await west.send(new TagResourceCommand({ KeyId: primary.KeyId, Tags: [{ TagKey: 'while', TagValue: 'creating' }] }));
    t.clock.advance(DELAY - 1);
    assert.equal((await describeIn(west, primary.KeyId!)).KeyState, 'Creating');
    t.clock.advance(2);
    const md = await describeIn(west, primary.KeyId!);
    assert.equal(md.KeyState, 'Enabled');
    assert.equal(md.Enabled, true);
    const enc = await west.send(new EncryptCommand({ KeyId: primary.KeyId, Plaintext: Buffer.from('x') }));
    assert.equal(enc.KeyId, replicaArn);
    // The sweeper stores the end of the transition; the key stays Enabled.
    await t.server.sweep();
    assert.equal((await describeIn(west, primary.KeyId!)).KeyState, 'Enabled');
  });
});

describe('the replica\'s key policy', () => {
  test('is the given document byte for byte; the primary keeps its own', async () => {
    // Indentation, spacing and the trailing newline are kept as given.
    const text = [
      '{',
      '  "Version": "2012-10-17",',
      '  "Statement": [ {',
      '    "Sid": "west admins",',
      '    "Effect": "Allow",',
      `    "Principal": { "AWS": "arn:aws:iam::${ACCOUNT}:root" },`,
      '    "Action": "kms:*",',
      '    "Resource": "*"',
      '  } ]',
      '}',
      '',
    ].join('\n');
    const primary = await newPrimary();
    const out = await replicate(primary.KeyId!, WEST, { Policy: text });
    assert.equal(out.ReplicaPolicy, text);
    assert.equal(await policyIn(west, primary.KeyId!), text);
    assert.equal(await policyIn(east, primary.KeyId!), DEFAULT_POLICY);
    settle();
  });

  test('a document that is not a policy is MalformedPolicyDocumentException and creates nothing', async () => {
    const primary = await newPrimary();
    await expectError(replicate(primary.KeyId!, WEST, { Policy: '{not json' }), 'MalformedPolicyDocumentException', 'The new key policy is not valid JSON.');
    await assertNoKeyIn(west, WEST, primary.KeyId!);
    assert.deepEqual((await describeIn(east, primary.KeyId!)).MultiRegionConfiguration!.ReplicaKeys, []);
  });

  test('must let the caller change it later, unless BypassPolicyLockoutSafetyCheck', async () => {
    const primary = await newPrimary();
    const encryptOnly = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:Encrypt', Resource: '*' }],
    });
    await expectError(replicate(primary.KeyId!, WEST, { Policy: encryptOnly }), 'MalformedPolicyDocumentException', LOCKOUT);
    await assertNoKeyIn(west, WEST, primary.KeyId!);
    await expectError(
      replicate(primary.KeyId!, WEST, { Policy: encryptOnly, BypassPolicyLockoutSafetyCheck: false }),
      'MalformedPolicyDocumentException',
      LOCKOUT,
    );
    const out = await replicate(primary.KeyId!, WEST, { Policy: encryptOnly, BypassPolicyLockoutSafetyCheck: true });
    assert.equal(out.ReplicaPolicy, encryptOnly);
    settle();
    // The replica's policy now governs it: its own policy can no longer be changed, the primary's can.
    await expectError(
      west.send(new PutKeyPolicyCommand({ KeyId: primary.KeyId, Policy: DEFAULT_POLICY })),
      'AccessDeniedException',
      `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: kms:PutKeyPolicy on resource: ${arnIn(WEST, primary.KeyId!)} ` +
        'because no resource-based policy allows the kms:PutKeyPolicy action',
    );
    await east.send(new PutKeyPolicyCommand({ KeyId: primary.KeyId, Policy: DEFAULT_POLICY }));
  });
});

describe('which keys can be replicated, and where', () => {
  test('a single-Region key is not a multi-Region primary', async () => {
    const single = (await east.send(new CreateKeyCommand({}))).KeyMetadata!;
    await expectError(replicate(single.KeyId!), 'UnsupportedOperationException', `${single.Arn} is not a multi-region primary key.`);
    await assertNoKeyIn(west, WEST, single.KeyId!);
  });

  test('a replica cannot be replicated (recorded from AWS)', async () => {
    const { primary } = await replicated();
    await expectError(
      replicate(primary.KeyId!, EU, {}, west),
      'UnsupportedOperationException',
      `${arnIn(WEST, primary.KeyId!)} is not a multi-region primary key.`,
    );
    await assertNoKeyIn(eu, EU, primary.KeyId!);
  });

  test('a Region that already has a replica is AlreadyExistsException, even while that replica waits for deletion', async () => {
    const { primary } = await replicated({ Description: 'first' });
    const replicaArn = arnIn(WEST, primary.KeyId!);
    // "If the Region already includes a replica … AlreadyExistsException" (API ReplicateKey); the text is unrecorded.
    await expectError(replicate(primary.KeyId!, WEST, { Description: 'second' }), 'AlreadyExistsException', `${replicaArn} already exists`);
    await west.send(new ScheduleKeyDeletionCommand({ KeyId: primary.KeyId, PendingWindowInDays: 7 }));
    await expectError(replicate(primary.KeyId!), 'AlreadyExistsException', `${replicaArn} already exists`);
    assert.equal((await describeIn(west, primary.KeyId!)).Description, 'first');
    // Once the waiting period is over the replica is gone and the Region can have a new one.
    t.clock.advanceDays(7);
    t.clock.advance(1000);
    const again = await replicate(primary.KeyId!, WEST, { Description: 'second' });
    assert.equal(again.ReplicaKeyMetadata!.KeyState, 'Creating');
    assert.equal(again.ReplicaKeyMetadata!.Description, 'second');
    assert.deepEqual(again.ReplicaKeyMetadata!.MultiRegionConfiguration!.ReplicaKeys, [{ Arn: replicaArn, Region: WEST }]);
    settle();
  });

  test('the primary\'s own Region is refused like a Region that has the key', async () => {
    const primary = await newPrimary();
    // "The replica must be in a different … Region than its primary key" (API ReplicateKey ReplicaRegion); AWS's
    // answer is unrecorded: the key ID already exists there, so Trent answers as for an existing replica.
    await expectError(replicate(primary.KeyId!, EAST), 'AlreadyExistsException', `${primary.Arn} already exists`);
    assert.deepEqual((await describeIn(east, primary.KeyId!)).MultiRegionConfiguration!.ReplicaKeys, []);
  });

  test('a ReplicaRegion that is not a Region name is a ValidationException', async () => {
    const primary = await newPrimary();
    await expectError(
      replicate(primary.KeyId!, 'Mars'),
      'ValidationException',
      "1 validation error detected: Value 'Mars' at 'replicaRegion' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([a-z]+-){2,3}\\d+$",
    );
  });

  test('the primary must be Enabled: Disabled, PendingDeletion and PendingImport fail with the key-state table\'s errors', async () => {
    const disabled = await newPrimary();
    await east.send(new DisableKeyCommand({ KeyId: disabled.KeyId }));
    await expectError(replicate(disabled.KeyId!), 'DisabledException', `${disabled.Arn} is disabled.`);
    await assertNoKeyIn(west, WEST, disabled.KeyId!);
    await east.send(new EnableKeyCommand({ KeyId: disabled.KeyId }));
    await replicate(disabled.KeyId!);

    const pending = await newPrimary();
    await east.send(new ScheduleKeyDeletionCommand({ KeyId: pending.KeyId, PendingWindowInDays: 7 }));
    await expectError(replicate(pending.KeyId!), 'KMSInvalidStateException', `${pending.Arn} is pending deletion.`);
    await assertNoKeyIn(west, WEST, pending.KeyId!);

    const external = (await east.send(new CreateKeyCommand({ MultiRegion: true, Origin: 'EXTERNAL' }))).KeyMetadata!;
    await expectError(replicate(external.KeyId!), 'KMSInvalidStateException', `${external.Arn} is pending import.`);
    await assertNoKeyIn(west, WEST, external.KeyId!);
    settle();
  });

  test('a primary that is Creating or Updating is refused with footnotes [14] and [15] of the key-state table', async () => {
    // Neither state can be reached by a primary through this file's operations; the store sets them directly.
    for (const [state, word] of [['Creating', 'creating'], ['Updating', 'updating']] as const) {
      const primary = await newPrimary();
      const ref = { account: ACCOUNT, region: EAST, keyId: primary.KeyId! };
      await t.store.transaction(async (tx) => tx.updateKey({ ...(await tx.getKey(ref))!, keyState: state }));
      await expectError(replicate(primary.KeyId!), 'KMSInvalidStateException', `${primary.Arn} is ${word}.`);
      await assertNoKeyIn(west, WEST, primary.KeyId!);
    }
  });

  test('a primary with imported material gives a replica without material, PendingImport after Creating', async () => {
    const primary = (await east.send(new CreateKeyCommand({ MultiRegion: true, Origin: 'EXTERNAL' }))).KeyMetadata!;
    await importMaterial(east, primary.KeyId!, Buffer.alloc(32, 7));
    const md = (await replicate(primary.KeyId!)).ReplicaKeyMetadata!;
    assert.equal(md.Origin, 'EXTERNAL');
    assert.equal(md.KeyState, 'Creating');
    // "the replica key is created with no key material" (API ReplicateKey): no material ID, no expiration.
    assert.equal(md.CurrentKeyMaterialId, undefined);
    assert.equal(md.ExpirationModel, undefined);
    settle();
    const after = await describeIn(west, primary.KeyId!);
    assert.equal(after.KeyState, 'PendingImport');
    assert.equal(after.Enabled, false);
    await expectError(
      west.send(new EncryptCommand({ KeyId: primary.KeyId, Plaintext: Buffer.from('x') })),
      'KMSInvalidStateException',
      `${arnIn(WEST, primary.KeyId!)} is pending import.`,
    );
    assert.equal((await describeIn(east, primary.KeyId!)).KeyState, 'Enabled');
  });

  test('KeyId takes a key ID or key ARN only: alias names and alias ARNs are refused', async () => {
    const primary = await newPrimary();
    await east.send(new CreateAliasCommand({ AliasName: 'alias/replicate-me', TargetKeyId: primary.KeyId }));
    // Key-management operations refuse aliases as everywhere else in Trent (spec §1.8).
    await expectError(replicate('alias/replicate-me'), 'NotFoundException', "Invalid keyId 'alias/replicate-me'");
    await expectError(
      replicate(`arn:aws:kms:${EAST}:${ACCOUNT}:alias/replicate-me`),
      'InvalidArnException',
      'Key Aliases are not supported for this operation',
    );
    await assertNoKeyIn(west, WEST, primary.KeyId!);
    const byArn = await replicate(primary.Arn!);
    assert.equal(byArn.ReplicaKeyMetadata!.Arn, arnIn(WEST, primary.KeyId!));
    settle();
  });

  test('another account\'s key, an ARN of another Region and an unknown key are not found', async () => {
    const other = t.client({ accessKeyId: '444455556666' });
    const foreign = (await other.send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!;
    // "Cross-account use: No." (API ReplicateKey): another account's key is not found, as on key-management operations.
    await expectError(replicate(foreign.Arn!), 'NotFoundException', `Key '${foreign.Arn}' does not exist`);
    const primary = await newPrimary();
    await expectError(replicate(primary.Arn!, EU, {}, west), 'NotFoundException', `Invalid arn ${EAST}`);
    await expectError(replicate(primary.KeyId!, EU, {}, west), 'NotFoundException', `Key '${arnIn(WEST, primary.KeyId!)}' does not exist`);
    await assertNoKeyIn(eu, EU, primary.KeyId!);
  });
});

describe('tags on ReplicateKey', () => {
  const rejected = async (Tags: Tag[], type: string, message: string) => {
    const primary = await newPrimary();
    await expectError(replicate(primary.KeyId!, WEST, { Tags }), type, message);
    await assertNoKeyIn(west, WEST, primary.KeyId!);
    assert.deepEqual((await describeIn(east, primary.KeyId!)).MultiRegionConfiguration!.ReplicaKeys, []);
  };

  test('are the replica\'s own: returned in ReplicaTags and listed in its Region only', async () => {
    const primary = await newPrimary({ Tags: [{ TagKey: 'site', TagValue: 'east' }] });
    const tags = [
      { TagKey: 'site', TagValue: 'west' },
      { TagKey: 'empty', TagValue: '' },
      { TagKey: 'k'.repeat(128), TagValue: 'v'.repeat(256) },
    ];
    const out = await replicate(primary.KeyId!, WEST, { Tags: tags });
    assert.deepEqual(out.ReplicaTags, tags);
    assert.deepEqual(await tagsIn(west, primary.KeyId!), [tags[1], tags[2], tags[0]], 'sorted by tag key');
    assert.deepEqual(await tagsIn(east, primary.KeyId!), [{ TagKey: 'site', TagValue: 'east' }]);
    assert.ok(!JSON.stringify(out.ReplicaKeyMetadata).includes('west"'), 'tags never appear in KeyMetadata');
    settle();
  });

  test('50 tags are accepted', async () => {
    const primary = await newPrimary();
    const tags = Array.from({ length: 50 }, (_, i) => ({ TagKey: `k${String(i).padStart(2, '0')}`, TagValue: `v${i}` }));
    assert.deepEqual((await replicate(primary.KeyId!, WEST, { Tags: tags })).ReplicaTags, tags);
    assert.deepEqual(await tagsIn(west, primary.KeyId!), tags);
    settle();
  });

  test('an aws: prefix, in any case, is reserved and creates nothing', async () => {
    for (const reserved of ['aws:site', 'AWS:site', 'Aws:x']) {
      await rejected([{ TagKey: 'fine', TagValue: 'x' }, { TagKey: reserved, TagValue: 'x' }], 'TagException', 'Tags beginning with aws: are reserved');
    }
  });

  test('duplicate tag keys are refused and create nothing', async () => {
    await rejected([{ TagKey: 'dup', TagValue: '1' }, { TagKey: 'dup', TagValue: '2' }], 'TagException', 'Duplicate tag keys');
  });

  test('51 tags are refused and create nothing', async () => {
    await rejected(Array.from({ length: 51 }, (_, i) => ({ TagKey: `t${i}`, TagValue: 'x' })), 'TagException', 'Too many tags');
  });

  test('bad lengths are the model\'s ValidationException and create nothing', async () => {
    const k = 'a'.repeat(129);
    await rejected(
      [{ TagKey: 'ok', TagValue: 'x' }, { TagKey: k, TagValue: 'x' }],
      'ValidationException',
      `1 validation error detected: Value '${k}' at 'tags.2.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
    const v = 'v'.repeat(257);
    await rejected(
      [{ TagKey: 'k', TagValue: v }],
      'ValidationException',
      `1 validation error detected: Value '${v}' at 'tags.1.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256`,
    );
    await rejected(
      [{ TagKey: '', TagValue: 'x' }],
      'ValidationException',
      "1 validation error detected: Value '' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  test('are never synchronised: tagging or untagging one key of the set leaves the others alone', async () => {
    const { primary } = await replicated({ Tags: [{ TagKey: 'team', TagValue: 'west' }] }, { Tags: [{ TagKey: 'team', TagValue: 'east' }] });
    await replicate(primary.KeyId!, EU, { Tags: [{ TagKey: 'team', TagValue: 'eu' }] });
    settle();
    await east.send(new TagResourceCommand({ KeyId: primary.KeyId, Tags: [{ TagKey: 'team', TagValue: 'east-2' }, { TagKey: 'new', TagValue: '1' }] }));
    assert.deepEqual(await tagsIn(west, primary.KeyId!), [{ TagKey: 'team', TagValue: 'west' }]);
    assert.deepEqual(await tagsIn(eu, primary.KeyId!), [{ TagKey: 'team', TagValue: 'eu' }]);
    await west.send(new UntagResourceCommand({ KeyId: primary.KeyId, TagKeys: ['team'] }));
    await west.send(new TagResourceCommand({ KeyId: primary.KeyId, Tags: [{ TagKey: 'only', TagValue: 'west' }] }));
    assert.deepEqual(await tagsIn(east, primary.KeyId!), [{ TagKey: 'new', TagValue: '1' }, { TagKey: 'team', TagValue: 'east-2' }]);
    assert.deepEqual(await tagsIn(west, primary.KeyId!), [{ TagKey: 'only', TagValue: 'west' }]);
    await east.send(new UntagResourceCommand({ KeyId: primary.KeyId, TagKeys: ['team', 'new'] }));
    assert.deepEqual(await tagsIn(east, primary.KeyId!), []);
    assert.deepEqual(await tagsIn(west, primary.KeyId!), [{ TagKey: 'only', TagValue: 'west' }]);
    assert.deepEqual(await tagsIn(eu, primary.KeyId!), [{ TagKey: 'team', TagValue: 'eu' }]);
  });
});

describe('properties each key of the set keeps for itself', () => {
  test('description: UpdateKeyDescription changes one key only', async () => {
    const { primary } = await replicated({ Description: 'west' }, { Description: 'east' });
    await east.send(new UpdateKeyDescriptionCommand({ KeyId: primary.KeyId, Description: 'east, renamed' }));
    assert.equal((await describeIn(west, primary.KeyId!)).Description, 'west');
    await west.send(new UpdateKeyDescriptionCommand({ KeyId: primary.KeyId, Description: 'west, renamed' }));
    assert.equal((await describeIn(east, primary.KeyId!)).Description, 'east, renamed');
    assert.equal((await describeIn(west, primary.KeyId!)).Description, 'west, renamed');
  });

  test('key policy: PutKeyPolicy changes one key only', async () => {
    const { primary } = await replicated();
    const eastPolicy = DEFAULT_POLICY.replace('key-default-1', 'east-policy');
    const westPolicy = DEFAULT_POLICY.replace('key-default-1', 'west-policy');
    await east.send(new PutKeyPolicyCommand({ KeyId: primary.KeyId, Policy: eastPolicy }));
    assert.equal(await policyIn(west, primary.KeyId!), DEFAULT_POLICY);
    await west.send(new PutKeyPolicyCommand({ KeyId: primary.KeyId, Policy: westPolicy }));
    assert.equal(await policyIn(east, primary.KeyId!), eastPolicy);
    assert.equal(await policyIn(west, primary.KeyId!), westPolicy);
  });

  test('enabled state: disabling the primary leaves the replica Enabled and usable, and the other way round', async () => {
    const { primary } = await replicated();
    await east.send(new DisableKeyCommand({ KeyId: primary.KeyId }));
    const replica = await describeIn(west, primary.KeyId!);
    assert.equal(replica.KeyState, 'Enabled');
    assert.equal(replica.Enabled, true);
    const enc = await west.send(new EncryptCommand({ KeyId: primary.KeyId, Plaintext: Buffer.from('still works') }));
    await expectError(
      east.send(new EncryptCommand({ KeyId: primary.KeyId, Plaintext: Buffer.from('x') })),
      'DisabledException',
      `${primary.Arn} is disabled.`,
    );
    // The disabled primary cannot open a ciphertext of its replica either: its own state governs it.
    await expectError(east.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })), 'DisabledException', `${primary.Arn} is disabled.`);
    await east.send(new EnableKeyCommand({ KeyId: primary.KeyId }));
    await west.send(new DisableKeyCommand({ KeyId: primary.KeyId }));
    assert.equal((await describeIn(east, primary.KeyId!)).KeyState, 'Enabled');
    assert.equal((await describeIn(west, primary.KeyId!)).KeyState, 'Disabled');
  });

  test('aliases: each Region has its own, and the same name may point to each key of the set', async () => {
    const { primary } = await replicated();
    await east.send(new CreateAliasCommand({ AliasName: 'alias/shared-name', TargetKeyId: primary.KeyId }));
    const westAliases = (await west.send(new ListAliasesCommand({ KeyId: primary.KeyId }))).Aliases!;
    assert.deepEqual(westAliases, []);
    await expectError(
      west.send(new EncryptCommand({ KeyId: 'alias/shared-name', Plaintext: Buffer.from('x') })),
      'NotFoundException',
      `Alias arn:aws:kms:${WEST}:${ACCOUNT}:alias/shared-name is not found.`,
    );
    await west.send(new CreateAliasCommand({ AliasName: 'alias/shared-name', TargetKeyId: primary.KeyId }));
    const inWest = await west.send(new EncryptCommand({ KeyId: 'alias/shared-name', Plaintext: Buffer.from('x') }));
    const inEast = await east.send(new EncryptCommand({ KeyId: 'alias/shared-name', Plaintext: Buffer.from('x') }));
    assert.equal(inWest.KeyId, arnIn(WEST, primary.KeyId!));
    assert.equal(inEast.KeyId, primary.Arn);
    const listed = (await west.send(new ListAliasesCommand({ KeyId: primary.KeyId }))).Aliases!;
    assert.deepEqual(
      listed.map((a) => [a.AliasName, a.AliasArn, a.TargetKeyId]),
      [['alias/shared-name', `arn:aws:kms:${WEST}:${ACCOUNT}:alias/shared-name`, primary.KeyId]],
    );
  });
});

describe('the set as each Region sees it', () => {
  test('the replica is listed by ListKeys in its own Region only', async () => {
    const { primary } = await replicated();
    const listed = async (client: KMSClient) => {
      const arns: string[] = [];
      let Marker: string | undefined;
      do {
        const page = await client.send(new ListKeysCommand({ Marker }));
        arns.push(...page.Keys!.map((k) => k.KeyArn!));
        Marker = page.NextMarker;
      } while (Marker);
      return arns.filter((a) => a.endsWith(primary.KeyId!));
    };
    assert.deepEqual(await listed(west), [arnIn(WEST, primary.KeyId!)]);
    assert.deepEqual(await listed(east), [primary.Arn]);
    assert.deepEqual(await listed(eu), []);
  });

  test('DescribeKey of the primary lists its replica; a second replica shows in all three keys', async () => {
    const primary = await newPrimary();
    await replicate(primary.KeyId!, WEST);
    const westArn = arnIn(WEST, primary.KeyId!);
    const euArn = arnIn(EU, primary.KeyId!);
    assert.deepEqual((await describeIn(east, primary.KeyId!)).MultiRegionConfiguration, {
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: primary.Arn, Region: EAST },
      ReplicaKeys: [{ Arn: westArn, Region: WEST }],
    });
    const second = await replicate(primary.KeyId!, EU, { Description: 'eu' });
    const both = [{ Arn: westArn, Region: WEST }, { Arn: euArn, Region: EU }];
    assert.deepEqual(second.ReplicaKeyMetadata!.MultiRegionConfiguration, {
      MultiRegionKeyType: 'REPLICA',
      PrimaryKey: { Arn: primary.Arn, Region: EAST },
      ReplicaKeys: both,
    });
    settle();
    for (const [client, type] of [[east, 'PRIMARY'], [west, 'REPLICA'], [eu, 'REPLICA']] as const) {
      assert.deepEqual((await describeIn(client, primary.KeyId!)).MultiRegionConfiguration, {
        MultiRegionKeyType: type,
        PrimaryKey: { Arn: primary.Arn, Region: EAST },
        ReplicaKeys: both,
      });
    }
  });
});

describe('a replica across a restart', () => {
  test('keeps its state, tags, policy, description and material', async () => {
    const first = await startTestServer();
    try {
      const e = first.client();
      const primary = (await e.send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!;
      const policy = DEFAULT_POLICY.replace('key-default-1', 'west-after-restart');
      await e.send(
        new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: WEST, Description: 'survivor', Policy: policy, Tags: [{ TagKey: 'k', TagValue: 'v' }] }),
      );
      const enc = await e.send(new EncryptCommand({ KeyId: primary.KeyId, Plaintext: Buffer.from('before restart') }));
      first.clock.advance(DELAY + 1);
      await first.server.sweep();
      await first.stop();

      const second = await startTestServer({ dataDir: first.dataDir });
      try {
        second.clock.ms = first.clock.ms;
        const w2 = second.client({ region: WEST });
        const md = await describeIn(w2, primary.KeyId!);
        assert.equal(md.KeyState, 'Enabled');
        assert.equal(md.Description, 'survivor');
        assert.deepEqual(md.MultiRegionConfiguration, {
          MultiRegionKeyType: 'REPLICA',
          PrimaryKey: { Arn: primary.Arn, Region: EAST },
          ReplicaKeys: [{ Arn: arnIn(WEST, primary.KeyId!), Region: WEST }],
        });
        assert.equal(await policyIn(w2, primary.KeyId!), policy);
        assert.deepEqual(await tagsIn(w2, primary.KeyId!), [{ TagKey: 'k', TagValue: 'v' }]);
        const dec = await w2.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
        assert.equal(Buffer.from(dec.Plaintext!).toString(), 'before restart');
        assert.equal(dec.KeyId, arnIn(WEST, primary.KeyId!));
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
    }
  });
});
