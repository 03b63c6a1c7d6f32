// biome-ignore-all lint/style/useFilenamingConvention: migration files are named <yyyy-mm-dd>_<n>_<name> so they sort in the order they run.
// biome-ignore-all lint/suspicious/noExplicitAny: a frozen migration sees the database as Kysely<any> (Kysely docs, Migrations).
// Frozen in time: imports nothing from src/.
//
// `eod_runs` is the progress record of the end-of-day batch: one row per
// business date. Each batch of loans is written in one transaction together
// with the row's cursor (the last loan id done), so a crash loses nothing
// and a rerun resumes after the last committed batch.
//
// Two history columns on `delinquency` feed the early-warning score: the
// highest days past due the loan ever reached and how many times it went
// from current to overdue (the batch carries them forward day by day).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('eod_runs')
    .addColumn('business_date', 'text', (c) => c.primaryKey())
    // running | completed
    .addColumn('status', 'text', (c) => c.notNull())
    // Last loan id whose batch committed ('' before the first batch).
    .addColumn('cursor_loan_id', 'text', (c) => c.notNull())
    .addColumn('batches', 'bigint', (c) => c.notNull())
    .addColumn('loans', 'bigint', (c) => c.notNull())
    .addColumn('overdue_loans', 'bigint', (c) => c.notNull())
    .addColumn('transitions', 'bigint', (c) => c.notNull())
    .addColumn('reminders', 'bigint', (c) => c.notNull())
    .addColumn('promises_broken', 'bigint', (c) => c.notNull())
    .addColumn('promises_kept', 'bigint', (c) => c.notNull())
    .addColumn('errors', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema
    .alterTable('delinquency')
    .addColumn('max_days_past_due', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('delinquency')
    .addColumn('overdue_episodes', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('contact_logs_loan')
    .on('contact_logs')
    .columns(['loan_id', 'contacted_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('contact_logs_loan').execute();
  await db.schema
    .alterTable('delinquency')
    .dropColumn('overdue_episodes')
    .execute();
  await db.schema
    .alterTable('delinquency')
    .dropColumn('max_days_past_due')
    .execute();
  await db.schema.dropTable('eod_runs').execute();
}
