// SigV4 authentication end to end: raw requests that fail each check with AWS's code and text, the real SDK
// with right and wrong credentials, session tokens, and local-development mode (any access key, account from
// a 12-digit access key ID).
import { CreateKeyCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { INVALID_TOKEN, SIGNATURE_MISMATCH } from '../../src/protocol/sigv4.ts';
import { expectError } from '../helpers/expect-error.ts';
import { assertErrorResponse, isoBasic, JSON_CONTENT_TYPE, rawRequest, UUID_RE, type RawCredentials } from '../helpers/signed-fetch.ts';
import { ACCOUNT, REGION, startTestServer, type TestServer } from '../helpers/server.ts';

const ALICE_ACCOUNT = '123456789012';
const ALICE: RawCredentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const TEMP: RawCredentials = { accessKeyId: 'ASIATEMPEXAMPLE', secretAccessKey: 'temp-secret', sessionToken: 'session-token-1' };

// These tests are about signatures: both principals may do anything KMS offers.
const ALLOW_KMS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };

const MIN = 60_000;
const LIST_KEYS = 'TrentService.ListKeys';

let t: TestServer;
before(async () => {
  t = await startTestServer({
    credentials: [
      { ...ALICE, principalArn: `arn:aws:iam::${ALICE_ACCOUNT}:user/alice`, policies: [ALLOW_KMS] },
      { ...TEMP, principalArn: `arn:aws:sts::${ALICE_ACCOUNT}:assumed-role/Dev/session`, policies: [ALLOW_KMS] },
    ],
  });
});
after(() => t.close());

const signed = (creds: RawCredentials, extra: Partial<Parameters<typeof rawRequest>[1]> = {}) =>
  rawRequest(t.url, { target: LIST_KEYS, body: '{}', creds, ...extra });

/** `Signature expired` texts for every whole second the server may have read its clock in. */
function expiredMessages(amzDate: string, fromMs: number, toMs: number): string[] {
  const out: string[] = [];
  for (let s = Math.floor(fromMs / 1000) * 1000; s <= toMs; s += 1000) {
    out.push(`Signature expired: ${amzDate} is now earlier than ${isoBasic(s - 5 * MIN)} (${isoBasic(s)} - 5 min.)`);
  }
  return out;
}

describe('raw SigV4 failures (credentials configured)', () => {
  test('a correctly signed request succeeds, with a request id', async () => {
    const res = await signed(ALICE);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('content-type'), JSON_CONTENT_TYPE);
    assert.match(res.headers.get('x-amzn-requestid') ?? '', UUID_RE);
    assert.equal(res.text, '{"Keys":[],"Truncated":false}');
  });

  test('no Authorization header is MissingAuthenticationTokenException (400)', async () => {
    const res = await rawRequest(t.url, { target: LIST_KEYS, body: '{}' });
    // JSON-protocol form of the code, HTTP 400 (spec §4.6); the 403 "MissingAuthenticationToken" is the Query form.
    assertErrorResponse(res, 400, 'MissingAuthenticationTokenException', 'Request is missing Authentication Token');
  });

  test('an Authorization parameter without "=" is IncompleteSignatureException quoting the header', async () => {
    const header = 'AWS4-HMAC-SHA256 garbage';
    const res = await rawRequest(t.url, { target: LIST_KEYS, body: '{}', headers: { authorization: header, 'x-amz-date': isoBasic(Date.now()) } });
    assertErrorResponse(
      res,
      400,
      'IncompleteSignatureException',
      `'garbage' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`,
    );
  });

  test('an Authorization header missing its parameters lists every missing one', async () => {
    const header = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/kms/aws4_request';
    const res = await rawRequest(t.url, { target: LIST_KEYS, body: '{}', headers: { authorization: header } });
    assertErrorResponse(
      res,
      400,
      'IncompleteSignatureException',
      "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. " +
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
        `Authorization=${header}`,
    );
  });

  test('a wrong secret is InvalidSignatureException with AWS text', async () => {
    const res = await signed({ accessKeyId: ALICE.accessKeyId, secretAccessKey: 'not-the-secret' });
    assertErrorResponse(res, 400, 'InvalidSignatureException', SIGNATURE_MISMATCH);
    assert.equal(
      SIGNATURE_MISMATCH,
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  });

  test('an unknown access key is UnrecognizedClientException', async () => {
    const res = await signed({ accessKeyId: 'AKIDNOBODY', secretAccessKey: 'secret' });
    assertErrorResponse(res, 400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    assert.equal(INVALID_TOKEN, 'The security token included in the request is invalid.');
  });

  test('a signature dated six minutes ago has expired', async () => {
    const date = new Date(Math.floor(Date.now() / 1000) * 1000 - 6 * MIN);
    const from = Date.now();
    const res = await signed(ALICE, { date });
    const to = Date.now();
    const candidates = expiredMessages(isoBasic(date.getTime()), from, to);
    const body = JSON.parse(res.text) as { __type: string; message: string };
    assert.ok(candidates.includes(body.message), `${body.message} not in ${candidates.join(' | ')}`);
    assertErrorResponse(res, 400, 'InvalidSignatureException', body.message);
  });

  test('a signature dated four minutes ago is still accepted', async () => {
    const res = await signed(ALICE, { date: new Date(Date.now() - 4 * MIN) });
    assert.equal(res.status, 200, res.text);
  });

  test('a signature dated six minutes ahead is not yet current', async () => {
    const date = new Date(Math.floor(Date.now() / 1000) * 1000 + 6 * MIN);
    const from = Date.now();
    const res = await signed(ALICE, { date });
    const to = Date.now();
    const candidates: string[] = [];
    for (let s = Math.floor(from / 1000) * 1000; s <= to; s += 1000) {
      candidates.push(`Signature not yet current: ${isoBasic(date.getTime())} is still later than ${isoBasic(s + 5 * MIN)} (${isoBasic(s)} + 5 min.)`);
    }
    const message = (JSON.parse(res.text) as { message: string }).message;
    assert.ok(candidates.includes(message), message);
    assertErrorResponse(res, 400, 'InvalidSignatureException', message);
  });

  test('a body changed after signing no longer matches the signature', async () => {
    const res = await signed(ALICE, { body: '{"Limit":5}', sendBody: '{"Limit":6}' });
    assertErrorResponse(res, 400, 'InvalidSignatureException', SIGNATURE_MISMATCH);
  });

  test('a target header changed after signing no longer matches the signature', async () => {
    const res = await signed(ALICE, { headers: { 'x-amz-target': 'TrentService.ListAliases' } });
    assertErrorResponse(res, 400, 'InvalidSignatureException', SIGNATURE_MISMATCH);
  });

  test('a credential scoped to another service is InvalidSignatureException', async () => {
    const res = await signed(ALICE, { service: 's3' });
    assertErrorResponse(res, 400, 'InvalidSignatureException', "Credential should be scoped to correct service: 'kms'.");
  });
});

describe('the SDK against a server with credentials', () => {
  test('the right credentials work and keys belong to the configured account', async () => {
    const kms = t.client(ALICE);
    const md = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    assert.equal(md.AWSAccountId, ALICE_ACCOUNT);
    assert.equal(md.Arn, `arn:aws:kms:${REGION}:${ALICE_ACCOUNT}:key/${md.KeyId}`);
    const keys = (await kms.send(new ListKeysCommand({}))).Keys!;
    assert.ok(keys.some((k) => k.KeyId === md.KeyId));
  });

  test('a wrong secret is InvalidSignatureException through the SDK', async () => {
    await expectError(
      t.client({ accessKeyId: ALICE.accessKeyId, secretAccessKey: 'wrong' }).send(new ListKeysCommand({})),
      'InvalidSignatureException',
      SIGNATURE_MISMATCH,
    );
  });

  test('an unknown access key is UnrecognizedClientException through the SDK', async () => {
    await expectError(t.client({ accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'secret' }).send(new ListKeysCommand({})), 'UnrecognizedClientException', INVALID_TOKEN);
  });

  test('a session-token credential works only with its token', async () => {
    const md = (await t.client(TEMP).send(new CreateKeyCommand({}))).KeyMetadata!;
    assert.equal(md.AWSAccountId, ALICE_ACCOUNT);
    await expectError(
      t.client({ accessKeyId: TEMP.accessKeyId, secretAccessKey: TEMP.secretAccessKey }).send(new ListKeysCommand({})),
      'UnrecognizedClientException',
      INVALID_TOKEN,
    );
    await expectError(
      t.client({ ...TEMP, sessionToken: 'session-token-2' }).send(new ListKeysCommand({})),
      'UnrecognizedClientException',
      INVALID_TOKEN,
    );
  });

  test('a long-term key sent with a session token is refused', async () => {
    // AWS treats a token that does not belong to the access key as an invalid security token.
    await expectError(t.client({ ...ALICE, sessionToken: 'stray' }).send(new ListKeysCommand({})), 'UnrecognizedClientException', INVALID_TOKEN);
  });
});

describe('local-development mode (no credentials configured)', () => {
  let local: TestServer;
  before(async () => {
    local = await startTestServer();
  });
  after(() => local.close());

  const accountOf = async (kms: KMSClient) => (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.AWSAccountId;

  test('a 12-digit access key ID selects that account', async () => {
    assert.equal(await accountOf(local.client({ accessKeyId: '444455556666' })), '444455556666');
  });

  test('any other access key ID uses the default account 111122223333', async () => {
    assert.equal(await accountOf(local.client({ accessKeyId: 'AKIDLOCALDEV' })), ACCOUNT);
    assert.equal(await accountOf(local.client({ accessKeyId: '12345' })), ACCOUNT);
    assert.equal(await accountOf(local.client({ accessKeyId: '4444555566667' })), ACCOUNT);
  });

  test('any secret is accepted', async () => {
    const res = await rawRequest(local.url, { target: LIST_KEYS, body: '{}', creds: { accessKeyId: '777788889999', secretAccessKey: 'anything' } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.text, '{"Keys":[],"Truncated":false}');
  });

  test('a missing Authorization header is still refused', async () => {
    const res = await rawRequest(local.url, { target: LIST_KEYS, body: '{}' });
    assertErrorResponse(res, 400, 'MissingAuthenticationTokenException', 'Request is missing Authentication Token');
  });

  test('a stale date is still refused', async () => {
    const date = new Date(Math.floor(Date.now() / 1000) * 1000 - 6 * MIN);
    const from = Date.now();
    const res = await rawRequest(local.url, { target: LIST_KEYS, body: '{}', creds: ALICE, date });
    const candidates = expiredMessages(isoBasic(date.getTime()), from, Date.now());
    const message = (JSON.parse(res.text) as { message: string }).message;
    assert.ok(candidates.includes(message), message);
    assertErrorResponse(res, 400, 'InvalidSignatureException', message);
  });

  test('a credential scope for another service is still refused', async () => {
    const res = await rawRequest(local.url, { target: LIST_KEYS, body: '{}', creds: ALICE, service: 'dynamodb' });
    assertErrorResponse(res, 400, 'InvalidSignatureException', "Credential should be scoped to correct service: 'kms'.");
  });
});
