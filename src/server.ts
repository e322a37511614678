// One request: read body (capped) → decode target → authenticate (SigV4) → parse and validate JSON
// against the model → operation handler → encode. KmsErrors go out as AWS errors; anything else is
// logged with the request id and answered as a 500 KMSInternalException with no internals.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.ts';
import { systemClock, type Clock, type Logger, type RequestOrigin } from './context.ts';
import { isKmsError, KmsError } from './errors.ts';
import { createMarkers, type Markers } from './keys/marker.ts';
import { sweepDue, type SweepResult } from './keys/sweep.ts';
import { UsageTracker } from './keys/usage-tracker.ts';
import { MaterialVault, RootKeyMismatchError } from './keys/vault.ts';
import { createLogger } from './log.ts';
import { RequestContext, type Services } from './request-context.ts';
import { checkGrantTokens } from './operations/grant-tokens.ts';
import { OPERATIONS } from './operations/index.ts';
import { Authorizer } from './authz/authorizer.ts';
import { PropagationDelay } from './authz/propagation.ts';
import { principalDirectory } from './iam/principals-config.ts';
import { decodeTarget, parseJsonBody, readBody, sendError, sendJson } from './protocol/aws-json.ts';
import { createAuthenticator, type Authenticator } from './protocol/sigv4.ts';
import { parseInput } from './protocol/validate.ts';
import type { Store } from './store/store.ts';

export interface TrentServer {
  url: string;
  port: number;
  /** Applies what has fallen due: deletions, automatic rotations, expiry of imported material. */
  sweep(): Promise<SweepResult>;
  close(): Promise<void>;
}

export interface ServerDeps {
  store: Store;
  /** 32 bytes; seals all key material (root-key.ts finds it). */
  rootKey: Uint8Array;
  /** Time for key lifecycles (deletion dates, creation dates). Signature freshness always uses the wall clock. */
  clock?: Clock;
  log?: Logger;
  /** How often the sweeper runs (deletions, rotations, expiry, usage records); 0 disables the timer. */
  sweepIntervalMs?: number;
}

const INTERNAL_MESSAGE = 'The request was rejected because an internal exception occurred. The request can be retried.';
const OPERATION_SET: ReadonlySet<string> = new Set(OPERATIONS.keys());

async function loadMarkers(store: Store): Promise<Markers> {
  // The marker secret lives in the database so markers stay valid across restarts and server nodes.
  const secret = await store.transaction(async (tx) => {
    const existing = await tx.getMeta('marker-secret');
    if (existing) return existing;
    const created = randomBytes(32).toString('base64');
    await tx.setMeta('marker-secret', created);
    return created;
  });
  return createMarkers(Buffer.from(secret, 'base64'));
}

/** Opens the vault, refusing a root key other than the one the database was first used with. */
async function openVault(store: Store, rootKey: Uint8Array): Promise<MaterialVault> {
  const vault = new MaterialVault(rootKey);
  await store.transaction(async (tx) => {
    const check = await tx.getMeta('root-key-check');
    if (check === undefined) await tx.setMeta('root-key-check', vault.checkValue());
    else if (!vault.matchesCheckValue(check)) {
      throw new RootKeyMismatchError('the root key does not match the one this database was created with; key material cannot be opened');
    }
  });
  return vault;
}

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

export async function startServer(config: Config, deps: ServerDeps): Promise<TrentServer> {
  const { store } = deps;
  const clock = deps.clock ?? systemClock;
  const log = deps.log ?? createLogger(config.logLevel);
  const markers = await loadMarkers(store);
  const vault = await openVault(store, deps.rootKey);
  const usage = new UsageTracker(store);
  const authenticator: Authenticator = createAuthenticator({
    credentials: config.credentials,
    defaultAccount: config.defaultAccount,
  });
  const propagation = new PropagationDelay(config.propagationDelaySeconds * 1000);
  const services: Services = {
    store,
    clock,
    log,
    markers,
    vault,
    usage,
    propagation,
    authorizer: new Authorizer(propagation),
    isKnownPrincipal: principalDirectory(config.credentials),
    multiRegionDelayMs: config.multiRegionDelayMs,
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    let operation: string | undefined;
    try {
      const body = await readBody(req, config.maxBodyBytes);
      operation = decodeTarget(req.headers['x-amz-target'], OPERATION_SET);
      const { path, query } = splitUrl(req.url ?? '/');
      const { caller, region } = authenticator.authenticate(
        { method: req.method ?? 'POST', path, query, rawHeaders: req.rawHeaders, body },
        Date.now(),
      );
      const input = parseInput(operation, parseJsonBody(body));
      checkGrantTokens(markers, operation, input);
      const ctx = new RequestContext(services, caller, region, requestId, operation, input, originOf(req));
      const output = await OPERATIONS.get(operation)!(input, ctx);
      sendJson(res, 200, requestId, output);
    } catch (err) {
      if (isKmsError(err)) {
        if (err.status >= 500) log.error('server fault', { requestId, operation, type: err.type });
        sendError(res, requestId, err);
      } else {
        log.error('internal error', { requestId, operation, error: err instanceof Error ? err.stack : String(err) });
        sendError(res, requestId, new KmsError('KMSInternalException', INTERNAL_MESSAGE));
      }
    }
  }

  const server: Server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const sweep = async (): Promise<SweepResult> => {
    await usage.flush();
    return store.transaction((tx) => sweepDue(tx, clock.now(), vault));
  };
  const interval = deps.sweepIntervalMs ?? 10_000;
  const timer =
    interval > 0
      ? setInterval(() => sweep().catch((e: unknown) => log.error('sweep failed', { error: String(e) })), interval).unref()
      : undefined;

  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    port,
    sweep,
    async close() {
      if (timer) clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await usage.flush().catch((e: unknown) => log.error('usage flush failed', { error: String(e) }));
    },
  };
}
