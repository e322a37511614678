// RetireGrant, RevokeGrant and ListRetirableGrants through the real SDK, and grants across accounts
// (local-development mode: a 12-digit access key ID is the caller's account, whose root calls): who may
// retire, tokens, AWS's error types, DryRun, key states, and grants going away with their key.
import {
  CreateGrantCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  ListGrantsCommand,
  ListRetirableGrantsCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
  ScheduleKeyDeletionCommand,
  type CreateGrantCommandInput,
  type KMSClient,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { keyPolicyText, keyStatement, rootArn, rootStatement } from '../helpers/principals.ts';
import { ACCOUNT, REGION, startTestServer } from '../helpers/server.ts';

const B = '444455556666';
const C = '777788889999';
const t = await startTestServer();
const kms = t.client();
const kmsB = t.client({ accessKeyId: B });
const kmsC = t.client({ accessKeyId: C });
after(() => t.close());

const GRANTEE = `arn:aws:iam::${ACCOUNT}:role/app`;
const DRY_RUN = 'The request would have succeeded, but the DryRun option is set.';
const newKey = async (Policy?: string) => (await kms.send(new CreateKeyCommand(Policy === undefined ? {} : { Policy }))).KeyMetadata!;
const create = (input: Partial<CreateGrantCommandInput> & { KeyId: string }, client: KMSClient = kms) =>
  client.send(new CreateGrantCommand({ GranteePrincipal: GRANTEE, Operations: ['Encrypt'], ...input }));
const grantIds = async (KeyId: string) => (await kms.send(new ListGrantsCommand({ KeyId }))).Grants!.map((g) => g.GrantId);
const denied = (account: string, action: string, arn: string) =>
  `User: ${rootArn(account)} is not authorized to perform: ${action} on resource: ${arn} because no resource-based policy allows the ${action} action`;
/** A key of ACCOUNT whose policy also lets account B's root do `actions`. */
const sharedKey = (actions: string[]) => newKey(keyPolicyText(rootStatement(ACCOUNT), keyStatement('Allow', rootArn(B), actions)));

describe('RetireGrant', () => {
  test('retires by grant token, or by key ID / key ARN and grant ID', async () => {
    const key = await newKey();
    const [a, b, c] = [await create({ KeyId: key.KeyId! }), await create({ KeyId: key.KeyId! }), await create({ KeyId: key.KeyId! })];
    const out = await kms.send(new RetireGrantCommand({ GrantToken: a.GrantToken! }));
    const { $metadata: _, ...fields } = out;
    assert.deepEqual(fields, {});
    await kms.send(new RetireGrantCommand({ KeyId: key.KeyId!, GrantId: b.GrantId! }));
    assert.deepEqual(await grantIds(key.KeyId!), [c.GrantId]);
    await kms.send(new RetireGrantCommand({ KeyId: key.Arn!, GrantId: c.GrantId! }));
    assert.deepEqual(await grantIds(key.KeyId!), []);
  });

  test('every token of a grant names it; once it is gone each is NotFound', async () => {
    const key = await newKey();
    const first = await create({ KeyId: key.KeyId!, Name: 'n' });
    const second = await create({ KeyId: key.KeyId!, Name: 'n' });
    assert.equal(second.GrantId, first.GrantId);
    await kms.send(new RetireGrantCommand({ GrantToken: second.GrantToken! }));
    // The text is Trent's; AWS's answer for a retired grant's token is unrecorded.
    await expectError(kms.send(new RetireGrantCommand({ GrantToken: first.GrantToken! })), 'NotFoundException', `Grant '${first.GrantId}' does not exist`);
  });

  test('a token Trent did not issue as a grant token is InvalidGrantTokenException', async () => {
    const key = await newKey();
    await create({ KeyId: key.KeyId! });
    await create({ KeyId: key.KeyId! });
    const marker = (await kms.send(new ListGrantsCommand({ KeyId: key.KeyId!, Limit: 1 }))).NextMarker!;
    for (const GrantToken of ['garbage', 'AQpAM2RhZTk1MGMyNTk2ZmZmMzEyYWVhOWViN2I1MWM4Mzc0MWFiYjc0ZDE1ODkyNGFiNTIz', marker]) {
      // The text is Trent's; AWS's is unrecorded.
      await expectError(kms.send(new RetireGrantCommand({ GrantToken })), 'InvalidGrantTokenException', 'Invalid grant token.');
    }
  });

  test('without a token both KeyId and GrantId are needed; malformed and unknown grant IDs; aliases', async () => {
    const key = await newKey();
    const { GrantId } = await create({ KeyId: key.KeyId! });
    const need = 'Grant token OR (grant ID, key ID) must be specified';
    await expectError(kms.send(new RetireGrantCommand({})), 'ValidationException', need);
    await expectError(kms.send(new RetireGrantCommand({ GrantId })), 'ValidationException', need);
    await expectError(kms.send(new RetireGrantCommand({ KeyId: key.KeyId! })), 'ValidationException', need);
    await expectError(kms.send(new RetireGrantCommand({ KeyId: key.KeyId!, GrantId: 'xyz' })), 'InvalidGrantIdException', "Invalid grantId 'xyz'");
    const unknown = 'c'.repeat(64);
    await expectError(kms.send(new RetireGrantCommand({ KeyId: key.KeyId!, GrantId: unknown })), 'NotFoundException', `Grant '${unknown}' does not exist`);
    const other = await newKey();
    await expectError(kms.send(new RetireGrantCommand({ KeyId: other.KeyId!, GrantId })), 'NotFoundException', `Grant '${GrantId}' does not exist`);
    await expectError(kms.send(new RetireGrantCommand({ KeyId: 'alias/x', GrantId })), 'InvalidArnException', 'Key Aliases are not supported for this operation');
    assert.deepEqual(await grantIds(key.KeyId!), [GrantId]);
  });

  test('works on disabled keys and keys pending deletion', async () => {
    const key = await newKey();
    const [a, b] = [await create({ KeyId: key.KeyId! }), await create({ KeyId: key.KeyId! })];
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId! }));
    await kms.send(new RetireGrantCommand({ GrantToken: a.GrantToken! }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId!, PendingWindowInDays: 7 }));
    await kms.send(new RetireGrantCommand({ KeyId: key.KeyId!, GrantId: b.GrantId! }));
    assert.deepEqual(await grantIds(key.KeyId!), []);
  });

  test('DryRun answers DryRunOperationException and keeps the grant', async () => {
    const key = await newKey();
    const g = await create({ KeyId: key.KeyId! });
    await expectError(kms.send(new RetireGrantCommand({ GrantToken: g.GrantToken!, DryRun: true })), 'DryRunOperationException', DRY_RUN);
    await expectError(kms.send(new RetireGrantCommand({ KeyId: key.KeyId!, GrantId: g.GrantId!, DryRun: true })), 'DryRunOperationException', DRY_RUN);
    assert.deepEqual(await grantIds(key.KeyId!), [g.GrantId]);
  });

  test('the retiring principal may retire, from another account too, by token or by key ARN and grant ID', async () => {
    const key = await newKey();
    const a = await create({ KeyId: key.KeyId!, RetiringPrincipal: rootArn(B) });
    const b = await create({ KeyId: key.KeyId!, RetiringPrincipal: B });
    await kmsB.send(new RetireGrantCommand({ GrantToken: a.GrantToken! }));
    await kmsB.send(new RetireGrantCommand({ KeyId: key.Arn!, GrantId: b.GrantId! }));
    assert.deepEqual(await grantIds(key.KeyId!), []);
  });

  test('the grantee may retire only a grant that allows RetireGrant', async () => {
    const key = await newKey();
    const can = await create({ KeyId: key.KeyId!, GranteePrincipal: rootArn(B), Operations: ['Encrypt', 'RetireGrant'] });
    const cannot = await create({ KeyId: key.KeyId!, GranteePrincipal: rootArn(B), Operations: ['Encrypt'] });
    await kmsB.send(new RetireGrantCommand({ GrantToken: can.GrantToken! }));
    await expectError(kmsB.send(new RetireGrantCommand({ GrantToken: cannot.GrantToken! })), 'AccessDeniedException', denied(B, 'kms:RetireGrant', key.Arn!));
    assert.deepEqual(await grantIds(key.KeyId!), [cannot.GrantId]);
  });

  test('a principal the grant does not name, in an account that did not create it, is AccessDenied', async () => {
    const key = await newKey();
    const g = await create({ KeyId: key.KeyId!, GranteePrincipal: rootArn(B), RetiringPrincipal: rootArn(B), Operations: ['Encrypt', 'RetireGrant'] });
    await expectError(kmsC.send(new RetireGrantCommand({ GrantToken: g.GrantToken! })), 'AccessDeniedException', denied(C, 'kms:RetireGrant', key.Arn!));
    await expectError(kmsC.send(new RetireGrantCommand({ KeyId: key.Arn!, GrantId: g.GrantId!, DryRun: true })), 'AccessDeniedException', denied(C, 'kms:RetireGrant', key.Arn!));
    assert.deepEqual(await grantIds(key.KeyId!), [g.GrantId]);
  });
});

describe('RevokeGrant', () => {
  test('revokes a grant by key ID or key ARN; its tokens are then NotFound', async () => {
    const key = await newKey();
    const [a, b] = [await create({ KeyId: key.KeyId! }), await create({ KeyId: key.KeyId! })];
    const out = await kms.send(new RevokeGrantCommand({ KeyId: key.KeyId!, GrantId: a.GrantId! }));
    const { $metadata: _, ...fields } = out;
    assert.deepEqual(fields, {});
    await kms.send(new RevokeGrantCommand({ KeyId: key.Arn!, GrantId: b.GrantId! }));
    assert.deepEqual(await grantIds(key.KeyId!), []);
    await expectError(kms.send(new RetireGrantCommand({ GrantToken: a.GrantToken! })), 'NotFoundException', `Grant '${a.GrantId}' does not exist`);
  });

  test('an unknown grant is NotFoundException (getmoto/moto#5411); a malformed ID is InvalidGrantIdException', async () => {
    const key = await newKey();
    const other = await newKey();
    const { GrantId } = await create({ KeyId: other.KeyId! });
    const unknown = '9665f33deb53dae5c4cf44ae98561b5fe291cfbb2ba15defec5905e3924e854b';
    await expectError(kms.send(new RevokeGrantCommand({ KeyId: key.KeyId!, GrantId: unknown })), 'NotFoundException', `Grant '${unknown}' does not exist`);
    await expectError(kms.send(new RevokeGrantCommand({ KeyId: key.KeyId!, GrantId })), 'NotFoundException', `Grant '${GrantId}' does not exist`);
    await expectError(kms.send(new RevokeGrantCommand({ KeyId: key.KeyId!, GrantId: 'nope' })), 'InvalidGrantIdException', "Invalid grantId 'nope'");
    await expectError(kms.send(new RevokeGrantCommand({ KeyId: 'alias/x', GrantId })), 'InvalidArnException', 'Key Aliases are not supported for this operation');
    assert.deepEqual(await grantIds(other.KeyId!), [GrantId]);
  });

  test('works on disabled keys and keys pending deletion; DryRun keeps the grant', async () => {
    const key = await newKey();
    const [a, b] = [await create({ KeyId: key.KeyId! }), await create({ KeyId: key.KeyId! })];
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId! }));
    await expectError(kms.send(new RevokeGrantCommand({ KeyId: key.KeyId!, GrantId: a.GrantId!, DryRun: true })), 'DryRunOperationException', DRY_RUN);
    await kms.send(new RevokeGrantCommand({ KeyId: key.KeyId!, GrantId: a.GrantId! }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId!, PendingWindowInDays: 7 }));
    await kms.send(new RevokeGrantCommand({ KeyId: key.KeyId!, GrantId: b.GrantId! }));
    assert.deepEqual(await grantIds(key.KeyId!), []);
  });
});

describe('grants across accounts', () => {
  test('another account creates, lists and revokes grants by key ARN when the key policy lets it', async () => {
    const key = await sharedKey(['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant']);
    const g = await create({ KeyId: key.Arn!, GranteePrincipal: rootArn(B) }, kmsB);
    const listed = (await kmsB.send(new ListGrantsCommand({ KeyId: key.Arn! }))).Grants!;
    assert.deepEqual(listed.map((x) => [x.GrantId, x.KeyId, x.IssuingAccount]), [[g.GrantId, key.Arn, rootArn(B)]]);
    // The account that created the grant may retire it as a backup (DG grant-manage.html#grant-delete).
    const h = await create({ KeyId: key.Arn!, GranteePrincipal: GRANTEE }, kmsB);
    await kmsB.send(new RetireGrantCommand({ GrantToken: h.GrantToken! }));
    await kmsB.send(new RevokeGrantCommand({ KeyId: key.Arn!, GrantId: g.GrantId! }));
    assert.deepEqual(await grantIds(key.KeyId!), []);
  });

  test('a key ID names a key of the caller’s own account, so another account needs the ARN', async () => {
    const key = await sharedKey(['kms:CreateGrant', 'kms:ListGrants']);
    await expectError(create({ KeyId: key.KeyId! }, kmsB), 'NotFoundException', `Key 'arn:aws:kms:${REGION}:${B}:key/${key.KeyId}' does not exist`);
    await expectError(kmsB.send(new ListGrantsCommand({ KeyId: key.KeyId! })), 'NotFoundException', `Key 'arn:aws:kms:${REGION}:${B}:key/${key.KeyId}' does not exist`);
  });

  test('without the key policy’s permission another account is AccessDenied', async () => {
    const key = await sharedKey(['kms:CreateGrant']);
    const { GrantId } = await create({ KeyId: key.KeyId! });
    await expectError(kmsB.send(new ListGrantsCommand({ KeyId: key.Arn! })), 'AccessDeniedException', denied(B, 'kms:ListGrants', key.Arn!));
    await expectError(kmsB.send(new RevokeGrantCommand({ KeyId: key.Arn!, GrantId: GrantId! })), 'AccessDeniedException', denied(B, 'kms:RevokeGrant', key.Arn!));
    const own = await newKey();
    await expectError(create({ KeyId: own.Arn! }, kmsC), 'AccessDeniedException', denied(C, 'kms:CreateGrant', own.Arn!));
    assert.deepEqual(await grantIds(key.KeyId!), [GrantId]);
  });
});

describe('ListRetirableGrants', () => {
  test('lists the grants whose retiring principal is the one given, in creation order, by pages', async () => {
    const admin = `arn:aws:iam::${ACCOUNT}:role/retirer-${Date.now()}`;
    const [k1, k2] = [await newKey(), await newKey()];
    const a = await create({ KeyId: k1.KeyId!, RetiringPrincipal: admin, Name: 'a' });
    await create({ KeyId: k1.KeyId!, RetiringPrincipal: `arn:aws:iam::${ACCOUNT}:role/someone-else` });
    await create({ KeyId: k2.KeyId! });
    const b = await create({ KeyId: k2.KeyId!, RetiringPrincipal: admin, Constraints: { EncryptionContextEquals: { x: 'y' } } });
    const out = await kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: admin }));
    assert.equal(out.Truncated, false);
    assert.deepEqual(out.Grants, [
      {
        KeyId: k1.Arn,
        GrantId: a.GrantId,
        Name: 'a',
        CreationDate: new Date(t.clock.now()),
        GranteePrincipal: GRANTEE,
        RetiringPrincipal: admin,
        IssuingAccount: rootArn(ACCOUNT),
        Operations: ['Encrypt'],
      },
      {
        KeyId: k2.Arn,
        GrantId: b.GrantId,
        CreationDate: new Date(t.clock.now()),
        GranteePrincipal: GRANTEE,
        RetiringPrincipal: admin,
        IssuingAccount: rootArn(ACCOUNT),
        Operations: ['Encrypt'],
        Constraints: { EncryptionContextEquals: { x: 'y' } },
      },
    ]);
    const p1 = await kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: admin, Limit: 1 }));
    assert.deepEqual([p1.Grants!.map((g) => g.GrantId), p1.Truncated], [[a.GrantId], true]);
    const p2 = await kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: admin, Limit: 1, Marker: p1.NextMarker! }));
    assert.deepEqual([p2.Grants!.map((g) => g.GrantId), p2.Truncated, p2.NextMarker], [[b.GrantId], false, undefined]);
    await expectError(kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: `${admin}-x`, Marker: p1.NextMarker! })), 'InvalidMarkerException', 'Invalid marker');
    // Other accounts and Regions see none of them: another account's principal lists nothing (chosen).
    assert.deepEqual((await kmsB.send(new ListRetirableGrantsCommand({ RetiringPrincipal: admin }))).Grants, []);
    assert.deepEqual((await t.client({ region: 'eu-west-1' }).send(new ListRetirableGrantsCommand({ RetiringPrincipal: admin }))).Grants, []);
    // A grant on another account's key naming this account's principal is listed too: "The grants that are
    // returned include grants for KMS keys in your … account and other … accounts" (API_ListRetirableGrants).
    const keyB = (await kmsB.send(new CreateKeyCommand({}))).KeyMetadata!;
    const c = await create({ KeyId: keyB.KeyId!, RetiringPrincipal: admin }, kmsB);
    const all = await kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: admin }));
    assert.deepEqual(all.Grants!.map((g) => [g.KeyId, g.GrantId, g.IssuingAccount]), [
      [k1.Arn, a.GrantId, rootArn(ACCOUNT)],
      [k2.Arn, b.GrantId, rootArn(ACCOUNT)],
      [keyB.Arn, c.GrantId, rootArn(B)],
    ]);
  });

  test('grants go with their key when its deletion falls due', async () => {
    const admin = `arn:aws:iam::${ACCOUNT}:user/deleter-${Date.now()}`;
    const key = await newKey();
    const g = await create({ KeyId: key.KeyId!, RetiringPrincipal: admin });
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId!, PendingWindowInDays: 7 }));
    assert.equal((await kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: admin }))).Grants!.length, 1);
    t.clock.advanceDays(8);
    assert.deepEqual((await kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: admin }))).Grants, []);
    await expectError(kms.send(new RetireGrantCommand({ GrantToken: g.GrantToken! })), 'NotFoundException', `Grant '${g.GrantId}' does not exist`);
    await expectError(kms.send(new ListGrantsCommand({ KeyId: key.KeyId! })), 'NotFoundException', `Key '${key.Arn}' does not exist`);
    assert.equal(await t.store.transaction((tx) => tx.findGrant(g.GrantId!)), undefined);
  });
});
