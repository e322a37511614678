// UpdatePrimaryRegion's authorization with configured principals: kms:UpdatePrimaryRegion is needed on the
// primary and on the replica in the new primary Region (API UpdatePrimaryRegion, Required permissions; DG
// multi-region-keys-auth), each key's own policy counts, and kms:PrimaryRegion limits where the primary may go.
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  KMSClient,
  ReplicateKeyCommand,
  UpdatePrimaryRegionCommand,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { DEFAULTS } from '../../src/config.ts';
import { expectError } from '../helpers/expect-error.ts';
import {
  ACCOUNT_A,
  allow,
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

const EAST = 'us-east-1';
const WEST = 'us-west-2';
const EU = 'eu-west-1';
const ACTION = 'kms:UpdatePrimaryRegion';
const keyArnPattern = (region: string) => `arn:aws:kms:${region}:${ACCOUNT_A}:key/*`;

const admin = root(ACCOUNT_A);
/** kms:UpdatePrimaryRegion on every key (and DescribeKey to look). */
const alice = user(ACCOUNT_A, 'alice', { policies: [policy(allow([ACTION, 'kms:DescribeKey']))] });
/** kms:UpdatePrimaryRegion only on keys in us-west-2: not on a primary in us-east-1. */
const westOnly = user(ACCOUNT_A, 'west-only', { policies: [policy(allow(ACTION, keyArnPattern(WEST)))] });
/** kms:UpdatePrimaryRegion only on keys in us-east-1: not on the replica in us-west-2. */
const eastOnly = user(ACCOUNT_A, 'east-only', { policies: [policy(allow(ACTION, keyArnPattern(EAST)))] });
/** The DG multi-region-keys-auth example: the primary may move only to the listed Regions. */
const toWest = user(ACCOUNT_A, 'to-west', { policies: [policy(allow(ACTION, 'arn:aws:kms:*:111122223333:key/*', { StringEquals: { 'kms:PrimaryRegion': [WEST, 'sa-east-1'] } }))] });
/** Allowed only where the request is decided in us-east-1 (aws:RequestedRegion): the replica half is decided in us-west-2. */
const eastRequests = user(ACCOUNT_A, 'east-requests', { policies: [policy(allow(ACTION, '*', { StringEquals: { 'aws:RequestedRegion': EAST } }))] });
/** Allowed only on primaries (kms:MultiRegionKeyType): the replica half of the request fails. */
const primariesOnly = user(ACCOUNT_A, 'primaries-only', { policies: [policy(allow(ACTION, '*', { StringEquals: { 'kms:MultiRegionKeyType': 'PRIMARY' } }))] });

const t = await startTestServer({ principals: [admin, alice, westOnly, eastOnly, toWest, primariesOnly, eastRequests].map((p) => p.config) });
after(() => t.close());
const clients = new Map<string, KMSClient>();
const as = (p: TestPrincipal, region = EAST): KMSClient => {
  const k = `${p.arn} ${region}`;
  if (!clients.has(k)) clients.set(k, t.client({ ...p.creds, region }));
  return clients.get(k)!;
};

const arnIn = (region: string, keyId: string) => `arn:aws:kms:${region}:${ACCOUNT_A}:key/${keyId}`;
const denied = (p: TestPrincipal, resource: string, why: string) => `User: ${p.callerArn} is not authorized to perform: ${ACTION} on resource: ${resource} ${why}`;
const NO_IDENTITY = `because no identity-based policy allows the ${ACTION} action`;
const NO_RESOURCE = `because no resource-based policy allows the ${ACTION} action`;
const RESOURCE_DENY = 'with an explicit deny in a resource-based policy';

/** A primary in us-east-1 (default policy) with Enabled replicas; `replicaPolicy` for the one in us-west-2. */
async function newSet(replicaPolicy?: string, regions: readonly string[] = [WEST]): Promise<string> {
  const keyId = (await as(admin).send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!.KeyId!;
  for (const ReplicaRegion of regions) {
    await as(admin).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion, ...(ReplicaRegion === WEST && replicaPolicy ? { Policy: replicaPolicy } : {}) }));
  }
  t.clock.advance(DEFAULTS.multiRegionDelayMs);
  return keyId;
}
const update = (p: TestPrincipal, KeyId: string, PrimaryRegion: string) => as(p).send(new UpdatePrimaryRegionCommand({ KeyId, PrimaryRegion }));
const primaryRegionOf = async (keyId: string) =>
  (await as(admin).send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.MultiRegionConfiguration!.PrimaryKey!.Region;

/** A replica key policy that keeps the account's administration but says nothing of kms:UpdatePrimaryRegion. */
const WITHOUT_UPDATE = keyPolicyText(keyStatement('Allow', rootArn(ACCOUNT_A), ['kms:PutKeyPolicy', 'kms:GetKeyPolicy', 'kms:DescribeKey', 'kms:DisableKey']));

describe('kms:UpdatePrimaryRegion on both keys', () => {
  test('allowed on both (default key policies, an identity policy for every key): the primary moves', async () => {
    const keyId = await newSet();
    await update(alice, keyId, WEST);
    assert.equal(await primaryRegionOf(keyId), WEST);
  });

  test('denied on the primary: AccessDenied naming the primary, nothing changes', async () => {
    const keyId = await newSet();
    await expectError(update(westOnly, keyId, WEST), 'AccessDeniedException', denied(westOnly, arnIn(EAST, keyId), NO_IDENTITY));
    assert.equal(await primaryRegionOf(keyId), EAST);
  });

  test('denied on the replica by IAM: AccessDenied naming the replica, nothing changes', async () => {
    const keyId = await newSet();
    await expectError(update(eastOnly, keyId, WEST), 'AccessDeniedException', denied(eastOnly, arnIn(WEST, keyId), NO_IDENTITY));
    assert.equal(await primaryRegionOf(keyId), EAST);
  });

  test("denied by the replica's key policy, which does not allow the action: AccessDenied naming the replica", async () => {
    const keyId = await newSet(WITHOUT_UPDATE);
    await expectError(update(alice, keyId, WEST), 'AccessDeniedException', denied(alice, arnIn(WEST, keyId), NO_RESOURCE));
    assert.equal(await primaryRegionOf(keyId), EAST);
  });

  test("an explicit Deny in the replica's key policy wins over the identity policy", async () => {
    const keyId = await newSet(keyPolicyText(rootStatement(ACCOUNT_A), keyStatement('Deny', alice.arn, ACTION)));
    await expectError(update(alice, keyId, WEST), 'AccessDeniedException', denied(alice, arnIn(WEST, keyId), RESOURCE_DENY));
  });

  test("aws:RequestedRegion is the replica's Region for the replica half (checked there, as the API Reference says)", async () => {
    const keyId = await newSet();
    await expectError(update(eastRequests, keyId, WEST), 'AccessDeniedException', denied(eastRequests, arnIn(WEST, keyId), NO_IDENTITY));
    assert.equal(await primaryRegionOf(keyId), EAST);
  });

  test('kms:MultiRegionKeyType is the key\'s own: a policy for primaries only fails on the replica', async () => {
    const keyId = await newSet();
    await expectError(update(primariesOnly, keyId, WEST), 'AccessDeniedException', denied(primariesOnly, arnIn(WEST, keyId), NO_IDENTITY));
  });
});

describe('authorization comes before key state', () => {
  test('a caller denied on the primary learns nothing of its state', async () => {
    const keyId = await newSet();
    await as(admin).send(new DisableKeyCommand({ KeyId: keyId }));
    await expectError(update(westOnly, keyId, WEST), 'AccessDeniedException', denied(westOnly, arnIn(EAST, keyId), NO_IDENTITY));
    await expectError(update(alice, keyId, WEST), 'DisabledException', `${arnIn(EAST, keyId)} is disabled.`);
  });

  test('a caller denied on the replica learns nothing of its state', async () => {
    const keyId = await newSet();
    await as(admin, WEST).send(new DisableKeyCommand({ KeyId: keyId }));
    await expectError(update(eastOnly, keyId, WEST), 'AccessDeniedException', denied(eastOnly, arnIn(WEST, keyId), NO_IDENTITY));
    await expectError(update(alice, keyId, WEST), 'DisabledException', `${arnIn(WEST, keyId)} is disabled.`);
  });
});

describe('kms:PrimaryRegion', () => {
  test('allows a listed Region and denies another, naming the primary', async () => {
    const keyId = await newSet(undefined, [WEST, EU]);
    await expectError(update(toWest, keyId, EU), 'AccessDeniedException', denied(toWest, arnIn(EAST, keyId), NO_IDENTITY));
    assert.equal(await primaryRegionOf(keyId), EAST);
    await update(toWest, keyId, WEST);
    assert.equal(await primaryRegionOf(keyId), WEST);
  });
});
