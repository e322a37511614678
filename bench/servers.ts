// The bench's child processes: Trent (the built server, dist/main.js, as `npm start` runs it; from source under
// the profiler, whose report names source files), the bare node:http baseline and the load generator, each
// tracked so that one call stops them all, whatever happens to the run.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadJob, LoadResult } from './load.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface Listening {
  child: ChildProcess;
  url: string;
}

const children = new Set<ChildProcess>();

function track<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].map(stopChild));
}

/** The core every server runs on when set (`taskset -c`), so that each gets one core and the load generator another. */
let serverCore: number | undefined;
export function pinServers(core: number | undefined): void {
  serverCore = core;
}

/** Spawns `node <nodeArgs>` and resolves with the URL once a stdout line matches `ready`. */
function startListening(name: string, nodeArgs: string[], ready: RegExp): Promise<Listening> {
  // Default configuration means no TRENT_* overrides leak in from the caller's environment.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TRENT_')));
  const [cmd, args] = serverCore === undefined ? [process.execPath, nodeArgs] : ['taskset', ['-c', String(serverCore), process.execPath, ...nodeArgs]];
  const child = track(spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }));
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

/** The node arguments that start Trent: the built server, or with `fromSource` the TypeScript through tsx. */
export const trentEntry = (fromSource = false): string[] => (fromSource ? ['--import', 'tsx', 'src/main.ts'] : ['dist/main.js']);
export const BARE_ENTRY = ['bench/bare-server.mjs'];

/** Trent with default settings on a fresh data dir; `trentArgs` adds e.g. `--config` for principals. */
export function startTrent(
  dataDir: string,
  opts: { nodeFlags?: string[]; trentArgs?: string[]; name?: string; fromSource?: boolean } = {},
): Promise<Listening> {
  return startListening(
    opts.name ?? 'trent',
    [...(opts.nodeFlags ?? []), ...trentEntry(opts.fromSource), 'serve', '--port', '0', '--data-dir', dataDir, '--log', 'silent', ...(opts.trentArgs ?? [])],
    /Trent listening on (http:\/\/\S+)/,
  );
}

export function startBare(nodeFlags: string[] = []): Promise<Listening> {
  return startListening('bare server', [...nodeFlags, ...BARE_ENTRY], /bare listening on (http:\/\/\S+)/);
}

export type RunLoad = (job: Omit<LoadJob, 'id'>) => Promise<LoadResult>;

export function startLoadGenerator(): { child: ChildProcess; run: RunLoad } {
  const child = track(
    fork(join(ROOT, 'bench/load.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced', // latencies travel as Float64Array
    }),
  );
  let nextId = 1;
  const run: RunLoad = (job) => {
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
