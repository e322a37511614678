// `npm run bench`: Trent (child process, fresh data dir, default durability, local-development mode) against a
// bare node:http baseline (child), driven by a load-generator child replaying pre-signed KMS requests.
// Flags: --seconds N (5) --warmup N (1) --slice N (1) --concurrency N (32) --profile [--profile-op OP]
// --only OP,OP --tag-writes (--help).
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateKeyCommand, EncryptCommand, KMSClient, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { DEFAULTS } from '../src/config.ts';
import type { LoadJob, LoadResult } from './load.ts';
import { summarizeProfile, type ProfileSummary } from './profile.ts';
import { CREDENTIALS, presign, REGION, type PreparedRequest } from './sign.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Options {
  seconds: number;
  warmup: number;
  slice: number;
  concurrency: number;
  profile: boolean;
  /** Operation label the profile run loads (default ListResourceTags). */
  profileOp: string;
  /** Operation labels to measure; empty = all. */
  only: string[];
  tagWrites: boolean;
}

const USAGE = `usage: npm run bench -- [options]
  --seconds N      measured seconds per server and operation (default 5)
  --warmup N       unmeasured warm-up seconds per server and operation (default 1)
  --slice N        the measured seconds are taken in alternating slices of about N s, Trent and bare
                   interleaved, so machine noise hits both alike (default 1)
  --concurrency N  in-flight requests (default 32)
  --profile        afterwards, CPU-profile a separate Trent and bare server (node --cpu-prof) on one
                   ListResourceTags run each and print CPU per request by function and file
  --profile-op OP  profile operation OP (a row label, e.g. Encrypt) instead of ListResourceTags; implies --profile
  --only OP,OP     measure only these rows (labels as printed, e.g. Encrypt,Decrypt)
  --tag-writes     add a TagResource row whose tag value alternates x/y, so every commit writes (and fsyncs);
                   the plain TagResource row re-puts an identical tag, which SQLite commits without writing`;

function parseOptions(argv: string[]): Options {
  const o: Options = { seconds: 5, warmup: 1, slice: 1, concurrency: 32, profile: false, profileOp: 'ListResourceTags', only: [], tagWrites: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (name === '--help' || name === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (name === '--profile' || name === '--tag-writes') {
      o[name === '--profile' ? 'profile' : 'tagWrites'] = true;
      continue;
    }
    if (name === '--profile-op' || name === '--only') {
      const value = inline ?? argv[++i];
      if (!value) throw new Error(`missing value for ${name}`);
      if (name === '--only') o.only = value.split(',');
      else [o.profile, o.profileOp] = [true, value];
      continue;
    }
    if (name !== '--seconds' && name !== '--warmup' && name !== '--slice' && name !== '--concurrency') {
      throw new Error(`unknown option ${name}\n${USAGE}`);
    }
    const value = Number(inline ?? argv[++i]);
    const min = name === '--warmup' ? 0 : Number.MIN_VALUE;
    if (!Number.isFinite(value) || value < min || (name === '--concurrency' && !Number.isInteger(value))) {
      throw new Error(`invalid value for ${name}`);
    }
    o[name.slice(2) as 'seconds' | 'warmup' | 'slice' | 'concurrency'] = value;
  }
  return o;
}

// ---- child processes -------------------------------------------------------------------------------

const children = new Set<ChildProcess>();

function track<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function stopAll(): Promise<void> {
  await Promise.all([...children].map(stopChild));
}

/** Spawns `node <nodeArgs>` and resolves with the URL once a stdout line matches `ready`. */
function startListening(name: string, nodeArgs: string[], ready: RegExp): Promise<{ child: ChildProcess; url: string }> {
  // Default configuration means no TRENT_* overrides leak in from the caller's environment.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TRENT_')));
  const child = track(spawn(process.execPath, nodeArgs, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${name} did not start within 30 s`)), 30_000);
    const fail = (e: Error) => {
      clearTimeout(timer);
      reject(new Error(`${e.message}\n--- ${name} stdout ---\n${stdout}--- ${name} stderr ---\n${stderr}`));
    };
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      const m = ready.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.once('exit', (code, signal) => fail(new Error(`${name} exited early (code ${code}, signal ${signal})`)));
    child.once('error', fail);
  });
}

function startTrent(dataDir: string, extraNodeFlags: string[] = []) {
  return startListening(
    'trent',
    [...extraNodeFlags, '--import', 'tsx', 'src/main.ts', '--port', '0', '--data-dir', dataDir, '--log', 'silent'],
    /Trent listening on (http:\/\/\S+)/,
  );
}

function startLoadGenerator() {
  const child = track(
    fork(join(ROOT, 'bench/load.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced', // latencies travel as Float64Array
    }),
  );
  let nextId = 1;
  const run = (job: Omit<LoadJob, 'id'>): Promise<LoadResult> => {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const onMessage = (r: LoadResult) => {
        if (r.id !== id) return;
        cleanup();
        resolve(r);
      };
      const onExit = () => {
        cleanup();
        reject(new Error('load generator exited'));
      };
      const cleanup = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send({ ...job, id } satisfies LoadJob);
    });
  };
  return { child, run };
}

// ---- set-up through the real SDK -------------------------------------------------------------------

interface BenchKeys {
  taggedKeyId: string;
  tagTargetKeyId: string;
  /** SYMMETRIC_DEFAULT key for Encrypt, Decrypt and GenerateDataKey. */
  encryptKeyId: string;
  /** Base64 ciphertext of PLAINTEXT under encryptKeyId, for Decrypt. */
  ciphertext: string;
  /** ECC_NIST_P256 SIGN_VERIFY key for Sign. */
  signKeyId: string;
}

/** 64 bytes: a typical small secret or data key sent to Encrypt. */
const PLAINTEXT = Buffer.alloc(64, 0x61);

async function setUpKeys(url: string): Promise<BenchKeys> {
  const client = new KMSClient({ endpoint: url, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  try {
    const Tags = Array.from({ length: 10 }, (_, i) => ({ TagKey: `tag-${i}`, TagValue: `value-${i}` }));
    const tagged = await client.send(new CreateKeyCommand({ Description: 'bench: key with 10 tags', Tags }));
    const target = await client.send(new CreateKeyCommand({ Description: 'bench: TagResource target' }));
    const taggedKeyId = tagged.KeyMetadata!.KeyId!;
    const listed = await client.send(new ListResourceTagsCommand({ KeyId: taggedKeyId }));
    if (listed.Tags?.length !== 10) throw new Error(`set-up: expected 10 tags, got ${listed.Tags?.length}`);
    const encryptKey = await client.send(new CreateKeyCommand({ Description: 'bench: symmetric encryption key' }));
    const encryptKeyId = encryptKey.KeyMetadata!.KeyId!;
    const encrypted = await client.send(new EncryptCommand({ KeyId: encryptKeyId, Plaintext: PLAINTEXT }));
    const signKey = await client.send(
      new CreateKeyCommand({ Description: 'bench: signing key', KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    return {
      taggedKeyId,
      tagTargetKeyId: target.KeyMetadata!.KeyId!,
      encryptKeyId,
      ciphertext: Buffer.from(encrypted.CiphertextBlob!).toString('base64'),
      signKeyId: signKey.KeyMetadata!.KeyId!,
    };
  } finally {
    client.destroy();
  }
}

interface Operation {
  label: string;
  name: string;
  /** Request bodies, replayed round-robin. */
  inputs: (k: BenchKeys) => unknown[];
}

const tagInput = (k: BenchKeys, value: string) => ({ KeyId: k.tagTargetKeyId, Tags: [{ TagKey: 'bench', TagValue: value }] });
const OPERATIONS: Operation[] = [
  { label: 'ListResourceTags', name: 'ListResourceTags', inputs: (k) => [{ KeyId: k.taggedKeyId }] },
  // The same tag every time, so the key never passes 50 tags.
  { label: 'TagResource', name: 'TagResource', inputs: (k) => [tagInput(k, 'x')] },
  { label: 'DescribeKey', name: 'DescribeKey', inputs: (k) => [{ KeyId: k.taggedKeyId }] },
  { label: 'Encrypt', name: 'Encrypt', inputs: (k) => [{ KeyId: k.encryptKeyId, Plaintext: PLAINTEXT.toString('base64') }] },
  { label: 'Decrypt', name: 'Decrypt', inputs: (k) => [{ CiphertextBlob: k.ciphertext }] },
  { label: 'GenerateDataKey', name: 'GenerateDataKey', inputs: (k) => [{ KeyId: k.encryptKeyId, KeySpec: 'AES_256' }] },
  // ECC_NIST_P256 key, ECDSA_SHA_256 over a 13-byte RAW message.
  {
    label: 'Sign',
    name: 'Sign',
    inputs: (k) => [{ KeyId: k.signKeyId, Message: Buffer.from('bench message').toString('base64'), MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' }],
  },
];
const TAG_WRITES: Operation = { label: 'TagResource (x/y)', name: 'TagResource', inputs: (k) => [tagInput(k, 'x'), tagInput(k, 'y')] };

// ---- statistics over slices ------------------------------------------------------------------------

interface Measurement {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  firstError: string | undefined;
  okBodyBytes: number;
  sliceRps: number[];
}

function combine(warmups: LoadResult[], slices: LoadResult[]): Measurement {
  const all = new Float64Array(slices.reduce((n, r) => n + r.latencies.length, 0));
  let at = 0;
  for (const r of slices) {
    all.set(r.latencies, at);
    at += r.latencies.length;
  }
  all.sort();
  const n = all.length;
  const pct = (q: number) => (n === 0 ? NaN : all[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!);
  const seconds = slices.reduce((t, r) => t + r.elapsedMs, 0) / 1000;
  const runs = [...warmups, ...slices];
  return {
    requests: n,
    rps: n / seconds,
    p50: pct(0.5),
    p99: pct(0.99),
    errors: runs.reduce((e, r) => e + r.errors, 0),
    firstError: runs.find((r) => r.firstError !== undefined)?.firstError,
    okBodyBytes: Math.max(...runs.map((r) => r.okBodyBytes)),
    sliceRps: slices.map((r) => r.latencies.length / (r.elapsedMs / 1000)),
  };
}

// ---- output ----------------------------------------------------------------------------------------

const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toString() : '-');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '-');

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') + ' |';
  const rule = '|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|';
  return [line(header), rule, ...rows.map(line)].join('\n');
}

// ---- main ------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  const tmp = mkdtempSync(join(tmpdir(), 'trent-bench-'));
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    void stopAll().finally(() => {
      rmSync(tmp, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const load = startLoadGenerator();
    const [trent, bare] = await Promise.all([
      startTrent(join(tmp, 'data')),
      startListening('bare server', ['--import', 'tsx', 'bench/bare-server.ts'], /bare listening on (http:\/\/\S+)/),
    ]);
    const keys = await setUpKeys(trent.url);
    const sync = DEFAULTS.sync;
    console.log(`Trent ${trent.url} (data dir ${join(tmp, 'data')}), bare ${bare.url}`);
    console.log(`durability: SQLite synchronous=${sync} (Trent default; no --sync flag, TRENT_* env cleared)`);
    console.log(
      `load: separate process, ${opts.concurrency} in-flight requests; per operation and server ${opts.warmup} s warm-up, ` +
        `then ${opts.seconds} s measured in ${Math.max(1, Math.round(opts.seconds / opts.slice))} slices alternating with the other server\n`,
    );

    type Who = 'trent' | 'bare';
    const urls: Record<Who, string> = { trent: trent.url, bare: bare.url };
    const pairs = Math.max(1, Math.round(opts.seconds / opts.slice));
    const sliceMs = (opts.seconds * 1000) / pairs;
    const all = opts.tagWrites ? [...OPERATIONS, TAG_WRITES] : OPERATIONS;
    const operations = opts.only.length === 0 ? all : all.filter((op) => opts.only.includes(op.label));
    if (operations.length === 0) throw new Error(`--only matches no operation; labels: ${all.map((op) => op.label).join(', ')}`);
    const profiled = [...OPERATIONS, TAG_WRITES].find((op) => op.label === opts.profileOp);
    if (!profiled) throw new Error(`--profile-op: no operation labelled ${opts.profileOp}`);

    const results: { op: string; trent: Measurement; bare: Measurement }[] = [];
    for (const [i, op] of operations.entries()) {
      // Signed once per operation and server: replayed for ~12 s, well inside the 5-minute window.
      const reqs: Record<Who, PreparedRequest[]> = { trent: [], bare: [] };
      for (const who of ['trent', 'bare'] as const) {
        for (const input of op.inputs(keys)) reqs[who].push(await presign(urls[who], op.name, input));
      }
      const run = (who: Who, warmupMs: number, measureMs: number) =>
        load.run({ url: urls[who], reqs: reqs[who], concurrency: opts.concurrency, warmupMs, measureMs });
      // Order alternates per operation, and within it slice by slice (A B B A A B ...).
      const order = (j: number): Who[] => ((i + j) % 2 === 0 ? ['bare', 'trent'] : ['trent', 'bare']);
      const warm: Record<Who, LoadResult[]> = { trent: [], bare: [] };
      const slices: Record<Who, LoadResult[]> = { trent: [], bare: [] };
      if (opts.warmup > 0) for (const who of order(0)) warm[who].push(await run(who, opts.warmup * 1000, 0));
      for (let j = 0; j < pairs; j++) for (const who of order(j)) slices[who].push(await run(who, 0, sliceMs));
      const got = { trent: combine(warm.trent, slices.trent), bare: combine(warm.bare, slices.bare) };
      for (const who of order(0)) {
        const m = got[who];
        console.log(
          `  ${op.label.padEnd(17)} ${who.padEnd(5)} ${f0(m.rps).padStart(6)} req/s  p50 ${f2(m.p50)} ms  p99 ${f2(m.p99)} ms  ` +
            `errors ${m.errors}  slices ${m.sliceRps.map(f0).join('/')} req/s  (${m.okBodyBytes} B answers)`,
        );
      }
      results.push({ op: op.label, ...got });
    }

    console.log(`\ndurability: synchronous=${sync}; concurrency ${opts.concurrency}; ${opts.seconds} s per measurement\n`);
    console.log(
      table(
        ['operation', 'trent req/s', 'p50 ms', 'p99 ms', 'bare req/s', 'p50', 'p99', 'ratio'],
        results.map(({ op, trent: t, bare: b }) => [
          op,
          f0(t.rps),
          f2(t.p50),
          f2(t.p99),
          f0(b.rps),
          f2(b.p50),
          f2(b.p99),
          `${((100 * t.rps) / b.rps).toFixed(1)}%`,
        ]),
      ),
    );

    let failed = false;
    for (const { op, trent: t, bare: b } of results) {
      if (t.errors > 0 || t.requests === 0) {
        failed = true;
        console.error(`\nTrent ${op}: ${t.errors} error(s), ${t.requests} measured requests. First error: ${t.firstError ?? '(none)'}`);
      }
      if (b.errors > 0) console.error(`\nbare server ${op}: ${b.errors} error(s). First error: ${b.firstError ?? ''}`);
    }

    // Targets: ListResourceTags at 50% of the bare server, symmetric Encrypt and Decrypt at 40%.
    const targets: Record<string, number> = { ListResourceTags: 50, Encrypt: 40, Decrypt: 40 };
    if (opts.profile) {
      await profileOperation(profiled, tmp, opts, load.run);
    } else {
      for (const r of results) {
        const ratio = (100 * r.trent.rps) / r.bare.rps;
        const target = targets[r.op];
        if (target !== undefined && ratio < target) {
          console.log(`\n${r.op} is at ${ratio.toFixed(1)}% of the bare server (target ${target}%); \`npm run bench -- --profile-op ${r.op}\` CPU-profiles it.`);
        }
      }
    }
    return failed ? 1 : 0;
  } catch (e) {
    if (!interrupted) console.error(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 1;
  } finally {
    await stopAll();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * A separate Trent and bare server, both under `node --cpu-prof`, one run of `op` each; prints CPU per
 * request by function and by file for Trent next to the bare server's, so the gap is visible.
 */
async function profileOperation(op: Operation, tmp: string, opts: Options, run: (job: Omit<LoadJob, 'id'>) => Promise<LoadResult>) {
  const dirs = { trent: join(tmp, 'prof-trent'), bare: join(tmp, 'prof-bare') };
  const trent = await startTrent(join(tmp, 'data-prof'), ['--cpu-prof', '--cpu-prof-dir', dirs.trent]);
  const bare = await startListening(
    'bare server',
    ['--cpu-prof', '--cpu-prof-dir', dirs.bare, '--import', 'tsx', 'bench/bare-server.ts'],
    /bare listening on (http:\/\/\S+)/,
  );
  const keys = await setUpKeys(trent.url);
  const servers = { trent, bare };
  const out: Partial<Record<'trent' | 'bare', { rps: number; requests: number; summary: ProfileSummary }>> = {};
  for (const who of ['bare', 'trent'] as const) {
    const { url, child } = servers[who];
    const reqs: PreparedRequest[] = [];
    for (const input of op.inputs(keys)) reqs.push(await presign(url, op.name, input));
    const r = await run({ url, reqs, concurrency: opts.concurrency, warmupMs: opts.warmup * 1000, measureMs: opts.seconds * 1000 });
    if (r.errors > 0) throw new Error(`profiled ${who}: ${r.errors} errors; first: ${r.firstError}`);
    await stopChild(child); // SIGTERM → clean exit → V8 writes the profile
    const file = readdirSync(dirs[who]).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no .cpuprofile written for ${who}`);
    const kept = join(tmpdir(), `trent-bench-${op.name}-${who}.cpuprofile`);
    copyFileSync(join(dirs[who], file), kept);
    out[who] = { rps: r.latencies.length / (r.elapsedMs / 1000), requests: r.latencies.length, summary: summarizeProfile(kept, ROOT, r.windowUs) };
  }
  const t = out.trent!;
  const b = out.bare!;
  const perReq = (ms: number | undefined, requests: number) => (ms === undefined ? '-' : ((ms * 1000) / requests).toFixed(1));
  const pct = (ms: number, total: number) => ((100 * ms) / total).toFixed(1);
  console.log(
    `\nCPU profile, ${op.label}, ${opts.seconds} s each under the profiler (${t.summary.windowed ? 'measured window only' : 'whole process'}; ` +
      `raw profiles: ${join(tmpdir(), `trent-bench-${op.name}-{trent,bare}.cpuprofile`)})`,
  );
  console.log(
    `  trent ${f0(t.rps)} req/s, ${perReq(t.summary.busyMs, t.requests)} µs CPU (main thread, not idle) per request; ` +
      `bare ${f0(b.rps)} req/s, ${perReq(b.summary.busyMs, b.requests)} µs per request`,
  );
  const rows = (key: 'functions' | 'files', top: number) =>
    [...t.summary[key].entries()]
      .filter(([k]) => k !== '(idle)')
      .sort((x, y) => y[1] - x[1])
      .slice(0, top)
      .map(([k, ms]) => [k, pct(ms, t.summary.busyMs), perReq(ms, t.requests), perReq(b.summary[key].get(k), b.requests)]);
  console.log('\nTrent self time by function (µs per request; bare server for the same frame):');
  console.log(table(['function  file', '% busy', 'trent µs/req', 'bare µs/req'], rows('functions', 15)));
  console.log('\nTrent self time by file:');
  console.log(table(['file', '% busy', 'trent µs/req', 'bare µs/req'], rows('files', 12)));
}

process.exitCode = await main();
