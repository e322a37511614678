// Who may use /_trent/*. In local-development mode, whoever reaches the loopback port. With credentials configured,
// only requests SigV4-signed by a principal marked "admin": true; everyone else gets 403 with an AWS-style error and
// nothing changes. The health check stays open, for orchestrators that cannot sign. curl's own SigV4 signing is
// the second client.
import { CreateKeyCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { after, describe, test } from 'node:test';
import { SIGNATURE_MISMATCH } from '../../src/protocol/sigv4.ts';
import { ACCOUNT_A, user, type PolicyDoc } from '../helpers/principals.ts';
import { REGION, startTestServer, type TestServer } from '../helpers/server.ts';
import { rawRequest, type RawCredentials } from '../helpers/signed-fetch.ts';

const ADMIN_ARN = `arn:aws:iam::${ACCOUNT_A}:user/ops`;
const ADMIN = { accessKeyId: 'AKIAOPS0000000000001', secretAccessKey: 'ops-secret' };
const ALL_KMS: PolicyDoc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };
const alice = user(ACCOUNT_A, 'alice', { policies: [ALL_KMS] });
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function server(): Promise<TestServer> {
  const t = await startTestServer({
    principals: [{ arn: ADMIN_ARN, admin: true, policies: [ALL_KMS], accessKeys: [ADMIN] }, alice.config],
    config: { rootKey: Buffer.alloc(32, 5).toString('base64') },
  });
  dirs.push(t.dataDir);
  return t;
}

const call = (t: TestServer, method: string, path: string, creds?: RawCredentials, body = '') =>
  rawRequest(t.url, { target: undefined, method, path, body, ...(creds ? { creds } : {}) });

const kmsAs = (t: TestServer, creds: RawCredentials) =>
  new KMSClient({ endpoint: t.url, region: REGION, credentials: creds, maxAttempts: 1 });

describe('admin routes with credentials configured', () => {
  test('unsigned, badly signed, unknown and non-admin callers get 403 and change nothing', async () => {
    const t = await server();
    const kms = kmsAs(t, ADMIN);
    try {
      const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      const refusals: [RawCredentials | undefined, string, string][] = [
        [undefined, 'MissingAuthenticationTokenException', 'Request is missing Authentication Token'],
        [{ ...ADMIN, secretAccessKey: 'wrong' }, 'InvalidSignatureException', SIGNATURE_MISMATCH],
        [{ accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' }, 'UnrecognizedClientException', 'The security token included in the request is invalid.'],
        [
          alice.creds,
          'AccessDeniedException',
          `User: ${alice.callerArn} is not authorized to call POST /_trent/reset: Trent's admin routes need a principal marked "admin": true in the configuration`,
        ],
      ];
      for (const [creds, type, message] of refusals) {
        const res = await call(t, 'POST', '/_trent/reset', creds);
        assert.equal(res.status, 403, type);
        assert.equal(res.headers.get('content-type'), 'application/json');
        assert.deepEqual(JSON.parse(res.text), { __type: type, message });
      }
      const moved = await call(t, 'POST', '/_trent/clock', alice.creds, '{"advanceSeconds":60}');
      assert.equal(moved.status, 403);
      assert.deepEqual((await kms.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId), [keyId]);
      assert.equal(JSON.parse((await call(t, 'GET', '/_trent/clock', ADMIN)).text).offsetSeconds, 0);
    } finally {
      kms.destroy();
      await t.close();
    }
  });

  test('a principal marked admin may reset and move the clock', async () => {
    const t = await server();
    const kms = kmsAs(t, ADMIN);
    try {
      await kms.send(new CreateKeyCommand({}));
      const reset = await call(t, 'POST', '/_trent/reset', ADMIN);
      assert.equal(reset.status, 200);
      assert.deepEqual((await kms.send(new ListKeysCommand({}))).Keys, []);
      const moved = await call(t, 'POST', '/_trent/clock', ADMIN, '{"advanceSeconds":60}');
      assert.equal(moved.status, 200);
      assert.equal(JSON.parse(moved.text).offsetSeconds, 60);
    } finally {
      kms.destroy();
      await t.close();
    }
  });

  test('the health check answers anyone, signed or not', async () => {
    const t = await server();
    try {
      for (const creds of [undefined, alice.creds, ADMIN]) {
        const res = await call(t, 'GET', '/_trent/health', creds);
        assert.equal(res.status, 200);
        assert.deepEqual(Object.keys(JSON.parse(res.text)), ['status', 'version', 'store']);
        assert.equal(JSON.parse(res.text).status, 'ok');
      }
    } finally {
      await t.close();
    }
  });

  test('curl signs admin requests with --aws-sigv4 "aws:amz:<region>:kms"', async () => {
    const t = await server();
    const run = promisify(execFile);
    try {
      const curl = (user: string, ...args: string[]) =>
        run('curl', ['-s', '-w', '\n%{http_code}', '--aws-sigv4', `aws:amz:${REGION}:kms`, '--user', user, ...args]);
      const ok = await curl(`${ADMIN.accessKeyId}:${ADMIN.secretAccessKey}`, '-X', 'POST', `${t.url}/_trent/clock`, '-H', 'content-type: application/json', '-d', '{"advanceSeconds":120}');
      const [body, status] = ok.stdout.split('\n');
      assert.equal(status, '200');
      assert.equal(JSON.parse(body!).offsetSeconds, 120);
      const denied = await curl(`${alice.creds.accessKeyId}:${alice.creds.secretAccessKey}`, '-X', 'POST', `${t.url}/_trent/reset`);
      assert.equal(denied.stdout.split('\n')[1], '403');
    } finally {
      await t.close();
    }
  });
});

describe('admin routes in local-development mode', () => {
  test('anyone on the loopback port may call them, unsigned', async () => {
    const t = await startTestServer();
    dirs.push(t.dataDir);
    try {
      await t.client().send(new CreateKeyCommand({}));
      assert.equal((await call(t, 'POST', '/_trent/reset')).status, 200);
      assert.deepEqual((await t.client().send(new ListKeysCommand({}))).Keys, []);
      assert.deepEqual(JSON.parse((await call(t, 'GET', '/_trent/health')).text), { status: 'ok', version: '0.1.0', store: 'sqlite' });
    } finally {
      await t.close();
    }
  });

  test('an unknown admin path gets 404 naming the routes; the KMS pipeline is not reached', async () => {
    const t = await startTestServer();
    dirs.push(t.dataDir);
    try {
      const res = await rawRequest(t.url, { target: 'TrentService.ListKeys', path: '/_trent/keys', body: '{}' });
      assert.equal(res.status, 404);
      assert.deepEqual(JSON.parse(res.text), {
        __type: 'ResourceNotFoundException',
        message: 'No admin route /_trent/keys. Routes: GET /_trent/health, POST /_trent/reset, GET|POST /_trent/clock',
      });
    } finally {
      await t.close();
    }
  });
});
