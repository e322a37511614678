// The built server with the repository's example seed, seen through the AWS CLI, and moved through its admin
// routes with curl: what a developer does in a terminal after reading the README.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { spawnTrent, type RunningCli } from '../helpers/cli.ts';
import { clientEnv, run } from '../helpers/second-clients.ts';

let server: RunningCli;
before(async () => {
  server = await spawnTrent(['--port', '0', '--data-dir', ':memory:', '--seed', 'seed/seed.yaml', '--log', 'silent']);
});
after(() => server.kill());

const env = clientEnv({ accessKeyId: '111122223333', secretAccessKey: 'cli-secret' }, 'us-east-1');
const aws = async (...args: string[]) => JSON.parse((await run('aws', ['--endpoint-url', server.url, '--output', 'json', 'kms', ...args], { env })).stdout);
const curl = async (...args: string[]) => JSON.parse((await run('curl', ['-s', '--fail-with-body', ...args])).stdout);

describe('the example seed through the AWS CLI and curl', () => {
  test('the seeded keys, aliases and rotation are there; a clock move rotates; a reset brings the seed back', async () => {
    const app = (await aws('describe-key', '--key-id', 'alias/app')).KeyMetadata;
    assert.equal(app.KeyId, '1234abcd-12ab-34cd-56ef-1234567890ab');
    assert.equal(app.Description, 'application data key');
    const aliases = (await aws('list-aliases')).Aliases.map((a: { AliasName: string }) => a.AliasName);
    assert.deepEqual(aliases, ['alias/app', 'alias/signing']);
    assert.deepEqual(await aws('list-resource-tags', '--key-id', app.KeyId), { Tags: [{ TagKey: 'env', TagValue: 'dev' }, { TagKey: 'team', TagValue: 'blue' }] });
    const rotation = await aws('get-key-rotation-status', '--key-id', app.KeyId);
    assert.equal(rotation.KeyRotationEnabled, true);
    assert.equal(rotation.RotationPeriodInDays, 365);
    const west = JSON.parse((await run('aws', ['--endpoint-url', server.url, '--output', 'json', '--region', 'eu-west-1', 'kms', 'describe-key', '--key-id', 'mrk-1234abcd12ab34cd56ef1234567890ab'], { env })).stdout);
    assert.equal(west.KeyMetadata.MultiRegionConfiguration.MultiRegionKeyType, 'REPLICA');

    // A year later the seeded key has rotated once, as its 365-day period says.
    const moved = await curl('-X', 'POST', `${server.url}/_trent/clock`, '-d', '{"advanceSeconds": 31536000}');
    assert.deepEqual(moved.swept, { settled: 0, deleted: 0, rotated: 1, expired: 0 });
    const rotations = (await aws('list-key-rotations', '--key-id', app.KeyId)).Rotations;
    assert.deepEqual(rotations.map((r: { RotationType: string }) => r.RotationType), ['AUTOMATIC']);

    await aws('create-key', '--description', 'made later');
    assert.deepEqual(await curl('-X', 'POST', `${server.url}/_trent/reset`), {});
    assert.deepEqual((await aws('list-keys')).Keys.map((k: { KeyId: string }) => k.KeyId), [
      '1234abcd-12ab-34cd-56ef-1234567890ab',
      '0b7a0d1c-5e2f-4a6b-9c8d-7e6f5a4b3c2d',
      'mrk-1234abcd12ab34cd56ef1234567890ab',
    ]);
    assert.deepEqual((await aws('list-key-rotations', '--key-id', app.KeyId)).Rotations, []);
    assert.equal((await curl(`${server.url}/_trent/clock`)).offsetSeconds, 0);
  });
});
