// The simulated propagation delay of tag and alias changes (config propagationDelaySeconds): for that long
// authorization sees the key's previous tags and aliases, while the API already shows the new ones
// ("Recent changes might be visible in API operations before they affect authorization", DG abac.md).
import { CreateAliasCommand, CreateKeyCommand, EncryptCommand, KMSClient, ListResourceTagsCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { ACCOUNT_A, allow, policy, root, user, type TestPrincipal } from '../helpers/principals.ts';
import { startTestServer } from '../helpers/server.ts';

const DELAY_S = 300;
const admin = root(ACCOUNT_A);
const alpha = user(ACCOUNT_A, 'alpha', { policies: [policy(allow('kms:Encrypt', '*', { StringEquals: { 'aws:ResourceTag/project': 'alpha' } }))] });
const appUser = user(ACCOUNT_A, 'app-user', { policies: [policy(allow('kms:Encrypt', '*', { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/app-*' } }))] });

const t = await startTestServer({ principals: [admin, alpha, appUser].map((p) => p.config), config: { propagationDelaySeconds: DELAY_S } });
after(() => t.close());
const kms = t.client(admin.creds);
const as = (p: TestPrincipal): KMSClient => t.client(p.creds);
const encrypt = (client: KMSClient, KeyId: string) => client.send(new EncryptCommand({ KeyId, Plaintext: new Uint8Array([7]) }));
const denied = (p: TestPrincipal, arn: string) =>
  `User: ${p.callerArn} is not authorized to perform: kms:Encrypt on resource: ${arn} because no identity-based policy allows the kms:Encrypt action`;
const tagsOf = async (KeyId: string) => (await kms.send(new ListResourceTagsCommand({ KeyId }))).Tags;

describe('with propagationDelaySeconds 300', () => {
  test('tags given at CreateKey apply at once', async () => {
    const key = (await kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'project', TagValue: 'alpha' }] }))).KeyMetadata!;
    await encrypt(as(alpha), key.KeyId!);
  });

  test('a removed tag still authorizes until 300 s have passed, while ListResourceTags shows it gone', async () => {
    const key = (await kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'project', TagValue: 'alpha' }] }))).KeyMetadata!;
    await kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ['project'] }));
    assert.deepEqual(await tagsOf(key.KeyId!), []);
    await encrypt(as(alpha), key.KeyId!);
    t.clock.advance((DELAY_S - 1) * 1000);
    await encrypt(as(alpha), key.KeyId!);
    t.clock.advance(1000);
    await expectError(encrypt(as(alpha), key.KeyId!), 'AccessDeniedException', denied(alpha, key.Arn!));
  });

  test('an added tag authorizes only once the delay is over', async () => {
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'project', TagValue: 'alpha' }] }));
    assert.deepEqual(await tagsOf(key.KeyId!), [{ TagKey: 'project', TagValue: 'alpha' }]);
    await expectError(encrypt(as(alpha), key.KeyId!), 'AccessDeniedException', denied(alpha, key.Arn!));
    t.clock.advance(DELAY_S * 1000);
    await encrypt(as(alpha), key.KeyId!);
  });

  test('of several changes within the delay, authorization sees the state before the oldest one still pending', async () => {
    const key = (await kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'project', TagValue: 'alpha' }] }))).KeyMetadata!;
    await kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'project', TagValue: 'beta' }] }));
    t.clock.advance(200_000);
    await kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'project', TagValue: 'alpha' }] }));
    // t = 200 s: the first change (alpha → beta) is still pending, so alpha is seen.
    await encrypt(as(alpha), key.KeyId!);
    // t = 300 s: the first change has landed (beta), the second (beta → alpha) has not.
    t.clock.advance(100_000);
    await expectError(encrypt(as(alpha), key.KeyId!), 'AccessDeniedException', denied(alpha, key.Arn!));
    // t = 500 s: both have landed.
    t.clock.advance(200_000);
    await encrypt(as(alpha), key.KeyId!);
  });

  test('a new alias reaches kms:ResourceAliases only after the delay', async () => {
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: `alias/app-${key.KeyId}`, TargetKeyId: key.KeyId }));
    await expectError(encrypt(as(appUser), key.KeyId!), 'AccessDeniedException', denied(appUser, key.Arn!));
    // The alias itself resolves at once: using it is not the same as authorizing by it.
    await expectError(encrypt(as(appUser), `alias/app-${key.KeyId}`), 'AccessDeniedException', denied(appUser, key.Arn!));
    t.clock.advance(DELAY_S * 1000);
    await encrypt(as(appUser), key.KeyId!);
  });
});

describe('with the default delay of 0', async () => {
  const t0 = await startTestServer({ principals: [admin, alpha].map((p) => p.config) });
  after(() => t0.close());
  const k0 = t0.client(admin.creds);

  test('tag changes apply at once', async () => {
    const key = (await k0.send(new CreateKeyCommand({}))).KeyMetadata!;
    await k0.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'project', TagValue: 'alpha' }] }));
    await encrypt(t0.client(alpha.creds), key.KeyId!);
  });
});
