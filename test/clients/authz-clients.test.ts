// Authorization driven by boto3 and the AWS CLI against a server with principals: signatures are verified,
// the key policy delegates to IAM, and an identity policy allows kms:* only on keys tagged with the
// caller's team (aws:ResourceTag/team = ${aws:PrincipalTag/team}), so tagging grants and untagging revokes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateKeyCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-kms';
import { clientEnv, pythonWithBoto3, run } from '../helpers/second-clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
// boto3_authz.py derives each secret as `<access key id>-secret`.
const key = (accessKeyId: string) => ({ accessKeyId, secretAccessKey: `${accessKeyId}-secret` });
const ROOT = key('AKIAROOT0000000000001');
const ALICE = key('AKIAALICE000000000001');
const BOB = key('AKIABOB00000000000001');

const TEAM_KEYS_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'kms:*',
      Resource: `arn:aws:kms:*:${ACCOUNT}:key/*`,
      Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } },
    },
  ],
};

const PRINCIPALS = [
  { arn: `arn:aws:iam::${ACCOUNT}:root`, accessKeys: [ROOT] },
  { arn: `arn:aws:iam::${ACCOUNT}:user/alice`, tags: { team: 'blue' }, policies: [TEAM_KEYS_POLICY], accessKeys: [ALICE] },
  { arn: `arn:aws:iam::${ACCOUNT}:user/bob`, accessKeys: [BOB] },
];

/** AWS's AccessDeniedException text when the key policy delegates to IAM and no IAM policy allows. */
const noIdentityPolicy = (user: string, action: string, arn: string) =>
  `User: arn:aws:iam::${ACCOUNT}:user/${user} is not authorized to perform: ${action} on resource: ${arn} because no identity-based policy allows the ${action} action`;

const cliEnv = (creds: { accessKeyId: string; secretAccessKey: string }) => clientEnv(creds, REGION);

let t: TestServer;
before(async () => {
  t = await startTestServer({ principals: PRINCIPALS });
});
after(() => t.close());

describe('authorization through second clients', () => {
  test('boto3: allowed user, user without permission, and ABAC by tag', async () => {
    const { stdout } = await run(await pythonWithBoto3(), [new URL('boto3_authz.py', import.meta.url).pathname, t.url], { env: cliEnv(ROOT) });
    const out = JSON.parse(stdout);
    const arn: string = out.arn;
    assert.match(arn, new RegExp(`^arn:aws:kms:${REGION}:${ACCOUNT}:key/[0-9a-f-]{36}$`));
    const denied = (user: string) => ({ code: 'AccessDeniedException', message: noIdentityPolicy(user, 'kms:Encrypt', arn), status: 400 });
    assert.deepEqual(out, {
      arn,
      aliceTagged: { ok: arn },
      bob: denied('bob'),
      aliceUntagged: denied('alice'),
      aliceRetagged: { ok: arn },
      aliceOtherTeam: denied('alice'),
    });
  });

  test('AWS CLI: allowed user, user without permission, and ABAC by tag', async () => {
    const admin = t.client({ ...ROOT, region: REGION });
    const { KeyMetadata } = await admin.send(new CreateKeyCommand({ Description: 'authz from the CLI test', Tags: [{ TagKey: 'team', TagValue: 'blue' }] }));
    const arn = KeyMetadata!.Arn!;
    const dir = mkdtempSync(join(tmpdir(), 'trent-cli-authz-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'plain'), 'abac through the CLI');
    // fileb:// passes raw bytes the same way in CLI v1 and v2.
    const encrypt = (creds: typeof ALICE) =>
      run('aws', ['--endpoint-url', t.url, '--output', 'json', 'kms', 'encrypt', '--key-id', arn, '--plaintext', `fileb://${join(dir, 'plain')}`], {
        env: cliEnv(creds),
      }).then(
        ({ stdout }) => ({ keyId: JSON.parse(stdout).KeyId as string }),
        // CLI v1 exits 255 on a service error, v2 254: only the failure itself is pinned.
        (e: { code: number; stderr: string }) => ({ failed: e.code !== 0, stderr: e.stderr.trim() }),
      );
    const cliDenied = (user: string) => ({
      failed: true,
      stderr: `An error occurred (AccessDeniedException) when calling the Encrypt operation: ${noIdentityPolicy(user, 'kms:Encrypt', arn)}`,
    });

    const [alice, bob] = await Promise.all([encrypt(ALICE), encrypt(BOB)]);
    assert.deepEqual(alice, { keyId: arn });
    assert.deepEqual(bob, cliDenied('bob'));

    await admin.send(new UntagResourceCommand({ KeyId: arn, TagKeys: ['team'] }));
    assert.deepEqual(await encrypt(ALICE), cliDenied('alice'));
    await admin.send(new TagResourceCommand({ KeyId: arn, Tags: [{ TagKey: 'team', TagValue: 'blue' }] }));
    assert.deepEqual(await encrypt(ALICE), { keyId: arn });
  });
});
