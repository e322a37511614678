// Tag-based access control through the real SDK: aws:ResourceTag in identity policies (allow, Deny on a
// missing tag, revocation by untagging), its refusal in key policies, aws:RequestTag / aws:TagKeys
// limiting tagging and CreateKey with Tags (spec §2).
import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  KMSClient,
  PutKeyPolicyCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type Tag,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { ACCOUNT_A, allow, deny, keyPolicyText, keyStatement, policy, root, rootStatement, user, type TestPrincipal } from '../helpers/principals.ts';
import { startTestServer } from '../helpers/server.ts';

const admin = root(ACCOUNT_A);
const alpha = user(ACCOUNT_A, 'alpha', {
  policies: [policy(allow(['kms:Encrypt', 'kms:Decrypt'], '*', { StringEquals: { 'aws:ResourceTag/project': 'alpha' } }))],
});
const typed = user(ACCOUNT_A, 'typed', {
  policies: [policy(allow('kms:Encrypt'), deny('kms:Encrypt', '*', { Null: { 'aws:ResourceTag/Type': 'true' } }))],
});
const keyTagger = user(ACCOUNT_A, 'key-tagger', {
  policies: [policy(allow(['kms:TagResource', 'kms:UntagResource'], '*', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } }))],
});
const anyTagger = user(ACCOUNT_A, 'any-tagger', {
  policies: [policy(allow('kms:TagResource', '*', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['cost-center'] } }))],
});
const valueTagger = user(ACCOUNT_A, 'value-tagger', {
  policies: [policy(allow('kms:TagResource', '*', { StringEquals: { 'aws:RequestTag/env': ['dev', 'test'] } }))],
});
const creator = user(ACCOUNT_A, 'creator', { policies: [policy(allow('kms:CreateKey'))] });
const blueCreator = user(ACCOUNT_A, 'blue-creator', {
  policies: [policy(allow('kms:CreateKey'), allow('kms:TagResource', '*', { StringEquals: { 'aws:RequestTag/team': 'blue' } }))],
});
const dave = user(ACCOUNT_A, 'dave');

const t = await startTestServer({
  principals: [admin, alpha, typed, keyTagger, anyTagger, valueTagger, creator, blueCreator, dave].map((p) => p.config),
});
after(() => t.close());
const kms = t.client(admin.creds);
const as = (p: TestPrincipal): KMSClient => t.client(p.creds);

const PLAINTEXT = new TextEncoder().encode('secret');
const tags = (o: Record<string, string>): Tag[] => Object.entries(o).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
const newKey = async (t?: Record<string, string>, Policy?: string) =>
  (await kms.send(new CreateKeyCommand({ ...(t ? { Tags: tags(t) } : {}), ...(Policy ? { Policy } : {}) }))).KeyMetadata!;
const encrypt = (client: KMSClient, KeyId: string) => client.send(new EncryptCommand({ KeyId, Plaintext: PLAINTEXT }));
const denied = (p: TestPrincipal, action: string, resource: string, why: string) =>
  `User: ${p.callerArn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
const noIdentity = (action: string) => `because no identity-based policy allows the ${action} action`;
const IDENTITY_DENY = 'with an explicit deny in an identity-based policy';

describe('aws:ResourceTag in identity policies', () => {
  test('allows the keys carrying the tag and no others', async () => {
    const tagged = await newKey({ project: 'alpha' });
    const other = await newKey({ project: 'beta' });
    const untagged = await newKey();
    const ct = (await encrypt(as(alpha), tagged.KeyId!)).CiphertextBlob;
    assert.deepEqual((await as(alpha).send(new DecryptCommand({ CiphertextBlob: ct }))).Plaintext, PLAINTEXT);
    await expectError(encrypt(as(alpha), other.KeyId!), 'AccessDeniedException', denied(alpha, 'kms:Encrypt', other.Arn!, noIdentity('kms:Encrypt')));
    await expectError(encrypt(as(alpha), untagged.KeyId!), 'AccessDeniedException', denied(alpha, 'kms:Encrypt', untagged.Arn!, noIdentity('kms:Encrypt')));
  });

  test('tag values are case-sensitive under StringEquals; the tag key is not', async () => {
    // Condition key names are case-insensitive (IAM reference_policies_elements_condition.html); values are not.
    const upperValue = await newKey({ project: 'Alpha' });
    await expectError(encrypt(as(alpha), upperValue.KeyId!), 'AccessDeniedException', denied(alpha, 'kms:Encrypt', upperValue.Arn!, noIdentity('kms:Encrypt')));
    const upperKey = await newKey({ Project: 'alpha' });
    await encrypt(as(alpha), upperKey.KeyId!);
  });

  test('removing the tag revokes access and adding it back restores it', async () => {
    const key = await newKey({ project: 'alpha' });
    await encrypt(as(alpha), key.KeyId!);
    await kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ['project'] }));
    await expectError(encrypt(as(alpha), key.KeyId!), 'AccessDeniedException', denied(alpha, 'kms:Encrypt', key.Arn!, noIdentity('kms:Encrypt')));
    await kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: tags({ project: 'alpha' }) }));
    await encrypt(as(alpha), key.KeyId!);
    // Changing the value revokes it too.
    await kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: tags({ project: 'gamma' }) }));
    await expectError(encrypt(as(alpha), key.KeyId!), 'AccessDeniedException', denied(alpha, 'kms:Encrypt', key.Arn!, noIdentity('kms:Encrypt')));
  });

  test('a Deny with Null refuses keys missing the tag, even with an Allow for every key', async () => {
    const bare = await newKey({ other: 'x' });
    await expectError(encrypt(as(typed), bare.KeyId!), 'AccessDeniedException', denied(typed, 'kms:Encrypt', bare.Arn!, IDENTITY_DENY));
    const withType = await newKey({ Type: 'app' });
    await encrypt(as(typed), withType.KeyId!);
    // An empty value is still a tag: Null is false.
    const empty = await newKey({ Type: '' });
    await encrypt(as(typed), empty.KeyId!);
  });

  test('aws:ResourceTag counts only through the root statement: a key policy without it shuts the tag out', async () => {
    // The root statement here covers key administration only, so kms:Encrypt is not delegated to IAM.
    const key = await newKey({ project: 'alpha' }, keyPolicyText(keyStatement('Allow', admin.arn, ['kms:PutKeyPolicy', 'kms:GetKeyPolicy'])));
    await expectError(
      encrypt(as(alpha), key.KeyId!),
      'AccessDeniedException',
      denied(alpha, 'kms:Encrypt', key.Arn!, 'because no resource-based policy allows the kms:Encrypt action'),
    );
  });
});

describe('aws:ResourceTag and kms:ResourceAliases are refused in key policies', () => {
  // AWS answers PutKeyPolicy with this text (quoted from a CloudTrail event in
  // awsdocs/aws-kms-developer-guide#47); DG tag-authorization.md: "supported only in IAM policies".
  const NOT_PERMITTED = 'These condition keys are not permitted in a key policy: aws:ResourceTag, kms:ResourceTag, kms:ResourceAliases';

  test('PutKeyPolicy and CreateKey refuse a key policy testing aws:ResourceTag', async () => {
    const key = await newKey({ project: 'alpha' });
    const text = keyPolicyText(rootStatement(ACCOUNT_A), keyStatement('Allow', dave.arn, 'kms:Encrypt', { StringEquals: { 'aws:ResourceTag/project': 'alpha' } }));
    await expectError(kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: text })), 'MalformedPolicyDocumentException', NOT_PERMITTED);
    await expectError(kms.send(new CreateKeyCommand({ Policy: text })), 'MalformedPolicyDocumentException', NOT_PERMITTED);
    // dave was never let in.
    await expectError(
      encrypt(as(dave), key.KeyId!),
      'AccessDeniedException',
      denied(dave, 'kms:Encrypt', key.Arn!, noIdentity('kms:Encrypt')),
    );
  });

  test('PutKeyPolicy refuses kms:ResourceAliases in a key policy', async () => {
    const key = await newKey();
    const text = keyPolicyText(
      rootStatement(ACCOUNT_A),
      keyStatement('Allow', dave.arn, 'kms:Encrypt', { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/app-*' } }),
    );
    await expectError(kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: text })), 'MalformedPolicyDocumentException', NOT_PERMITTED);
  });
});

describe('aws:TagKeys and aws:RequestTag limit tagging', () => {
  test('ForAllValues: every tag key of the request must be listed', async () => {
    const key = await newKey();
    await as(keyTagger).send(new TagResourceCommand({ KeyId: key.KeyId, Tags: tags({ env: 'dev', team: 'blue' }) }));
    await expectError(
      as(keyTagger).send(new TagResourceCommand({ KeyId: key.KeyId, Tags: tags({ env: 'dev', secret: 'x' }) })),
      'AccessDeniedException',
      denied(keyTagger, 'kms:TagResource', key.Arn!, noIdentity('kms:TagResource')),
    );
    await as(keyTagger).send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ['env'] }));
    await expectError(
      as(keyTagger).send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ['team', 'owner'] })),
      'AccessDeniedException',
      denied(keyTagger, 'kms:UntagResource', key.Arn!, noIdentity('kms:UntagResource')),
    );
  });

  test('ForAnyValue: one listed tag key in the request is enough', async () => {
    const key = await newKey();
    await as(anyTagger).send(new TagResourceCommand({ KeyId: key.KeyId, Tags: tags({ 'cost-center': '42', anything: 'x' }) }));
    await expectError(
      as(anyTagger).send(new TagResourceCommand({ KeyId: key.KeyId, Tags: tags({ anything: 'y' }) })),
      'AccessDeniedException',
      denied(anyTagger, 'kms:TagResource', key.Arn!, noIdentity('kms:TagResource')),
    );
  });

  test('aws:RequestTag/<key> limits the values a tag may be given', async () => {
    const key = await newKey();
    await as(valueTagger).send(new TagResourceCommand({ KeyId: key.KeyId, Tags: tags({ env: 'test' }) }));
    for (const bad of [{ env: 'prod' }, { owner: 'me' }] as Record<string, string>[]) {
      await expectError(
        as(valueTagger).send(new TagResourceCommand({ KeyId: key.KeyId, Tags: tags(bad) })),
        'AccessDeniedException',
        denied(valueTagger, 'kms:TagResource', key.Arn!, noIdentity('kms:TagResource')),
      );
    }
  });

  test('CreateKey with Tags also needs kms:TagResource, with the request tags in its context', async () => {
    await as(creator).send(new CreateKeyCommand({}));
    // Observed AWS text: this denial names no resource (LeanerCloud/CUDly#1670, 2026).
    const noTagging = (p: TestPrincipal) =>
      `User: ${p.callerArn} is not authorized to perform: kms:TagResource because no identity-based policy allows the kms:TagResource action`;
    await expectError(as(creator).send(new CreateKeyCommand({ Tags: tags({ team: 'blue' }) })), 'AccessDeniedException', noTagging(creator));
    const made = await as(blueCreator).send(new CreateKeyCommand({ Tags: tags({ team: 'blue' }) }));
    assert.match(made.KeyMetadata!.KeyId!, /^[0-9a-f-]{36}$/);
    await expectError(as(blueCreator).send(new CreateKeyCommand({ Tags: tags({ team: 'red' }) })), 'AccessDeniedException', noTagging(blueCreator));
  });

  test('CreateKey without kms:CreateKey names resource *', async () => {
    // Observed AWS text (aws-ia/terraform-aws-control_tower_account_factory#569).
    await expectError(
      as(dave).send(new CreateKeyCommand({})),
      'AccessDeniedException',
      `User: ${dave.callerArn} is not authorized to perform: kms:CreateKey on resource: * because no identity-based policy allows the kms:CreateKey action`,
    );
  });
});
