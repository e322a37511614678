// Who may replicate a multi-Region key (API ReplicateKey "Required permissions", DG multi-region-keys-auth):
// kms:ReplicateKey on the primary, kms:CreateKey in an IAM policy, kms:TagResource only when Tags are given,
// kms:ReplicaRegion in key and identity policies, and kms:MultiRegionKeyType telling primaries from replicas.
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  ReplicateKeyCommand,
  type KeyMetadata,
  type KMSClient,
  type ReplicateKeyCommandInput,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { DEFAULTS } from '../../src/config.ts';
import { expectError } from '../helpers/expect-error.ts';
import {
  ACCOUNT_A,
  allow,
  deny,
  keyPolicyText,
  keyStatement,
  policy,
  root,
  rootArn,
  rootStatement,
  user,
  type TestPrincipal,
} from '../helpers/principals.ts';
import { startTestServer } from '../helpers/server.ts';

const WEST = 'us-west-2';
const EU = 'eu-west-1';

const admin = root(ACCOUNT_A);
const replicator = user(ACCOUNT_A, 'replicator', { policies: [policy(allow(['kms:ReplicateKey', 'kms:CreateKey']))] });
const noReplicate = user(ACCOUNT_A, 'no-replicate', { policies: [policy(allow('kms:CreateKey'))] });
const noCreate = user(ACCOUNT_A, 'no-create', { policies: [policy(allow('kms:ReplicateKey'))] });
const fullTagger = user(ACCOUNT_A, 'full-tagger', { policies: [policy(allow(['kms:ReplicateKey', 'kms:CreateKey', 'kms:TagResource']))] });
const drTagger = user(ACCOUNT_A, 'dr-tagger', {
  policies: [policy(allow(['kms:ReplicateKey', 'kms:CreateKey']), allow('kms:TagResource', '*', { StringEquals: { 'aws:RequestTag/env': 'dr' } }))],
});
const westOnly = user(ACCOUNT_A, 'west-only', {
  policies: [policy(allow('kms:ReplicateKey', '*', { StringEquals: { 'kms:ReplicaRegion': WEST } }), allow('kms:CreateKey'))],
});
const notToEu = user(ACCOUNT_A, 'not-to-eu', {
  policies: [policy(allow(['kms:ReplicateKey', 'kms:CreateKey']), deny('kms:ReplicateKey', '*', { StringEquals: { 'kms:ReplicaRegion': EU } }))],
});
// Named in key policies only; its IAM policy lets it create keys (the replica's CreateKey) and nothing else.
const keyUser = user(ACCOUNT_A, 'key-user', { policies: [policy(allow('kms:CreateKey'))] });
const replicaUser = user(ACCOUNT_A, 'replica-user', {
  policies: [policy(allow(['kms:Encrypt', 'kms:DescribeKey'], '*', { StringEquals: { 'kms:MultiRegionKeyType': 'REPLICA' } }))],
});
const primaryUser = user(ACCOUNT_A, 'primary-user', {
  policies: [policy(allow(['kms:Encrypt', 'kms:DescribeKey'], '*', { StringEquals: { 'kms:MultiRegionKeyType': 'PRIMARY' } }))],
});
const primaryCreator = user(ACCOUNT_A, 'primary-creator', {
  policies: [policy(allow('kms:ReplicateKey'), allow('kms:CreateKey', '*', { StringEquals: { 'kms:MultiRegionKeyType': 'PRIMARY' } }))],
});
const replicaCreator = user(ACCOUNT_A, 'replica-creator', {
  policies: [policy(allow('kms:ReplicateKey'), allow('kms:CreateKey', '*', { StringEquals: { 'kms:MultiRegionKeyType': 'REPLICA' } }))],
});

// kms:ReplicateKey anywhere, kms:CreateKey only in us-west-2 (DG multi-region-keys-auth: "aws:RequestedRegion").
const westCreator = user(ACCOUNT_A, 'west-creator', {
  policies: [policy(allow('kms:ReplicateKey'), allow('kms:CreateKey', '*', { StringEquals: { 'aws:RequestedRegion': WEST } }))],
});

// May create and replicate anywhere, but administer key policies only in us-east-1 (aws:RequestedRegion).
const eastAdmin = user(ACCOUNT_A, 'east-admin', {
  policies: [policy(allow(['kms:ReplicateKey', 'kms:CreateKey']), allow('kms:PutKeyPolicy', '*', { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } }))],
});

const everyone = [
  admin, replicator, noReplicate, noCreate, fullTagger, drTagger, westOnly, notToEu, keyUser, replicaUser, primaryUser, primaryCreator,
  replicaCreator, westCreator, eastAdmin,
];
const t = await startTestServer({ principals: everyone.map((p) => p.config) });
after(() => t.close());
const kms = t.client(admin.creds);
const kmsWest = t.client({ ...admin.creds, region: WEST });
const kmsEu = t.client({ ...admin.creds, region: EU });
const as = (p: TestPrincipal, region?: string): KMSClient => t.client({ ...p.creds, ...(region ? { region } : {}) });

const denied = (p: TestPrincipal, action: string, resource: string, why: string) =>
  `User: ${p.callerArn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
const noIdentity = (action: string) => `because no identity-based policy allows the ${action} action`;
const noResource = (action: string) => `because no resource-based policy allows the ${action} action`;
const IDENTITY_DENY = 'with an explicit deny in an identity-based policy';
const RESOURCE_DENY = 'with an explicit deny in a resource-based policy';
// Observed AWS text for CreateKey's kms:TagResource check: it names no resource (LeanerCloud/CUDly#1670).
const noTagging = (p: TestPrincipal) =>
  `User: ${p.callerArn} is not authorized to perform: kms:TagResource because no identity-based policy allows the kms:TagResource action`;

const newPrimary = async (Policy?: string): Promise<KeyMetadata> =>
  (await kms.send(new CreateKeyCommand({ MultiRegion: true, ...(Policy ? { Policy } : {}) }))).KeyMetadata!;
const replicate = (p: TestPrincipal, KeyId: string, ReplicaRegion = WEST, extra: Partial<ReplicateKeyCommandInput> = {}) =>
  as(p).send(new ReplicateKeyCommand({ KeyId, ReplicaRegion, ...extra }));
const arnIn = (region: string, keyId: string) => `arn:aws:kms:${region}:${ACCOUNT_A}:key/${keyId}`;
/** No key of this ID was created in `region`. */
const assertNoKeyIn = (client: KMSClient, region: string, keyId: string) =>
  expectError(client.send(new DescribeKeyCommand({ KeyId: keyId })), 'NotFoundException', `Key '${arnIn(region, keyId)}' does not exist`);

describe("the replica's key policy", () => {
  test('the lockout check is decided in the replica Region: a caller who may change policies only in us-east-1 is locked out of the replica', async () => {
    const primary = await newPrimary();
    // The root statement hands the replica to IAM, where this caller has kms:PutKeyPolicy only in us-east-1.
    const delegating = keyPolicyText(rootStatement(ACCOUNT_A));
    await expectError(
      replicate(eastAdmin, primary.KeyId!, WEST, { Policy: delegating }),
      'MalformedPolicyDocumentException',
      'The new key policy will not allow you to update the key policy in the future.',
    );
    await assertNoKeyIn(kmsWest, WEST, primary.KeyId!);
    const out = await replicate(eastAdmin, primary.KeyId!, WEST, { Policy: delegating, BypassPolicyLockoutSafetyCheck: true });
    assert.equal(out.ReplicaPolicy, delegating);
  });
});

describe('the permissions ReplicateKey needs', () => {
  test('kms:ReplicateKey and kms:CreateKey in an identity policy are enough under the default key policy', async () => {
    const primary = await newPrimary();
    const out = await replicate(replicator, primary.KeyId!);
    assert.equal(out.ReplicaKeyMetadata!.Arn, arnIn(WEST, primary.KeyId!));
  });

  test('without kms:ReplicateKey on the primary: AccessDenied naming the primary, nothing created', async () => {
    const primary = await newPrimary();
    await expectError(
      replicate(noReplicate, primary.KeyId!),
      'AccessDeniedException',
      denied(noReplicate, 'kms:ReplicateKey', primary.Arn!, noIdentity('kms:ReplicateKey')),
    );
    await assertNoKeyIn(kmsWest, WEST, primary.KeyId!);
  });

  test('a caller without access learns nothing of the primary\'s state: AccessDenied before DisabledException', async () => {
    const primary = await newPrimary();
    await kms.send(new DisableKeyCommand({ KeyId: primary.KeyId }));
    await expectError(
      replicate(noReplicate, primary.KeyId!),
      'AccessDeniedException',
      denied(noReplicate, 'kms:ReplicateKey', primary.Arn!, noIdentity('kms:ReplicateKey')),
    );
    await expectError(replicate(replicator, primary.KeyId!), 'DisabledException', `${primary.Arn} is disabled.`);
  });

  test('without kms:CreateKey: AccessDenied for kms:CreateKey on resource *, nothing created', async () => {
    const primary = await newPrimary();
    // As CreateKey itself words it (aws-ia/terraform-aws-control_tower_account_factory#569).
    await expectError(
      replicate(noCreate, primary.KeyId!),
      'AccessDeniedException',
      denied(noCreate, 'kms:CreateKey', '*', noIdentity('kms:CreateKey')),
    );
    await assertNoKeyIn(kmsWest, WEST, primary.KeyId!);
  });

  test('kms:TagResource is needed only when Tags are given, with the replica\'s tags as aws:RequestTag', async () => {
    const primary = await newPrimary();
    const dr = [{ TagKey: 'env', TagValue: 'dr' }];
    await expectError(replicate(replicator, primary.KeyId!, WEST, { Tags: dr }), 'AccessDeniedException', noTagging(replicator));
    await assertNoKeyIn(kmsWest, WEST, primary.KeyId!);
    await expectError(
      replicate(drTagger, primary.KeyId!, WEST, { Tags: [{ TagKey: 'env', TagValue: 'prod' }] }),
      'AccessDeniedException',
      noTagging(drTagger),
    );
    await assertNoKeyIn(kmsWest, WEST, primary.KeyId!);
    assert.deepEqual((await replicate(drTagger, primary.KeyId!, WEST, { Tags: dr })).ReplicaTags, dr);
    assert.deepEqual((await replicate(fullTagger, primary.KeyId!, EU, { Tags: [{ TagKey: 'any', TagValue: 'thing' }] })).ReplicaTags, [
      { TagKey: 'any', TagValue: 'thing' },
    ]);
    // An empty Tags list asks for no tagging.
    const other = await newPrimary();
    assert.deepEqual((await replicate(replicator, other.KeyId!, WEST, { Tags: [] })).ReplicaTags, []);
  });

  test('the kms:CreateKey check sees the key being created: kms:MultiRegionKeyType REPLICA', async () => {
    const primary = await newPrimary();
    // AWS lists no condition keys for the replica's CreateKey; Trent offers the new key's, as CreateKey does.
    await expectError(
      replicate(primaryCreator, primary.KeyId!),
      'AccessDeniedException',
      denied(primaryCreator, 'kms:CreateKey', '*', noIdentity('kms:CreateKey')),
    );
    await replicate(replicaCreator, primary.KeyId!);
  });
});

describe('kms:CreateKey is decided in the replica Region', () => {
  test('an identity policy limiting kms:CreateKey to one Region by aws:RequestedRegion allows replicas there only', async () => {
    const primary = await newPrimary();
    // "kms:CreateKey in an IAM policy in the replica Region" (API ReplicateKey): the request is sent in us-east-1,
    // where westCreator may not create keys, yet the replica's CreateKey happens in us-west-2.
    await expectError(as(westCreator).send(new CreateKeyCommand({})), 'AccessDeniedException', denied(westCreator, 'kms:CreateKey', '*', noIdentity('kms:CreateKey')));
    await replicate(westCreator, primary.KeyId!, WEST);
    await expectError(replicate(westCreator, primary.KeyId!, EU), 'AccessDeniedException', denied(westCreator, 'kms:CreateKey', '*', noIdentity('kms:CreateKey')));
    await assertNoKeyIn(kmsEu, EU, primary.KeyId!);
  });
});

describe('kms:ReplicaRegion', () => {
  test('in an identity policy: allows the named Region and no other', async () => {
    const primary = await newPrimary();
    await expectError(
      replicate(westOnly, primary.KeyId!, EU),
      'AccessDeniedException',
      denied(westOnly, 'kms:ReplicateKey', primary.Arn!, noIdentity('kms:ReplicateKey')),
    );
    await assertNoKeyIn(kmsEu, EU, primary.KeyId!);
    await replicate(westOnly, primary.KeyId!, WEST);
  });

  test('in an identity policy Deny: refuses the named Region only', async () => {
    const primary = await newPrimary();
    await expectError(replicate(notToEu, primary.KeyId!, EU), 'AccessDeniedException', denied(notToEu, 'kms:ReplicateKey', primary.Arn!, IDENTITY_DENY));
    await replicate(notToEu, primary.KeyId!, WEST);
  });

  test('in the primary\'s key policy (DG multi-region-keys-auth example): allows the listed Regions only', async () => {
    const primary = await newPrimary(
      keyPolicyText(
        keyStatement('Allow', rootArn(ACCOUNT_A), ['kms:PutKeyPolicy', 'kms:GetKeyPolicy', 'kms:DescribeKey']),
        keyStatement('Allow', keyUser.arn, 'kms:ReplicateKey', { StringEquals: { 'kms:ReplicaRegion': [WEST, 'ap-southeast-2'] } }),
      ),
    );
    await expectError(
      replicate(keyUser, primary.KeyId!, EU),
      'AccessDeniedException',
      denied(keyUser, 'kms:ReplicateKey', primary.Arn!, noResource('kms:ReplicateKey')),
    );
    await assertNoKeyIn(kmsEu, EU, primary.KeyId!);
    await replicate(keyUser, primary.KeyId!, WEST);
    await replicate(keyUser, primary.KeyId!, 'ap-southeast-2');
  });

  test('in a key policy Deny: refuses the named Region even to a caller IAM allows', async () => {
    const primary = await newPrimary(
      keyPolicyText(rootStatement(ACCOUNT_A), keyStatement('Deny', '*', 'kms:ReplicateKey', { StringEquals: { 'kms:ReplicaRegion': EU } })),
    );
    await expectError(replicate(replicator, primary.KeyId!, EU), 'AccessDeniedException', denied(replicator, 'kms:ReplicateKey', primary.Arn!, RESOURCE_DENY));
    await replicate(replicator, primary.KeyId!, WEST);
  });
});

describe('kms:MultiRegionKeyType on existing keys', () => {
  test('REPLICA allows the replica and not its primary; PRIMARY the other way round; a single-Region key has neither', async () => {
    const primary = await newPrimary();
    await kms.send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: WEST }));
    t.clock.advance(DEFAULTS.multiRegionDelayMs + 1);
    const single = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const encrypt = (p: TestPrincipal, region: string | undefined, KeyId: string) =>
      as(p, region).send(new EncryptCommand({ KeyId, Plaintext: Buffer.from('x') }));
    const replicaArn = arnIn(WEST, primary.KeyId!);

    assert.equal((await encrypt(replicaUser, WEST, primary.KeyId!)).KeyId, replicaArn);
    await expectError(encrypt(replicaUser, undefined, primary.KeyId!), 'AccessDeniedException', denied(replicaUser, 'kms:Encrypt', primary.Arn!, noIdentity('kms:Encrypt')));

    assert.equal((await encrypt(primaryUser, undefined, primary.KeyId!)).KeyId, primary.Arn);
    await expectError(encrypt(primaryUser, WEST, primary.KeyId!), 'AccessDeniedException', denied(primaryUser, 'kms:Encrypt', replicaArn, noIdentity('kms:Encrypt')));

    for (const p of [replicaUser, primaryUser]) {
      await expectError(encrypt(p, undefined, single.KeyId!), 'AccessDeniedException', denied(p, 'kms:Encrypt', single.Arn!, noIdentity('kms:Encrypt')));
    }
    const md = (await as(replicaUser, WEST).send(new DescribeKeyCommand({ KeyId: primary.KeyId }))).KeyMetadata!;
    assert.equal(md.MultiRegionConfiguration!.MultiRegionKeyType, 'REPLICA');
  });
});
