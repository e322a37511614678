// Alias-based access control and alias permissions through the real SDK: kms:RequestAlias (the alias the
// request names), kms:ResourceAliases (the key's aliases, IAM only), and CreateAlias / UpdateAlias /
// DeleteAlias needing permission on the alias (IAM) and on each key involved (DG alias-access.md, abac.md).
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  EncryptCommand,
  KMSClient,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { ACCOUNT_A, allow, keyPolicyText, keyStatement, policy, root, rootStatement, user, type TestPrincipal } from '../helpers/principals.ts';
import { REGION, startTestServer } from '../helpers/server.ts';

const aliasArn = (name: string) => `arn:aws:kms:${REGION}:${ACCOUNT_A}:${name}`;
const KEYS = `arn:aws:kms:${REGION}:${ACCOUNT_A}:key/*`;
const TAGGED = { StringEquals: { 'aws:ResourceTag/alias-ok': 'yes' } };

const admin = root(ACCOUNT_A);
const viaAlias = user(ACCOUNT_A, 'via-alias', {
  policies: [policy(allow(['kms:Encrypt', 'kms:DescribeKey'], '*', { StringEquals: { 'kms:RequestAlias': 'alias/alpha' } }))],
});
const anyAlias = user(ACCOUNT_A, 'any-alias', {
  policies: [policy(allow('kms:Encrypt', '*', { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/app-*' } }))],
});
const allAliases = user(ACCOUNT_A, 'all-aliases', {
  policies: [policy(allow('kms:Encrypt', '*', { 'ForAllValues:StringLike': { 'kms:ResourceAliases': 'alias/app-*' } }))],
});
const teamAdmin = user(ACCOUNT_A, 'team-admin', {
  policies: [policy(allow(['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'], [aliasArn('alias/team-*'), KEYS]))],
});
const keyOnly = user(ACCOUNT_A, 'key-only', { policies: [policy(allow(['kms:CreateAlias', 'kms:DeleteAlias'], KEYS))] });
const aliasOnly = user(ACCOUNT_A, 'alias-only', { policies: [policy(allow(['kms:CreateAlias', 'kms:DeleteAlias'], aliasArn('alias/*')))] });
const tagGated = user(ACCOUNT_A, 'tag-gated', {
  policies: [policy(allow(['kms:UpdateAlias', 'kms:DeleteAlias'], aliasArn('alias/*')), allow(['kms:UpdateAlias', 'kms:DeleteAlias'], KEYS, TAGGED))],
});
const dave = user(ACCOUNT_A, 'dave');

const t = await startTestServer({ principals: [admin, viaAlias, anyAlias, allAliases, teamAdmin, keyOnly, aliasOnly, tagGated, dave].map((p) => p.config) });
after(() => t.close());
const kms = t.client(admin.creds);
const as = (p: TestPrincipal): KMSClient => t.client(p.creds);

let n = 0;
const unique = (prefix: string) => `${prefix}-${++n}`;
const newKey = async (opts: { tags?: Record<string, string>; policy?: string } = {}) =>
  (
    await kms.send(
      new CreateKeyCommand({
        ...(opts.tags ? { Tags: Object.entries(opts.tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })) } : {}),
        ...(opts.policy ? { Policy: opts.policy } : {}),
      }),
    )
  ).KeyMetadata!;
const alias = (AliasName: string, TargetKeyId: string) => kms.send(new CreateAliasCommand({ AliasName, TargetKeyId }));
const encrypt = (client: KMSClient, KeyId: string) => client.send(new EncryptCommand({ KeyId, Plaintext: new Uint8Array([1, 2, 3]) }));
const denied = (p: TestPrincipal, action: string, resource: string, why = `because no identity-based policy allows the ${action} action`) =>
  `User: ${p.callerArn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;

describe('kms:RequestAlias', () => {
  test('is satisfied only when the request names the key by that alias (name or ARN)', async () => {
    const name = 'alias/alpha';
    const key = await newKey();
    await alias(name, key.KeyId!);
    await encrypt(as(viaAlias), name);
    await encrypt(as(viaAlias), aliasArn(name));
    assert.equal((await as(viaAlias).send(new DescribeKeyCommand({ KeyId: name }))).KeyMetadata!.Arn, key.Arn);
    // The same key by ID or ARN does not satisfy it (DG conditions-kms.md, kms:RequestAlias).
    await expectError(encrypt(as(viaAlias), key.KeyId!), 'AccessDeniedException', denied(viaAlias, 'kms:Encrypt', key.Arn!));
    await expectError(encrypt(as(viaAlias), key.Arn!), 'AccessDeniedException', denied(viaAlias, 'kms:Encrypt', key.Arn!));
    // Nor does another alias of the same key.
    const other = unique('alias/other');
    await alias(other, key.KeyId!);
    await expectError(encrypt(as(viaAlias), other), 'AccessDeniedException', denied(viaAlias, 'kms:Encrypt', key.Arn!));
  });

  test('works in a key policy too', async () => {
    const name = unique('alias/dave');
    const key = await newKey({ policy: keyPolicyText(rootStatement(ACCOUNT_A), keyStatement('Allow', dave.arn, 'kms:Encrypt', { StringEquals: { 'kms:RequestAlias': name } })) });
    await alias(name, key.KeyId!);
    await encrypt(as(dave), name);
    // The key policy names dave only through the alias; the root statement leaves the rest to IAM, where he has nothing.
    await expectError(encrypt(as(dave), key.KeyId!), 'AccessDeniedException', denied(dave, 'kms:Encrypt', key.Arn!));
  });
});

describe('kms:ResourceAliases (IAM policies)', () => {
  test('ForAnyValue: a key with a matching alias is usable by key ID; without one it is not', async () => {
    const key = await newKey();
    await expectError(encrypt(as(anyAlias), key.KeyId!), 'AccessDeniedException', denied(anyAlias, 'kms:Encrypt', key.Arn!));
    const name = unique('alias/app');
    await alias(name, key.KeyId!);
    await encrypt(as(anyAlias), key.KeyId!);
    await encrypt(as(anyAlias), key.Arn!);
    await kms.send(new DeleteAliasCommand({ AliasName: name }));
    await expectError(encrypt(as(anyAlias), key.KeyId!), 'AccessDeniedException', denied(anyAlias, 'kms:Encrypt', key.Arn!));
    await alias(unique('alias/db'), key.KeyId!);
    await expectError(encrypt(as(anyAlias), key.KeyId!), 'AccessDeniedException', denied(anyAlias, 'kms:Encrypt', key.Arn!));
  });

  test('UpdateAlias moves the access with the alias', async () => {
    const name = unique('alias/app');
    const first = await newKey();
    const second = await newKey();
    await alias(name, first.KeyId!);
    await encrypt(as(anyAlias), first.KeyId!);
    await kms.send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: second.KeyId }));
    await encrypt(as(anyAlias), second.KeyId!);
    await expectError(encrypt(as(anyAlias), first.KeyId!), 'AccessDeniedException', denied(anyAlias, 'kms:Encrypt', first.Arn!));
  });

  test('ForAllValues: needs no alias but forbids an alias outside the pattern', async () => {
    // "It doesn't require any aliases, but it forbids unspecified aliases." (DG conditions-kms.md)
    const key = await newKey();
    await encrypt(as(allAliases), key.KeyId!);
    await alias(unique('alias/app'), key.KeyId!);
    await encrypt(as(allAliases), key.KeyId!);
    await alias(unique('alias/db'), key.KeyId!);
    await expectError(encrypt(as(allAliases), key.KeyId!), 'AccessDeniedException', denied(allAliases, 'kms:Encrypt', key.Arn!));
  });
});

describe('kms:ResourceAliases beyond 50 aliases', () => {
  test('a key with more than 50 aliases is refused to principals that kms:ResourceAliases would allow', async () => {
    // "effective only when the KMS key has 50 or fewer aliases" (DG conditions-kms.md, kms:ResourceAliases).
    // AWS's quota of 50 aliases per key is adjustable (DG resource-limits.html); Trent enforces none.
    const key = await newKey();
    const prefix = unique('alias/app-many');
    for (let i = 0; i < 50; i++) await alias(`${prefix}-${i}`, key.KeyId!);
    await encrypt(as(anyAlias), key.KeyId!);
    await alias(`${prefix}-50`, key.KeyId!);
    await expectError(encrypt(as(anyAlias), key.KeyId!), 'AccessDeniedException', denied(anyAlias, 'kms:Encrypt', key.Arn!));
  });
});

describe('alias operations need permission on the alias and on the key', () => {
  test('CreateAlias: allowed on both', async () => {
    const key = await newKey();
    await as(teamAdmin).send(new CreateAliasCommand({ AliasName: unique('alias/team'), TargetKeyId: key.KeyId }));
  });

  test('CreateAlias: an alias name outside the allowed resource is refused on the alias ARN', async () => {
    const key = await newKey();
    const name = unique('alias/other');
    await expectError(
      as(teamAdmin).send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key.KeyId })),
      'AccessDeniedException',
      denied(teamAdmin, 'kms:CreateAlias', aliasArn(name)),
    );
    await expectError(as(keyOnly).send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key.KeyId })), 'AccessDeniedException', denied(keyOnly, 'kms:CreateAlias', aliasArn(name)));
  });

  test('CreateAlias: permission on the alias alone is refused on the key ARN', async () => {
    const key = await newKey();
    await expectError(
      as(aliasOnly).send(new CreateAliasCommand({ AliasName: unique('alias/x'), TargetKeyId: key.KeyId })),
      'AccessDeniedException',
      denied(aliasOnly, 'kms:CreateAlias', key.Arn!),
    );
  });

  test('CreateAlias: the key policy must let IAM decide for the key', async () => {
    const key = await newKey({ policy: keyPolicyText(keyStatement('Allow', admin.arn, ['kms:PutKeyPolicy', 'kms:GetKeyPolicy'])) });
    await expectError(
      as(teamAdmin).send(new CreateAliasCommand({ AliasName: unique('alias/team'), TargetKeyId: key.KeyId })),
      'AccessDeniedException',
      denied(teamAdmin, 'kms:CreateAlias', key.Arn!, 'because no resource-based policy allows the kms:CreateAlias action'),
    );
  });

  test('UpdateAlias: needs the new target and the current target', async () => {
    const name = unique('alias/upd');
    const okA = await newKey({ tags: { 'alias-ok': 'yes' } });
    const okB = await newKey({ tags: { 'alias-ok': 'yes' } });
    const plain = await newKey();
    await alias(name, okA.KeyId!);
    await as(tagGated).send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: okB.KeyId }));
    await expectError(
      as(tagGated).send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: plain.KeyId })),
      'AccessDeniedException',
      denied(tagGated, 'kms:UpdateAlias', plain.Arn!),
    );
    await kms.send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: plain.KeyId }));
    await expectError(
      as(tagGated).send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: okA.KeyId })),
      'AccessDeniedException',
      denied(tagGated, 'kms:UpdateAlias', plain.Arn!),
    );
  });

  test('UpdateAlias: permission on the keys alone is refused on the alias ARN', async () => {
    const name = unique('alias/upd');
    const a = await newKey();
    const b = await newKey();
    await alias(name, a.KeyId!);
    await expectError(as(keyOnly).send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: b.KeyId })), 'AccessDeniedException', denied(keyOnly, 'kms:UpdateAlias', b.Arn!));
  });

  test('DeleteAlias: needs the alias and the key it points to', async () => {
    const onTagged = unique('alias/del');
    const onPlain = unique('alias/del');
    await alias(onTagged, (await newKey({ tags: { 'alias-ok': 'yes' } })).KeyId!);
    const plain = await newKey();
    await alias(onPlain, plain.KeyId!);
    await as(tagGated).send(new DeleteAliasCommand({ AliasName: onTagged }));
    await expectError(as(tagGated).send(new DeleteAliasCommand({ AliasName: onPlain })), 'AccessDeniedException', denied(tagGated, 'kms:DeleteAlias', plain.Arn!));
    await expectError(as(keyOnly).send(new DeleteAliasCommand({ AliasName: onPlain })), 'AccessDeniedException', denied(keyOnly, 'kms:DeleteAlias', aliasArn(onPlain)));
    await expectError(as(aliasOnly).send(new DeleteAliasCommand({ AliasName: onPlain })), 'AccessDeniedException', denied(aliasOnly, 'kms:DeleteAlias', plain.Arn!));
  });

  test('DeleteAlias of a missing alias: AccessDenied before NotFound', async () => {
    const name = unique('alias/missing');
    await expectError(as(dave).send(new DeleteAliasCommand({ AliasName: name })), 'AccessDeniedException', denied(dave, 'kms:DeleteAlias', aliasArn(name)));
    await expectError(as(aliasOnly).send(new DeleteAliasCommand({ AliasName: name })), 'NotFoundException', `Alias ${aliasArn(name)} is not found.`);
  });
});
