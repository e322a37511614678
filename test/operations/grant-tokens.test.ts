// GrantTokens on other operations: a token CreateGrant issued is accepted (Trent's grants need no
// eventual consistency, so it adds nothing), anything else is InvalidGrantTokenException.
import { CreateGrantCommand, CreateKeyCommand, DescribeKeyCommand, EncryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { ACCOUNT, startTestServer } from '../helpers/server.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
const { GrantToken } = await kms.send(
  new CreateGrantCommand({ KeyId: key.KeyId!, GranteePrincipal: `arn:aws:iam::${ACCOUNT}:role/app`, Operations: ['Encrypt'] }),
);

test('a token CreateGrant issued is accepted', async () => {
  const out = await kms.send(new EncryptCommand({ KeyId: key.KeyId!, Plaintext: Buffer.from('x'), GrantTokens: [GrantToken!] }));
  assert.equal(out.KeyId, key.Arn);
});

test('a token Trent did not issue is InvalidGrantTokenException, before the key is looked up', async () => {
  await expectError(
    kms.send(new EncryptCommand({ KeyId: key.KeyId!, Plaintext: Buffer.from('x'), GrantTokens: [GrantToken!, 'not-a-token'] })),
    'InvalidGrantTokenException',
    'Invalid grant token.',
  );
  await expectError(
    kms.send(new GenerateDataKeyCommand({ KeyId: 'alias/none', KeySpec: 'AES_256', GrantTokens: ['AQpAM2Rh'] })),
    'InvalidGrantTokenException',
    'Invalid grant token.',
  );
});

test('DescribeKey takes GrantTokens but its model declares no InvalidGrantTokenException: tokens are not read', async () => {
  // Chosen: an operation is not made to answer an error type its model does not list.
  const out = await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId!, GrantTokens: ['not-a-token'] }));
  assert.equal(out.KeyMetadata!.Arn, key.Arn);
});
