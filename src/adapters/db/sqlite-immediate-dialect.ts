import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';

// Kysely's SQLite driver opens transactions with a plain (deferred) BEGIN:
// the write lock is taken at the first write, and if another process wrote
// in between, SQLite fails that upgrade with SQLITE_BUSY at once — the busy
// timeout does not apply (sqlite.org/lang_transaction.html, "deferred").
// Two LoanDesk processes on one file (the server and `loandesk eod`) would
// then fail payments under load. BEGIN IMMEDIATE takes the write lock up
// front, where the busy timeout makes writers queue instead. Reads outside
// transactions are unaffected (WAL readers never block).

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(
    connection: DatabaseConnection,
  ): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}
