// Pre-signs one KMS JSON request with @smithy/signature-v4 exactly as the SDK would (content-type,
// x-amz-target, host, content-length, x-amz-date); the bytes can be replayed for the 5-minute skew window.
// Any access key will do in local-development mode; a server with principals verifies the signature.
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export const REGION = 'us-east-1';
/** A 12-digit access key ID names the account in local-development mode. */
export const CREDENTIALS = { accessKeyId: '111122223333', secretAccessKey: 'bench-secret' };

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface PreparedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

const signers = new Map<string, SignatureV4>();

function signerFor(credentials: Credentials): SignatureV4 {
  let signer = signers.get(credentials.accessKeyId);
  if (!signer) {
    signer = new SignatureV4({ service: 'kms', region: REGION, credentials, sha256: Sha256 });
    signers.set(credentials.accessKeyId, signer);
  }
  return signer;
}

export async function presign(url: string, operation: string, input: unknown, credentials: Credentials = CREDENTIALS): Promise<PreparedRequest> {
  const u = new URL(url);
  const body = JSON.stringify(input);
  const req = new HttpRequest({
    method: 'POST',
    protocol: u.protocol,
    hostname: u.hostname,
    port: Number(u.port),
    path: '/',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `TrentService.${operation}`,
      host: u.host,
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
  });
  const signed = (await signerFor(credentials).sign(req, { signingDate: new Date() })) as HttpRequest;
  return { method: 'POST', path: '/', headers: { ...signed.headers }, body };
}
