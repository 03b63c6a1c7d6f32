// biome-ignore-all lint/style/useFilenamingConvention: migration files are named <yyyy-mm-dd>_<n>_<name> so they sort in the order they run.
// biome-ignore-all lint/suspicious/noExplicitAny: a frozen migration sees the database as Kysely<any> (Kysely docs, Migrations).
// Frozen in time: imports nothing from src/.
//
// `delinquency` holds each loan's state as of the last end-of-day batch:
// one row per loan, overwritten by every run. Collections queues,
// dashboards and reminders read it instead of recomputing the book.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('delinquency')
    .addColumn('loan_id', 'text', (c) => c.primaryKey().references('loans.id'))
    // Business date of the batch that wrote this row.
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('days_past_due', 'bigint', (c) => c.notNull())
    // M0 | M1 | M2 | … | M6+ (taxonomy of the loan engine)
    .addColumn('bucket', 'text', (c) => c.notNull())
    // normal | special_mention | substandard | doubtful | loss
    .addColumn('classification', 'text', (c) => c.notNull())
    .addColumn('overdue_installments', 'bigint', (c) => c.notNull())
    .addColumn('overdue_principal_fen', 'bigint', (c) => c.notNull())
    .addColumn('overdue_interest_fen', 'bigint', (c) => c.notNull())
    .addColumn('penalty_fen', 'bigint', (c) => c.notNull())
    .addColumn('fees_fen', 'bigint', (c) => c.notNull())
    .addColumn('total_overdue_fen', 'bigint', (c) => c.notNull())
    .addColumn('outstanding_principal_fen', 'bigint', (c) => c.notNull())
    // Interest accrued since the last due date, not yet due.
    .addColumn('accrued_interest_fen', 'bigint', (c) => c.notNull())
    .addColumn('next_due_date', 'text')
    .addColumn('next_due_fen', 'bigint')
    // 0–1000 points (higher = more likely to go overdue); null when overdue.
    .addColumn('early_warning_score', 'bigint')
    // JSON array of the score's reasons, largest first.
    .addColumn('early_warning_reasons', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('delinquency_bucket')
    .on('delinquency')
    .columns(['bucket', 'days_past_due'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('delinquency').execute();
}
