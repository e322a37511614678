// A fresh PostgreSQL database for one test process (dropped when it ends), on the server `scripts/ensure-postgres.sh`
// starts: 127.0.0.1:5432, trust authentication. TRENT_TEST_POSTGRES_URL names another admin connection.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export const ADMIN_URL = process.env.TRENT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  /** URL of the new database. */
  url: string;
  /** A new empty schema in it, for one store under test. */
  newSchema(): Promise<string>;
  dropSchema(schema: string): Promise<void>;
  /** Every row of every table of the schema: the row as text, then each bytea value's bytes. */
  dumpSchema(schema: string): Promise<Buffer[]>;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `trent_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
  await admin.end();
  const url = ADMIN_URL.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  const db = postgres(url, { max: 2, onnotice: () => {} });
  let schemas = 0;
  let dropped = false;
  return {
    url,
    async newSchema() {
      const schema = `s${++schemas}`;
      await db.unsafe(`CREATE SCHEMA ${schema}`);
      return schema;
    },
    async dropSchema(schema) {
      // After drop() (a file's last after-hook may run after this one): the schema went with the database.
      if (!dropped) await db.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
    async dumpSchema(schema) {
      const out: Buffer[] = [];
      const tables = await db`SELECT table_name FROM information_schema.tables WHERE table_schema = ${schema}`;
      for (const { table_name: table } of tables) {
        for (const row of await db.unsafe(`SELECT t::text AS text, t.* FROM ${schema}.${table as string} t`)) {
          for (const v of Object.values(row)) {
            if (typeof v === 'string') out.push(Buffer.from(v));
            else if (Buffer.isBuffer(v)) out.push(v);
          }
        }
      }
      return out;
    },
    async drop() {
      if (dropped) return;
      dropped = true;
      await db.end();
      const a = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
