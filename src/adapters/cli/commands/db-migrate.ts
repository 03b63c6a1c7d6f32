import type { Command } from 'commander';
import { openDatabaseFromEnv } from '../../db/kysely-database.js';
import { migrateToLatest } from '../../db/migrator.js';

// `loandesk db migrate`: brings the database named by DATABASE_URL (default:
// the SQLite file in the data directory) to the latest schema. Safe to run
// repeatedly; prints what it applied. Exit 1 when a migration fails.

async function migrate(): Promise<void> {
  const handle = openDatabaseFromEnv();
  try {
    const outcome = await migrateToLatest(handle.db);
    for (const name of outcome.applied) {
      process.stdout.write(`applied ${name}\n`);
    }
    if (outcome.ok) {
      if (outcome.applied.length === 0) {
        process.stdout.write(`${handle.location}: already up to date\n`);
      } else {
        process.stdout.write(`${handle.location}: up to date\n`);
      }
      return;
    }
    const message =
      outcome.error instanceof Error ? outcome.error.message : 'unknown error';
    process.stderr.write(
      `loandesk: migration ${outcome.failed ?? '?'} failed: ${message}\n`,
    );
    process.exitCode = 1;
  } finally {
    await handle.db.destroy();
  }
}

export function registerDbMigrateCommand(program: Command): void {
  const db = program.command('db').description('数据库 — database tools');
  db.command('migrate')
    .description('apply pending migrations to DATABASE_URL')
    .action(async () => {
      await migrate();
    });
}
