// Multi-Region keys driven by boto3 and the AWS CLI: ReplicateKey with the replica's own tags and
// description, tags never shared between Regions, and a ciphertext of one Region decrypted in another.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { clientEnv, pythonWithBoto3, run } from '../helpers/second-clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const ACCOUNT = '210987654321';
const CREDS = { accessKeyId: ACCOUNT, secretAccessKey: 'cli-secret' };

let t: TestServer;
before(async () => {
  // Replicas are Enabled as soon as they are created: these clients do not wait for Creating to end.
  t = await startTestServer({ config: { multiRegionDelayMs: 0 } });
});
after(() => t.close());

const cli = async (region: string, args: string[]) =>
  JSON.parse((await run('aws', ['--endpoint-url', t.url, '--output', 'json', 'kms', ...args], { env: clientEnv(CREDS, region) })).stdout);

describe('multi-Region keys through second clients', () => {
  test('boto3: replica with its own tags and description; cross-Region decrypt', async () => {
    const { stdout } = await run(await pythonWithBoto3(), [new URL('boto3_multi_region.py', import.meta.url).pathname, t.url]);
    const out = JSON.parse(stdout);
    assert.match(out.keyId, /^mrk-[0-9a-f]{32}$/);
    assert.deepEqual(out, {
      keyId: out.keyId,
      replicaArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${out.keyId}`,
      replicaType: 'REPLICA',
      replicaTags: [{ TagKey: 'site', TagValue: 'west' }],
      // Tags are checked before the Region: an invalid tag is reported even where a replica exists already.
      badTags: { code: 'TagException', message: 'Tags beginning with aws: are reserved' },
      westTags: [{ TagKey: 'site', TagValue: 'west' }],
      eastTags: [{ TagKey: 'site', TagValue: 'east' }],
      westDescription: 'west copy',
      decryptedInWest: 'from east',
    });
  });

  test('AWS CLI: create-key --multi-region, replicate-key --tags, list-resource-tags and describe-key in the replica Region', async () => {
    const key = (await cli('us-east-1', ['create-key', '--multi-region'])).KeyMetadata;
    const replica = await cli('us-east-1', [
      'replicate-key', '--key-id', key.KeyId, '--replica-region', 'ap-southeast-2', '--tags', 'TagKey=env,TagValue=dr',
    ]);
    assert.equal(replica.ReplicaKeyMetadata.Arn, `arn:aws:kms:ap-southeast-2:${ACCOUNT}:key/${key.KeyId}`);
    assert.deepEqual(replica.ReplicaTags, [{ TagKey: 'env', TagValue: 'dr' }]);
    assert.deepEqual((await cli('ap-southeast-2', ['list-resource-tags', '--key-id', key.KeyId])).Tags, [{ TagKey: 'env', TagValue: 'dr' }]);
    assert.deepEqual((await cli('us-east-1', ['list-resource-tags', '--key-id', key.KeyId])).Tags, []);
    const primary = (await cli('us-east-1', ['describe-key', '--key-id', key.KeyId])).KeyMetadata;
    assert.deepEqual(primary.MultiRegionConfiguration, {
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: key.Arn, Region: 'us-east-1' },
      ReplicaKeys: [{ Arn: replica.ReplicaKeyMetadata.Arn, Region: 'ap-southeast-2' }],
    });
    assert.equal((await cli('ap-southeast-2', ['describe-key', '--key-id', key.KeyId])).KeyMetadata.KeyState, 'Enabled');
  });
});
