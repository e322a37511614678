// Raw AWS JSON 1.1 requests with fetch, below the SDK: SigV4-signed by @smithy/signature-v4 (the signer
// the SDK itself uses), or sent with whatever Authorization header a test wants to try.
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import assert from 'node:assert/strict';
import { REGION } from './server.ts';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export interface RawCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface RawOptions {
  /** Full X-Amz-Target value; `undefined` sends no target header. */
  target: string | undefined;
  body?: string | Buffer;
  /** Signing credentials; omit to send the request unsigned. */
  creds?: RawCredentials;
  /** Signing time (default: now). */
  date?: Date;
  region?: string;
  service?: string;
  /** Sent as-is after signing (e.g. a different body, a forged Authorization). */
  headers?: Record<string, string>;
  /** Send this body instead of the signed one. */
  sendBody?: string | Buffer;
  /** Default POST and `/`, the KMS pipeline; the admin routes take others. */
  method?: string;
  path?: string;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** 20240101T001500Z */
export function isoBasic(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export async function rawRequest(url: string, opts: RawOptions): Promise<RawResponse> {
  const { host, hostname, port } = new URL(url);
  const body = opts.body ?? '';
  let headers: Record<string, string> = { 'content-type': JSON_CONTENT_TYPE };
  if (opts.target !== undefined) headers['x-amz-target'] = opts.target;
  if (opts.creds) {
    const signer = new SignatureV4({
      service: opts.service ?? 'kms',
      region: opts.region ?? REGION,
      credentials: opts.creds,
      sha256: Sha256,
    });
    const request = new HttpRequest({
      protocol: 'http:',
      hostname,
      port: Number(port),
      method: opts.method ?? 'POST',
      path: opts.path ?? '/',
      headers: { ...headers, host },
      body,
    });
    const signed = await signer.sign(request, opts.date ? { signingDate: opts.date } : {});
    headers = { ...(signed.headers as Record<string, string>) };
    // fetch sends the same Host value on its own.
    delete headers.host;
  }
  const method = opts.method ?? 'POST';
  const sent = opts.sendBody ?? body;
  const res = await fetch(new URL(opts.path ?? '/', url), {
    method,
    headers: { ...headers, ...opts.headers },
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: sent }),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** A JSON error response: HTTP status, content type, a request id, and exactly `{"__type","message"}`. */
export function assertErrorResponse(res: RawResponse, status: number, type: string, message: string): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.headers.get('content-type'), JSON_CONTENT_TYPE);
  assert.match(res.headers.get('x-amzn-requestid') ?? '', UUID_RE);
  assert.deepEqual(JSON.parse(res.text), { __type: type, message });
  assert.equal(res.text, JSON.stringify({ __type: type, message }));
}
