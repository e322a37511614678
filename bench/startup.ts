// Start-up: the time from spawning `node <file>` to the first answered request, and the resident memory of the
// serving process then, for Trent's built server (on a new data directory and on one that exists) and for the bare
// node:http server started the same way, runs interleaved so that machine noise hits them alike. The request is
// a signed ListKeys, sent every 2 ms from the moment of the spawn until one is answered.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { percent, table } from './report.ts';
import { BARE_ENTRY, ROOT, trentEntry } from './servers.ts';
import { presign, type PreparedRequest } from './sign.ts';

// Targets of issue 11: at most twice the bare server and 300 ms to the first answer; at most 80 MB resident.
const RATIO_TARGET = 2;
const MS_TARGET = 300;
const RSS_TARGET_MB = 80;

interface Sample {
  ms: number;
  rssMb: number;
}

interface Contender {
  name: string;
  args: (port: number) => string[];
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

/** Resolves when `req` is answered (any HTTP status); rejects when the connection is refused. */
function attempt(port: number, req: PreparedRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers: req.headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    r.on('error', reject);
    r.end(req.body);
  });
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function once(c: Contender): Promise<Sample> {
  const port = await freePort();
  const req = await presign(`http://127.0.0.1:${port}`, 'ListKeys', {});
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TRENT_')));
  const t0 = performance.now();
  const child = spawn(process.execPath, c.args(port), { cwd: ROOT, env, stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let dead = false;
  void exited.then(() => (dead = true));
  try {
    for (;;) {
      if (dead) throw new Error(`${c.name} exited before answering`);
      try {
        const status = await attempt(port, req);
        if (status !== 200) throw new Error(`${c.name} answered ${status}`);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ECONNREFUSED') throw e;
        await new Promise((r) => setTimeout(r, 2));
      }
    }
    const ms = performance.now() - t0;
    return { ms, rssMb: rssMb(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Measures and prints the start-up table; resolves false when a target is missed. */
export async function measureStartup(runs: number): Promise<boolean> {
  const tmp = mkdtempSync(join(tmpdir(), 'trent-startup-'));
  const existing = join(tmp, 'existing');
  let fresh = 0;
  const contenders: Contender[] = [
    { name: 'bare node:http', args: (port) => [...BARE_ENTRY, String(port)] },
    { name: 'Trent, new data directory', args: (port) => [...trentEntry(), 'serve', '--port', String(port), '--data-dir', join(tmp, `new-${fresh++}`), '--log', 'silent'] },
    { name: 'Trent, existing data directory', args: (port) => [...trentEntry(), 'serve', '--port', String(port), '--data-dir', existing, '--log', 'silent'] },
  ];
  try {
    await once(contenders[2]!); // creates the existing data directory; also warms the file cache for all
    await once(contenders[0]!);
    const samples = contenders.map(() => [] as Sample[]);
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? [0, 1, 2] : [2, 1, 0];
      for (const j of order) samples[j]!.push(await once(contenders[j]!));
    }
    const bare = samples[0]!;
    const rows = contenders.map((c, j) => {
      const s = samples[j]!;
      const ratios = s.map((x, i) => x.ms / bare[i]!.ms);
      return { name: c.name, ms: median(s.map((x) => x.ms)), min: Math.min(...s.map((x) => x.ms)), max: Math.max(...s.map((x) => x.ms)), ratio: median(ratios), rss: median(s.map((x) => x.rssMb)), rssMax: Math.max(...s.map((x) => x.rssMb)) };
    });
    console.log(`\nstart-up: spawn of \`node <file>\` → first answered signed ListKeys; ${runs} runs each, interleaved; RSS of the serving process then\n`);
    console.log(
      table(
        ['server', 'median ms', 'min', 'max', '× bare (median of pairs)', 'RSS MB (median)', 'RSS max'],
        rows.map((r) => [r.name, r.ms.toFixed(0), r.min.toFixed(0), r.max.toFixed(0), r.ratio.toFixed(2), r.rss.toFixed(1), r.rssMax.toFixed(1)]),
      ),
    );
    let ok = true;
    for (const r of rows.slice(1)) {
      if (r.ratio > RATIO_TARGET || r.ms > MS_TARGET || r.rss > RSS_TARGET_MB) {
        ok = false;
        console.log(`\n${r.name}: ${r.ms.toFixed(0)} ms (${percent(r.ms, rows[0]!.ms)} of bare), ${r.rss.toFixed(1)} MB: target ≤ ${RATIO_TARGET}× bare, ≤ ${MS_TARGET} ms, ≤ ${RSS_TARGET_MB} MB`);
      }
    }
    return ok;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
