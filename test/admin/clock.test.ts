// POST /_trent/clock moves Trent's lifecycle clock forward: scheduled deletions, automatic rotations, expiry of
// imported material, multi-Region Creating states and GetKeyLastUsage dates follow it, and what fell due is applied
// before the answer. SigV4 freshness keeps the wall clock. The offset survives a restart; a whole reset takes it back.
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyLastUsageCommand,
  GetKeyRotationStatusCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
  ReplicateKeyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { expectError } from '../helpers/expect-error.ts';
import { createExternalKey, importMaterial } from '../operations/import-helpers.ts';
import { ACCOUNT, REGION, startTestServer, type TestServer } from '../helpers/server.ts';
import { isoBasic, rawRequest } from '../helpers/signed-fetch.ts';

const DAY = 24 * 3600;
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function server(opts: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const t = await startTestServer(opts);
  dirs.push(t.dataDir);
  return t;
}

async function advance(t: TestServer, seconds: number) {
  const res = await rawRequest(t.url, { target: undefined, path: '/_trent/clock', body: JSON.stringify({ advanceSeconds: seconds }) });
  assert.equal(res.status, 200, res.text);
  return JSON.parse(res.text) as { now: string; offsetSeconds: number; swept: Record<string, number> };
}

const clock = async (t: TestServer) => JSON.parse((await rawRequest(t.url, { target: undefined, method: 'GET', path: '/_trent/clock' })).text);

describe('POST /_trent/clock', () => {
  test('a 7-day deletion is completed by moving the clock 7 days', async () => {
    const t = await server();
    try {
      const kms = t.client();
      const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      const { DeletionDate } = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
      const before = await advance(t, 7 * DAY - 60);
      assert.deepEqual(before.swept, { settled: 0, deleted: 0, rotated: 0, expired: 0 });
      assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState, 'PendingDeletion');
      const moved = await advance(t, 60);
      assert.deepEqual(moved.swept, { settled: 0, deleted: 1, rotated: 0, expired: 0 });
      assert.equal(moved.offsetSeconds, 7 * DAY);
      assert.equal(new Date(moved.now).getTime(), DeletionDate!.getTime());
      await expectError(kms.send(new DescribeKeyCommand({ KeyId: keyId })), 'NotFoundException', `Key 'arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}' does not exist`);
      assert.deepEqual((await kms.send(new ListKeysCommand({}))).Keys, []);
    } finally {
      await t.close();
    }
  });

  test('an automatic rotation falls due: a new current material, dated on the moved clock', async () => {
    const t = await server();
    try {
      const kms = t.client();
      const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      await kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
      const { NextRotationDate } = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
      const moved = await advance(t, 90 * DAY);
      assert.equal(moved.swept.rotated, 1);
      const [rotation] = (await kms.send(new ListKeyRotationsCommand({ KeyId: keyId }))).Rotations!;
      assert.equal(rotation!.RotationType, 'AUTOMATIC');
      assert.equal(rotation!.RotationDate!.getTime(), NextRotationDate!.getTime());
      const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
      assert.equal(status.NextRotationDate!.getTime(), NextRotationDate!.getTime() + 90 * DAY * 1000);
    } finally {
      await t.close();
    }
  });

  test('imported material expires at its ValidTo', async () => {
    const t = await server();
    try {
      const kms = t.client();
      const key = await createExternalKey(kms);
      const ValidTo = new Date(t.clock.now() + DAY * 1000);
      await importMaterial(kms, key.KeyId!, randomBytes(32), { extra: { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo } });
      assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!.KeyState, 'Enabled');
      assert.equal((await advance(t, 2 * DAY)).swept.expired, 1);
      assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!.KeyState, 'PendingImport');
    } finally {
      await t.close();
    }
  });

  test('a replica stays Creating until the clock passes the multi-Region delay', async () => {
    const t = await server({ config: { multiRegionDelayMs: 600_000 } });
    try {
      const kms = t.client();
      const keyId = (await kms.send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!.KeyId!;
      await kms.send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'eu-west-1' }));
      const west = t.client({ region: 'eu-west-1' });
      assert.equal((await west.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState, 'Creating');
      assert.equal((await advance(t, 600)).swept.settled, 1);
      assert.equal((await west.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState, 'Enabled');
    } finally {
      await t.close();
    }
  });

  test('creation and last-use dates follow the moved clock', async () => {
    const t = await server();
    try {
      const kms = t.client();
      const moved = await advance(t, 30 * DAY);
      const md = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      assert.equal(md.CreationDate!.getTime(), new Date(moved.now).getTime());
      await kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('x') }));
      await t.server.sweep();
      const used = await kms.send(new GetKeyLastUsageCommand({ KeyId: md.KeyId }));
      assert.equal(used.KeyLastUsage!.Timestamp!.getTime(), new Date(moved.now).getTime());
    } finally {
      await t.close();
    }
  });

  test('signatures keep the wall clock: a request signed on the moved clock is not yet current', async () => {
    const t = await server();
    try {
      const moved = await advance(t, DAY);
      // The SDK signs with the wall clock, and that still works.
      assert.deepEqual((await t.client().send(new ListKeysCommand({}))).Keys, []);
      const future = new Date(moved.now);
      const res = await rawRequest(t.url, { target: 'TrentService.ListKeys', body: '{}', creds: { accessKeyId: ACCOUNT, secretAccessKey: 'x' }, date: future });
      assert.equal(res.status, 400);
      const { __type, message } = JSON.parse(res.text);
      assert.equal(__type, 'InvalidSignatureException');
      assert.match(message, new RegExp(`^Signature not yet current: ${isoBasic(future.getTime())} is still later than \\d{8}T\\d{6}Z \\(\\d{8}T\\d{6}Z \\+ 5 min\\.\\)$`));
    } finally {
      await t.close();
    }
  });

  test('GET shows the clock; the offset survives a restart; a whole reset takes it back, a scoped one does not', async () => {
    const t = await server();
    const base = t.clock.now();
    assert.deepEqual(await clock(t), { now: new Date(base).toISOString(), offsetSeconds: 0 });
    await advance(t, 3600);
    await t.stop();
    const again = await startTestServer({ dataDir: t.dataDir });
    try {
      const shown = await clock(again);
      assert.equal(shown.offsetSeconds, 3600);
      assert.equal(again.clock.offsetMs, 3600_000);
      const scoped = await rawRequest(again.url, { target: undefined, path: '/_trent/reset', body: '{"region":"us-east-1"}' });
      assert.equal(scoped.status, 200);
      assert.equal((await clock(again)).offsetSeconds, 3600);
      assert.equal((await rawRequest(again.url, { target: undefined, path: '/_trent/reset' })).status, 200);
      assert.equal((await clock(again)).offsetSeconds, 0);
    } finally {
      await again.close();
    }
  });

  test('bad bodies get 400 and leave the clock alone', async () => {
    const t = await server();
    try {
      const usage = 'POST /_trent/clock takes {"advanceSeconds": N}, e.g. {"advanceSeconds": 604800} for 7 days';
      const range = 'advanceSeconds must be a number of seconds from 0 to 3155760000 (100 years): the clock only moves forward';
      const cases: [string, string, string][] = [
        ['', 'ValidationException', `advanceSeconds is required: ${usage}`],
        ['{}', 'ValidationException', `advanceSeconds is required: ${usage}`],
        ['not json', 'SerializationException', 'Malformed JSON in request body'],
        ['7', 'ValidationException', `the body must be a JSON object: ${usage}`],
        ['{"advanceSeconds":-1}', 'ValidationException', range],
        ['{"advanceSeconds":"60"}', 'ValidationException', range],
        ['{"advanceSeconds":1e300}', 'ValidationException', range],
        ['{"advanceSeconds":60,"days":1}', 'ValidationException', `unknown member "days": ${usage}`],
      ];
      for (const [body, type, message] of cases) {
        const res = await rawRequest(t.url, { target: undefined, path: '/_trent/clock', body });
        assert.equal(res.status, 400, body);
        assert.deepEqual(JSON.parse(res.text), { __type: type, message }, body);
      }
      assert.equal((await clock(t)).offsetSeconds, 0);
      const wrong = await rawRequest(t.url, { target: undefined, method: 'PUT', path: '/_trent/clock', body: '{}' });
      assert.equal(wrong.status, 405);
      assert.equal(wrong.headers.get('allow'), 'GET, POST');
      assert.deepEqual(JSON.parse(wrong.text), { __type: 'MethodNotAllowedException', message: '/_trent/clock takes GET or POST, not PUT' });
    } finally {
      await t.close();
    }
  });
});
