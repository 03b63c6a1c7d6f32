import {
  type Kysely,
  type MigrationResult,
  Migrator,
  NO_MIGRATIONS,
  PostgresAdapter,
  sql,
} from 'kysely';
import { MIGRATIONS } from './migrations/index.js';
import type { Database } from './schema.js';

export type MigrationOutcome =
  | { readonly ok: true; readonly applied: readonly string[] }
  | {
      readonly ok: false;
      readonly applied: readonly string[];
      readonly failed: string | undefined;
      readonly error: unknown;
    };

// On PostgreSQL, Kysely's migrator looks for its own tables in every schema
// unless told which one: a kysely_migration_lock in another schema of the
// same database (another instance, a test's schema) makes it skip creating
// its own and fail. It is told the schema this connection works in.
async function createMigrator(db: Kysely<Database>): Promise<Migrator> {
  let schema: string | undefined;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const row = await sql<{
      schema: string | null;
    }>`select current_schema() as schema`.execute(db);
    schema = row.rows[0]?.schema ?? undefined;
  }
  return new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
    // Features land on parallel branches, each with its own migration; a
    // database migrated before a lower-named one landed still upgrades.
    allowUnorderedMigrations: true,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
}

function names(results: readonly MigrationResult[] | undefined): string[] {
  return (results ?? [])
    .filter((r) => r.status === 'Success')
    .map((r) => r.migrationName);
}

/** Runs every pending migration, all in one transaction (transactional DDL on both dialects). */
export async function migrateToLatest(
  db: Kysely<Database>,
): Promise<MigrationOutcome> {
  const { error, results } = await (await createMigrator(db)).migrateToLatest();
  if (error === undefined) return { ok: true, applied: names(results) };
  const failed = (results ?? []).find((r) => r.status === 'Error');
  return {
    ok: false,
    applied: names(results),
    failed: failed?.migrationName,
    error,
  };
}

/** Runs pending migrations and throws on failure (for servers and tests). */
export async function migrateToLatestOrThrow(
  db: Kysely<Database>,
): Promise<readonly string[]> {
  const outcome = await migrateToLatest(db);
  if (!outcome.ok) {
    throw new Error(`migration ${outcome.failed ?? '?'} failed`, {
      cause: outcome.error,
    });
  }
  return outcome.applied;
}

/** Undoes every migration (drops every table): for resets, never in serve. */
export async function migrateDownAll(
  db: Kysely<Database>,
): Promise<MigrationOutcome> {
  const { error, results } = await (await createMigrator(db)).migrateTo(
    NO_MIGRATIONS,
  );
  if (error === undefined) return { ok: true, applied: names(results) };
  const failed = (results ?? []).find((r) => r.status === 'Error');
  return {
    ok: false,
    applied: names(results),
    failed: failed?.migrationName,
    error,
  };
}
