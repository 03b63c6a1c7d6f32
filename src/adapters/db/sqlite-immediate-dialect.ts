import type SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import type { WalSync } from './wal-sync.js';

// Kysely's SQLite driver opens transactions with a plain (deferred) BEGIN:
// the write lock is taken at the first write, and if another process wrote
// in between, SQLite fails that upgrade with SQLITE_BUSY at once — the busy
// timeout does not apply (sqlite.org/lang_transaction.html, "deferred").
// Two LoanDesk processes on one file (the server and `loandesk eod`) would
// then fail payments under load. BEGIN IMMEDIATE takes the write lock up
// front, where the busy timeout makes writers queue instead. Reads outside
// transactions are unaffected (WAL readers never block).
//
// With a WalSync (commit sync `background`, see wal-sync.ts) SQLite runs
// with synchronous=NORMAL and the WAL is fsynced off the event loop instead:
// every use of the connection (a query, or a whole transaction) that wrote
// a commit or read while a commit was not yet on disk hands its result back
// only after an fsync that began after that commit has finished. A caller
// therefore never sees, and never acknowledges, data that a power loss could
// still take back — the guarantee of synchronous=FULL — while the event loop
// keeps serving other requests during the fsync, and one fsync covers every
// commit made before it began (group commit).

type Config = SqliteDialectConfig & {
  readonly database: SqliteDatabase.Database;
  readonly walSync?: WalSync;
};

/** The connection with what this use of it must wait for. */
class SyncedConnection implements DatabaseConnection {
  readonly #inner: DatabaseConnection;
  readonly #database: SqliteDatabase.Database;
  readonly #sync: WalSync;
  /** The commit count this use of the connection has seen (0: none). */
  #observed = 0;

  constructor(
    inner: DatabaseConnection,
    database: SqliteDatabase.Database,
    sync: WalSync,
  ) {
    this.#inner = inner;
    this.#database = database;
    this.#sync = sync;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const database = this.#database;
    const wasInTransaction = database.inTransaction;
    // better-sqlite3 runs the statement before the promise is returned.
    const running = this.#inner.executeQuery<R>(compiled);
    // A transaction ended (COMMIT; a ROLLBACK counts too, harmlessly), or a
    // statement that may write ran on its own (autocommit). Transaction
    // control statements count as read-only in SQLite, hence both tests.
    if (
      !database.inTransaction &&
      (wasInTransaction || !database.prepare(compiled.sql).readonly)
    )
      this.#sync.noteCommit();
    this.#observed = this.#sync.committed;
    return running;
  }

  streamQuery<R>(
    compiled: CompiledQuery,
    chunkSize?: number,
  ): AsyncIterableIterator<QueryResult<R>> {
    this.#observed = this.#sync.committed;
    return this.#inner.streamQuery<R>(compiled, chunkSize);
  }

  /** What the use that is ending must wait for; resets for the next one. */
  takeObserved(): number {
    const observed = this.#observed;
    this.#observed = 0;
    return observed;
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  readonly #database: SqliteDatabase.Database;
  readonly #sync: WalSync | undefined;
  #wrapped: SyncedConnection | undefined;
  #inner: DatabaseConnection | undefined;

  constructor(config: Config) {
    super(config);
    this.#database = config.database;
    this.#sync = config.walSync;
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await super.acquireConnection();
    const sync = this.#sync;
    if (sync === undefined) return inner;
    if (this.#inner !== inner) {
      this.#inner = inner;
      this.#wrapped = new SyncedConnection(inner, this.#database, sync);
    }
    return this.#wrapped ?? inner;
  }

  override async releaseConnection(): Promise<void> {
    const sync = this.#sync;
    if (sync === undefined) return super.releaseConnection();
    // SQLite has one connection: the use that is ending is the wrapper's.
    const observed = this.#wrapped?.takeObserved() ?? 0;
    // The connection is free for the next caller during the fsync.
    await super.releaseConnection();
    await sync.waitFor(observed);
  }

  override async beginTransaction(
    connection: DatabaseConnection,
  ): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  override async destroy(): Promise<void> {
    try {
      await this.#sync?.close();
    } finally {
      await super.destroy();
    }
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: Config;

  constructor(config: Config) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}
