import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { dataDirectory } from '../crypto/secret-key.js';
import type { Database } from './schema.js';
import { ImmediateSqliteDialect } from './sqlite-immediate-dialect.js';
import { WalSync } from './wal-sync.js';

// The dialect factory: one Kysely<Database> over SQLite (the embedded
// default, one file) or PostgreSQL (production), chosen by DATABASE_URL.
// Everything above this file is dialect-blind; the dialect suite in test/db
// proves it by running every repository test on both.

export type DialectName = 'sqlite' | 'postgres';

export type DatabaseHandle = {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** Where the data lives, without credentials (safe to print). */
  readonly location: string;
  /**
   * SQLite only: the connection under `db`, for bulk work that needs
   * statements prepared once and run many times (the end-of-day batch).
   * Absent with commit sync `background`: its commits would bypass the
   * fsync that makes them durable.
   */
  readonly sqlite?: SqliteDatabase.Database;
  /**
   * PostgreSQL only: settings for a dedicated connection outside the pool
   * (the chat broker's LISTEN). Holds credentials: never print it.
   */
  readonly pgClient?: pg.ClientConfig;
  /** SQLite with commit sync `background` only: the WAL's fsyncs. */
  readonly walSync?: WalSync;
};

/**
 * How a SQLite commit is made durable (both: before anyone is answered).
 * `full`: synchronous=FULL, SQLite fsyncs the WAL inside every COMMIT, on
 * the event loop. `background`: synchronous=NORMAL and the WAL fsynced on
 * the thread pool, shared by concurrent commits (wal-sync.ts).
 */
export type SqliteCommitSync = 'full' | 'background';

export type OpenDatabaseOptions = {
  /** PostgreSQL only: the schema to use (tests isolate themselves this way). */
  readonly searchPath?: string;
  /** SQLite only; default `full`. */
  readonly commitSync?: SqliteCommitSync;
};

/** LOANDESK_SQLITE_COMMIT_SYNC: `full` (default) or `background`. */
export function commitSyncFromEnv(env: NodeJS.ProcessEnv): SqliteCommitSync {
  const value = env.LOANDESK_SQLITE_COMMIT_SYNC ?? '';
  if (value === '' || value === 'full') return 'full';
  if (value === 'background') return 'background';
  throw new Error(
    `LOANDESK_SQLITE_COMMIT_SYNC must be full or background, not ${value}`,
  );
}

// Bound: a small pool. SQLite has one writer anyway; for PostgreSQL the
// server's connection limit is shared with other services.
const PG_POOL_SIZE_MAX = 10;
// How long a SQLite writer waits for the lock before failing with BUSY.
const SQLITE_BUSY_TIMEOUT_MS = 5_000;
const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

// pg returns int8 (type oid 20) as a string, because a JS number cannot hold
// every int8. Money and counts are bigint here, so parse int8 into BigInt.
// This is process-global in pg; LoanDesk has no other int8 consumer.
pg.types.setTypeParser(20, BigInt);

export function isPostgresUrl(url: string): boolean {
  return /^postgres(?:ql)?:\/\//.test(url);
}

/** The SQLite file for a non-postgres DATABASE_URL (or the default). */
export function sqlitePath(
  url: string | undefined,
  env: NodeJS.ProcessEnv,
): string {
  if (url === undefined || url === '') {
    return join(dataDirectory(env), 'loandesk.sqlite');
  }
  if (url.startsWith('sqlite://')) return url.slice('sqlite://'.length);
  if (url.startsWith('file:')) return url.slice('file:'.length);
  return url;
}

function openPostgres(
  url: string,
  options: OpenDatabaseOptions,
): DatabaseHandle {
  const config: pg.PoolConfig = {
    connectionString: url,
    max: PG_POOL_SIZE_MAX,
  };
  if (options.searchPath !== undefined) {
    if (!SCHEMA_NAME_PATTERN.test(options.searchPath)) {
      throw new Error(`invalid PostgreSQL schema name ${options.searchPath}`);
    }
    config.options = `-c search_path=${options.searchPath}`;
  }
  const pool = new pg.Pool(config);
  const parsed = new URL(url);
  return {
    db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
    dialect: 'postgres',
    location: `postgres://${parsed.host}${parsed.pathname}`,
    pgClient: {
      connectionString: url,
      ...(config.options === undefined ? {} : { options: config.options }),
    },
  };
}

// Bound: distinct SQL texts kept prepared (the app issues a few hundred).
const STATEMENTS_CACHED_MAX = 2_000;

/**
 * Kysely's SQLite driver prepares every query afresh; preparing is a
 * measurable share of a short request (a chat turn, a payment). Statements
 * are kept by SQL text and reused; one that is still iterating (a streamed
 * query) is not shared, a fresh one is prepared instead.
 */
function cacheStatements(database: SqliteDatabase.Database): void {
  const prepare = database.prepare.bind(database);
  const cache = new Map<string, SqliteDatabase.Statement>();
  database.prepare = ((source: string) => {
    const cached = cache.get(source);
    if (cached !== undefined && !cached.busy) return cached;
    const statement = prepare(source);
    if (cached === undefined) {
      if (cache.size >= STATEMENTS_CACHED_MAX) cache.clear();
      cache.set(source, statement);
    }
    return statement;
  }) as typeof database.prepare;
}

function openSqlite(
  path: string,
  commitSync: SqliteCommitSync,
): DatabaseHandle {
  if (path !== ':memory:')
    mkdirSync(dirname(resolve(path)), { recursive: true });
  const database = new SqliteDatabase(path, {
    timeout: SQLITE_BUSY_TIMEOUT_MS,
  });
  // Every INTEGER comes back as bigint: amounts above 2^53 fen are never
  // silently rounded, and both dialects return the same types.
  database.defaultSafeIntegers(true);
  // WAL: readers never block the writer. synchronous=FULL fsyncs the WAL on
  // every commit, so a committed payment survives an OS crash or power loss
  // too (NORMAL alone would only survive a process crash); for a ledger that
  // is worth one fsync per transaction. Commit sync `background` keeps that
  // guarantee with NORMAL plus an fsync off the event loop before any
  // caller sees the commit (wal-sync.ts).
  const mode = String(database.pragma('journal_mode = WAL', { simple: true }));
  const walSync =
    commitSync === 'background' && mode === 'wal'
      ? new WalSync(resolve(path))
      : undefined;
  database.pragma(
    walSync === undefined ? 'synchronous = FULL' : 'synchronous = NORMAL',
  );
  database.pragma('foreign_keys = ON');
  cacheStatements(database);
  return {
    db: new Kysely<Database>({
      dialect: new ImmediateSqliteDialect({
        database,
        ...(walSync === undefined ? {} : { walSync }),
      }),
    }),
    dialect: 'sqlite',
    location: path,
    ...(walSync === undefined ? { sqlite: database } : { walSync }),
  };
}

/**
 * Opens the database named by `url` (DATABASE_URL): `postgres://…` is
 * PostgreSQL, anything else a SQLite file path (`sqlite://` and `file:`
 * prefixes allowed); unset means `${LOANDESK_DATA_DIR:-./data}/loandesk.sqlite`.
 */
export function openDatabase(
  url: string | undefined,
  options: OpenDatabaseOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): DatabaseHandle {
  if (url !== undefined && isPostgresUrl(url))
    return openPostgres(url, options);
  return openSqlite(sqlitePath(url, env), options.commitSync ?? 'full');
}

/** Opens the database from the environment's DATABASE_URL. */
export function openDatabaseFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): DatabaseHandle {
  return openDatabase(env.DATABASE_URL, {}, env);
}
