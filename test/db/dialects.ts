import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { createFieldCipher } from '../../src/adapters/crypto/field-cipher.js';
import {
  type DialectName,
  openDatabase,
} from '../../src/adapters/db/kysely-database.js';
import { migrateToLatestOrThrow } from '../../src/adapters/db/migrator.js';
import type { Database } from '../../src/adapters/db/schema.js';

// The dialects every suite under test/db runs on (Kysely's DIALECTS model).
// SQLite always; PostgreSQL at TEST_PG_URL (default the local `test`
// database, trust auth). DIALECTS=sqlite narrows a local run, but when
// CI=true PostgreSQL is forced: an unreachable server fails the suite, it is
// never skipped.

export const TEST_PG_URL =
  process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function selectDialects(): readonly DialectName[] {
  const requested = (process.env.DIALECTS ?? 'sqlite,postgres')
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  for (const d of requested) {
    if (d !== 'sqlite' && d !== 'postgres') throw new Error(`DIALECTS: ${d}`);
  }
  const chosen = new Set(requested as DialectName[]);
  chosen.add('sqlite');
  if (process.env.CI === 'true') chosen.add('postgres');
  return [...chosen];
}

export const DIALECTS: readonly DialectName[] = selectDialects();

export type TestDatabase = {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** A DATABASE_URL that reaches the same data (for spawning the CLI). */
  readonly url: string;
  /** PostgreSQL schema of this database, or undefined on SQLite. */
  readonly schema: string | undefined;
  readonly destroy: () => Promise<void>;
};

/** A fixed test key: tests never touch a real key file. */
export const TEST_SECRET_KEY = Buffer.alloc(32, 7);
export const testCipher = () => createFieldCipher(TEST_SECRET_KEY);

async function withAdminClient<T>(
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, migrated database: a SQLite file in a temp directory, or a new
 * PostgreSQL schema (dropped on destroy) so parallel test files never meet.
 */
export async function openTestDatabase(
  dialect: DialectName,
  options: { readonly migrate: boolean } = { migrate: true },
): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const directory = mkdtempSync(join(tmpdir(), 'loandesk-db-'));
    const path = join(directory, 'test.sqlite');
    const handle = openDatabase(path);
    if (options.migrate) await migrateToLatestOrThrow(handle.db);
    return {
      db: handle.db,
      dialect,
      url: path,
      schema: undefined,
      destroy: async () => {
        await handle.db.destroy();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await withAdminClient((c) => c.query(`CREATE SCHEMA ${schema}`));
  const handle = openDatabase(TEST_PG_URL, { searchPath: schema });
  if (options.migrate) await migrateToLatestOrThrow(handle.db);
  const url = new URL(TEST_PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    db: handle.db,
    dialect,
    url: url.toString(),
    schema,
    destroy: async () => {
      await handle.db.destroy();
      await withAdminClient((c) =>
        c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`),
      );
    },
  };
}
