// The wrk load generator (Debian's `wrk`), as issue 12 measured: pre-signed requests replayed round-robin from a
// Lua script by one thread on its own core, keep-alive connections, wrk's own latency percentiles. Much lighter
// than a Node load generator, so the bare server's ceiling is the server's, not the generator's.
import { execFile, execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LoadJob, LoadResult } from './load.ts';
import type { PreparedRequest } from './sign.ts';

const run = promisify(execFile);

/** Whether wrk (and taskset, to keep it off the server's core) can be used here. */
export function wrkAvailable(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (e) {
    // wrk --version exits 1 after printing its version.
    if ((e as { status?: number }).status !== 1) return false;
  }
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const lua = (s: string) => JSON.stringify(s);

/** A Lua script that replays `reqs` round-robin and prints one result line when done. */
function script(reqs: readonly PreparedRequest[]): string {
  const formatted = reqs.map((r) => {
    // wrk adds Host and Content-Length itself; their values are the ones that were signed.
    const headers = Object.entries(r.headers)
      .filter(([k]) => k !== 'host' && k !== 'content-length')
      .map(([k, v]) => `[${lua(k)}] = ${lua(v)}`)
      .join(', ');
    return `  reqs[#reqs + 1] = wrk.format(${lua(r.method)}, ${lua(r.path)}, { ${headers} }, ${lua(r.body)})`;
  });
  return `local reqs = {}
local i = 0
init = function(args)
${formatted.join('\n')}
end
request = function()
  i = i + 1
  return reqs[(i - 1) % #reqs + 1]
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK_RESULT %d %d %d %d %d\\n", summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout))
end
`;
}

/** Runs wrk on core 1 against `job.url` for the warm-up (discarded) and then the measured time. */
export async function runWrk(job: Omit<LoadJob, 'id'>): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'trent-wrk-'));
  try {
    const file = join(dir, 'requests.lua');
    writeFileSync(file, script(job.reqs));
    const wrk = async (ms: number) => {
      const { stdout } = await run('taskset', ['-c', '1', 'wrk', '-t1', `-c${job.concurrency}`, `-d${Math.max(1, Math.round(ms / 1000))}s`, '--timeout', '10s', '-s', file, job.url]);
      const m = /WRK_RESULT (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(stdout);
      if (!m) throw new Error(`wrk printed no result:\n${stdout}`);
      return { requests: Number(m[1]), durationUs: Number(m[2]), p50Us: Number(m[3]), p99Us: Number(m[4]), errors: Number(m[5]) };
    };
    const warm = job.warmupMs > 0 ? await wrk(job.warmupMs) : undefined;
    if (job.measureMs <= 0) {
      return { id: 0, latencies: new Float64Array(0), elapsedMs: 0, errors: warm?.errors ?? 0, okBodyBytes: -1, windowUs: [0, 0] };
    }
    const r = await wrk(job.measureMs);
    return {
      id: 0,
      latencies: new Float64Array(0),
      elapsedMs: r.durationUs / 1000,
      errors: r.errors + (warm?.errors ?? 0),
      okBodyBytes: -1,
      windowUs: [0, 0],
      summary: { requests: r.requests, p50: r.p50Us / 1000, p99: r.p99Us / 1000 },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One request, its status, body size and (when not 200) its body. */
export function probe(url: string, req: PreparedRequest): Promise<{ status: number; bytes: number; text: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const r = request({ host: u.hostname, port: Number(u.port), method: req.method, path: req.path, headers: req.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, bytes: body.length, text: body.toString('utf8') });
      });
    });
    r.on('error', reject);
    r.end(req.body);
  });
}
