// SigV4 verifier against an independent signer (@smithy/signature-v4, as the AWS SDK v3 uses it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { KmsError, type KmsErrorType } from '../../src/errors.ts';
import {
  createAuthenticator,
  INVALID_TOKEN,
  SIGNATURE_MISMATCH,
  type SignedRequest,
} from '../../src/protocol/sigv4.ts';
import { callerFromArn, rootCaller } from '../../src/iam/principal.ts';
import type { CredentialEntry } from '../../src/iam/principals-config.ts';

const NOW = Date.UTC(2024, 0, 1, 0, 15, 0); // 20240101T001500Z
const MIN = 60_000;
const HOST = 'kms.us-east-1.amazonaws.com';

const alice: CredentialEntry = {
  accessKeyId: 'AKIAALICEEXAMPLE0001',
  secretAccessKey: 'alice/secret+KEY0123456789abcdefghijklm',
  caller: callerFromArn('arn:aws:iam::111122223333:user/alice', { accessKeyId: 'AKIAALICEEXAMPLE0001' }),
};
const bob: CredentialEntry = {
  accessKeyId: 'ASIABOBEXAMPLE000002',
  secretAccessKey: 'bobSecretKey0123456789abcdefghijklmnopq',
  sessionToken: 'FwoGZXIvYXdzEBob//session+token==',
  caller: callerFromArn('arn:aws:sts::444455556666:assumed-role/Dev/bob', { accessKeyId: 'ASIABOBEXAMPLE000002' }),
};
const auth = createAuthenticator({ credentials: [alice, bob], defaultAccount: '000000000000' });
const local = createAuthenticator({ credentials: [], defaultAccount: '000000000000' });

const BODY = '{"KeyId":"alias/test","Plaintext":"aGVsbG8="}';

interface SignOpts {
  creds?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  body?: string;
  date?: number;
  region?: string;
  service?: string;
  path?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  applyChecksum?: boolean;
  unsignableHeaders?: Set<string>;
}

function enc(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function queryString(q: Record<string, string | string[] | null> | undefined): string {
  return Object.entries(q ?? {})
    .map(([k, v]) => `${enc(k)}=${enc(String(v))}`)
    .join('&');
}

function toSigned(req: HttpRequest, body: string): SignedRequest {
  const rawHeaders: string[] = [];
  for (const [k, v] of Object.entries(req.headers)) rawHeaders.push(k, v);
  return { method: req.method, path: req.path, query: queryString(req.query), rawHeaders, body: Buffer.from(body) };
}

function signer(o: SignOpts): SignatureV4 {
  return new SignatureV4({
    credentials: o.creds ?? alice,
    region: o.region ?? 'us-east-1',
    service: o.service ?? 'kms',
    sha256: Sha256,
    ...(o.applyChecksum === undefined ? {} : { applyChecksum: o.applyChecksum }),
  });
}

/** Signs like @aws-sdk/client-kms v3 (header set and order as the SDK sends them). */
async function sdkRequest(o: SignOpts = {}): Promise<SignedRequest> {
  const body = o.body ?? BODY;
  const req = new HttpRequest({
    method: 'POST',
    protocol: 'https:',
    hostname: HOST,
    path: o.path ?? '/',
    query: o.query ?? {},
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'TrentService.Encrypt',
      host: HOST,
      'x-amz-user-agent': 'aws-sdk-js/3.1164.0',
      'user-agent': 'aws-sdk-js/3.1164.0 ua/2.1 os/linux lang/js md/nodejs#20.20.2 api/kms#3.1164.0',
      'amz-sdk-invocation-id': '3c7f0a4e-7c1e-4a0e-9f57-0c0a0b1e2d3f',
      'amz-sdk-request': 'attempt=1; max=3',
      'content-length': String(Buffer.byteLength(body)),
      ...o.headers,
    },
    body,
  });
  const signed = (await signer(o).sign(req, {
    signingDate: new Date(o.date ?? NOW),
    ...(o.unsignableHeaders ? { unsignableHeaders: o.unsignableHeaders } : {}),
  })) as HttpRequest;
  return toSigned(signed, body);
}

/** Signs like botocore / the AWS CLI: SignedHeaders content-type;host;x-amz-date;x-amz-target, capitalised names. */
async function botoRequest(o: SignOpts = {}): Promise<SignedRequest> {
  const body = o.body ?? BODY;
  const req = new HttpRequest({
    method: 'POST',
    protocol: 'https:',
    hostname: HOST,
    path: '/',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'TrentService.ListKeys', host: HOST },
    body,
  });
  const signed = (await signer({ ...o, applyChecksum: false }).sign(req, { signingDate: new Date(o.date ?? NOW) })) as HttpRequest;
  const h = signed.headers;
  const rawHeaders = [
    'Host', h['host'] as string,
    'Accept-Encoding', 'identity',
    'User-Agent', 'aws-cli/2.9.19 Python/3.11.2 Linux/6.1 botocore/2.9.19',
    'Content-Type', h['Content-Type'] as string,
    'X-Amz-Target', h['X-Amz-Target'] as string,
    'X-Amz-Date', h['x-amz-date'] as string,
    'Authorization', h['authorization'] as string,
    'Content-Length', String(Buffer.byteLength(body)),
  ];
  if (h['x-amz-security-token'] !== undefined) rawHeaders.push('X-Amz-Security-Token', h['x-amz-security-token']);
  return { method: 'POST', path: '/', query: '', rawHeaders, body: Buffer.from(body) };
}

function getHeader(req: SignedRequest, name: string): string | undefined {
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]!.toLowerCase() === name) return req.rawHeaders[i + 1];
  }
  return undefined;
}

function withHeader(req: SignedRequest, name: string, value: string | undefined): SignedRequest {
  const rawHeaders: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]!.toLowerCase() !== name) rawHeaders.push(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  }
  if (value !== undefined) rawHeaders.push(name, value);
  return { ...req, rawHeaders };
}

function expectError(fn: () => unknown, type: KmsErrorType, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof KmsError, `expected KmsError, got ${String(e)}`);
    assert.equal(e.type, type);
    assert.equal(e.message, message);
    assert.equal(e.status, 400);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Accepted requests

test('SDK v3 request: accepted, caller and region from the credential scope', async () => {
  const req = await sdkRequest();
  assert.match(
    getHeader(req, 'authorization')!,
    /SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target;x-amz-user-agent,/,
  );
  const r = auth.authenticate(req, NOW);
  assert.deepEqual(r, {
    caller: alice.caller,
    region: 'us-east-1',
  });
});

test('botocore-like request (content-type;host;x-amz-date;x-amz-target, capitalised names): accepted', async () => {
  const req = await botoRequest({ region: 'eu-west-2' });
  assert.match(getHeader(req, 'authorization')!, /SignedHeaders=content-type;host;x-amz-date;x-amz-target,/);
  const r = auth.authenticate(req, NOW);
  assert.equal(r.region, 'eu-west-2');
  assert.equal(r.caller.arn, 'arn:aws:iam::111122223333:user/alice');
});

test('empty body and a date exactly 5 minutes off either way: accepted', async () => {
  auth.authenticate(await sdkRequest({ body: '' }), NOW);
  auth.authenticate(await sdkRequest({ date: NOW - 5 * MIN }), NOW);
  auth.authenticate(await sdkRequest({ date: NOW + 5 * MIN }), NOW);
  auth.authenticate(await sdkRequest(), NOW + 999); // sub-second part of now is ignored
});

test('session token: matching token accepted; missing or different token rejected', async () => {
  const ok = auth.authenticate(await sdkRequest({ creds: bob }), NOW);
  assert.deepEqual(ok.caller, bob.caller);
  assert.equal(ok.caller.principalArn, 'arn:aws:iam::444455556666:role/Dev');
  auth.authenticate(await botoRequest({ creds: bob }), NOW);

  const { sessionToken: _dropped, ...bobNoToken } = bob;
  const missing = await sdkRequest({ creds: bobNoToken });
  expectError(() => auth.authenticate(missing, NOW), 'UnrecognizedClientException', INVALID_TOKEN);
  const other = await sdkRequest({ creds: { ...bob, sessionToken: 'some-other-token' } });
  expectError(() => auth.authenticate(other, NOW), 'UnrecognizedClientException', INVALID_TOKEN);
  // A long-term key presented with a token is not accepted either.
  const stray = await sdkRequest({ creds: { ...alice, sessionToken: 'stray' } });
  expectError(() => auth.authenticate(stray, NOW), 'UnrecognizedClientException', INVALID_TOKEN);
});

test('duplicate headers are joined with "," and header whitespace is trimmed/collapsed', async () => {
  const signed = await sdkRequest({ headers: { 'x-amz-meta-list': 'a,b', 'x-amz-meta-spaced': 'a b c' } });
  const raw = withHeader(withHeader(signed, 'x-amz-meta-list', undefined), 'x-amz-meta-spaced', undefined);
  raw.rawHeaders.push('X-Amz-Meta-List', 'a', 'X-Amz-Meta-Spaced', '  a   b \t c  ', 'x-amz-meta-list', 'b');
  auth.authenticate(raw, NOW);
  // Order of duplicates matters.
  const swapped = withHeader(withHeader(signed, 'x-amz-meta-list', undefined), 'x-amz-meta-spaced', undefined);
  swapped.rawHeaders.push('X-Amz-Meta-List', 'b', 'x-amz-meta-spaced', 'a b c', 'x-amz-meta-list', 'a');
  expectError(() => auth.authenticate(swapped, NOW), 'InvalidSignatureException', SIGNATURE_MISMATCH);
  // Whitespace also counts when the signer sent it that way.
  auth.authenticate(await sdkRequest({ headers: { 'x-amz-meta-spaced': '  x    y  ' } }), NOW);
});

test('non-root path and query string: canonical URI and query as the signer builds them', async () => {
  const req = await sdkRequest({ path: '/a%20b/c', query: { b: '2', a: 'x y/z', 'z~': '*' } });
  assert.equal(req.query, 'b=2&a=x%20y%2Fz&z~=%2A');
  auth.authenticate(req, NOW);
  expectError(() => auth.authenticate({ ...req, query: 'b=2&a=x%20y%2Fz&z~=%2B' }, NOW), 'InvalidSignatureException', SIGNATURE_MISMATCH);
});

test('Date header is used when X-Amz-Date is absent', async () => {
  const signed = await sdkRequest({ unsignableHeaders: new Set(['x-amz-date']) });
  const req = withHeader(signed, 'x-amz-date', undefined);
  req.rawHeaders.push('Date', 'Mon, 01 Jan 2024 00:15:00 GMT');
  auth.authenticate(req, NOW);
});

test('presigned query authentication (X-Amz-* parameters)', async () => {
  const body = '{}';
  const base = new HttpRequest({
    method: 'POST',
    protocol: 'https:',
    hostname: HOST,
    path: '/',
    headers: { host: HOST, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.ListKeys' },
    body,
  });
  const presigned = (await signer({ creds: bob }).presign(base, { signingDate: new Date(NOW), expiresIn: 900 })) as HttpRequest;
  const req = toSigned(presigned, body);
  const r = auth.authenticate(req, NOW + 14 * MIN);
  assert.equal(r.caller.accountId, '444455556666');
  expectError(
    () => auth.authenticate(req, NOW + 16 * MIN),
    'InvalidSignatureException',
    'Signature expired: 20240101T001500Z is now earlier than 20240101T001600Z (20240101T003100Z - 900 sec.)',
  );
  expectError(
    () => auth.authenticate({ ...req, query: req.query.replace(/X-Amz-Signature=[^&]*/, 'X-Amz-Signature=') }, NOW),
    'IncompleteSignatureException',
    "AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the query-string parameters.",
  );
  const both = withHeader(req, 'authorization', 'AWS4-HMAC-SHA256 Credential=x');
  expectError(
    () => auth.authenticate(both, NOW),
    'InvalidSignatureException',
    "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
  );
});

test('signing-key cache stays correct past its bound (many scopes)', async () => {
  const regions = Array.from({ length: 40 }, (_, i) => `xx-test-${i}`);
  const reqs = await Promise.all(regions.map((region) => sdkRequest({ region })));
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < reqs.length; i++) assert.equal(auth.authenticate(reqs[i]!, NOW).region, regions[i]);
  }
});

// ---------------------------------------------------------------------------------------------
// Signature / key failures

test('body changed by one byte: InvalidSignatureException', async () => {
  const req = await sdkRequest();
  const body = Buffer.from(req.body);
  body[5] = body[5]! ^ 1;
  expectError(() => auth.authenticate({ ...req, body }, NOW), 'InvalidSignatureException', SIGNATURE_MISMATCH);
});

test('x-amz-content-sha256 that does not match the body: the computed hash is used, so the signature fails', async () => {
  const lie = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'; // sha256('')
  const req = await sdkRequest({ headers: { 'x-amz-content-sha256': lie } });
  expectError(() => auth.authenticate(req, NOW), 'InvalidSignatureException', SIGNATURE_MISMATCH);
});

test('wrong secret: InvalidSignatureException', async () => {
  const req = await sdkRequest({ creds: { ...alice, secretAccessKey: 'not-the-secret' } });
  expectError(() => auth.authenticate(req, NOW), 'InvalidSignatureException', SIGNATURE_MISMATCH);
});

test('tampered signed header and malformed Signature value: InvalidSignatureException', async () => {
  const req = await sdkRequest();
  expectError(
    () => auth.authenticate(withHeader(req, 'x-amz-target', 'TrentService.Decrypt'), NOW),
    'InvalidSignatureException',
    SIGNATURE_MISMATCH,
  );
  const a = getHeader(req, 'authorization')!;
  expectError(
    () => auth.authenticate(withHeader(req, 'authorization', a.replace(/Signature=\w+/, 'Signature=abc')), NOW),
    'InvalidSignatureException',
    SIGNATURE_MISMATCH,
  );
  expectError(
    () => auth.authenticate(withHeader(req, 'authorization', a.replace(/Signature=(\w+)/, (_, s: string) => `Signature=${s.toUpperCase()}`)), NOW),
    'InvalidSignatureException',
    SIGNATURE_MISMATCH,
  );
});

test('unknown access key: UnrecognizedClientException', async () => {
  const req = await sdkRequest({ creds: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' } });
  expectError(() => auth.authenticate(req, NOW), 'UnrecognizedClientException', INVALID_TOKEN);
});

// ---------------------------------------------------------------------------------------------
// Missing / malformed Authorization

test('no Authorization header, or a non-AWS4 one: MissingAuthenticationTokenException', async () => {
  const req = await sdkRequest();
  for (const value of [undefined, '', 'Bearer abc.def', 'AWS AKIA:sig']) {
    expectError(
      () => auth.authenticate(withHeader(req, 'authorization', value), NOW),
      'MissingAuthenticationTokenException',
      'Request is missing Authentication Token',
    );
  }
});

test('Authorization missing its parts: IncompleteSignatureException listing each one', async () => {
  const req = await sdkRequest();
  const noDate = withHeader(req, 'x-amz-date', undefined);
  expectError(
    () => auth.authenticate(withHeader(noDate, 'authorization', 'AWS4-HMAC-SHA256'), NOW),
    'IncompleteSignatureException',
    "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256",
  );
  const partial = 'AWS4-HMAC-SHA256 Credential=AKIAALICEEXAMPLE0001/20240101/us-east-1/kms/aws4_request, Signature=abcd';
  expectError(
    () => auth.authenticate(withHeader(req, 'authorization', partial), NOW),
    'IncompleteSignatureException',
    `Authorization header requires 'SignedHeaders' parameter. Authorization=${partial}`,
  );
  const a = getHeader(req, 'authorization')!;
  expectError(
    () => auth.authenticate(noDate, NOW),
    'IncompleteSignatureException',
    `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${a}`,
  );
});

test('Authorization with a part lacking "=": IncompleteSignatureException naming the part', async () => {
  const req = await sdkRequest();
  const h = 'AWS4-HMAC-SHA256 Signature=b,    Credential,    SignedHeaders';
  expectError(
    () => auth.authenticate(withHeader(req, 'authorization', h), NOW),
    'IncompleteSignatureException',
    `'Credential' not a valid key=value pair (missing equal-sign) in Authorization header: '${h}'.`,
  );
  // A space pasted after "Credential=" splits the value off (as AWS reports it).
  const spaced = getHeader(req, 'authorization')!.replace('Credential=', 'Credential= ');
  expectError(
    () => auth.authenticate(withHeader(req, 'authorization', spaced), NOW),
    'IncompleteSignatureException',
    `'AKIAALICEEXAMPLE0001/20240101/us-east-1/kms/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: '${spaced}'.`,
  );
});

test('malformed X-Amz-Date: IncompleteSignatureException', async () => {
  const req = await sdkRequest();
  for (const bad of ['2024-01-01T00:15:00Z', '20241301T001500Z', '201']) {
    expectError(
      () => auth.authenticate(withHeader(req, 'x-amz-date', bad), NOW),
      'IncompleteSignatureException',
      `Date must be in ISO-8601 'basic format'. Got '${bad}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
});

test('unsupported algorithm, bad credential shape, Host not signed, signed header absent', async () => {
  const req = await sdkRequest();
  const a = getHeader(req, 'authorization')!;
  expectError(
    () => auth.authenticate(withHeader(req, 'authorization', a.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512')), NOW),
    'IncompleteSignatureException',
    "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ",
  );
  expectError(
    () => auth.authenticate(withHeader(req, 'authorization', a.replace('/us-east-1/', '/')), NOW),
    'IncompleteSignatureException',
    "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIAALICEEXAMPLE0001/20240101/kms/aws4_request'",
  );
  // Trailing slashes are ignored.
  auth.authenticate(withHeader(req, 'authorization', a.replace('aws4_request', 'aws4_request//')), NOW);

  const noHost = await sdkRequest({ unsignableHeaders: new Set(['host']) });
  expectError(
    () => auth.authenticate(noHost, NOW),
    'InvalidSignatureException',
    "'Host' must be a 'SignedHeader' in the AWS Authorization.",
  );
  expectError(
    () => auth.authenticate(withHeader(req, 'x-amz-target', undefined), NOW),
    'IncompleteSignatureException',
    "'x-amz-target' is named as a SignedHeader, but it does not exist in the HTTP request.",
  );
});

// ---------------------------------------------------------------------------------------------
// Time and scope

test('date more than 5 minutes old or ahead: InvalidSignatureException with AWS wording', async () => {
  const sdkSync = {
    stale: await sdkRequest({ date: NOW - 6 * MIN }),
    future: await sdkRequest({ date: NOW + 6 * MIN }),
    midnight: await sdkRequest({ date: Date.UTC(2024, 0, 1) }),
  };
  expectError(
    () => auth.authenticate(sdkSync.stale, NOW),
    'InvalidSignatureException',
    'Signature expired: 20240101T000900Z is now earlier than 20240101T001000Z (20240101T001500Z - 5 min.)',
  );
  expectError(
    () => auth.authenticate(sdkSync.future, NOW),
    'InvalidSignatureException',
    'Signature not yet current: 20240101T002100Z is still later than 20240101T002000Z (20240101T001500Z + 5 min.)',
  );
  // The brief's example: 20240101T000000Z checked at 20240101T001500Z.
  expectError(
    () => auth.authenticate(sdkSync.midnight, NOW),
    'InvalidSignatureException',
    'Signature expired: 20240101T000000Z is now earlier than 20240101T001000Z (20240101T001500Z - 5 min.)',
  );
  // Skew is checked before the key, so an unknown key with a stale date reports the date.
  expectError(() => local.authenticate(sdkSync.stale, NOW), 'InvalidSignatureException', 'Signature expired: 20240101T000900Z is now earlier than 20240101T001000Z (20240101T001500Z - 5 min.)');
});
test('credential scope: wrong service, invalid region, terminator, date: InvalidSignatureException', async () => {
  const scoped = { dynamo: await sdkRequest({ service: 'dynamodb' }), badRegion: await sdkRequest({ region: 'US_EAST_1' }) };
  expectError(
    () => auth.authenticate(scoped.dynamo, NOW),
    'InvalidSignatureException',
    "Credential should be scoped to correct service: 'kms'.",
  );
  expectError(
    () => auth.authenticate(scoped.badRegion, NOW),
    'InvalidSignatureException',
    "Credential should be scoped to a valid region, not 'US_EAST_1'.",
  );
  const req = await sdkRequest();
  const a = getHeader(req, 'authorization')!;
  const all = a.replace('/20240101/us-east-1/kms/aws4_request', '/20231231/Bad/s3/aws5_request');
  expectError(
    () => auth.authenticate(withHeader(req, 'authorization', all), NOW),
    'InvalidSignatureException',
    "Credential should be scoped to a valid region, not 'Bad'. Credential should be scoped to correct service: 'kms'. Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20231231' != '20240101', from '20240101T001500Z'.",
  );
});
// ---------------------------------------------------------------------------------------------
// Local-development mode

test('local mode: any key and secret; 12-digit key id is the account, else the default account', async () => {
  const r1 = local.authenticate(await sdkRequest({ creds: { accessKeyId: '123456789012', secretAccessKey: 'anything' } }), NOW);
  assert.deepEqual(r1, {
    caller: rootCaller('123456789012', '123456789012'),
    region: 'us-east-1',
  });
  const r2 = local.authenticate(await botoRequest({ creds: { accessKeyId: 'test', secretAccessKey: 'test' }, region: 'ap-south-1' }), NOW);
  assert.deepEqual(r2, {
    caller: rootCaller('000000000000', 'test'),
    region: 'ap-south-1',
  });
  // 11 or 13 digits is not an account id.
  const r3 = local.authenticate(await sdkRequest({ creds: { accessKeyId: '12345678901', secretAccessKey: 'x' } }), NOW);
  assert.equal(r3.caller.accountId, '000000000000');
  // A tampered body is not detectable without the secret, and is accepted.
  const req = await sdkRequest({ creds: { accessKeyId: 'test', secretAccessKey: 'test' } });
  local.authenticate({ ...req, body: Buffer.from('{}') }, NOW);
});

test('local mode still requires a well-formed header, a current date and a kms scope', async () => {
  const req = await sdkRequest({ creds: { accessKeyId: 'test', secretAccessKey: 'test' } });
  expectError(
    () => local.authenticate(withHeader(req, 'authorization', undefined), NOW),
    'MissingAuthenticationTokenException',
    'Request is missing Authentication Token',
  );
  expectError(
    () => local.authenticate(withHeader(req, 'authorization', 'AWS4-HMAC-SHA256 Credential=test'), NOW),
    'IncompleteSignatureException',
    "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Credential=test",
  );
  expectError(
    () => local.authenticate(req, NOW + 10 * MIN),
    'InvalidSignatureException',
    'Signature expired: 20240101T001500Z is now earlier than 20240101T002000Z (20240101T002500Z - 5 min.)',
  );
  const dynamo = await sdkRequest({ service: 'dynamodb' });
  expectError(() => local.authenticate(dynamo, NOW), 'InvalidSignatureException', "Credential should be scoped to correct service: 'kms'.");
});

test('createAuthenticator rejects duplicate access key ids', () => {
  assert.throws(() => createAuthenticator({ credentials: [alice, alice], defaultAccount: '000000000000' }), /duplicate access key id/);
});
