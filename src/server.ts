// One Trent server over an open store. Two front doors: POST / is the KMS pipeline (read body → decode target →
// authenticate (SigV4) → parse and validate JSON against the model → operation handler → encode), /_trent/* the
// admin routes (admin/). KmsErrors go out as AWS errors; anything else is logged with the request id and
// answered as a 500 KMSInternalException with no internals. Each request gets one log line at level info.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { ADMIN_PREFIX, handleAdmin, type AdminDeps } from './admin/admin-routes.ts';
import type { Config } from './config.ts';
import type { Logger, RequestLogLine, RequestOrigin } from './context.ts';
import { isKmsError, KmsError } from './errors.ts';
import { OffsetClock, storedClockOffset, type AdjustableClock } from './lifecycle/clock.ts';
import { createControl, type ServerControl } from './lifecycle/server-control.ts';
import { RequestGate } from './lifecycle/request-gate.ts';
import { listen, type Listener } from './listener.ts';
import { createLogger } from './log.ts';
import { RequestContext } from './request-context.ts';
import { checkGrantTokens } from './operations/grant-tokens.ts';
import { OPERATIONS } from './operations/index.ts';
import { answerLater } from './protocol/answer-batch.ts';
import { decodeTarget, parseJsonBody, readBody, sendError, sendJson } from './protocol/aws-json.ts';
import { createAuthenticator } from './protocol/sigv4.ts';
import { parseInput } from './protocol/validate.ts';
import { applySeed } from './seed/apply-seed.ts';
import type { Seed } from './seed/seed-file.ts';
import { openServices } from './services.ts';
import type { Store } from './store/store.ts';

export type TrentServer = ServerControl & {
  url: string;
  port: number;
  /** Stops accepting requests, lets those in flight finish (at most `graceMs`), writes pending usage records. */
  close(graceMs?: number): Promise<void>;
};

export interface ServerDeps {
  store: Store;
  /** 32 bytes; seals all key material (root-key.ts finds it). */
  rootKey: Uint8Array;
  /**
   * Time for key lifecycles (deletion dates, creation dates), moved by POST /_trent/clock. Signature freshness
   * always uses the wall clock.
   */
  clock?: AdjustableClock;
  log?: Logger;
  /** How often the sweeper runs (deletions, rotations, expiry, usage records); 0 disables the timer. */
  sweepIntervalMs?: number;
  /** The seed: applied at start and again by each reset (a function, so that a seed file is read again). */
  seed?: () => Promise<Seed>;
  /** A socket bound already (`trent serve` binds before it creates anything); otherwise host:port is bound. */
  listener?: Listener;
  /** How the health check names the store. */
  storeKind?: string;
}

const INTERNAL_MESSAGE = 'The request was rejected because an internal exception occurred. The request can be retried.';
const OPERATION_SET: ReadonlySet<string> = new Set(OPERATIONS.keys());

/** aws:SourceIp and aws:SecureTransport (Trent serves plain HTTP). */
function originOf(req: IncomingMessage): RequestOrigin {
  const ip = req.socket.remoteAddress ?? '';
  // IPv4 clients reach a dual-stack socket as ::ffff:a.b.c.d; aws:SourceIp shows the IPv4 address.
  return { sourceIp: ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip, secureTransport: false };
}

function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

const elapsedMs = (since: number) => Math.round((performance.now() - since) * 1000) / 1000;

export async function startServer(config: Config, deps: ServerDeps): Promise<TrentServer> {
  const { store } = deps;
  const clock = deps.clock ?? new OffsetClock();
  const log = deps.log ?? createLogger(config.logLevel);
  const listener = deps.listener ?? (await listen(config.host, config.port));
  try {
    return await serve(config, deps, { store, clock, log, listener });
  } catch (e) {
    if (deps.listener === undefined) await listener.close(0);
    throw e;
  }
}

async function serve(
  config: Config,
  deps: ServerDeps,
  { store, clock, log, listener }: { store: Store; clock: AdjustableClock; log: Logger; listener: Listener },
): Promise<TrentServer> {
  const services = await openServices(config, { store, rootKey: deps.rootKey, clock, log });
  const stored = await store.transaction(storedClockOffset);
  if (stored > clock.offsetMs) clock.advance(stored - clock.offsetMs);
  if (deps.seed !== undefined) {
    const seed = await deps.seed();
    const outcome = await store.transaction((tx) => applySeed(tx, services, seed));
    log.info('seed applied', { source: seed.source, created: outcome.created, present: outcome.present });
    for (const where of outcome.changed) {
      log.warn(`${seed.source}: ${where} has changed since it was applied; the key is left as it stands (POST /_trent/reset applies the seed again)`);
    }
  }

  const authenticator = createAuthenticator({ credentials: config.credentials, defaultAccount: config.defaultAccount });
  const gate = new RequestGate();

  async function kms(req: IncomingMessage, res: ServerResponse, path: string, query: string, started: number): Promise<void> {
    const requestId = randomUUID();
    const line: RequestLogLine = { requestId, status: 200, ms: 0 };
    let entered = false;
    try {
      // The body is read before the gate: a slow upload must not hold up a reset.
      const body = await readBody(req, config.maxBodyBytes);
      const wait = gate.enter();
      entered = true;
      if (wait !== undefined) await wait;
      const operation = decodeTarget(req.headers['x-amz-target'], OPERATION_SET);
      line.operation = operation;
      const { caller, region } = authenticator.authenticate(
        { method: req.method ?? 'POST', path, query, rawHeaders: req.rawHeaders, body },
        Date.now(),
      );
      line.caller = caller.arn;
      const input = parseInput(operation, parseJsonBody(body));
      checkGrantTokens(services.markers, operation, input);
      const ctx = new RequestContext(services, caller, region, requestId, operation, input, originOf(req));
      const output = await OPERATIONS.get(operation)!(input, ctx);
      answerLater(() => sendJson(res, 200, requestId, output));
    } catch (err) {
      let sent: KmsError;
      if (isKmsError(err)) {
        if (err.status >= 500) log.error('server fault', { requestId, operation: line.operation, type: err.type });
        sent = err;
      } else {
        log.error('internal error', { requestId, operation: line.operation, error: err instanceof Error ? err.stack : String(err) });
        sent = new KmsError('KMSInternalException', INTERNAL_MESSAGE);
      }
      answerLater(() => sendError(res, requestId, sent));
      line.status = sent.status;
      line.error = sent.type;
      line.message = sent.message;
    } finally {
      if (entered) gate.leave();
    }
    if (log.requests) {
      line.ms = elapsedMs(started);
      log.request(line);
    }
  }

  async function admin(req: IncomingMessage, res: ServerResponse, path: string, query: string, started: number): Promise<void> {
    const requestId = randomUUID();
    const line: RequestLogLine = { requestId, operation: `${req.method ?? 'GET'} ${path}`, status: 200, ms: 0 };
    try {
      const outcome = await handleAdmin(req, res, requestId, path, query, adminDeps);
      line.status = outcome.status;
      if (outcome.caller !== undefined) line.caller = outcome.caller;
      if (outcome.error !== undefined) line.error = outcome.error;
      if (outcome.message !== undefined) line.message = outcome.message;
    } catch (err) {
      log.error('internal error', { requestId, operation: line.operation, error: err instanceof Error ? err.stack : String(err) });
      sendError(res, requestId, new KmsError('KMSInternalException', INTERNAL_MESSAGE));
      line.status = 500;
      line.error = 'KMSInternalException';
    }
    if (log.requests) {
      line.ms = elapsedMs(started);
      log.request(line);
    }
  }

  const control = createControl({ services, clock, gate, log, storeKind: deps.storeKind ?? 'sqlite', ...(deps.seed ? { seed: deps.seed } : {}) });
  const adminDeps: AdminDeps = {
    control,
    authenticator,
    adminKeys: new Set(config.credentials.filter((c) => c.admin).map((c) => c.accessKeyId)),
    localMode: config.credentials.length === 0,
    maxBodyBytes: config.maxBodyBytes,
  };

  listener.serve((req, res) => {
    const started = performance.now();
    const { path, query } = splitUrl(req.url ?? '/');
    if (path.startsWith(ADMIN_PREFIX)) void admin(req, res, path, query, started);
    else void kms(req, res, path, query, started);
  });

  const interval = deps.sweepIntervalMs ?? 10_000;
  const timer =
    interval > 0
      ? setInterval(() => control.sweep().catch((e: unknown) => log.error('sweep failed', { error: String(e) })), interval).unref()
      : undefined;

  return {
    url: listener.url,
    port: listener.port,
    ...control,
    async close(graceMs?: number) {
      if (timer) clearInterval(timer);
      await listener.close(graceMs);
      await services.usage.flush().catch((e: unknown) => log.error('usage flush failed', { error: String(e) }));
    },
  };
}
