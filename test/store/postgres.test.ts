// The Store contract against PostgreSQL (a fresh database for this run, a fresh schema per test), plus what only
// PostgreSQL has: migrations taken by one of several nodes starting together.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import postgres from 'postgres';
import { randomBytes } from 'node:crypto';
import { generateMaterial } from '../../src/keys/key-material.ts';
import { rotateDueKeys } from '../../src/keys/rotation.ts';
import { MaterialVault } from '../../src/keys/vault.ts';
import { openPostgresStore } from '../../src/store/postgres/pg-store.ts';
import { pgMigrations } from '../../src/store/postgres/schema.ts';
import { StoreOpenError, type Store } from '../../src/store/store.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeKey, runStoreContract } from './contract.ts';

let database: Promise<TestDatabase> | undefined;
const db = () => (database ??= createTestDatabase());
after(async () => {
  if (database) await (await database).drop();
});

runStoreContract('postgres', async () => {
  const d = await db();
  const schema = await d.newSchema();
  const opened: Store[] = [await openPostgresStore({ url: d.url, schema })];
  return {
    store: opened[0]!,
    reopen: async () => {
      const s = await openPostgresStore({ url: d.url, schema });
      opened.push(s);
      return s;
    },
    cleanup: async () => {
      for (const s of opened) await s.close();
      await d.dropSchema(schema);
    },
  };
});

/** Four stores (nodes) opened together on a fresh schema, closed and dropped afterwards. */
async function onFourNodes(fn: (stores: Store[], schema: string) => Promise<void>): Promise<void> {
  const d = await db();
  const schema = await d.newSchema();
  const stores = await Promise.all([1, 2, 3, 4].map(() => openPostgresStore({ url: d.url, schema })));
  try {
    await fn(stores, schema);
  } finally {
    for (const s of stores) await s.close();
    await d.dropSchema(schema);
  }
}

/** Runs SQL of the test's own in `schema`, on a connection of its own. */
async function inSchema<T>(schema: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres((await db()).url, { max: 1, connection: { search_path: schema } });
  try {
    return await fn(sql);
  } finally {
    await sql.end();
  }
}

describe('PostgreSQL store', () => {
  test('nodes starting together migrate once; every node then reads and writes the same data', () =>
    onFourNodes(async (stores, schema) => {
      const key = makeKey();
      await stores[0]!.transaction((tx) => tx.insertKey(key));
      const seen = await stores[3]!.transaction((tx) => tx.getKey(key));
      assert.equal(seen?.keyId, key.keyId);
      const rows = await inSchema(schema, (sql) => sql`SELECT version, name FROM schema_migrations ORDER BY version`);
      assert.deepEqual(rows.map((r) => ({ version: r.version, name: r.name })), pgMigrations.map((m) => ({ version: m.version, name: m.name })));
    }));

  test('a rotation that falls due is made once when four nodes sweep at the same moment', () =>
    onFourNodes(async (stores) => {
      const vault = new MaterialVault(randomBytes(32));
      const now = 1_800_000_000_000;
      const key = makeKey({ rotationPeriodInDays: 90, nextRotationAt: now - 1 });
      const first = await generateMaterial(vault, key, { createdAt: now - 1000, state: 'CURRENT' });
      key.currentKeyMaterialId = first.materialId;
      await stores[0]!.transaction(async (tx) => {
        await tx.insertKey(key);
        await tx.putMaterial(first);
      });
      const rotated = await Promise.all(stores.map((s) => s.transaction((tx) => rotateDueKeys(tx, now, vault))));
      assert.equal(rotated.reduce((a, b) => a + b, 0), 1);
      const materials = await stores[1]!.transaction((tx) => tx.listMaterials(key));
      assert.equal(materials.length, 2);
      const after = await stores[2]!.transaction((tx) => tx.getKey(key));
      assert.equal(after!.nextRotationAt, now + 90 * 24 * 60 * 60 * 1000);
    }));

  test('a database of a newer Trent is refused, naming both versions', async () => {
    const d = await db();
    const schema = await d.newSchema();
    await (await openPostgresStore({ url: d.url, schema })).close();
    await inSchema(schema, (sql) => sql`INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)`);
    await assert.rejects(openPostgresStore({ url: d.url, schema }), (e: Error) => {
      assert.ok(e instanceof StoreOpenError);
      assert.match(e.message, /has schema version 999, this build knows up to 1: upgrade Trent$/);
      return true;
    });
    await d.dropSchema(schema);
  });

  test('an unreachable server fails to open with the URL, password hidden', async () => {
    await assert.rejects(openPostgresStore({ url: 'postgres://trent:secret@127.0.0.1:1/none' }), (e: Error) => {
      assert.ok(e instanceof StoreOpenError);
      assert.match(e.message, /^cannot open the PostgreSQL database postgres:\/\/trent:\*\*\*@127\.0\.0\.1:1\/none: /);
      assert.doesNotMatch(e.message, /secret/);
      return true;
    });
  });
});
