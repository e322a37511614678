// AWS JSON 1.1 on the wire: POST /, X-Amz-Target: TrentService.<Op>, JSON bodies with base64 blobs and
// epoch-second timestamps, errors as {"__type","message"} (spec §4). Every client error is HTTP 400.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KmsError } from '../errors.ts';

export const CONTENT_TYPE = 'application/x-amz-json-1.1';
export const TARGET_PREFIX = 'TrentService.';

/** Reads the whole body, refusing more than `maxBytes` before buffering it. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > maxBytes) {
      req.resume();
      reject(tooLarge(maxBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

const tooLarge = (max: number) =>
  new KmsError('RequestEntityTooLargeException', `Request body is larger than the limit of ${max} bytes.`);

/** `TrentService.TagResource` → `TagResource`, if the operation exists. */
export function decodeTarget(header: string | string[] | undefined, operations: ReadonlySet<string>): string {
  const target = Array.isArray(header) ? header[0] : header;
  if (target?.startsWith(TARGET_PREFIX)) {
    const op = target.slice(TARGET_PREFIX.length);
    if (operations.has(op)) return op;
  }
  // AWS's body for this is {"__type":"UnknownOperationException"}; we add a message saying what was sent.
  throw new KmsError('UnknownOperationException', target ? `Unknown operation ${target}` : 'Missing X-Amz-Target header');
}

/** Parses a request body; an empty body means `{}` (Smithy awsJson1_1). */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new KmsError('SerializationException', 'Malformed JSON in request body');
  }
}

/**
 * Blobs leave as base64. Every blob in a KMS response (CiphertextBlob, Plaintext, PublicKey, Signature, Mac,
 * ImportToken, …) is a top-level member, so only those are converted; a JSON.stringify replacer would do the
 * same but costs a JS call per property of every response.
 */
export function encodeBlobs(body: Record<string, unknown>): Record<string, unknown> {
  let out = body;
  for (const key in body) {
    const v = body[key];
    if (v instanceof Uint8Array) {
      if (out === body) out = { ...body };
      out[key] = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
    }
  }
  return out;
}

export function sendJson(res: ServerResponse, status: number, requestId: string, body: Record<string, unknown> | undefined): void {
  const payload = body === undefined ? '' : JSON.stringify(encodeBlobs(body));
  // The flat [name, value, …] form: node skips walking and validating a header object.
  res.writeHead(status, ['Content-Type', CONTENT_TYPE, 'Content-Length', String(Buffer.byteLength(payload)), 'x-amzn-RequestId', requestId]);
  res.end(payload);
}

export function sendError(res: ServerResponse, requestId: string, err: KmsError): void {
  sendJson(res, err.status, requestId, { __type: err.type, message: err.message });
}
