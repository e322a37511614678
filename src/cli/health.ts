// `trent health [--url URL]`: asks a running Trent's GET /_trent/health and exits 0 when it answers ok, 1 when
// not: a container health check with nothing but the image's node. The URL defaults to this configuration's
// host and port (a wildcard host is reached on loopback).
import { loadConfig } from '../config.ts';
import { UsageError } from './usage-error.ts';

const TIMEOUT_MS = 3000;

export async function healthCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let url: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--url' || arg.startsWith('--url=')) {
      url = arg === '--url' ? argv[++i] : arg.slice('--url='.length);
      if (!url) throw new UsageError('--url needs a URL, such as http://127.0.0.1:4599');
    } else rest.push(arg);
  }
  if (url === undefined) {
    const config = loadConfig(rest, env);
    const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '[::1]' : config.host.includes(':') ? `[${config.host}]` : config.host;
    url = `http://${host}:${config.port}`;
  }
  try {
    const res = await fetch(new URL('/_trent/health', url), { signal: AbortSignal.timeout(TIMEOUT_MS) });
    const body = (await res.json()) as { status?: string };
    if (res.status === 200 && body.status === 'ok') {
      process.stdout.write(`${url}: ok\n`);
      return 0;
    }
    process.stderr.write(`trent: ${url}: not healthy (HTTP ${res.status})\n`);
  } catch (e) {
    process.stderr.write(`trent: ${url}: no answer (${(e as Error).message})\n`);
  }
  return 1;
}
