// Runs the built `trent` command (dist/main.js, what `npm start` and the bin run) as a child process: one that
// serves until stopped, or one that exits; output captured, environment free of the caller's TRENT_* settings.
import { KMSClient } from '@aws-sdk/client-kms';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const TRENT_BIN = join(ROOT, 'dist', 'main.js');

/** A scratch directory removed after the test file, and `fresh()`, a new path in it at each call. */
export function scratch(prefix: string): { base: string; fresh: () => string } {
  const base = mkdtempSync(join(tmpdir(), `trent-${prefix}-`));
  after(() => rmSync(base, { recursive: true, force: true }));
  let n = 0;
  return { base, fresh: () => join(base, `data-${n++}`) };
}

/** An SDK client for a server in local-development mode, as the default account's root. */
export const localClient = (endpoint: string, region = 'us-east-1') =>
  new KMSClient({ endpoint, region, credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' }, maxAttempts: 1 });

/**
 * The environment a user's shell would give: no TRENT_* variables, no npm lifecycle variables, and not the
 * variable by which node:test makes a child `node --test` report to it instead of to its output.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('TRENT_') && !k.startsWith('npm_') && k !== 'NODE_TEST_CONTEXT'),
  );
  return { ...env, ...extra };
}

export interface RunningCli {
  child: ChildProcess;
  url: string;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL, if still running. */
  kill(): Promise<void>;
}

/** Starts `node dist/main.js <args>` and resolves once it announces its URL (the `ready` line). */
export function spawnTrent(args: string[], opts: { env?: Record<string, string>; cwd?: string; command?: string[] } = {}): Promise<RunningCli> {
  const [cmd, ...cmdArgs] = opts.command ?? [process.execPath, TRENT_BIN];
  const child = spawn(cmd!, [...cmdArgs, ...args], { cwd: opts.cwd ?? ROOT, env: cleanEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`trent announced no URL within 20 s: ${out}${err}`));
    }, 20_000);
    const look = () => {
      const m = /"msg":"ready","url":"(http:\/\/[^"]+)"/.exec(err) ?? /Trent listening on (http:\/\/\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onOut);
      child.stderr!.off('data', onErr);
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      resolve({
        child,
        url: m[1]!,
        stdout: () => out,
        stderr: () => err,
        exited,
        async kill() {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGKILL');
            await exited;
          }
        },
      });
    };
    const onOut = (d: Buffer) => {
      out += d.toString();
      look();
    };
    const onErr = (d: Buffer) => {
      err += d.toString();
      look();
    };
    child.stdout!.on('data', onOut);
    child.stderr!.on('data', onErr);
    void exited.then(({ code, signal }) => reject(new Error(`trent exited early (${code ?? signal}): ${out}${err}`)));
  });
}

/** Runs a command to completion with a clean environment (and `env` added), capturing its output. */
export function runCommand(
  cmd: string,
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(cmd, args, { cwd: opts.cwd ?? ROOT, env: cleanEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** Runs `node dist/main.js <args>` to completion. */
export function runTrent(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}) {
  return runCommand(process.execPath, [TRENT_BIN, ...args], opts);
}
