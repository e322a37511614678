// The `trent` command as a new user meets it: --version, --help, the `trent` bin as npm installs it, and the
// mistakes the README warns about (flags npm keeps for itself, a bare value) answered with how to do it right.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ROOT, runCommand, runTrent, spawnTrent } from '../helpers/cli.ts';

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('trent --version and --help', () => {
  test('--version prints the package version', async () => {
    for (const flag of ['--version', '-v']) assert.deepEqual(await runTrent([flag]), { code: 0, stdout: `${version}\n`, stderr: '' });
  });

  test('--help lists the commands and every option with its environment variable', async () => {
    const { code, stdout } = await runTrent(['--help']);
    assert.equal(code, 0);
    for (const text of ['trent [serve] [options]', 'trent seed check FILE', 'trent export', '--port N', '[TRENT_PORT]', '--seed FILE', '[TRENT_SEED]', '--data-dir DIR', ':memory:', 'TRENT_ROOT_KEY', 'npm start -- --port 4600', 'POST /_trent/reset']) {
      assert.ok(stdout.includes(text), text);
    }
  });
});

describe('command-line mistakes', () => {
  test('a bare value is refused with how options are given, through npm too', async () => {
    assert.deepEqual(await runTrent(['4752']), {
      code: 2,
      stdout: '',
      stderr: 'trent: unexpected argument "4752": options are --name value, as in trent serve --port 4599 (through npm: npm start -- --port 4599)\n',
    });
    assert.deepEqual(await runTrent(['serve', '--prot', '1']), {
      code: 2,
      stdout: '',
      stderr: `trent: unknown option --prot (known: --host, --port, --data-dir, --seed, --config, --default-account, --database-url, --sync, --max-body-bytes, --log, --root-key-file, --propagation-delay, --multi-region-delay, --insecure-listen)\n`,
    });
  });

  test('npm start --port 4752: npm keeps the flag, and Trent says so instead of starting on another port', async () => {
    const kept = await runCommand('npm', ['start', '--port', '4752']);
    assert.equal(kept.code, 2);
    assert.ok(kept.stderr.endsWith('trent: npm kept --port for itself instead of passing it to Trent: put Trent\'s options after --, as in npm start -- --port N\n'), kept.stderr);
    const withValue = await runCommand('npm', ['start', '--port=4752']);
    assert.equal(withValue.code, 2);
    assert.ok(withValue.stderr.endsWith('trent: npm kept --port for itself instead of passing it to Trent: put Trent\'s options after --, as in npm start -- --port 4752\n'), withValue.stderr);
  });

  test('npm start -- --port N passes the flags on', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trent-npm-'));
    dirs.push(dataDir);
    const server = await spawnTrent(['--port', '0', '--data-dir', dataDir], { command: ['npm', 'start', '--'] });
    try {
      assert.equal((await fetch(`${server.url}/_trent/health`)).status, 200);
    } finally {
      server.child.kill('SIGTERM');
      assert.deepEqual(await server.exited, { code: 0, signal: null });
    }
  });
});

describe('the trent bin', () => {
  test('installed as npm installs a package bin, `trent` runs the built server', async () => {
    const project = mkdtempSync(join(tmpdir(), 'trent-bin-'));
    dirs.push(project);
    mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(ROOT, join(project, 'node_modules', 'trent'));
    const { bin } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    symlinkSync(join('..', 'trent', bin.trent!), join(project, 'node_modules', '.bin', 'trent'));
    const env = { PATH: `${join(project, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` };
    assert.deepEqual(await runCommand('trent', ['--version'], { cwd: project, env }), { code: 0, stdout: `${version}\n`, stderr: '' });
    const server = await spawnTrent(['serve', '--port', '0', '--data-dir', ':memory:'], { command: [join(project, 'node_modules', '.bin', 'trent')], cwd: project });
    try {
      assert.deepEqual(await (await fetch(`${server.url}/_trent/health`)).json(), { status: 'ok', version, store: 'memory' });
    } finally {
      server.child.kill('SIGINT');
      assert.deepEqual(await server.exited, { code: 0, signal: null });
    }
  });
});
