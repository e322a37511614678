// CreateAlias, UpdateAlias, DeleteAlias and ListAliases through the real SDK: name rules with AWS's texts,
// targets and their states, retargeting rules, paging, per-account and per-Region scope, and aliases
// disappearing with their key.
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  KMSClient,
  ListAliasesCommand,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
  type CreateKeyCommandInput,
  type ListAliasesCommandInput,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { ACCOUNT, REGION, startTestServer } from '../helpers/server.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

let accounts = 0;
/** A client of an account no other test uses (local-development mode: a 12-digit access key ID is the account). */
function freshAccount(region = REGION): { account: string; kms: KMSClient } {
  const account = String(200000000000 + ++accounts);
  return { account, kms: t.client({ accessKeyId: account, region }) };
}

const newKey = async (client: KMSClient = kms, opts: CreateKeyCommandInput = {}) =>
  (await client.send(new CreateKeyCommand(opts))).KeyMetadata!;
const alias = (client: KMSClient, AliasName: string, TargetKeyId: string) => client.send(new CreateAliasCommand({ AliasName, TargetKeyId }));
const list = async (client: KMSClient, input: ListAliasesCommandInput = {}) => {
  const { $metadata: _, ...out } = await client.send(new ListAliasesCommand(input));
  return out;
};
const names = async (client: KMSClient, input: ListAliasesCommandInput = {}) => (await list(client, input)).Aliases!.map((a) => a.AliasName);
const targetOf = async (client: KMSClient, KeyId: string) => (await client.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.KeyId;
const arnOf = (name: string, account = ACCOUNT, region = REGION) => `arn:aws:kms:${region}:${account}:${name}`;

describe('CreateAlias', () => {
  test('creates an alias that ListAliases reports with its ARN, target and dates', async () => {
    const key = await newKey();
    const now = t.clock.now();
    const out = await alias(kms, 'alias/x', key.KeyId!);
    assert.deepEqual(Object.keys(out).filter((k) => k !== '$metadata'), []);
    assert.deepEqual(await list(kms, { KeyId: key.KeyId }), {
      Aliases: [
        {
          AliasName: 'alias/x',
          AliasArn: 'arn:aws:kms:us-east-1:111122223333:alias/x',
          TargetKeyId: key.KeyId,
          CreationDate: new Date(now),
          LastUpdatedDate: new Date(now),
        },
      ],
      Truncated: false,
    });
  });

  test('DescribeKey resolves the alias name and the alias ARN', async () => {
    const key = await newKey();
    await alias(kms, 'alias/describe-me', key.KeyId!);
    const byName = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/describe-me' }))).KeyMetadata!;
    assert.equal(byName.KeyId, key.KeyId);
    assert.equal(byName.Arn, key.Arn);
    assert.equal(await targetOf(kms, arnOf('alias/describe-me')), key.KeyId);
  });

  test('the target may be given as a key ARN', async () => {
    const key = await newKey();
    await alias(kms, 'alias/by-arn', key.Arn!);
    assert.equal(await targetOf(kms, 'alias/by-arn'), key.KeyId);
  });

  test('a name without the alias/ prefix is a ValidationException with AWS text', async () => {
    const key = await newKey();
    await expectError(
      alias(kms, 'x', key.KeyId!),
      'ValidationException',
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
  });

  test('a name breaking the model pattern is a model ValidationException at aliasName', async () => {
    const key = await newKey();
    await expectError(
      alias(kms, 'alias/has space', key.KeyId!),
      'ValidationException',
      "1 validation error detected: Value 'alias/has space' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$",
    );
  });

  test('a name longer than 256 characters is a model ValidationException; 256 is accepted', async () => {
    const key = await newKey();
    const long = `alias/${'n'.repeat(251)}`;
    await expectError(
      alias(kms, long, key.KeyId!),
      'ValidationException',
      `1 validation error detected: Value '${long}' at 'aliasName' failed to satisfy constraint: Member must have length less than or equal to 256`,
    );
    await alias(kms, long.slice(0, 256), key.KeyId!);
    assert.equal(await targetOf(kms, long.slice(0, 256)), key.KeyId);
  });

  test('alias/aws/ is reserved for AWS managed keys', async () => {
    const key = await newKey();
    // moto and local-kms both answer NotAuthorizedException; AWS's message is unrecorded (src/keys/alias-name.ts).
    await expectError(alias(kms, 'alias/aws/x', key.KeyId!), 'NotAuthorizedException', 'The alias prefix alias/aws/ is reserved for AWS managed keys: alias/aws/x');
    // Only the alias/aws/ prefix is reserved, not names that merely start with "aws".
    await alias(kms, 'alias/awsome', key.KeyId!);
    await alias(kms, 'alias/aws', key.KeyId!);
    assert.deepEqual(await names(kms, { KeyId: key.KeyId }), ['alias/aws', 'alias/awsome']);
  });

  test('a duplicate name is AlreadyExistsException naming the alias ARN, whatever the target', async () => {
    const a = await newKey();
    const b = await newKey();
    await alias(kms, 'alias/dup', a.KeyId!);
    // Message as moto words it; AWS's text is unrecorded (spec §5.2).
    const message = 'An alias with the name arn:aws:kms:us-east-1:111122223333:alias/dup already exists';
    await expectError(alias(kms, 'alias/dup', a.KeyId!), 'AlreadyExistsException', message);
    await expectError(alias(kms, 'alias/dup', b.KeyId!), 'AlreadyExistsException', message);
    assert.equal(await targetOf(kms, 'alias/dup'), a.KeyId);
  });

  test('alias names are case-sensitive', async () => {
    const upper = await newKey();
    const lower = await newKey();
    await alias(kms, 'alias/A', upper.KeyId!);
    await alias(kms, 'alias/a', lower.KeyId!);
    assert.equal(await targetOf(kms, 'alias/A'), upper.KeyId);
    assert.equal(await targetOf(kms, 'alias/a'), lower.KeyId);
  });

  test('one key may have several aliases', async () => {
    const key = await newKey();
    await alias(kms, 'alias/many-2', key.KeyId!);
    await alias(kms, 'alias/many-1', key.KeyId!);
    assert.deepEqual(await names(kms, { KeyId: key.KeyId }), ['alias/many-1', 'alias/many-2']);
  });

  test('a target pending deletion is KMSInvalidStateException naming the key ARN', async () => {
    const key = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    await expectError(alias(kms, 'alias/to-doomed', key.KeyId!), 'KMSInvalidStateException', `${key.Arn} is pending deletion.`);
    await expectError(kms.send(new DescribeKeyCommand({ KeyId: 'alias/to-doomed' })), 'NotFoundException', `Alias ${arnOf('alias/to-doomed')} is not found.`);
  });

  test('a Disabled or PendingImport target is accepted', async () => {
    const disabled = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId: disabled.KeyId }));
    const external = await newKey(kms, { Origin: 'EXTERNAL' });
    assert.equal(external.KeyState, 'PendingImport');
    await alias(kms, 'alias/disabled-target', disabled.KeyId!);
    await alias(kms, 'alias/import-target', external.KeyId!);
    assert.equal(await targetOf(kms, 'alias/disabled-target'), disabled.KeyId);
    assert.equal(await targetOf(kms, 'alias/import-target'), external.KeyId);
  });

  test('the target cannot be another alias', async () => {
    const key = await newKey();
    await alias(kms, 'alias/first', key.KeyId!);
    // TargetKeyId takes a key ID or key ARN only (API Reference); same errors as the other key-only operations.
    await expectError(alias(kms, 'alias/second', 'alias/first'), 'NotFoundException', "Invalid keyId 'alias/first'");
    await expectError(alias(kms, 'alias/second', arnOf('alias/first')), 'InvalidArnException', 'Key Aliases are not supported for this operation');
    await expectError(kms.send(new DescribeKeyCommand({ KeyId: 'alias/second' })), 'NotFoundException', `Alias ${arnOf('alias/second')} is not found.`);
  });

  test('an unknown, malformed or foreign target is NotFoundException', async () => {
    const id = '134f2428-cec1-4b25-a1ae-9048164dba47';
    await expectError(alias(kms, 'alias/nowhere', id), 'NotFoundException', `Key 'arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}' does not exist`);
    await expectError(alias(kms, 'alias/nowhere', 'nope'), 'NotFoundException', "Invalid keyId 'nope'");
    await expectError(alias(kms, 'alias/nowhere', `arn:aws:kms:us-west-2:${ACCOUNT}:key/${id}`), 'NotFoundException', 'Invalid arn us-west-2');
    const other = freshAccount();
    const foreign = await newKey(other.kms);
    // An alias and its key are in the same account and Region (DG alias-about): another account's key is not found.
    await expectError(alias(kms, 'alias/nowhere', foreign.Arn!), 'NotFoundException', `Key '${foreign.Arn}' does not exist`);
  });
});

describe('UpdateAlias', () => {
  test('retargets the alias; LastUpdatedDate moves with the clock, CreationDate stays', async () => {
    const { kms: c } = freshAccount();
    const first = await newKey(c);
    const second = await newKey(c);
    const created = t.clock.now();
    await alias(c, 'alias/moving', first.KeyId!);
    t.clock.advance(90_000);
    const out = await c.send(new UpdateAliasCommand({ AliasName: 'alias/moving', TargetKeyId: second.KeyId }));
    assert.deepEqual(Object.keys(out).filter((k) => k !== '$metadata'), []);
    const [entry] = (await list(c)).Aliases!;
    assert.equal(entry!.TargetKeyId, second.KeyId);
    assert.deepEqual(entry!.CreationDate, new Date(created));
    assert.deepEqual(entry!.LastUpdatedDate, new Date(created + 90_000));
    assert.equal(await targetOf(c, 'alias/moving'), second.KeyId);
    assert.deepEqual(await names(c, { KeyId: first.KeyId }), []);
    assert.deepEqual(await names(c, { KeyId: second.KeyId }), ['alias/moving']);
  });

  test('a target with a different key usage is refused', async () => {
    const sym = await newKey();
    const signing = await newKey(kms, { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
    await alias(kms, 'alias/usage', sym.KeyId!);
    await expectError(
      kms.send(new UpdateAliasCommand({ AliasName: 'alias/usage', TargetKeyId: signing.KeyId })),
      'ValidationException',
      'Alias alias/usage cannot be changed from a CMK with key usage ENCRYPT_DECRYPT to a CMK with key usage SIGN_VERIFY. The key usage of the current CMK and the new CMK must be the same.',
    );
    assert.equal(await targetOf(kms, 'alias/usage'), sym.KeyId);
  });

  test('a target of another key type with the same usage is refused', async () => {
    const sym = await newKey();
    const rsa = await newKey(kms, { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    await alias(kms, 'alias/type', sym.KeyId!);
    // AWS's text for the type rule is unrecorded; this follows the wording of the usage rule.
    await expectError(
      kms.send(new UpdateAliasCommand({ AliasName: 'alias/type', TargetKeyId: rsa.KeyId })),
      'ValidationException',
      'Alias alias/type cannot be changed from a symmetric CMK to an asymmetric CMK. The current CMK and the new CMK must be the same type.',
    );
    assert.equal(await targetOf(kms, 'alias/type'), sym.KeyId);
  });

  test('between two asymmetric keys of the same usage, the spec may change', async () => {
    const a = await newKey(kms, { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
    const b = await newKey(kms, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    await alias(kms, 'alias/signer', a.KeyId!);
    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/signer', TargetKeyId: b.KeyId }));
    assert.equal(await targetOf(kms, 'alias/signer'), b.KeyId);
  });

  test('an unknown alias is NotFoundException naming the alias ARN', async () => {
    const key = await newKey();
    await expectError(
      kms.send(new UpdateAliasCommand({ AliasName: 'alias/nope', TargetKeyId: key.KeyId })),
      'NotFoundException',
      'Alias arn:aws:kms:us-east-1:111122223333:alias/nope is not found.',
    );
  });

  test('name rules apply as in CreateAlias', async () => {
    const key = await newKey();
    await expectError(
      kms.send(new UpdateAliasCommand({ AliasName: 'nope', TargetKeyId: key.KeyId })),
      'ValidationException',
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
    await expectError(
      kms.send(new UpdateAliasCommand({ AliasName: 'alias/aws/ebs', TargetKeyId: key.KeyId })),
      'NotAuthorizedException',
      'The alias prefix alias/aws/ is reserved for AWS managed keys: alias/aws/ebs',
    );
  });

  test('a new target pending deletion is refused; a current target pending deletion is not', async () => {
    const a = await newKey();
    const b = await newKey();
    await alias(kms, 'alias/footnote-10', a.KeyId!);
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: b.KeyId, PendingWindowInDays: 7 }));
    await expectError(
      kms.send(new UpdateAliasCommand({ AliasName: 'alias/footnote-10', TargetKeyId: b.KeyId })),
      'KMSInvalidStateException',
      `${b.Arn} is pending deletion.`,
    );
    // DG key-state footnote 10: if the source key is pending deletion, the command succeeds.
    const c = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: a.KeyId, PendingWindowInDays: 7 }));
    // The same-usage and same-type rules still hold against a current target pending deletion (the API
    // Reference states them without exception).
    const signing = await newKey(kms, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    await expectError(
      kms.send(new UpdateAliasCommand({ AliasName: 'alias/footnote-10', TargetKeyId: signing.KeyId })),
      'ValidationException',
      'Alias alias/footnote-10 cannot be changed from a CMK with key usage ENCRYPT_DECRYPT to a CMK with key usage SIGN_VERIFY. The key usage of the current CMK and the new CMK must be the same.',
    );
    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/footnote-10', TargetKeyId: c.KeyId }));
    assert.equal(await targetOf(kms, 'alias/footnote-10'), c.KeyId);
  });
});

describe('DeleteAlias', () => {
  test('deletes the alias but not its key; a second delete is NotFoundException', async () => {
    const key = await newKey();
    await alias(kms, 'alias/del', key.KeyId!);
    const out = await kms.send(new DeleteAliasCommand({ AliasName: 'alias/del' }));
    assert.deepEqual(Object.keys(out).filter((k) => k !== '$metadata'), []);
    await expectError(kms.send(new DescribeKeyCommand({ KeyId: 'alias/del' })), 'NotFoundException', 'Alias arn:aws:kms:us-east-1:111122223333:alias/del is not found.');
    await expectError(kms.send(new DeleteAliasCommand({ AliasName: 'alias/del' })), 'NotFoundException', 'Alias arn:aws:kms:us-east-1:111122223333:alias/del is not found.');
    assert.equal(await targetOf(kms, key.KeyId!), key.KeyId);
    assert.deepEqual(await names(kms, { KeyId: key.KeyId }), []);
  });

  test('works while the target key is pending deletion, and the name is free again', async () => {
    const key = await newKey();
    await alias(kms, 'alias/del-pending', key.KeyId!);
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/del-pending' }));
    const other = await newKey();
    await alias(kms, 'alias/del-pending', other.KeyId!);
    assert.equal(await targetOf(kms, 'alias/del-pending'), other.KeyId);
  });

  test('name rules apply', async () => {
    await expectError(
      kms.send(new DeleteAliasCommand({ AliasName: 'del' })),
      'ValidationException',
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
    await expectError(
      kms.send(new DeleteAliasCommand({ AliasName: 'alias/bad name' })),
      'ValidationException',
      "1 validation error detected: Value 'alias/bad name' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$",
    );
  });
});

describe('ListAliases', () => {
  test('an account without aliases gets an empty, untruncated list', async () => {
    const { kms: c } = freshAccount();
    assert.deepEqual(await list(c), { Aliases: [], Truncated: false });
  });

  test('lists by name; KeyId filters by key ID or key ARN', async () => {
    const { account, kms: c } = freshAccount();
    const a = await newKey(c);
    const b = await newKey(c);
    await alias(c, 'alias/b-1', b.KeyId!);
    await alias(c, 'alias/a-2', a.KeyId!);
    await alias(c, 'alias/a-1', a.KeyId!);
    assert.deepEqual(await names(c), ['alias/a-1', 'alias/a-2', 'alias/b-1']);
    assert.deepEqual(await names(c, { KeyId: a.KeyId }), ['alias/a-1', 'alias/a-2']);
    assert.deepEqual(await names(c, { KeyId: a.Arn }), ['alias/a-1', 'alias/a-2']);
    assert.deepEqual(await names(c, { KeyId: b.Arn }), ['alias/b-1']);
    const entry = (await list(c, { KeyId: b.KeyId })).Aliases![0]!;
    assert.equal(entry.AliasArn, `arn:aws:kms:${REGION}:${account}:alias/b-1`);
    assert.equal(entry.TargetKeyId, b.KeyId);
  });

  test('a key without aliases filters to an empty list', async () => {
    const { kms: c } = freshAccount();
    const key = await newKey(c);
    assert.deepEqual(await list(c, { KeyId: key.KeyId }), { Aliases: [], Truncated: false });
  });

  test('the KeyId filter takes no alias and must name an existing key', async () => {
    const { account, kms: c } = freshAccount();
    const key = await newKey(c);
    await alias(c, 'alias/filter', key.KeyId!);
    await expectError(list(c, { KeyId: 'alias/filter' }), 'NotFoundException', "Invalid keyId 'alias/filter'");
    await expectError(list(c, { KeyId: arnOf('alias/filter', account) }), 'InvalidArnException', 'Key Aliases are not supported for this operation');
    const id = '134f2428-cec1-4b25-a1ae-9048164dba47';
    await expectError(list(c, { KeyId: id }), 'NotFoundException', `Key 'arn:aws:kms:${REGION}:${account}:key/${id}' does not exist`);
  });

  test('pages with Limit and Marker cover every alias exactly once', async () => {
    const { kms: c } = freshAccount();
    const key = await newKey(c);
    for (const n of ['e', 'c', 'a', 'd', 'b']) await alias(c, `alias/${n}`, key.KeyId!);
    const first = await list(c, { Limit: 2 });
    assert.deepEqual(first.Aliases!.map((a) => a.AliasName), ['alias/a', 'alias/b']);
    assert.equal(first.Truncated, true);
    assert.equal(typeof first.NextMarker, 'string');
    const second = await list(c, { Limit: 2, Marker: first.NextMarker });
    assert.deepEqual(second.Aliases!.map((a) => a.AliasName), ['alias/c', 'alias/d']);
    assert.equal(second.Truncated, true);
    const third = await list(c, { Limit: 2, Marker: second.NextMarker });
    assert.deepEqual(third.Aliases!.map((a) => a.AliasName), ['alias/e']);
    assert.equal(third.Truncated, false);
    assert.equal('NextMarker' in third, false);
    // A Limit equal to the number of aliases is not truncated.
    const all = await list(c, { Limit: 5 });
    assert.equal(all.Aliases!.length, 5);
    assert.equal(all.Truncated, false);
    assert.equal('NextMarker' in all, false);
  });

  test('paging works with the KeyId filter too', async () => {
    const { kms: c } = freshAccount();
    const a = await newKey(c);
    const b = await newKey(c);
    for (const n of ['1', '2', '3']) await alias(c, `alias/k-${n}`, a.KeyId!);
    await alias(c, 'alias/k-0', b.KeyId!);
    const first = await list(c, { KeyId: a.KeyId, Limit: 2 });
    assert.deepEqual(first.Aliases!.map((x) => x.AliasName), ['alias/k-1', 'alias/k-2']);
    const second = await list(c, { KeyId: a.KeyId, Limit: 2, Marker: first.NextMarker });
    assert.deepEqual(second, {
      Aliases: [second.Aliases![0]!],
      Truncated: false,
    });
    assert.equal(second.Aliases![0]!.AliasName, 'alias/k-3');
  });

  test('Limit defaults to 50 and may be up to 100', async () => {
    const { kms: c } = freshAccount();
    const key = await newKey(c);
    for (let i = 0; i < 51; i++) await alias(c, `alias/n${String(i).padStart(2, '0')}`, key.KeyId!);
    const page = await list(c);
    assert.equal(page.Aliases!.length, 50);
    assert.equal(page.Truncated, true);
    const rest = await list(c, { Marker: page.NextMarker });
    assert.deepEqual(rest.Aliases!.map((a) => a.AliasName), ['alias/n50']);
    const big = await list(c, { Limit: 100 });
    assert.equal(big.Aliases!.length, 51);
    assert.equal(big.Truncated, false);
  });

  test('Limit 0 and 101 are model ValidationExceptions', async () => {
    await expectError(
      list(kms, { Limit: 0 }),
      'ValidationException',
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    // The shared LimitType allows 1000, but the API Reference says ListAliases takes 1..100; Trent refuses
    // 101 in the model's wording rather than silently capping it.
    await expectError(
      list(kms, { Limit: 101 }),
      'ValidationException',
      "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
  });

  test('a marker Trent did not issue, or one from another listing, is InvalidMarkerException', async () => {
    const { kms: c } = freshAccount();
    const key = await newKey(c);
    for (const n of ['1', '2', '3']) await alias(c, `alias/m-${n}`, key.KeyId!);
    await expectError(list(c, { Marker: 'not-a-marker' }), 'InvalidMarkerException', 'Invalid marker');
    const unfiltered = await list(c, { Limit: 1 });
    // A marker is bound to its listing: the unfiltered listing's marker does not resume a filtered one.
    await expectError(list(c, { KeyId: key.KeyId, Marker: unfiltered.NextMarker }), 'InvalidMarkerException', 'Invalid marker');
    // ...nor another account's listing of the same name.
    const { kms: d } = freshAccount();
    await expectError(list(d, { Marker: unfiltered.NextMarker }), 'InvalidMarkerException', 'Invalid marker');
  });
});

describe('scope', () => {
  test('aliases are per Region', async () => {
    const east = freshAccount();
    const west = t.client({ accessKeyId: east.account, region: 'us-west-2' });
    const eastKey = await newKey(east.kms);
    const westKey = await newKey(west);
    await alias(east.kms, 'alias/regional', eastKey.KeyId!);
    assert.deepEqual(await list(west), { Aliases: [], Truncated: false });
    await expectError(
      west.send(new DescribeKeyCommand({ KeyId: 'alias/regional' })),
      'NotFoundException',
      `Alias arn:aws:kms:us-west-2:${east.account}:alias/regional is not found.`,
    );
    // The same name in another Region is another alias.
    await alias(west, 'alias/regional', westKey.KeyId!);
    const [entry] = (await list(west)).Aliases!;
    assert.equal(entry!.AliasArn, `arn:aws:kms:us-west-2:${east.account}:alias/regional`);
    assert.equal(await targetOf(west, 'alias/regional'), westKey.KeyId);
    assert.equal(await targetOf(east.kms, 'alias/regional'), eastKey.KeyId);
    // An alias points to a key of its own Region only.
    await expectError(alias(west, 'alias/cross-region', eastKey.Arn!), 'NotFoundException', `Invalid arn ${REGION}`);
  });

  test('aliases are per account', async () => {
    const one = freshAccount();
    const two = freshAccount();
    const k1 = await newKey(one.kms);
    const k2 = await newKey(two.kms);
    await alias(one.kms, 'alias/shared-name', k1.KeyId!);
    assert.deepEqual(await list(two.kms), { Aliases: [], Truncated: false });
    await expectError(
      two.kms.send(new DeleteAliasCommand({ AliasName: 'alias/shared-name' })),
      'NotFoundException',
      `Alias arn:aws:kms:${REGION}:${two.account}:alias/shared-name is not found.`,
    );
    await alias(two.kms, 'alias/shared-name', k2.KeyId!);
    assert.equal(await targetOf(one.kms, 'alias/shared-name'), k1.KeyId);
    assert.equal(await targetOf(two.kms, 'alias/shared-name'), k2.KeyId);
    await two.kms.send(new DeleteAliasCommand({ AliasName: 'alias/shared-name' }));
    assert.equal(await targetOf(one.kms, 'alias/shared-name'), k1.KeyId);
  });
});

describe('aliases of deleted keys', () => {
  test('stay while the key is pending deletion and vanish with it; the name can then be reused', async () => {
    const { account, kms: c } = freshAccount();
    const doomed = await newKey(c);
    const keeper = await newKey(c);
    await alias(c, 'alias/doomed', doomed.KeyId!);
    await alias(c, 'alias/kept', keeper.KeyId!);
    await c.send(new ScheduleKeyDeletionCommand({ KeyId: doomed.KeyId }));
    // Until the waiting period ends, the alias still resolves and is listed.
    const pending = (await c.send(new DescribeKeyCommand({ KeyId: 'alias/doomed' }))).KeyMetadata!;
    assert.equal(pending.KeyState, 'PendingDeletion');
    assert.deepEqual(await names(c), ['alias/doomed', 'alias/kept']);

    t.clock.advanceDays(31);
    // No sweep has run: the key is gone for every request as soon as its deletion date has passed.
    await expectError(
      c.send(new DescribeKeyCommand({ KeyId: 'alias/doomed' })),
      'NotFoundException',
      `Alias arn:aws:kms:${REGION}:${account}:alias/doomed is not found.`,
    );
    assert.deepEqual(await names(c), ['alias/kept']);
    await expectError(
      c.send(new DeleteAliasCommand({ AliasName: 'alias/doomed' })),
      'NotFoundException',
      `Alias arn:aws:kms:${REGION}:${account}:alias/doomed is not found.`,
    );
    const successor = await newKey(c);
    await alias(c, 'alias/doomed', successor.KeyId!);
    assert.equal(await targetOf(c, 'alias/doomed'), successor.KeyId);
  });

  test('an alias whose key fell due is free for CreateAlias even before anything else purged it', async () => {
    const { kms: c } = freshAccount();
    const doomed = await newKey(c);
    await alias(c, 'alias/reborn', doomed.KeyId!);
    await c.send(new ScheduleKeyDeletionCommand({ KeyId: doomed.KeyId, PendingWindowInDays: 7 }));
    t.clock.advanceDays(31);
    const successor = await newKey(c);
    await alias(c, 'alias/reborn', successor.KeyId!);
    assert.deepEqual(await names(c), ['alias/reborn']);
    assert.equal(await targetOf(c, 'alias/reborn'), successor.KeyId);
  });

  test('DeleteAlias of an alias whose key fell due is NotFoundException, as the alias is already gone', async () => {
    const { account, kms: c } = freshAccount();
    const doomed = await newKey(c);
    await alias(c, 'alias/late', doomed.KeyId!);
    await c.send(new ScheduleKeyDeletionCommand({ KeyId: doomed.KeyId, PendingWindowInDays: 7 }));
    t.clock.advanceDays(31);
    await expectError(
      c.send(new DeleteAliasCommand({ AliasName: 'alias/late' })),
      'NotFoundException',
      `Alias arn:aws:kms:${REGION}:${account}:alias/late is not found.`,
    );
  });

  test('UpdateAlias of an alias whose key fell due is NotFoundException', async () => {
    const { account, kms: c } = freshAccount();
    const doomed = await newKey(c);
    const other = await newKey(c);
    await alias(c, 'alias/late-update', doomed.KeyId!);
    await c.send(new ScheduleKeyDeletionCommand({ KeyId: doomed.KeyId, PendingWindowInDays: 7 }));
    t.clock.advanceDays(31);
    await expectError(
      c.send(new UpdateAliasCommand({ AliasName: 'alias/late-update', TargetKeyId: other.KeyId })),
      'NotFoundException',
      `Alias arn:aws:kms:${REGION}:${account}:alias/late-update is not found.`,
    );
  });

  test('the sweeper removes aliases with their key', async () => {
    const { kms: c } = freshAccount();
    const doomed = await newKey(c);
    await alias(c, 'alias/swept', doomed.KeyId!);
    await c.send(new ScheduleKeyDeletionCommand({ KeyId: doomed.KeyId, PendingWindowInDays: 7 }));
    t.clock.advanceDays(31);
    assert.ok((await t.server.sweep()).deleted >= 1);
    assert.deepEqual(await list(c), { Aliases: [], Truncated: false });
  });
});
