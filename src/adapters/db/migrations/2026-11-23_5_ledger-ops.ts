// biome-ignore-all lint/style/useFilenamingConvention: migration files are named <yyyy-mm-dd>_<n>_<name> so they sort in the order they run.
// biome-ignore-all lint/suspicious/noExplicitAny: a frozen migration sees the database as Kysely<any> (Kysely docs, Migrations).
// Frozen in time: imports nothing from src/.
//
// Ledger operations and sessions:
// - `revoked_sessions`: session tokens invalidated on the server (logout);
//   a row lives until the token would have expired anyway.
// - `loan_prepayments`: each early repayment that wrote a new schedule
//   version, with what the loan engine needs to rebuild that schedule
//   (after which period, how much principal, which mode).
// - `applications.approved_*`: the pricing fixed at approval (rate within
//   the product's band, repayment method), read at disbursement.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('revoked_sessions')
    // The token's id claim (jti); random, never reused.
    .addColumn('token_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    // ISO-8601 UTC instant after which the token is dead anyway.
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('revoked_sessions_expires')
    .on('revoked_sessions')
    .column('expires_at')
    .execute();
  await db.schema
    .createTable('loan_prepayments')
    .addColumn('payment_id', 'text', (c) =>
      c.primaryKey().references('payments.id'),
    )
    .addColumn('loan_id', 'text', (c) => c.notNull().references('loans.id'))
    // The schedule version this prepayment created.
    .addColumn('schedule_version', 'bigint', (c) => c.notNull())
    // partial (提前部分还款) | payoff (提前结清)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('after_period', 'bigint', (c) => c.notNull())
    .addColumn('principal_fen', 'bigint', (c) => c.notNull())
    // reduce_payment | reduce_term; null for a payoff
    .addColumn('mode', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('loan_prepayments_loan')
    .on('loan_prepayments')
    .columns(['loan_id', 'schedule_version'])
    .execute();
  await db.schema
    .alterTable('applications')
    .addColumn('approved_rate_annual', 'text')
    .execute();
  await db.schema
    .alterTable('applications')
    .addColumn('approved_method', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('applications')
    .dropColumn('approved_method')
    .execute();
  await db.schema
    .alterTable('applications')
    .dropColumn('approved_rate_annual')
    .execute();
  await db.schema.dropTable('loan_prepayments').execute();
  await db.schema.dropTable('revoked_sessions').execute();
}
