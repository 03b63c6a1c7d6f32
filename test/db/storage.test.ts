// Proves the storage entry point and the migrations on every dialect:
// openStorage migrates a fresh database, generates the key file on first
// run and reopens with the same key (customers stay readable), and every
// migration can be undone and reapplied.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/adapters/db/migrations/index.js';
import {
  migrateDownAll,
  migrateToLatest,
} from '../../src/adapters/db/migrator.js';
import { openStorage } from '../../src/adapters/db/storage.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from './dialects.js';
import { AGENT, WANG } from './fixtures.js';

async function tableNames(t: TestDatabase): Promise<string[]> {
  // Kysely's introspection lists every schema's tables on PostgreSQL: keep
  // this test's own (other suites run at the same time in other schemas).
  const tables = await t.db.introspection.getTables();
  return tables
    .filter((table) => t.schema === undefined || table.schema === t.schema)
    .map((table) => table.name)
    .filter((name) => !name.startsWith('kysely_'))
    .sort();
}

for (const dialect of DIALECTS) {
  describe(`storage on ${dialect}`, () => {
    let t: TestDatabase;
    let dataDir: string;
    beforeEach(async () => {
      t = await openTestDatabase(dialect, { migrate: false });
      dataDir = mkdtempSync(join(tmpdir(), 'loandesk-data-'));
    });
    afterEach(async () => {
      await t.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('migrates, creates the key on first run and reads customers back after reopening', async () => {
      const env = { DATABASE_URL: t.url, LOANDESK_DATA_DIR: dataDir };
      const first = await openStorage({ env });
      expect(first.dialect).toBe(dialect);
      expect(first.keySource).toBe('generated');
      const created = await first.repositories.customers.create(WANG, AGENT);
      await first.close();
      expect(created.ok).toBe(true);
      const second = await openStorage({ env });
      expect(second.keySource).toBe('file');
      const found = await second.repositories.customers.findByPhone(WANG.phone);
      await second.close();
      expect(found.map((c) => c.name)).toEqual([WANG.name]);
    });

    if (dialect === 'sqlite') {
      it('takes the SQLite write lock when a transaction begins', async () => {
        await migrateToLatest(t.db);
        await t.db.transaction().execute(async (tx) => {
          // Only a read so far: a deferred BEGIN would hold no write lock yet.
          await tx.selectFrom('roles').selectAll().execute();
          const other = new SqliteDatabase(t.url, { timeout: 0 });
          try {
            expect(() => other.exec('begin immediate')).toThrow(/locked|busy/i);
          } finally {
            other.close();
          }
        });
      });
    }

    it('undoes every migration and applies them again', async () => {
      const up = await migrateToLatest(t.db);
      expect(up).toEqual({
        ok: true,
        applied: Object.keys(MIGRATIONS).sort(),
      });
      expect(await tableNames(t)).toContain('audit_log');
      expect(await tableNames(t)).toContain('reminders');
      const down = await migrateDownAll(t.db);
      expect(down.ok).toBe(true);
      expect(await tableNames(t)).toEqual([]);
      expect((await migrateToLatest(t.db)).ok).toBe(true);
      const head = await sql<{
        seq: bigint;
      }>`select seq from audit_head`.execute(t.db);
      expect(head.rows).toEqual([{ seq: 0n }]);
    });
  });
}
