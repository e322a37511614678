// The Store contract against SQLite (a temp file and :memory:), plus what only SQLite has: migrations,
// WAL mode, and serialization across two processes sharing one database file.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { createMigrationsTable, migrations } from '../../src/store/sqlite/migrations.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { makeKey, runStoreContract } from './contract.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'trent-sqlite-'));
}

runStoreContract('sqlite file', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'trent.db');
  const opened: Store[] = [openSqliteStore({ path: file })];
  return {
    store: opened[0]!,
    reopen: async () => {
      const s = openSqliteStore({ path: file });
      opened.push(s);
      return s;
    },
    cleanup: async () => {
      for (const s of opened) await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

runStoreContract('sqlite :memory:', async () => {
  const store = openSqliteStore({ path: ':memory:', synchronous: 'NORMAL' });
  return { store, cleanup: () => store.close() };
}, { persistent: false });

describe('SQLite store', () => {
  test('migrations are recorded once and opening again is a no-op', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'trent.db');
    try {
      await openSqliteStore({ path: file }).close();
      const again = openSqliteStore({ path: file });
      await again.transaction((tx) => tx.setMeta('still', 'works'));
      await again.close();
      await openSqliteStore({ path: file, synchronous: 'NORMAL' }).close();

      const db = new Database(file, { readonly: true });
      try {
        const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
        assert.deepEqual(rows, migrations.map((m) => ({ version: m.version, name: m.name })));
        assert.deepEqual(
          migrations.map((m) => m.version),
          migrations.map((_, i) => i + 1),
          'versions are numbered 1, 2, 3…',
        );
        const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
        for (const t of ['aliases', 'keys', 'meta', 'schema_migrations', 'tags']) assert.ok(tables.includes(t), t);
      } finally {
        db.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('migration 4 makes every multi-Region key of an older database the primary of its set', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'trent.db');
    try {
      // A database as a build with migrations 1–3 left it, holding one multi-Region and one ordinary key.
      const db = new Database(file);
      db.exec(createMigrationsTable);
      for (const m of migrations.filter((m) => m.version <= 3)) {
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, 0);
      }
      const insert = db.prepare(
        'INSERT INTO keys (account, region, key_id, created_at, description, key_spec, key_usage, origin, key_manager, ' +
          "key_state, multi_region, policy) VALUES ('111122223333', 'eu-west-1', ?, 0, '', 'SYMMETRIC_DEFAULT', " +
          "'ENCRYPT_DECRYPT', 'AWS_KMS', 'CUSTOMER', 'Enabled', ?, '{}')",
      );
      insert.run('mrk-0123456789abcdef0123456789abcdef', 1);
      insert.run('1234abcd-12ab-34cd-56ef-1234567890ab', 0);
      db.close();

      const store = openSqliteStore({ path: file });
      try {
        await store.transaction(async (tx) => {
          const ref = { account: '111122223333', region: 'eu-west-1' };
          const mrk = await tx.getKey({ ...ref, keyId: 'mrk-0123456789abcdef0123456789abcdef' });
          assert.equal(mrk?.primaryRegion, 'eu-west-1');
          assert.equal(mrk?.transitionEndsAt, undefined);
          const single = await tx.getKey({ ...ref, keyId: '1234abcd-12ab-34cd-56ef-1234567890ab' });
          assert.equal(single?.primaryRegion, undefined);
          assert.deepEqual((await tx.listKeysById('111122223333', 'mrk-0123456789abcdef0123456789abcdef')).map((k) => k.region), ['eu-west-1']);
        });
      } finally {
        await store.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a database from a newer build is refused', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'trent.db');
    try {
      await openSqliteStore({ path: file }).close();
      const db = new Database(file);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(9999, 'future', 0);
      db.close();
      assert.throws(() => openSqliteStore({ path: file }), /schema version 9999 is newer/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the database file is in WAL mode', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'trent.db');
    try {
      await openSqliteStore({ path: file }).close();
      const db = new Database(file, { readonly: true });
      try {
        assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      } finally {
        db.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a Tx used after its transaction ended throws', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    try {
      let leaked: import('../../src/store/store.ts').Tx | undefined;
      await store.transaction(async (tx) => {
        leaked = tx;
      });
      await assert.rejects(leaked!.getMeta('x'), /after its transaction ended/);
    } finally {
      await store.close();
    }
  });

  test('close waits for queued transactions; later ones reject', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    const first = store.transaction(async (tx) => {
      await tx.setMeta('a', '1');
      return tx.getMeta('a');
    });
    const closing = store.close();
    assert.equal(await first, '1');
    await closing;
    await assert.rejects(store.transaction(async () => 1), /store is closed/);
    await store.close();
  });

  test('by default one process owns the file: a second opener is refused with a clear error', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'trent.db');
    const owner = openSqliteStore({ path: file });
    try {
      const other = spawnSync(
        process.execPath,
        ['--import', 'tsx', '-e', `import('./src/store/sqlite/sqlite-store.ts').then((m) => m.openSqliteStore({ path: ${JSON.stringify(file)} }))`],
        { cwd: repoRoot, encoding: 'utf8' },
      );
      assert.notEqual(other.status, 0);
      assert.match(other.stderr, /database .*trent\.db is in use by another process \(is another Trent running on this data directory\?\)/);
      // The owner is unaffected.
      await owner.transaction((tx) => tx.setMeta('still', 'mine'));
    } finally {
      await owner.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('two processes sharing the file (shared mode) are serialized (50-tag limit holds)', async (t) => {
    const dir = tempDir();
    const file = path.join(dir, 'trent.db');
    const ref = { account: '111122223333', region: 'us-east-1', keyId: '1234abcd-12ab-34cd-56ef-1234567890ab' };
    try {
      const setup = openSqliteStore({ path: file, shared: true });
      await setup.transaction((tx) => tx.insertKey(makeKey(ref)));
      await setup.close();

      const worker = path.join(here, 'fixtures', 'tag-worker.ts');
      const children = ['w1', 'w2'].map((name) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', worker, file, ref.account, ref.region, ref.keyId, name, '60'],
          { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] },
        );
        let out = '';
        let err = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
        const ready = new Promise<void>((resolve, reject) => {
          child.stdout.on('data', () => out.includes('ready\n') && resolve());
          child.once('exit', () => reject(new Error(`${name} exited before ready: ${err}`)));
        });
        const done = new Promise<string>((resolve, reject) => {
          child.once('exit', (code) =>
            code === 0 ? resolve(out) : reject(new Error(`${name} exited with ${code}: ${err}`)),
          );
        });
        return { child, ready, done };
      });
      await Promise.all(children.map((c) => c.ready));
      for (const c of children) c.child.stdin.write('go\n');
      const outputs = await Promise.all(children.map((c) => c.done));

      const added = outputs.map((o) => Number(/added (\d+)/.exec(o)?.[1]));
      t.diagnostic(`tags added per process: ${added.join(', ')}`);
      assert.equal(added[0]! + added[1]!, 50);

      const check = openSqliteStore({ path: file, shared: true });
      try {
        const tags = await check.transaction((tx) => tx.listTags(ref, undefined, 100));
        assert.equal(tags.length, 50);
        assert.deepEqual(
          tags.map((t) => Number(t.tagValue)).sort((a, b) => a - b),
          Array.from({ length: 50 }, (_, i) => i),
          'every writer saw every earlier commit',
        );
      } finally {
        await check.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
