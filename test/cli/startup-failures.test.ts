// Each start-up failure is one `trent:` line on stderr and exit code 2, and creates nothing: no data directory,
// no root key, no database. A seed that does not apply leaves an existing data directory as it was.
import { CreateKeyCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { localClient, runTrent, scratch, spawnTrent } from '../helpers/cli.ts';

const ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const { base, fresh } = scratch('startup');

const client = localClient;

describe('start-up failures', () => {
  test('a taken port: one line, exit 2, no data directory created', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as AddressInfo).port;
    const dataDir = fresh();
    try {
      assert.deepEqual(await runTrent(['--port', String(port), '--data-dir', dataDir]), {
        code: 2,
        stdout: '',
        stderr: `trent: port ${port} on 127.0.0.1 is already in use (another Trent, or another server?): choose another with --port, or --port 0 for any free port\n`,
      });
      assert.equal(existsSync(dataDir), false);
    } finally {
      blocker.close();
    }
  });

  test('a data directory another Trent is using: one line, exit 2', async () => {
    const dataDir = fresh();
    const first = await spawnTrent(['--port', '0', '--data-dir', dataDir, '--log', 'silent']);
    try {
      const before = readdirSync(dataDir).sort();
      assert.deepEqual(await runTrent(['--port', '0', '--data-dir', dataDir]), {
        code: 2,
        stdout: '',
        stderr: `trent: database ${join(dataDir, 'trent.sqlite')} is in use by another process (is another Trent running on this data directory?)\n`,
      });
      assert.deepEqual(readdirSync(dataDir).sort(), before);
    } finally {
      await first.kill();
    }
  });

  test('bad settings: one line, exit 2, nothing created', async () => {
    const dataDir = fresh();
    const cases: [string[], Record<string, string>, string][] = [
      [['--sync', 'SOMETIMES'], {}, 'trent: invalid sync: SOMETIMES (FULL or NORMAL)\n'],
      [['--port', '70000'], {}, 'trent: invalid port: 70000\n'],
      [['--insecure-listen', 'yes'], {}, 'trent: invalid insecureListen: yes (true or false)\n'],
      [[], { TRENT_LOG: 'debug' }, 'trent: invalid log level: debug\n'],
      [['--host', '0.0.0.0'], {}, 'trent: refusing to listen on 0.0.0.0 in local-development mode (no credentials configured): any access key would be accepted. Configure credentials or listen on a loopback address (or, in a container whose port you publish, set TRENT_INSECURE_LISTEN=true).\n'],
      [['--root-key-file', join(base, 'none')], {}, `trent: cannot read root key file ${join(base, 'none')}: ENOENT: no such file or directory, open '${join(base, 'none')}'\n`],
      [['--seed', join(base, 'none.json')], {}, `trent: cannot read seed file ${join(base, 'none.json')}: ENOENT: no such file or directory, open '${join(base, 'none.json')}'\n`],
    ];
    for (const [args, env, stderr] of cases) {
      assert.deepEqual(await runTrent(['--port', '0', '--data-dir', dataDir, ...args], { env }), { code: 2, stdout: '', stderr }, args.join(' '));
      assert.equal(existsSync(dataDir), false, args.join(' '));
    }
  });

  test('a seed that does not apply: one line naming the file, the entry and the rule; nothing created', async () => {
    const seed = join(base, 'bad-seed.json');
    writeFileSync(seed, JSON.stringify({ keys: [{ keyId: ID, aliases: ['alias/ok'] }, { keyId: ID.replace('12ab', '12ac'), aliases: ['alias/ok'] }] }));
    const dataDir = fresh();
    assert.deepEqual(await runTrent(['--port', '0', '--data-dir', dataDir, '--seed', seed]), {
      code: 2,
      stdout: '',
      stderr: `trent: ${seed}: keys[1].aliases[0] (key ${ID.replace('12ab', '12ac')}): AlreadyExistsException: An alias with the name arn:aws:kms:us-east-1:111122223333:alias/ok already exists\n`,
    });
    assert.equal(existsSync(dataDir), false);
  });

  test('a seed that does not apply to an existing data directory leaves it as it was', async () => {
    const dataDir = fresh();
    const first = await spawnTrent(['--port', '0', '--data-dir', dataDir, '--log', 'silent']);
    const kms = client(first.url);
    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    kms.destroy();
    first.child.kill('SIGTERM');
    await first.exited;

    const seed = join(base, 'conflict-seed.json');
    writeFileSync(seed, JSON.stringify({ keys: [{ keyId: ID }, { keyId: ID.replace('12ab', '12ad'), tags: { 'aws:no': 'x' } }] }));
    const refused = await runTrent(['--port', '0', '--data-dir', dataDir, '--seed', seed]);
    assert.equal(refused.code, 2);
    assert.equal(refused.stderr, `trent: ${seed}: keys[1] (key ${ID.replace('12ab', '12ad')}): TagException: Tags beginning with aws: are reserved\n`);

    const again = await spawnTrent(['--port', '0', '--data-dir', dataDir, '--log', 'silent']);
    const kms2 = client(again.url);
    try {
      assert.deepEqual((await kms2.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId), [keyId]);
    } finally {
      kms2.destroy();
      await again.kill();
    }
  });
});
