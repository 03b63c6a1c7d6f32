// biome-ignore-all lint/style/useFilenamingConvention: migration files are named <yyyy-mm-dd>_<n>_<name> so they sort in the order they run.
// biome-ignore-all lint/suspicious/noExplicitAny: a frozen migration sees the database as Kysely<any> (Kysely docs, Migrations).
// Frozen in time: imports nothing from src/.
//
// `reminders` is the hand-off between the end-of-day batch (which decides
// that a borrower is due a reminder on a business date) and the channel
// dispatcher (which renders, checks compliance and the contact policy, and
// sends). One row per loan, kind and business date: rerunning a day's batch
// inserts nothing new.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reminders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('loan_id', 'text', (c) => c.notNull().references('loans.id'))
    .addColumn('customer_id', 'text', (c) =>
      c.notNull().references('customers.id'),
    )
    // pre_due_3 | pre_due_1 | due_day | overdue_m1 | overdue_m2 | overdue_m3_plus | promise_broken
    .addColumn('kind', 'text', (c) => c.notNull())
    // The business date of the batch that generated it.
    .addColumn('for_date', 'text', (c) => c.notNull())
    .addColumn('installment_n', 'bigint', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    // What the borrower owes on for_date (principal + interest + fees + penalty due).
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('days_past_due', 'bigint', (c) => c.notNull())
    .addColumn('bucket', 'text', (c) => c.notNull())
    // pending → dispatched | suppressed (policy/compliance said no, reason kept)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('reminders_loan_kind_date', [
      'loan_id',
      'kind',
      'for_date',
    ])
    .execute();
  await db.schema
    .createIndex('reminders_status_date')
    .on('reminders')
    .columns(['status', 'for_date'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('reminders').execute();
}
