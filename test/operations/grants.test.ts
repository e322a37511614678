// CreateGrant and ListGrants through the real SDK: the grant as ListGrants shows it, Name retries, tokens,
// operations and constraints per key type, principals, key identifiers and states, filters, paging, DryRun
// and the 50,000-grant quota.
import {
  CreateGrantCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  ListGrantsCommand,
  ScheduleKeyDeletionCommand,
  type CreateGrantCommandInput,
  type CreateKeyCommandInput,
  type GrantListEntry,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { ACCOUNT, REGION, startTestServer } from '../helpers/server.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const GRANTEE = `arn:aws:iam::${ACCOUNT}:role/app`;
const newKey = async (opts: CreateKeyCommandInput = {}) => (await kms.send(new CreateKeyCommand(opts))).KeyMetadata!;
const create = (input: Partial<CreateGrantCommandInput> & { KeyId: string }) =>
  kms.send(new CreateGrantCommand({ GranteePrincipal: GRANTEE, Operations: ['Encrypt'], ...input }));
const grantsOf = async (KeyId: string) => (await kms.send(new ListGrantsCommand({ KeyId }))).Grants!;
const GRANT_ID = /^[0-9a-f]{64}$/;

describe('CreateGrant', () => {
  test('creates a grant that ListGrants shows with every field, keyed by the key ARN', async () => {
    const key = await newKey();
    const out = await create({
      KeyId: key.KeyId!,
      Name: 'IT-1234abcd-exampleUser:decrypt/1',
      Operations: ['Decrypt', 'GenerateDataKey', 'CreateGrant'],
      RetiringPrincipal: `arn:aws:iam::${ACCOUNT}:role/adminRole`,
      Constraints: { EncryptionContextSubset: { Department: 'IT' } },
    });
    assert.match(out.GrantId!, GRANT_ID);
    assert.ok(out.GrantToken!.length > 64);
    const { $metadata: _, ...fields } = out;
    assert.deepEqual(Object.keys(fields).sort(), ['GrantId', 'GrantToken']);

    const list = await kms.send(new ListGrantsCommand({ KeyId: key.KeyId! }));
    assert.equal(list.Truncated, false);
    assert.equal(list.NextMarker, undefined);
    assert.deepEqual(list.Grants, [
      {
        KeyId: key.Arn,
        GrantId: out.GrantId,
        Name: 'IT-1234abcd-exampleUser:decrypt/1',
        CreationDate: new Date(t.clock.now()),
        GranteePrincipal: GRANTEE,
        RetiringPrincipal: `arn:aws:iam::${ACCOUNT}:role/adminRole`,
        IssuingAccount: `arn:aws:iam::${ACCOUNT}:root`,
        Operations: ['Decrypt', 'GenerateDataKey', 'CreateGrant'],
        Constraints: { EncryptionContextSubset: { Department: 'IT' } },
      },
    ]);
  });

  test('Name, RetiringPrincipal and Constraints are absent from ListGrants when the grant has none', async () => {
    const key = await newKey();
    const { GrantId } = await create({ KeyId: key.Arn!, Operations: ['Encrypt', 'Encrypt', 'DescribeKey'] });
    const [g] = await grantsOf(key.KeyId!);
    assert.deepEqual(Object.keys(g!).sort(), ['CreationDate', 'GrantId', 'GranteePrincipal', 'IssuingAccount', 'KeyId', 'Operations']);
    assert.equal(g!.GrantId, GrantId);
    // A repeated operation is kept once (AWS's answer is unrecorded; a set is what a grant permits).
    assert.deepEqual(g!.Operations, ['Encrypt', 'DescribeKey']);
  });

  test('EncryptionContextEquals is kept as given', async () => {
    const key = await newKey();
    await create({ KeyId: key.KeyId!, Operations: ['Decrypt'], Constraints: { EncryptionContextEquals: { a: '1', b: '' } } });
    assert.deepEqual((await grantsOf(key.KeyId!))[0]!.Constraints, { EncryptionContextEquals: { a: '1', b: '' } });
  });

  test('without a Name every call makes a new grant', async () => {
    const key = await newKey();
    const a = await create({ KeyId: key.KeyId! });
    const b = await create({ KeyId: key.KeyId! });
    assert.notEqual(a.GrantId, b.GrantId);
    assert.deepEqual((await grantsOf(key.KeyId!)).map((g) => g.GrantId), [a.GrantId, b.GrantId]);
  });

  test('a retry with the same Name and parameters returns the same GrantId with a new token', async () => {
    const key = await newKey();
    const input = { KeyId: key.KeyId!, Name: 'retry', Operations: ['Encrypt', 'Decrypt'] as const, RetiringPrincipal: `arn:aws:iam::${ACCOUNT}:root` };
    const first = await create({ ...input, Operations: [...input.Operations] });
    t.clock.advance(60_000);
    const again = await create({ ...input, Operations: ['Decrypt', 'Encrypt'], KeyId: key.Arn! });
    assert.equal(again.GrantId, first.GrantId);
    assert.notEqual(again.GrantToken, first.GrantToken);
    const grants = await grantsOf(key.KeyId!);
    assert.equal(grants.length, 1);
    assert.deepEqual(grants[0]!.Operations, ['Encrypt', 'Decrypt']);
  });

  test('the same Name with other parameters, or on another key, is another grant', async () => {
    const key = await newKey();
    const first = await create({ KeyId: key.KeyId!, Name: 'same-name' });
    const otherOps = await create({ KeyId: key.KeyId!, Name: 'same-name', Operations: ['Decrypt'] });
    const otherGrantee = await create({ KeyId: key.KeyId!, Name: 'same-name', GranteePrincipal: `arn:aws:iam::${ACCOUNT}:user/bob` });
    const otherConstraint = await create({ KeyId: key.KeyId!, Name: 'same-name', Constraints: { EncryptionContextSubset: { a: 'b' } } });
    const ids = [first, otherOps, otherGrantee, otherConstraint].map((g) => g.GrantId);
    assert.equal(new Set(ids).size, 4);
    const otherKey = await newKey();
    const onOther = await create({ KeyId: otherKey.KeyId!, Name: 'same-name' });
    assert.ok(!ids.includes(onOther.GrantId));
    assert.equal((await grantsOf(otherKey.KeyId!)).length, 1);
  });

  test('operations must suit the key: symmetric, asymmetric encryption, signing, HMAC, key agreement', async () => {
    const cases: [CreateKeyCommandInput, string[], string[]][] = [
      [{}, ['Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'DescribeKey', 'RetireGrant', 'CreateGrant'], ['Sign', 'GetPublicKey', 'GenerateMac', 'DeriveSharedSecret']],
      [{ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }, ['Decrypt', 'Encrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GetPublicKey', 'DescribeKey'], ['GenerateDataKey', 'Sign']],
      [{ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }, ['Sign', 'Verify', 'GetPublicKey', 'CreateGrant'], ['Encrypt', 'DeriveSharedSecret']],
      [{ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, ['GenerateMac', 'VerifyMac', 'RetireGrant'], ['GetPublicKey', 'Encrypt']],
      [{ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' }, ['DeriveSharedSecret', 'GetPublicKey'], ['Sign', 'Decrypt']],
    ];
    for (const [spec, allowed, refused] of cases) {
      const key = await newKey(spec);
      await create({ KeyId: key.KeyId!, Operations: allowed as CreateGrantCommandInput['Operations'] });
      for (const op of refused) {
        // API_CreateGrant: "you cannot create a grant for a symmetric encryption KMS key that allows the Sign
        // operation … KMS returns a ValidationError exception"; the text is Trent's.
        await expectError(
          create({ KeyId: key.KeyId!, Operations: ['DescribeKey', op as 'Sign'] }),
          'ValidationException',
          `Grant operations [${op}] are not supported for a KMS key with KeySpec ${key.KeySpec} and KeyUsage ${key.KeyUsage}.`,
        );
      }
    }
  });

  test('a grant of CreateGrant alone, or of no operation, is refused', async () => {
    const key = await newKey();
    await expectError(create({ KeyId: key.KeyId!, Operations: ['CreateGrant'] }), 'ValidationException', 'Grants must not contain only the CreateGrant operation.');
    await expectError(
      create({ KeyId: key.KeyId!, Operations: [] }),
      'ValidationException',
      "1 validation error detected: Value '[]' at 'operations' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    assert.deepEqual(await grantsOf(key.KeyId!), []);
  });

  test('constraints: one kind, at most 8 pairs, values up to 384 characters, symmetric keys and context operations only', async () => {
    const key = await newKey();
    const pairs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    await expectError(
      create({ KeyId: key.KeyId!, Constraints: { EncryptionContextEquals: { a: '1' }, EncryptionContextSubset: { a: '1' } } }),
      'ValidationException',
      'More than one constraint supplied',
    );
    await create({ KeyId: key.KeyId!, Constraints: { EncryptionContextSubset: pairs(8) } });
    await expectError(create({ KeyId: key.KeyId!, Constraints: { EncryptionContextSubset: pairs(9) } }), 'ValidationException', 'A grant constraint can include at most 8 encryption context pairs.');
    await create({ KeyId: key.KeyId!, Constraints: { EncryptionContextEquals: { a: 'x'.repeat(384) } } });
    await expectError(
      create({ KeyId: key.KeyId!, Constraints: { EncryptionContextEquals: { a: 'x'.repeat(385) } } }),
      'ValidationException',
      'An encryption context value in a grant constraint cannot exceed 384 characters.',
    );
    // "Grants with grant constraints can include the DescribeKey and RetireGrant operations".
    await create({ KeyId: key.KeyId!, Operations: ['Decrypt', 'DescribeKey', 'RetireGrant', 'CreateGrant'], Constraints: { EncryptionContextSubset: { a: '1' } } });

    const rsa = await newKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    await expectError(
      create({ KeyId: rsa.KeyId!, Operations: ['Decrypt'], Constraints: { EncryptionContextSubset: { a: '1' } } }),
      'ValidationException',
      'Grant constraints are not supported for a KMS key with KeySpec RSA_2048.',
    );
    const hmac = await newKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    await expectError(
      create({ KeyId: hmac.KeyId!, Operations: ['GenerateMac', 'DescribeKey'], Constraints: { EncryptionContextEquals: { a: '1' } } }),
      'ValidationException',
      'Grant constraints are not supported for the grant operations [GenerateMac].',
    );
    assert.equal((await grantsOf(key.KeyId!)).length, 3);
  });

  test('grantee and retiring principals: accounts, users, roles, sessions and service principals; nothing else', async () => {
    const key = await newKey();
    for (const p of [
      ACCOUNT,
      '444455556666',
      'arn:aws:iam::444455556666:root',
      `arn:aws:iam::${ACCOUNT}:user/division_abc/subdivision_xyz/Bob`,
      `arn:aws:iam::${ACCOUNT}:role/service-role/app`,
      `arn:aws:sts::${ACCOUNT}:assumed-role/app/session-1`,
      `arn:aws:sts::${ACCOUNT}:federated-user/carol`,
      'dynamodb.us-west-2.amazonaws.com',
    ]) {
      await create({ KeyId: key.KeyId!, GranteePrincipal: p, RetiringPrincipal: p });
    }
    // AWS refuses principals IAM does not know with InvalidArnException; the text is Trent's.
    for (const p of [`arn:aws:iam::${ACCOUNT}:group/admins`, 'bob', key.Arn!, `arn:aws:iam::${ACCOUNT}:user/`, '12345678901']) {
      await expectError(create({ KeyId: key.KeyId!, GranteePrincipal: p }), 'InvalidArnException', `Invalid principal: ${p}`);
      await expectError(create({ KeyId: key.KeyId!, RetiringPrincipal: p }), 'InvalidArnException', `Invalid principal: ${p}`);
    }
    assert.equal((await grantsOf(key.KeyId!)).length, 8);
  });

  test('key identifiers: key ID or key ARN; aliases, unknown and malformed IDs are refused', async () => {
    const key = await newKey();
    await create({ KeyId: key.KeyId! });
    await create({ KeyId: key.Arn! });
    // [O] boto/boto#3202: CreateGrant with an alias name answers InvalidArnException.
    await expectError(create({ KeyId: 'alias/anything' }), 'InvalidArnException', 'Key Aliases are not supported for this operation');
    await expectError(create({ KeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/anything` }), 'InvalidArnException', 'Key Aliases are not supported for this operation');
    const missing = '0d2a6c54-7d0e-4a5b-9f1e-123456789abc';
    await expectError(create({ KeyId: missing }), 'NotFoundException', `Key 'arn:aws:kms:${REGION}:${ACCOUNT}:key/${missing}' does not exist`);
    await expectError(create({ KeyId: 'not-a-key' }), 'NotFoundException', "Invalid keyId 'not-a-key'");
  });

  test('key states: disabled, pending deletion and pending import keys refuse CreateGrant; ListGrants works in all', async () => {
    const disabled = await newKey();
    await create({ KeyId: disabled.KeyId! });
    await kms.send(new DisableKeyCommand({ KeyId: disabled.KeyId! }));
    await expectError(create({ KeyId: disabled.KeyId! }), 'DisabledException', `${disabled.Arn} is disabled.`);
    assert.equal((await grantsOf(disabled.KeyId!)).length, 1);

    const pending = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: pending.KeyId!, PendingWindowInDays: 7 }));
    await expectError(create({ KeyId: pending.KeyId! }), 'KMSInvalidStateException', `${pending.Arn} is pending deletion.`);
    assert.deepEqual(await grantsOf(pending.KeyId!), []);

    const external = await newKey({ Origin: 'EXTERNAL' });
    await expectError(create({ KeyId: external.KeyId! }), 'KMSInvalidStateException', `${external.Arn} is pending import.`);
  });

  test('DryRun checks everything, then answers DryRunOperationException and creates nothing', async () => {
    const key = await newKey();
    await expectError(create({ KeyId: key.KeyId!, DryRun: true, Name: 'dry' }), 'DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
    assert.deepEqual(await grantsOf(key.KeyId!), []);
    await expectError(create({ KeyId: key.KeyId!, DryRun: true, Operations: ['Sign'] }), 'ValidationException', /^Grant operations \[Sign\]/);
    // A DryRun of a retry that would return the existing grant is still only a dry run.
    await create({ KeyId: key.KeyId!, Name: 'dry' });
    await expectError(create({ KeyId: key.KeyId!, DryRun: true, Name: 'dry' }), 'DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
    assert.equal((await grantsOf(key.KeyId!)).length, 1);
  });

  test('a key holds at most 50,000 grants: LimitExceededException', async () => {
    const key = await newKey();
    const ref = { account: ACCOUNT, region: REGION, keyId: key.KeyId! };
    await t.store.transaction(async (tx) => {
      for (let i = 0; i < 49_999; i++) {
        await tx.insertGrant({ ...ref, grantId: `a${i.toString(16).padStart(63, '0')}`, createdAt: 0, granteePrincipal: GRANTEE, issuingAccount: `arn:aws:iam::${ACCOUNT}:root`, operations: ['Encrypt'] });
      }
    });
    await create({ KeyId: key.KeyId!, Name: 'last' });
    // The text is Trent's; AWS's is unrecorded.
    await expectError(create({ KeyId: key.KeyId! }), 'LimitExceededException', `The grant limit has been reached for this KMS key: ${key.Arn}`);
    // A retry of an existing grant creates nothing, so the quota does not stop it.
    await create({ KeyId: key.KeyId!, Name: 'last' });
  });
});

describe('ListGrants', () => {
  const setup = async () => {
    const key = await newKey();
    const bob = `arn:aws:iam::${ACCOUNT}:user/bob`;
    const ids: string[] = [];
    for (const grantee of [GRANTEE, bob, GRANTEE, bob, GRANTEE]) ids.push((await create({ KeyId: key.KeyId!, GranteePrincipal: grantee })).GrantId!);
    return { key, bob, ids };
  };
  const idsOf = (gs: GrantListEntry[] | undefined) => gs!.map((g) => g.GrantId);

  test('pages in creation order with Limit, NextMarker and Truncated', async () => {
    const { key, ids } = await setup();
    const p1 = await kms.send(new ListGrantsCommand({ KeyId: key.KeyId!, Limit: 2 }));
    assert.deepEqual(idsOf(p1.Grants), ids.slice(0, 2));
    assert.equal(p1.Truncated, true);
    const p2 = await kms.send(new ListGrantsCommand({ KeyId: key.Arn!, Limit: 2, Marker: p1.NextMarker! }));
    assert.deepEqual(idsOf(p2.Grants), ids.slice(2, 4));
    const p3 = await kms.send(new ListGrantsCommand({ KeyId: key.KeyId!, Limit: 2, Marker: p2.NextMarker! }));
    assert.deepEqual(idsOf(p3.Grants), ids.slice(4));
    assert.equal(p3.Truncated, false);
    assert.equal(p3.NextMarker, undefined);
  });

  test('filters by GranteePrincipal and by GrantId, also while paging', async () => {
    const { key, bob, ids } = await setup();
    assert.deepEqual(idsOf((await kms.send(new ListGrantsCommand({ KeyId: key.KeyId!, GranteePrincipal: bob }))).Grants), [ids[1], ids[3]]);
    const p1 = await kms.send(new ListGrantsCommand({ KeyId: key.KeyId!, GranteePrincipal: GRANTEE, Limit: 2 }));
    assert.deepEqual(idsOf(p1.Grants), [ids[0], ids[2]]);
    assert.equal(p1.Truncated, true);
    const p2 = await kms.send(new ListGrantsCommand({ KeyId: key.KeyId!, GranteePrincipal: GRANTEE, Limit: 2, Marker: p1.NextMarker! }));
    assert.deepEqual(idsOf(p2.Grants), [ids[4]]);
    assert.deepEqual(idsOf((await kms.send(new ListGrantsCommand({ KeyId: key.KeyId!, GrantId: ids[3]! }))).Grants), [ids[3]]);
    assert.deepEqual(idsOf((await kms.send(new ListGrantsCommand({ KeyId: key.KeyId!, GrantId: ids[3]!, GranteePrincipal: GRANTEE }))).Grants), []);
    assert.deepEqual(idsOf((await kms.send(new ListGrantsCommand({ KeyId: key.KeyId!, GranteePrincipal: `arn:aws:iam::${ACCOUNT}:user/nobody` }))).Grants), []);
  });

  test('a GrantId of another key or of no grant matches nothing; a malformed one is InvalidGrantIdException', async () => {
    const { ids } = await setup();
    const other = await newKey();
    assert.deepEqual((await kms.send(new ListGrantsCommand({ KeyId: other.KeyId!, GrantId: ids[0]! }))).Grants, []);
    assert.deepEqual((await kms.send(new ListGrantsCommand({ KeyId: other.KeyId!, GrantId: 'f'.repeat(64) }))).Grants, []);
    // The text is Trent's; AWS's is unrecorded.
    await expectError(kms.send(new ListGrantsCommand({ KeyId: other.KeyId!, GrantId: 'not-a-grant' })), 'InvalidGrantIdException', "Invalid grantId 'not-a-grant'");
  });

  test('a marker from another key, or not issued by Trent, is InvalidMarkerException', async () => {
    const { key } = await setup();
    const p1 = await kms.send(new ListGrantsCommand({ KeyId: key.KeyId!, Limit: 1 }));
    const other = await newKey();
    await expectError(kms.send(new ListGrantsCommand({ KeyId: other.KeyId!, Marker: p1.NextMarker! })), 'InvalidMarkerException', 'Invalid marker');
    await expectError(kms.send(new ListGrantsCommand({ KeyId: key.KeyId!, Marker: 'bogus' })), 'InvalidMarkerException', 'Invalid marker');
  });

  test('Limit defaults to 50, and more than 100 returns at most 100', async () => {
    const key = await newKey();
    const ref = { account: ACCOUNT, region: REGION, keyId: key.KeyId! };
    await t.store.transaction(async (tx) => {
      for (let i = 0; i < 120; i++) {
        await tx.insertGrant({ ...ref, grantId: `b${i.toString(16).padStart(63, '0')}`, createdAt: 0, granteePrincipal: GRANTEE, issuingAccount: `arn:aws:iam::${ACCOUNT}:root`, operations: ['Encrypt'] });
      }
    });
    const byDefault = await kms.send(new ListGrantsCommand({ KeyId: key.KeyId! }));
    assert.equal(byDefault.Grants!.length, 50);
    assert.equal(byDefault.Truncated, true);
    // The API documents 1..100 while the model allows 1000; AWS's answer above 100 is unrecorded.
    const big = await kms.send(new ListGrantsCommand({ KeyId: key.KeyId!, Limit: 1000 }));
    assert.equal(big.Grants!.length, 100);
    assert.equal(big.Truncated, true);
  });

  test('key identifiers: aliases are refused; unknown keys are NotFound', async () => {
    await expectError(kms.send(new ListGrantsCommand({ KeyId: 'alias/x' })), 'InvalidArnException', 'Key Aliases are not supported for this operation');
    const missing = '0d2a6c54-7d0e-4a5b-9f1e-123456789abd';
    await expectError(kms.send(new ListGrantsCommand({ KeyId: missing })), 'NotFoundException', `Key 'arn:aws:kms:${REGION}:${ACCOUNT}:key/${missing}' does not exist`);
  });
});
