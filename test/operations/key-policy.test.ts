// GetKeyPolicy, PutKeyPolicy and ListKeyPolicies through the real SDK: the default policy, documents kept
// byte for byte, the single policy name "default", invalid documents, and every key state.
import {
  CreateKeyCommand,
  DisableKeyCommand,
  GetKeyPolicyCommand,
  ListKeyPoliciesCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { ACCOUNT, REGION, startTestServer } from '../helpers/server.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const newKey = async (client = kms, Policy?: string) => (await client.send(new CreateKeyCommand({ Policy }))).KeyMetadata!;
const policyOf = async (KeyId: string) => (await kms.send(new GetKeyPolicyCommand({ KeyId }))).Policy!;
const withoutMetadata = <T extends { $metadata?: unknown }>(out: T) => {
  const { $metadata: _, ...rest } = out;
  return rest;
};
const defaultPolicy = (account: string) =>
  `{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${account}:root"},"Action":"kms:*","Resource":"*"}]}`;

// Whitespace of every kind the model allows (tab, LF, CR, space), Latin-1 letters (the model's PolicyType
// pattern stops at U+00FF) and a JSON \u escape, which must not be decoded.
const CUSTOM_POLICY =
  '{\n\t"Version": "2012-10-17",\r\n  "Id" : "custom-policy-ÄÖÜ",\n  "Statement": [\n    {\n      "Sid": "Café \\u2603 ©",\n' +
  `      "Effect": "Allow",\n      "Principal": { "AWS": "arn:aws:iam::${ACCOUNT}:root" },\n      "Action": "kms:*",\n      "Resource": "*"\n    }\n  ]\n}  \n`;

describe('GetKeyPolicy', () => {
  test('a key created without Policy has exactly the default policy of the caller account', async () => {
    const key = await newKey();
    assert.equal(await policyOf(key.KeyId!), defaultPolicy(ACCOUNT));
  });

  test('the default policy names the account that created the key', async () => {
    const other = t.client({ accessKeyId: '444455556666' });
    const key = await newKey(other);
    const out = await other.send(new GetKeyPolicyCommand({ KeyId: key.Arn }));
    assert.equal(out.Policy, defaultPolicy('444455556666'));
  });

  test('PolicyName omitted or "default" gives the same answer, naming the policy "default"', async () => {
    const key = await newKey();
    const omitted = await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }));
    const named = await kms.send(new GetKeyPolicyCommand({ KeyId: key.Arn, PolicyName: 'default' }));
    assert.deepEqual(withoutMetadata(omitted), { Policy: defaultPolicy(ACCOUNT), PolicyName: 'default' });
    assert.deepEqual(withoutMetadata(named), { Policy: defaultPolicy(ACCOUNT), PolicyName: 'default' });
  });

  test('any other policy name does not exist', async () => {
    const key = await newKey();
    // AWS's text for another name is unrecorded; NotFound is the natural answer for a missing policy.
    await expectError(kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'foo' })), 'NotFoundException', 'No such policy exists: foo');
    await expectError(kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'Default' })), 'NotFoundException', 'No such policy exists: Default');
  });

  test('a policy name breaking the model pattern or length is a ValidationException', async () => {
    const key = await newKey();
    await expectError(
      kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'bad-name' })),
      'ValidationException',
      "1 validation error detected: Value 'bad-name' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+",
    );
    const long = 'p'.repeat(129);
    await expectError(
      kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: long })),
      'ValidationException',
      `1 validation error detected: Value '${long}' at 'policyName' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
  });

  test('works in every key state, including pending deletion', async () => {
    const key = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    assert.equal(await policyOf(key.KeyId!), defaultPolicy(ACCOUNT));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId }));
    assert.equal(await policyOf(key.KeyId!), defaultPolicy(ACCOUNT));
    const external = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!;
    assert.equal(await policyOf(external.KeyId!), defaultPolicy(ACCOUNT));
  });

  test('takes a key ID or key ARN only', async () => {
    const id = '134f2428-cec1-4b25-a1ae-9048164dba47';
    await expectError(kms.send(new GetKeyPolicyCommand({ KeyId: id })), 'NotFoundException', `Key 'arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}' does not exist`);
    // AWS's answer for an alias name here is unrecorded; it is not a key ID (spec §1.8).
    await expectError(kms.send(new GetKeyPolicyCommand({ KeyId: 'alias/x' })), 'NotFoundException', "Invalid keyId 'alias/x'");
  });
});

describe('PutKeyPolicy', () => {
  test('the document comes back from GetKeyPolicy byte for byte; the response is empty', async () => {
    const key = await newKey();
    const out = await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: CUSTOM_POLICY }));
    assert.deepEqual(withoutMetadata(out), {});
    assert.equal(await policyOf(key.KeyId!), CUSTOM_POLICY);
    const compact = CUSTOM_POLICY.replace(/\s+/g, ' ');
    await kms.send(new PutKeyPolicyCommand({ KeyId: key.Arn, PolicyName: 'default', Policy: compact }));
    assert.equal(await policyOf(key.KeyId!), compact);
  });

  test('a policy given to CreateKey is kept byte for byte too', async () => {
    const key = await newKey(kms, CUSTOM_POLICY);
    assert.equal(await policyOf(key.KeyId!), CUSTOM_POLICY);
  });

  test('a document that is not JSON is MalformedPolicyDocumentException and the old policy is kept', async () => {
    const key = await newKey();
    await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: CUSTOM_POLICY }));
    for (const bad of ['{"Version": "2012-10-17",', 'not json', CUSTOM_POLICY.slice(0, -5)]) {
      await expectError(kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: bad })), 'MalformedPolicyDocumentException', 'The new key policy is not valid JSON.');
    }
    assert.equal(await policyOf(key.KeyId!), CUSTOM_POLICY);
  });

  test('a document over the 32768-byte quota is MalformedPolicyDocumentException; one at the quota is kept', async () => {
    const key = await newKey();
    // Padding inside the JSON: whitespace counts toward the size (the quota is on the document as sent).
    const padded = (bytes: number) => `${defaultPolicy(ACCOUNT).slice(0, -1)}${' '.repeat(bytes - defaultPolicy(ACCOUNT).length)}}`;
    await expectError(
      kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: padded(32769) })),
      'MalformedPolicyDocumentException',
      'The key policy exceeds the maximum size of 32768 bytes.',
    );
    await expectError(kms.send(new CreateKeyCommand({ Policy: padded(32769) })), 'MalformedPolicyDocumentException', 'The key policy exceeds the maximum size of 32768 bytes.');
    await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: padded(32768) }));
    assert.equal((await policyOf(key.KeyId!)).length, 32768);
  });

  test('a character above U+00FF breaks the model pattern of PolicyType', async () => {
    const key = await newKey();
    const policy = '{"Id":"snow ☃"}';
    await expectError(
      kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: policy })),
      'ValidationException',
      `1 validation error detected: Value '${policy}' at 'policy' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+`,
    );
    assert.equal(await policyOf(key.KeyId!), defaultPolicy(ACCOUNT));
  });

  test('any policy name other than "default" does not exist and nothing is stored', async () => {
    const key = await newKey();
    // Same rule as GetKeyPolicy: the only valid name is "default" (model doc); AWS's error is unrecorded.
    await expectError(kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'foo', Policy: CUSTOM_POLICY })), 'NotFoundException', 'No such policy exists: foo');
    assert.equal(await policyOf(key.KeyId!), defaultPolicy(ACCOUNT));
  });

  test('works on Disabled and pending-deletion keys', async () => {
    const key = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: CUSTOM_POLICY }));
    assert.equal(await policyOf(key.KeyId!), CUSTOM_POLICY);
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId }));
    await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: defaultPolicy(ACCOUNT) }));
    assert.equal(await policyOf(key.KeyId!), defaultPolicy(ACCOUNT));
  });
});

describe('ListKeyPolicies', () => {
  test('lists the single policy "default", never truncated', async () => {
    const key = await newKey();
    const out = await kms.send(new ListKeyPoliciesCommand({ KeyId: key.KeyId }));
    assert.deepEqual(withoutMetadata(out), { PolicyNames: ['default'], Truncated: false });
    const limited = await kms.send(new ListKeyPoliciesCommand({ KeyId: key.Arn, Limit: 1 }));
    assert.deepEqual(withoutMetadata(limited), { PolicyNames: ['default'], Truncated: false });
  });

  test('works on a key pending deletion', async () => {
    const key = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId }));
    assert.deepEqual((await kms.send(new ListKeyPoliciesCommand({ KeyId: key.KeyId }))).PolicyNames, ['default']);
  });

  test('no marker is valid, since the listing is never truncated', async () => {
    const key = await newKey();
    await expectError(kms.send(new ListKeyPoliciesCommand({ KeyId: key.KeyId, Marker: 'bogus' })), 'InvalidMarkerException', 'Invalid marker');
  });
});
