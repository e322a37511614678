// The AWS Encryption SDK for JavaScript (@aws-crypto/client-node) against Trent: KmsKeyringNode calls
// GenerateDataKey to encrypt a message and Decrypt to open it, with an encryption context, as an
// application would against AWS KMS.
import { KMS } from '@aws-sdk/client-kms';
import { buildClient, CommitmentPolicy, getClient, KmsKeyringNode } from '@aws-crypto/client-node';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ACCOUNT, REGION, startTestServer } from '../helpers/server.ts';

const t = await startTestServer();
const kms = t.client();
after(() => t.close());

const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
// getClient with the aggregated KMS class (the keyring calls kms.generateDataKey / kms.decrypt methods).
const clientProvider = getClient(KMS, {
  endpoint: t.url,
  region: REGION,
  credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'test-secret' },
  maxAttempts: 1,
});

describe('AWS Encryption SDK', () => {
  test('KmsKeyringNode encrypts and decrypts a message through Trent', async () => {
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const keyring = new KmsKeyringNode({ generatorKeyId: key.Arn, clientProvider });
    const context = { stage: 'test', purpose: 'interop' };
    const message = Buffer.from('a message for the Encryption SDK');
    const { result } = await encrypt(keyring, message, { encryptionContext: context });
    assert.ok(!result.includes(message), 'the message is encrypted');
    const opened = await decrypt(new KmsKeyringNode({ keyIds: [key.Arn!], clientProvider }), result);
    assert.deepEqual(opened.plaintext, message);
    assert.equal(opened.messageHeader.encryptionContext.stage, 'test');
    assert.equal(opened.messageHeader.encryptionContext.purpose, 'interop');
    const [edk] = opened.messageHeader.encryptedDataKeys;
    assert.equal(edk!.providerId, 'aws-kms');
    assert.equal(edk!.providerInfo, key.Arn);
  });

  test('a keyring for another key cannot decrypt it', async () => {
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const { result } = await encrypt(new KmsKeyringNode({ generatorKeyId: key.Arn, clientProvider }), Buffer.from('x'));
    await assert.rejects(decrypt(new KmsKeyringNode({ keyIds: [other.Arn!], clientProvider }), result));
  });
});
