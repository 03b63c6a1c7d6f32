// Commit sync `background` (SQLite only: PostgreSQL makes its own commits
// durable): a caller gets a result that wrote or saw a commit only after an
// fsync of the WAL that began after that commit has finished; concurrent
// commits share fsyncs; a failed fsync stops all acknowledgements. The fsync
// is replaced by a gate the test opens, so "not before" is observable.
import { mkdtempSync, rmSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/db/kysely-database.js';
import { ImmediateSqliteDialect } from '../../src/adapters/db/sqlite-immediate-dialect.js';
import { WalSync } from '../../src/adapters/db/wal-sync.js';

type Table = { id: number; note: string };
type Schema = { notes: Table };

const directories: string[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

/** An fsync that completes only when the test says so (until opened). */
function gatedSync() {
  const waiting: { file: FileHandle; done: (error?: Error) => void }[] = [];
  let started = 0;
  let open = false;
  const sync = async (file: FileHandle) => {
    started += 1;
    if (open) return file.datasync();
    return new Promise<void>((resolve, reject) => {
      waiting.push({
        file,
        done: (error) => (error === undefined ? resolve() : reject(error)),
      });
    });
  };
  return {
    sync,
    get started() {
      return started;
    },
    /** Finishes the oldest pending fsync (really syncing the file). */
    async finish(error?: Error) {
      const next = waiting.shift();
      if (next === undefined) throw new Error('no fsync pending');
      if (error === undefined) await next.file.datasync();
      next.done(error);
    },
    /** From now on every fsync completes by itself. */
    async openAll() {
      open = true;
      for (const next of waiting.splice(0)) next.done();
    },
  };
}

async function openGated() {
  const directory = mkdtempSync(join(tmpdir(), 'loandesk-walsync-'));
  directories.push(directory);
  const path = join(directory, 'db.sqlite');
  const database = new SqliteDatabase(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.exec(
    'create table notes (id integer primary key, note text not null)',
  );
  const gate = gatedSync();
  const walSync = new WalSync(path, gate.sync);
  const db = new Kysely<Schema>({
    dialect: new ImmediateSqliteDialect({ database, walSync }),
  });
  cleanups.push(async () => {
    await gate.openAll();
    await db.destroy().catch(() => undefined);
  });
  return { db, gate, walSync, path };
}

/** Lets every ready promise callback and pending file open run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Waits (bounded) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await settle();
  expect(condition()).toBe(true);
}

function tracked<T>(promise: Promise<T>) {
  const state = { done: false, failed: undefined as unknown };
  promise.then(
    () => {
      state.done = true;
    },
    (error: unknown) => {
      state.failed = error;
    },
  );
  return state;
}

describe('SQLite commit sync background', () => {
  it('answers a transaction only after an fsync that began after its commit', async () => {
    const { db, gate } = await openGated();
    const insert = tracked(
      db
        .transaction()
        .execute((tx) =>
          tx.insertInto('notes').values({ id: 1, note: 'a' }).execute(),
        ),
    );
    await until(() => gate.started === 1);
    expect(insert.done).toBe(false);
    await gate.finish();
    await settle();
    expect(insert.done).toBe(true);
  });

  it('answers an autocommit write only after its fsync', async () => {
    const { db, gate } = await openGated();
    const insert = tracked(
      db.insertInto('notes').values({ id: 1, note: 'a' }).execute(),
    );
    await until(() => gate.started === 1);
    expect(insert.done).toBe(false);
    await gate.finish();
    await settle();
    expect(insert.done).toBe(true);
  });

  it('makes a read that saw a commit not yet on disk wait for that fsync', async () => {
    const { db, gate } = await openGated();
    const insert = tracked(
      db.insertInto('notes').values({ id: 1, note: 'a' }).execute(),
    );
    await until(() => gate.started === 1);
    let seen: unknown[] | undefined;
    const read = tracked(
      db
        .selectFrom('notes')
        .selectAll()
        .execute()
        .then((rows) => {
          seen = rows;
        }),
    );
    await settle();
    expect(read.done).toBe(false);
    await gate.finish();
    await settle();
    expect(insert.done).toBe(true);
    expect(read.done).toBe(true);
    expect(seen).toEqual([{ id: 1, note: 'a' }]);
  });

  it('does not fsync for reads when every commit is on disk', async () => {
    const { db, gate } = await openGated();
    const insert = db
      .insertInto('notes')
      .values({ id: 1, note: 'a' })
      .execute();
    await until(() => gate.started === 1);
    await gate.finish();
    await insert;
    const before = gate.started;
    const rows = await db.selectFrom('notes').select('note').execute();
    expect(rows).toEqual([{ note: 'a' }]);
    expect(gate.started).toBe(before);
  });

  it('lets concurrent commits share fsyncs, each answered after one that covers it', async () => {
    const { db, gate, walSync } = await openGated();
    const writes = Array.from({ length: 20 }, (_, i) => {
      const committedAtAnswer = { value: -1 };
      const state = tracked(
        db
          .transaction()
          .execute(async (tx) => {
            await tx
              .insertInto('notes')
              .values({ id: i, note: `n${i}` })
              .execute();
          })
          .then(() => {
            committedAtAnswer.value = walSync.synced;
          }),
      );
      return { state, committedAtAnswer };
    });
    // The connection is free during an fsync: all 20 commit meanwhile.
    await until(() => gate.started === 1 && walSync.committed === 20);
    expect(writes.some((w) => w.state.done)).toBe(false);
    await gate.finish();
    await until(() => gate.started === 2);
    await gate.finish();
    await until(() => writes.every((w) => w.state.done));
    expect(gate.started).toBe(2);
    // Transactions take the one connection in turn: write i is commit i + 1.
    for (const [i, w] of writes.entries())
      expect(w.committedAtAnswer.value).toBeGreaterThanOrEqual(i + 1);
    expect(writes.at(-1)?.committedAtAnswer.value).toBe(20);
    const count = await db
      .selectFrom('notes')
      .select(sql<bigint>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(20);
  });

  it('acknowledges nothing more after a failed fsync', async () => {
    const { db, gate } = await openGated();
    const first = tracked(
      db.insertInto('notes').values({ id: 1, note: 'a' }).execute(),
    );
    await until(() => gate.started === 1);
    await gate.finish(new Error('EIO'));
    await settle();
    expect(String(first.failed)).toMatch(/fsync failed/);
    const second = tracked(
      db.insertInto('notes').values({ id: 2, note: 'b' }).execute(),
    );
    await settle();
    expect(String(second.failed)).toMatch(/fsync failed/);
    expect(gate.started).toBe(1);
  });

  it('is what openDatabase builds for commitSync background: NORMAL, fsynced, no raw handle', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'loandesk-walsync-'));
    directories.push(directory);
    const path = join(directory, 'db.sqlite');
    const handle = openDatabase(path, { commitSync: 'background' });
    expect(handle.sqlite).toBeUndefined();
    const walSync = handle.walSync;
    expect(walSync).toBeDefined();
    const db = handle.db as unknown as Kysely<Schema>;
    await sql`create table notes (id integer primary key, note text)`.execute(
      db,
    );
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        db
          .insertInto('notes')
          .values({ id: i, note: `n${i}` })
          .execute(),
      ),
    );
    expect(walSync?.synced).toBe(walSync?.committed);
    expect(walSync?.syncs).toBeLessThan(11);
    const mode = await sql<{
      synchronous: bigint;
    }>`pragma synchronous`.execute(db);
    expect(mode.rows[0]?.synchronous).toBe(1n); // NORMAL
    await handle.db.destroy();
    const again = openDatabase(path);
    const rows = await sql<{
      n: bigint;
    }>`select count(*) as n from notes`.execute(again.db);
    expect(rows.rows[0]?.n).toBe(10n);
    const full = await sql<{
      synchronous: bigint;
    }>`pragma synchronous`.execute(again.db);
    expect(full.rows[0]?.synchronous).toBe(2n); // FULL, the default
    await again.db.destroy();
  });
});
