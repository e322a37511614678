// Stopping Trent however it was started: SIGTERM or Ctrl-C to `trent`, `kill <npm pid>` and Ctrl-C under
// `npm start`, even npm killed outright. Stopping is graceful: requests in flight are answered and their writes kept.
import { CreateKeyCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { cleanEnv, localClient, ROOT, type RunningCli, scratch, spawnTrent } from '../helpers/cli.ts';

const { fresh } = scratch('stop');

const client = localClient;

/** Whether anything still answers at `url`. */
async function answers(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/_trent/health`);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(url: string, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!(await answers(url))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Whether process `pid` still runs (an exited process whose new parent has not reaped it yet is a zombie: not running). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The pid of the Trent process under `npm start` (npm's child, once the script's `exec` has run). */
async function trentUnderNpm(npm: RunningCli): Promise<number> {
  const { execFileSync } = await import('node:child_process');
  const children = execFileSync('pgrep', ['-P', String(npm.child.pid)]).toString().trim().split('\n');
  assert.equal(children.length, 1);
  return Number(children[0]);
}

describe('stopping', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`${signal}: a request in flight is answered, its key kept, the process exits 0`, async () => {
      const dataDir = fresh();
      const server = await spawnTrent(['--port', '0', '--data-dir', dataDir]);
      const kms = client(server.url);
      // RSA_4096 generation keeps the request in flight while the signal arrives.
      const creating = kms.send(new CreateKeyCommand({ KeySpec: 'RSA_4096', KeyUsage: 'SIGN_VERIFY' }));
      await new Promise((r) => setTimeout(r, 50));
      server.child.kill(signal);
      const created = await creating;
      assert.deepEqual(await server.exited, { code: 0, signal: null });
      kms.destroy();
      assert.match(server.stderr(), new RegExp(`"msg":"stopping","reason":"${signal}"`));
      assert.match(server.stderr(), /"msg":"stopped"/);

      const again = await spawnTrent(['--port', '0', '--data-dir', dataDir, '--log', 'silent']);
      const kms2 = client(again.url);
      try {
        assert.deepEqual((await kms2.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId), [created.KeyMetadata!.KeyId]);
      } finally {
        kms2.destroy();
        await again.kill();
      }
    });
  }

  test('a second signal while requests finish stops at once', async () => {
    const server = await spawnTrent(['--port', '0', '--data-dir', ':memory:']);
    const kms = client(server.url);
    const creating = kms.send(new CreateKeyCommand({ KeySpec: 'RSA_4096', KeyUsage: 'SIGN_VERIFY' })).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 50));
    server.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 20));
    server.child.kill('SIGINT');
    assert.deepEqual(await server.exited, { code: 130, signal: null });
    assert.match(server.stderr(), /trent: stopping at once\n/);
    await creating;
    kms.destroy();
  });

  for (const [signal, what] of [
    ['SIGTERM', 'kill <npm pid> stops the server npm started (npm passes the signal on)'],
    ['SIGKILL', 'npm killed outright (SIGKILL): the server notices its parent is gone and stops'],
  ] as const) {
    test(what, async () => {
      const npm = await spawnTrent(['--port', '0', '--data-dir', fresh()], { command: ['npm', 'start', '--'] });
      const trent = await trentUnderNpm(npm);
      npm.child.kill(signal);
      await npm.exited;
      assert.equal(await waitUntilGone(npm.url, 5000), true);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(running(trent), false);
    });
  }

  test('Ctrl-C in the terminal of `npm start` (SIGINT to its process group) stops both', async () => {
    const child = spawn('npm', ['start', '--', '--port', '0', '--data-dir', fresh()], {
      cwd: ROOT,
      env: cleanEnv(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    const url = await new Promise<string>((resolve) =>
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /"msg":"ready","url":"([^"]+)"/.exec(err);
        if (m) resolve(m[1]!);
      }),
    );
    // The pipe closes once every process of the group holding it (npm and Trent) has exited.
    const closed = new Promise((r) => child.stderr.once('close', r));
    process.kill(-child.pid!, 'SIGINT');
    await closed;
    assert.equal(await answers(url), false);
    assert.match(err, /"msg":"stopped"/);
  });
});
