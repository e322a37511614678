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

  test('migration 5 keys materials, tags and usage by the key seq and keeps every row, seq and cascade', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'trent.db');
    const acct = '111122223333';
    const mrk = 'mrk-0123456789abcdef0123456789abcdef';
    const plain = '1234abcd-12ab-34cd-56ef-1234567890ab';
    const gone = '0987dcba-09fe-87dc-65ba-ab0987654321';
    try {
      // A database as a build with migrations 1–4 left it: a multi-Region key in two Regions (one key ID), an
      // ordinary key, and a later key since deleted (the highest seq handed out, no longer in the table).
      const db = new Database(file);
      db.pragma('foreign_keys = ON');
      db.exec(createMigrationsTable);
      for (const m of migrations.filter((m) => m.version <= 4)) {
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, 0);
      }
      const key = db.prepare(
        'INSERT INTO keys (account, region, key_id, created_at, description, key_spec, key_usage, origin, key_manager, ' +
          "key_state, multi_region, policy, primary_region, deletion_date) VALUES (?, ?, ?, 7, ?, 'SYMMETRIC_DEFAULT', " +
          "'ENCRYPT_DECRYPT', 'AWS_KMS', 'CUSTOMER', ?, ?, '{}', ?, ?)",
      );
      key.run(acct, 'eu-west-1', mrk, 'primary', 'Enabled', 1, 'eu-west-1', null);
      key.run(acct, 'us-east-1', mrk, 'replica', 'Enabled', 1, 'eu-west-1', null);
      key.run(acct, 'us-east-1', plain, 'plain', 'PendingDeletion', 0, null, 5_000);
      key.run(acct, 'us-east-1', gone, 'gone', 'Enabled', 0, null, null);
      const material = db.prepare(
        'INSERT INTO key_materials (account, region, key_id, material_id, created_at, state, wrapped, valid_to) ' +
          'VALUES (?, ?, ?, ?, 1, ?, ?, ?)',
      );
      material.run(acct, 'eu-west-1', mrk, 'a'.repeat(64), 'NON_CURRENT', Buffer.from('w1'), null);
      material.run(acct, 'eu-west-1', mrk, 'b'.repeat(64), 'CURRENT', Buffer.from('w2'), 9_000);
      material.run(acct, 'us-east-1', mrk, 'a'.repeat(64), 'CURRENT', Buffer.from('w3'), null);
      material.run(acct, 'us-east-1', gone, 'c'.repeat(64), 'CURRENT', Buffer.from('w4'), null);
      const tag = db.prepare('INSERT INTO tags (account, region, key_id, tag_key, tag_value) VALUES (?, ?, ?, ?, ?)');
      tag.run(acct, 'eu-west-1', mrk, 'b', '2');
      tag.run(acct, 'eu-west-1', mrk, 'a', '1');
      tag.run(acct, 'us-east-1', mrk, 'a', 'replica');
      db.prepare(
        "INSERT INTO key_usage (account, region, key_id, operation, used_at, request_id) VALUES (?, 'us-east-1', ?, 'Encrypt', 3, 'r-1')",
      ).run(acct, plain);
      db.prepare(
        "INSERT INTO aliases (account, region, alias_name, target_key_id, created_at, updated_at) VALUES (?, 'us-east-1', 'alias/p', ?, 1, 1)",
      ).run(acct, plain);
      db.prepare(
        'INSERT INTO grants (account, region, key_id, grant_id, created_at, grantee, issuing_account, operations) ' +
          "VALUES (?, 'us-east-1', ?, 'g-1', 1, 'arn:aws:iam::111122223333:role/r', ?, '[\"Decrypt\"]')",
      ).run(acct, plain, acct);
      db.prepare("DELETE FROM keys WHERE key_id = ?").run(gone);
      db.close();

      const store = openSqliteStore({ path: file });
      try {
        const eu = { account: acct, region: 'eu-west-1', keyId: mrk };
        const useRef = { account: acct, region: 'us-east-1', keyId: mrk };
        const plainRef = { account: acct, region: 'us-east-1', keyId: plain };
        await store.transaction(async (tx) => {
          assert.deepEqual((await tx.listKeysById(acct, mrk)).map((k) => [k.region, k.seq, k.description]), [
            ['eu-west-1', 1, 'primary'],
            ['us-east-1', 2, 'replica'],
          ]);
          assert.deepEqual((await tx.listKeys(acct, 'us-east-1', undefined, 10)).map((k) => k.seq), [2, 3]);
          assert.deepEqual(
            (await tx.listMaterials(eu)).map((m) => [m.keyId, m.region, m.materialId[0], m.state, Buffer.from(m.wrapped!).toString()]),
            [[mrk, 'eu-west-1', 'a', 'NON_CURRENT', 'w1'], [mrk, 'eu-west-1', 'b', 'CURRENT', 'w2']],
          );
          assert.deepEqual((await tx.listMaterials(useRef)).map((m) => Buffer.from(m.wrapped!).toString()), ['w3']);
          assert.deepEqual(await tx.listTags(eu, undefined, 10), [{ tagKey: 'a', tagValue: '1' }, { tagKey: 'b', tagValue: '2' }]);
          assert.deepEqual(await tx.listTags(useRef, undefined, 10), [{ tagKey: 'a', tagValue: 'replica' }]);
          assert.deepEqual(await tx.getKeyUsage(plainRef), { ...plainRef, operation: 'Encrypt', usedAt: 3, requestId: 'r-1' });
          assert.deepEqual(await tx.listKeysDueForDeletion(6_000), [plainRef]);
          assert.deepEqual(await tx.listKeysWithExpiredMaterial(9_000), [eu]);
          assert.equal(await tx.countAliasesForKey(plainRef), 1);
          assert.equal(await tx.countGrants(plainRef), 1);
        });
        // The deleted key's seq (4) is never handed out again, as AUTOINCREMENT promised before the rebuild.
        const next = { account: acct, region: 'us-east-1', keyId: gone };
        await store.transaction((tx) => tx.insertKey(makeKey(next)));
        assert.equal((await store.transaction((tx) => tx.getKey(next)))?.seq, 5);
        // Deleting a key still takes its materials, tags, usage, aliases and grants with it.
        await store.transaction(async (tx) => {
          await tx.deleteKey(plainRef);
          await tx.deleteKey(useRef);
        });
        await store.transaction(async (tx) => {
          assert.deepEqual(await tx.listMaterials(useRef), []);
          assert.deepEqual(await tx.listTags(useRef, undefined, 10), []);
          assert.equal(await tx.getKeyUsage(plainRef), undefined);
          assert.equal(await tx.countAliasesForKey(plainRef), 0);
          assert.equal(await tx.findGrant('g-1'), undefined);
          assert.equal((await tx.listTags(eu, undefined, 10)).length, 2, 'the other Region keeps its tags');
        });
      } finally {
        await store.close();
      }
      const after = new Database(file, { readonly: true });
      try {
        assert.deepEqual(after.pragma('foreign_key_check'), []);
        const indexes = after.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'keys' AND sql IS NOT NULL ORDER BY name").pluck().all();
        assert.deepEqual(indexes, ['keys_by_deletion', 'keys_by_next_rotation', 'keys_by_seq', 'keys_by_transition']);
        const tables = after.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%_v5'").pluck().all();
        assert.deepEqual(tables, []);
      } finally {
        after.close();
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
