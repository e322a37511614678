// The HTTP socket. `trent serve` binds it before it creates anything, so a taken port fails with nothing
// created; requests that arrive before the server is ready wait for it. Closing is graceful: no new
// connections, requests in flight answered, idle keep-alive connections closed, then the rest after a grace.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Listener {
  readonly url: string;
  readonly port: number;
  /** Starts answering with `handler`, first the requests that waited. */
  serve(handler: RequestHandler): void;
  /** Stops accepting, lets requests in flight finish (at most `graceMs`), then closes every connection. */
  close(graceMs?: number): Promise<void>;
}

export class ListenError extends Error {}

const DEFAULT_GRACE_MS = 10_000;

export async function listen(host: string, port: number): Promise<Listener> {
  let handler: RequestHandler | undefined;
  const waiting: [IncomingMessage, ServerResponse][] = [];
  const server: Server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    if (handler !== undefined) handler(req, res);
    else waiting.push([req, res]);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new ListenError(listenFailure(e, host, port))));
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${bound}`,
    port: bound,
    serve(h) {
      handler = h;
      for (const [req, res] of waiting.splice(0)) h(req, res);
    },
    close(graceMs = DEFAULT_GRACE_MS) {
      closing ??= new Promise<void>((resolve) => {
        const closed = () => {
          clearInterval(idleSweep);
          clearTimeout(deadline);
          resolve();
        };
        server.close(closed);
        // A keep-alive connection is idle once its response is written; close those as they appear.
        server.closeIdleConnections();
        const idleSweep = setInterval(() => server.closeIdleConnections(), 25);
        const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
        deadline.unref();
      });
      return closing;
    },
  };
}

function listenFailure(e: NodeJS.ErrnoException, host: string, port: number): string {
  switch (e.code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use (another Trent, or another server?): choose another with --port, or --port 0 for any free port`;
    case 'EACCES':
      return `not allowed to listen on ${host}:${port} (ports below 1024 need privileges): choose another with --port`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine: choose another with --host`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the host name ${host}: give an IP address with --host`;
    default:
      return `cannot listen on ${host}:${port}: ${e.message}`;
  }
}
