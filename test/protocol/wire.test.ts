// AWS JSON 1.1 on the wire, below the SDK: status codes, headers, exact error bodies, body decoding and
// size limits, unknown and not-yet-built operations. Requests are signed by @smithy/signature-v4 against a
// server that verifies signatures.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { ENUMS } from '../../src/model/kms.generated.ts';
import { ACCOUNT, REGION, startTestServer, type TestServer } from '../helpers/server.ts';
import { assertErrorResponse, JSON_CONTENT_TYPE, rawRequest, UUID_RE, type RawCredentials } from '../helpers/signed-fetch.ts';

const ALICE: RawCredentials = { accessKeyId: 'AKIDWIRE', secretAccessKey: 'wire-secret' };
// A second account that never creates anything, so its listings are exactly empty.
const EMPTY: RawCredentials = { accessKeyId: 'AKIDEMPTY', secretAccessKey: 'empty-secret' };
const EMPTY_ACCOUNT = '999988887777';

let t: TestServer;
before(async () => {
  t = await startTestServer({
    credentials: [
      // Wire tests are not about permissions: the user may do anything KMS offers.
      { ...ALICE, principalArn: `arn:aws:iam::${ACCOUNT}:user/wire`, policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] }] },
      { ...EMPTY, accountId: EMPTY_ACCOUNT, principalArn: `arn:aws:iam::${EMPTY_ACCOUNT}:root` },
    ],
  });
});
after(() => t.close());

const call = (op: string, body: unknown, creds: RawCredentials = ALICE) =>
  rawRequest(t.url, { target: `TrentService.${op}`, body: typeof body === 'string' ? body : JSON.stringify(body), creds });

function assertOk(res: { status: number; headers: Headers; text: string }): void {
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers.get('content-type'), JSON_CONTENT_TYPE);
  assert.match(res.headers.get('x-amzn-requestid') ?? '', UUID_RE);
}

const createKey = async (body: unknown = {}) => {
  const res = await call('CreateKey', body);
  assertOk(res);
  return (JSON.parse(res.text) as { KeyMetadata: { KeyId: string; Arn: string } }).KeyMetadata;
};

describe('successful responses', () => {
  test('CreateKey: 200, JSON content type, a UUID request id, epoch-second CreationDate', async () => {
    const before = t.clock.now();
    const res = await call('CreateKey', { Description: 'wire' });
    assertOk(res);
    const md = JSON.parse(res.text).KeyMetadata;
    assert.equal(md.AWSAccountId, ACCOUNT);
    assert.equal(md.Arn, `arn:aws:kms:${REGION}:${ACCOUNT}:key/${md.KeyId}`);
    // Timestamps are JSON numbers of epoch seconds (spec §4.1), not strings.
    assert.equal(md.CreationDate, before / 1000);
    assert.equal(md.Description, 'wire');
  });

  test('every response gets its own request id', async () => {
    const a = await call('ListKeys', {}, EMPTY);
    const b = await call('ListKeys', {}, EMPTY);
    assert.notEqual(a.headers.get('x-amzn-requestid'), b.headers.get('x-amzn-requestid'));
  });

  test('an empty body on ListKeys means {} (Smithy awsJson1_1) and answers 200', async () => {
    const res = await call('ListKeys', '', EMPTY);
    assertOk(res);
    assert.equal(res.text, '{"Keys":[],"Truncated":false}');
  });

  test('JSON null as the whole body is also taken as {}', async () => {
    const res = await call('ListKeys', 'null', EMPTY);
    assertOk(res);
    assert.equal(res.text, '{"Keys":[],"Truncated":false}');
  });

  test('unknown members are ignored', async () => {
    const res = await call('ListKeys', { Nope: 1, Limit: 5 }, EMPTY);
    assertOk(res);
    assert.equal(res.text, '{"Keys":[],"Truncated":false}');
  });

  test('an operation without output (TagResource) answers 200 with an empty body', async () => {
    const key = await createKey();
    const res = await call('TagResource', { KeyId: key.KeyId, Tags: [{ TagKey: 'a', TagValue: 'b' }] });
    assertOk(res);
    assert.equal(res.headers.get('content-length'), '0');
    assert.equal(res.text, '');
  });
});

describe('target header', () => {
  test('an unknown operation is a 400 UnknownOperationException', async () => {
    const res = await rawRequest(t.url, { target: 'TrentService.Nope', body: '{}', creds: ALICE });
    // AWS sends only {"__type":"UnknownOperationException"} (spec §4.3, observed on another JSON 1.1 service);
    // Trent adds a message naming what was sent, and every error body has the same two members.
    assertErrorResponse(res, 400, 'UnknownOperationException', 'Unknown operation TrentService.Nope');
  });

  test('a known operation under another service prefix is unknown too', async () => {
    const res = await rawRequest(t.url, { target: 'DynamoDB_20120810.ListKeys', body: '{}', creds: ALICE });
    assertErrorResponse(res, 400, 'UnknownOperationException', 'Unknown operation DynamoDB_20120810.ListKeys');
  });

  test('a missing X-Amz-Target is a 400 UnknownOperationException', async () => {
    const res = await rawRequest(t.url, { target: undefined, body: '{}', creds: ALICE });
    assertErrorResponse(res, 400, 'UnknownOperationException', 'Missing X-Amz-Target header');
  });

  test('the target is checked before authentication', async () => {
    const res = await rawRequest(t.url, { target: 'TrentService.Nope', body: '{}' });
    assertErrorResponse(res, 400, 'UnknownOperationException', 'Unknown operation TrentService.Nope');
  });

  test('an operation of the model that Trent has not built yet is UnsupportedOperationException', async () => {
    const res = await call('DescribeCustomKeyStores', '{}');
    assertErrorResponse(res, 400, 'UnsupportedOperationException', 'DescribeCustomKeyStores is not supported by Trent yet.');
  });

  test('a not-yet-built operation still validates its input first', async () => {
    const res = await call('Encrypt', '{"Plaintext":"aGk="}');
    assertErrorResponse(
      res,
      400,
      'ValidationException',
      "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
    );
  });
});

describe('body decoding', () => {
  test('malformed JSON is a SerializationException', async () => {
    const res = await call('ListKeys', '{"Limit":');
    // AWS's text for malformed JSON is unrecorded; this message is Trent's own.
    assertErrorResponse(res, 400, 'SerializationException', 'Malformed JSON in request body');
  });

  test('a JSON array where the request object is expected is a SerializationException', async () => {
    const res = await call('ListKeys', '[]');
    // Coral's wording as measured on another awsJson1.1 service (src/protocol/validation-messages.ts).
    assertErrorResponse(res, 400, 'SerializationException', 'Start of list found where not expected');
  });

  test('a JSON string where the request object is expected is a SerializationException with no message', async () => {
    const res = await call('DescribeKey', '"abc"');
    // A top-level scalar: Coral answers a bare SerializationException (validation-messages.ts notAnObject).
    assertErrorResponse(res, 400, 'SerializationException', '');
  });

  test('a number where a string is expected is a SerializationException', async () => {
    const res = await call('DescribeKey', '{"KeyId": 5}');
    assertErrorResponse(res, 400, 'SerializationException', 'NUMBER_VALUE can not be converted to a String');
  });

  test('an object where a list is expected is a SerializationException', async () => {
    const key = await createKey();
    const res = await call('TagResource', { KeyId: key.KeyId, Tags: { TagKey: 'a', TagValue: 'b' } });
    assertErrorResponse(res, 400, 'SerializationException', 'Start of structure or map found where not expected.');
  });

  test('a string where an integer is expected is a SerializationException', async () => {
    const res = await call('ListKeys', { Limit: '5' });
    assertErrorResponse(res, 400, 'SerializationException', 'STRING_VALUE can not be converted to an Integer');
  });

  test('several validation failures are joined into one ValidationException', async () => {
    const res = await call('CreateKey', { KeySpec: 'NOPE_SPEC', KeyUsage: 'NOPE_USAGE' });
    // Members are reported in model order: CreateKeyRequest lists KeyUsage before KeySpec.
    assertErrorResponse(
      res,
      400,
      'ValidationException',
      '2 validation errors detected: ' +
        `Value 'NOPE_USAGE' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: [${ENUMS.KeyUsageType!.join(', ')}]; ` +
        `Value 'NOPE_SPEC' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [${ENUMS.KeySpec!.join(', ')}]`,
    );
  });

  test('one validation failure is singular', async () => {
    const res = await call('ListKeys', { Limit: 0 });
    assertErrorResponse(
      res,
      400,
      'ValidationException',
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });
});

describe('body size limit', () => {
  let small: TestServer;
  before(async () => {
    small = await startTestServer({
      credentials: [{ ...ALICE, accountId: ACCOUNT, principalArn: `arn:aws:iam::${ACCOUNT}:root` }],
      config: { maxBodyBytes: 1000 },
    });
  });
  after(() => small.close());

  // A CreateKey body of exactly `n` bytes: {"Description":"ddd…"} (Description may hold up to 8192 characters).
  const bodyOf = (n: number) => `{"Description":"${'d'.repeat(n - 18)}"}`;

  test('a body of exactly the limit is read', async () => {
    const body = bodyOf(1000);
    assert.equal(body.length, 1000);
    const res = await rawRequest(small.url, { target: 'TrentService.CreateKey', body, creds: ALICE });
    assertOk(res);
  });

  test('a body one byte over the limit is a 400 RequestEntityTooLargeException', async () => {
    const body = bodyOf(1001);
    assert.equal(body.length, 1001);
    const res = await rawRequest(small.url, { target: 'TrentService.CreateKey', body, creds: ALICE });
    assertErrorResponse(res, 400, 'RequestEntityTooLargeException', 'Request body is larger than the limit of 1000 bytes.');
  });

  test('a declared Content-Length over the limit is refused before the body arrives', { timeout: 5000 }, async () => {
    // Only 10 of the 1001 declared bytes are ever sent: the answer can come from the header alone.
    const { hostname, port } = new URL(small.url);
    const res = await new Promise<{ status: number; headers: Headers; text: string }>((resolve, reject) => {
      const req = httpRequest(
        { hostname, port, method: 'POST', path: '/', headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amz-target': 'TrentService.CreateKey', 'content-length': '1001' } },
        (r) => {
          let text = '';
          r.setEncoding('utf8');
          r.on('data', (c: string) => (text += c));
          r.on('end', () => {
            req.destroy();
            const headers = new Headers();
            for (const [k, v] of Object.entries(r.headers)) if (typeof v === 'string') headers.set(k, v);
            resolve({ status: r.statusCode!, headers, text });
          });
        },
      );
      req.on('error', reject);
      req.write('{"Descript');
    });
    assertErrorResponse(res, 400, 'RequestEntityTooLargeException', 'Request body is larger than the limit of 1000 bytes.');
  });

  test('a chunked body (no Content-Length) over the limit is refused as it streams in', async () => {
    const res = await fetch(small.url, {
      method: 'POST',
      headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amz-target': 'TrentService.CreateKey' },
      body: new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode(bodyOf(1500)));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    assertErrorResponse(
      { status: res.status, headers: res.headers, text: await res.text() },
      400,
      'RequestEntityTooLargeException',
      'Request body is larger than the limit of 1000 bytes.',
    );
  });

  test('the default limit is 1 MiB', async () => {
    const body = `{"Description":"${'d'.repeat(1024 * 1024)}"}`;
    const res = await rawRequest(t.url, { target: 'TrentService.CreateKey', body, creds: ALICE });
    assertErrorResponse(res, 400, 'RequestEntityTooLargeException', 'Request body is larger than the limit of 1048576 bytes.');
  });
});

describe('HTTP status of modelled errors', () => {
  test('NotFoundException is 400, not the 404 of the Smithy model', async () => {
    const id = '134f2428-cec1-4b25-a1ae-9048164dba47';
    const res = await call('DescribeKey', { KeyId: id });
    assertErrorResponse(res, 400, 'NotFoundException', `Key 'arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}' does not exist`);
  });

  test('KMSInvalidStateException is 400, not the 409 of the Smithy model', async () => {
    const key = await createKey();
    assertOk(await call('ScheduleKeyDeletion', { KeyId: key.KeyId, PendingWindowInDays: 7 }));
    const res = await call('DisableKey', { KeyId: key.KeyId });
    assertErrorResponse(res, 400, 'KMSInvalidStateException', `${key.Arn} is pending deletion.`);
  });

  test('AlreadyExistsException is 400, not the 409 of the Smithy model', async () => {
    const key = await createKey();
    assertOk(await call('CreateAlias', { AliasName: 'alias/wire-dup', TargetKeyId: key.KeyId }));
    const res = await call('CreateAlias', { AliasName: 'alias/wire-dup', TargetKeyId: key.KeyId });
    assertErrorResponse(res, 400, 'AlreadyExistsException', `An alias with the name arn:aws:kms:${REGION}:${ACCOUNT}:alias/wire-dup already exists`);
  });

  test('a successful output-less call leaves the effect in place', async () => {
    const key = await createKey();
    assertOk(await call('UpdateKeyDescription', { KeyId: key.KeyId, Description: 'changed' }));
    const res = await call('DescribeKey', { KeyId: key.KeyId });
    assertOk(res);
    assert.equal(JSON.parse(res.text).KeyMetadata.Description, 'changed');
  });
});
