// `--profile`: separate servers under `node --cpu-prof` (Trent, the bare server and, with --profile-authz,
// Trent with authorization on), one run of one row each; prints CPU per request by function and by file
// for the first of them next to the others', so the gap is visible.
import { copyFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setUpAuthzKeys, USER_CREDENTIALS, writeAuthzConfig } from './authz.ts';
import { setUpKeys, type BenchKeys } from './keys.ts';
import type { Operation } from './operations.ts';
import type { Options } from './options.ts';
import { summarizeProfile, type ProfileSummary } from './profile.ts';
import { f0, table } from './report.ts';
import { ROOT, startBare, startTrent, stopChild, type Listening, type RunLoad } from './servers.ts';
import { CREDENTIALS, presign, type Credentials, type PreparedRequest } from './sign.ts';

interface Profiled {
  who: string;
  start: (nodeFlags: string[]) => Promise<Listening>;
  credentials: Credentials;
}

export async function profileOperation(op: Operation, tmp: string, opts: Options, run: RunLoad): Promise<void> {
  const trent: Profiled = { who: 'trent', start: (nodeFlags) => startTrent(join(tmp, 'data-prof'), { nodeFlags, fromSource: true }), credentials: CREDENTIALS };
  const bare: Profiled = { who: 'bare', start: (nodeFlags) => startBare(nodeFlags), credentials: CREDENTIALS };
  const authz: Profiled = {
    who: 'authz',
    start: (nodeFlags) => startTrent(join(tmp, 'data-prof-authz'), { nodeFlags, trentArgs: writeAuthzConfig(tmp), name: 'trent (authz)', fromSource: true }),
    credentials: USER_CREDENTIALS,
  };
  // The first is the one the tables sort by. All are started (and idle) at once; each is loaded in turn,
  // and only its measured window is counted.
  const servers = opts.profileAuthz ? [authz, trent, bare] : [trent, bare];
  const started = await Promise.all(servers.map((p) => p.start(['--cpu-prof', '--cpu-prof-dir', join(tmp, `prof-${p.who}`)])));
  const localKeys = await setUpKeys(started[servers.indexOf(trent)]!.url);
  // The bare server answers anything: it replays the local-development server's request bodies.
  const keysOf = async (p: Profiled, url: string): Promise<BenchKeys> => (p === authz ? setUpAuthzKeys(url) : localKeys);

  const out = new Map<string, { rps: number; requests: number; summary: ProfileSummary }>();
  for (const p of [...servers].reverse()) {
    const { url, child } = started[servers.indexOf(p)]!;
    const dir = join(tmp, `prof-${p.who}`);
    const reqs: PreparedRequest[] = [];
    for (const input of op.inputs(await keysOf(p, url))) reqs.push(await presign(url, op.name, input, p.credentials));
    const r = await run({ url, reqs, concurrency: opts.concurrency, warmupMs: opts.warmup * 1000, measureMs: opts.seconds * 1000 });
    if (r.errors > 0) throw new Error(`profiled ${p.who}: ${r.errors} errors; first: ${r.firstError}`);
    await stopChild(child); // SIGTERM → clean exit → V8 writes the profile
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no .cpuprofile written for ${p.who}`);
    const kept = join(tmpdir(), `trent-bench-${op.name}-${p.who}.cpuprofile`);
    copyFileSync(join(dir, file), kept);
    out.set(p.who, { rps: r.latencies.length / (r.elapsedMs / 1000), requests: r.latencies.length, summary: summarizeProfile(kept, ROOT, r.windowUs) });
  }

  const names = servers.map((s) => s.who);
  const first = out.get(names[0]!)!;
  const perReq = (ms: number | undefined, requests: number) => (ms === undefined ? '-' : ((ms * 1000) / requests).toFixed(1));
  const pct = (ms: number, total: number) => ((100 * ms) / total).toFixed(1);
  console.log(
    `\nCPU profile, ${op.label}, ${opts.seconds} s each under the profiler (${first.summary.windowed ? 'measured window only' : 'whole process'}; ` +
      `raw profiles: ${join(tmpdir(), `trent-bench-${op.name}-{${names.join(',')}}.cpuprofile`)})`,
  );
  console.log(
    '  ' +
      names
        .map((n, i) => {
          const m = out.get(n)!;
          return `${n} ${f0(m.rps)} req/s, ${perReq(m.summary.busyMs, m.requests)} µs${i === 0 ? ' CPU (main thread, not idle)' : ''} per request`;
        })
        .join('; '),
  );
  const rows = (key: 'functions' | 'files', top: number) =>
    [...first.summary[key].entries()]
      .filter(([k]) => k !== '(idle)')
      .sort((x, y) => y[1] - x[1])
      .slice(0, top)
      .map(([k, ms]) => [
        k,
        pct(ms, first.summary.busyMs),
        ...names.map((n) => {
          const m = out.get(n)!;
          return perReq(m.summary[key].get(k), m.requests);
        }),
      ]);
  const others = names.slice(1).join(' and ');
  const header = (what: string) => [what, '% busy', ...names.map((n) => `${n} µs/req`)];
  console.log(`\n${names[0]} self time by function (µs per request; ${others} for the same frame):`);
  console.log(table(header('function  file'), rows('functions', 15)));
  console.log(`\n${names[0]} self time by file:`);
  console.log(table(header('file'), rows('files', 12)));
}
