// The second front door: /_trent/* (health, reset, clock). Never part of the KMS pipeline: no X-Amz-Target, no
// model validation. In local-development mode anyone who reaches the loopback port may call them; with
// credentials configured, only requests SigV4-signed (service `kms`, as for KMS calls) by a principal marked
// "admin": true, except the health check, which orchestrators call unsigned (as Vault's /v1/sys/health).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isKmsError } from '../errors.ts';
import { readBody } from '../protocol/aws-json.ts';
import type { Authenticator } from '../protocol/sigv4.ts';
import { AdminError } from './admin-error.ts';
import { advanceClock, clockStatus } from './clock.ts';
import type { TrentControl } from './trent-control.ts';
import { health } from './health.ts';
import { parseAdminBody } from './request-body.ts';
import { reset } from './reset.ts';

export const ADMIN_PREFIX = '/_trent/';

type Route = (body: unknown, control: TrentControl) => Promise<unknown>;

const ROUTES: Readonly<Record<string, Partial<Record<string, Route>>>> = {
  '/_trent/health': { GET: health },
  '/_trent/reset': { POST: reset },
  '/_trent/clock': { GET: clockStatus, POST: advanceClock },
};
/** Routes anyone may call, signed or not: an orchestrator's probe cannot sign, and they reveal no key. */
const OPEN_ROUTES = new Set(['GET /_trent/health']);

export interface AdminDeps {
  control: TrentControl;
  authenticator: Authenticator;
  /** Access keys of principals marked "admin": true; empty in local-development mode. */
  adminKeys: ReadonlySet<string>;
  localMode: boolean;
  maxBodyBytes: number;
}

export interface AdminOutcome {
  status: number;
  /** The caller's ARN when the request was signed and verified. */
  caller?: string;
  error?: string;
  message?: string;
}

/**
 * Answers one admin request; resolves with what the request log records. Anything but an admin error or a client
 * error of the shared protocol code is thrown, for the server to answer as an internal error.
 */
export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  path: string,
  query: string,
  deps: AdminDeps,
): Promise<AdminOutcome> {
  const method = req.method ?? 'GET';
  let caller: string | undefined;
  try {
    const methods = ROUTES[path];
    if (methods === undefined) {
      throw new AdminError(404, 'ResourceNotFoundException', `No admin route ${path}. Routes: ${routeList()}`);
    }
    const route = methods[method];
    if (route === undefined) {
      res.setHeader('Allow', Object.keys(methods).join(', '));
      throw new AdminError(405, 'MethodNotAllowedException', `${path} takes ${Object.keys(methods).join(' or ')}, not ${method}`);
    }
    const body = await readBody(req, deps.maxBodyBytes);
    if (!deps.localMode && !OPEN_ROUTES.has(`${method} ${path}`)) caller = authenticateAdmin(req, path, query, body, deps);
    const result = await route(parseAdminBody(body), deps.control);
    send(res, requestId, 200, result);
    return { status: 200, ...(caller ? { caller } : {}) };
  } catch (err) {
    const e = asAdminError(err);
    send(res, requestId, e.status, { __type: e.type, message: e.message });
    return { status: e.status, error: e.type, message: e.message, ...(caller ? { caller } : {}) };
  }
}

/** The verified admin caller's ARN; 403 for a missing or bad signature and for a principal not marked admin. */
function authenticateAdmin(req: IncomingMessage, path: string, query: string, body: Buffer, deps: AdminDeps): string {
  let arn: string;
  let accessKeyId: string;
  try {
    const { caller } = deps.authenticator.authenticate({ method: req.method ?? 'GET', path, query, rawHeaders: req.rawHeaders, body }, Date.now());
    arn = caller.arn;
    accessKeyId = caller.accessKeyId;
  } catch (err) {
    if (isKmsError(err) && err.status < 500) throw new AdminError(403, err.type, err.message);
    throw err;
  }
  if (!deps.adminKeys.has(accessKeyId)) {
    throw new AdminError(
      403,
      'AccessDeniedException',
      `User: ${arn} is not authorized to call ${req.method} ${path}: Trent's admin routes need a principal marked "admin": true in the configuration`,
    );
  }
  return arn;
}

function asAdminError(err: unknown): AdminError {
  if (err instanceof AdminError) return err;
  // The body cap answers as the KMS pipeline does.
  if (isKmsError(err) && err.status < 500) return new AdminError(400, err.type, err.message);
  throw err;
}

function send(res: ServerResponse, requestId: string, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), 'x-amzn-RequestId': requestId });
  res.end(payload);
}

function routeList(): string {
  return Object.entries(ROUTES)
    .map(([path, methods]) => `${Object.keys(methods).join('|')} ${path}`)
    .join(', ');
}
