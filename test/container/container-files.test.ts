// The Dockerfile and compose.yaml cannot be built here (no container engine). What they rely on is tested: the
// image's start command with its environment starts the real server, its health check command passes against it
// and fails without it, the compose service's environment and seed work, and the files agree with each other.
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { ROOT, runCommand, spawnTrent } from '../helpers/cli.ts';

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const compose = parseYaml(readFileSync(join(ROOT, 'compose.yaml'), 'utf8')) as {
  services: { trent: { ports: string[]; volumes: string[]; environment: Record<string, string>; stop_signal: string } };
};
const base = mkdtempSync(join(tmpdir(), 'trent-container-'));
after(() => rmSync(base, { recursive: true, force: true }));

/** Instructions of the Dockerfile's last stage, continuation lines joined, comments dropped. */
function runStage(): string[] {
  const lines = dockerfile.replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const stages = lines.map((l, i) => (l.startsWith('FROM ') ? i : -1)).filter((i) => i >= 0);
  return lines.slice(stages.at(-1));
}
const stage = runStage();
const instruction = (name: string) => stage.filter((l) => l.startsWith(`${name} `)).map((l) => l.slice(name.length + 1));
const json = (name: string) => JSON.parse(instruction(name).at(-1)!) as string[];
const imageEnv = Object.fromEntries(instruction('ENV').flatMap((l) => [...l.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!])));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

describe('Dockerfile', () => {
  test('the run stage: non-root, /data volume, port 4599, the same settings in ENV, EXPOSE and VOLUME', () => {
    assert.deepEqual(instruction('USER'), ['node']);
    assert.deepEqual(instruction('EXPOSE'), [imageEnv.TRENT_PORT]);
    assert.deepEqual(instruction('VOLUME'), [`["${imageEnv.TRENT_DATA_DIR}"]`]);
    assert.equal(imageEnv.TRENT_PORT, '4599');
    assert.equal(imageEnv.TRENT_DATA_DIR, '/data');
    assert.match(instruction('HEALTHCHECK')[0]!, /^--interval=\S+ --timeout=\S+ --start-period=\S+ --retries=\d+ CMD \[/);
    // The build stage copies what the build needs, and all of it is in the repository.
    for (const m of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const path of m[1]!.split(/\s+/)) assert.ok(existsSync(join(ROOT, path)), path);
    }
  });

  test('its start command and environment start Trent; the health check passes against it and fails without it', async () => {
    const port = String(await freePort());
    const env = { ...imageEnv, TRENT_PORT: port, TRENT_DATA_DIR: join(base, 'data') };
    const start = [...json('ENTRYPOINT'), ...json('CMD')];
    assert.deepEqual(start.slice(0, 2), ['node', 'dist/main.js']);
    const healthcheck = JSON.parse(instruction('HEALTHCHECK')[0]!.replace(/^.*CMD /, '')) as string[];
    const server = await spawnTrent(start.slice(2), { command: [process.execPath, start[1]!], env });
    try {
      assert.equal(server.url, `http://0.0.0.0:${port}`);
      // The image's local-development mode says that the port is open to whoever reaches it.
      assert.match(server.stderr(), /"level":"warn","msg":"listening on 0\.0\.0\.0 with no credentials configured/);
      const ok = await runCommand(process.execPath, healthcheck.slice(1), { env });
      assert.deepEqual(ok, { code: 0, stdout: `http://127.0.0.1:${port}: ok\n`, stderr: '' });
    } finally {
      // docker stop sends SIGTERM.
      server.child.kill('SIGTERM');
      assert.deepEqual(await server.exited, { code: 0, signal: null });
    }
    const down = await runCommand(process.execPath, healthcheck.slice(1), { env });
    assert.equal(down.code, 1);
    assert.match(down.stderr, new RegExp(`^trent: http://127\\.0\\.0\\.1:${port}: no answer \\(fetch failed\\)\\n$`));
  });
});

describe('compose.yaml', () => {
  test('publishes the image port on loopback and stops with SIGTERM', () => {
    const { trent } = compose.services;
    assert.deepEqual(trent.ports, [`127.0.0.1:4599:${imageEnv.TRENT_PORT}`]);
    assert.ok(trent.volumes.includes(`trent-data:${imageEnv.TRENT_DATA_DIR}`));
    assert.equal(trent.stop_signal, 'SIGTERM');
  });

  test('its environment, with the seed directory it mounts, starts Trent with the example seed', async () => {
    const { environment, volumes } = compose.services.trent;
    const mount = volumes.find((v) => v.startsWith('./'))!.split(':');
    const seed = environment.TRENT_SEED!.replace(mount[1]!, join(ROOT, mount[0]!));
    const port = String(await freePort());
    const env = { ...imageEnv, ...environment, TRENT_SEED: seed, TRENT_PORT: port, TRENT_DATA_DIR: join(base, 'compose-data') };
    const server = await spawnTrent(['serve'], { env });
    const kms = new KMSClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' }, maxAttempts: 1 });
    try {
      const md = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/app' }))).KeyMetadata!;
      assert.equal(md.KeyId, '1234abcd-12ab-34cd-56ef-1234567890ab');
      assert.equal(md.Description, 'application data key');
    } finally {
      kms.destroy();
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
