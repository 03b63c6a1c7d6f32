// biome-ignore-all lint/style/useFilenamingConvention: migration files are named <yyyy-mm-dd>_<n>_<name> so they sort in the order they run.
// biome-ignore-all lint/suspicious/noExplicitAny: a frozen migration sees the database as Kysely<any> (Kysely docs, Migrations).
// Frozen in time: imports nothing from src/.
//
// Collections work: which collector or negotiator works which case
// (`case_assignments`), the call result code of a contact (结果代码), and
// negotiation: a supervisor's approval of out-of-policy plan terms and the
// signed repayment agreements (协商还款协议).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_assignments')
    .addColumn('loan_id', 'text', (c) => c.notNull().references('loans.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('assigned_by', 'text', (c) => c.notNull())
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_assignments_pk', ['loan_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('case_assignments_user')
    .on('case_assignments')
    .column('user_id')
    .execute();
  // promise_to_pay | refuses_to_pay | dispute | hardship | callback | paid | message_relayed | none
  await db.schema
    .alterTable('contact_logs')
    .addColumn('result_code', 'text')
    .execute();
  await db.schema
    .createTable('negotiation_approvals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('loan_id', 'text', (c) => c.notNull().references('loans.id'))
    // Canonical JSON of the approved plan terms (kind, months, shares).
    .addColumn('terms', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text', (c) => c.notNull())
    .addColumn('approved_at', 'text', (c) => c.notNull())
    // The agreement that used it; an approval is used once.
    .addColumn('agreement_id', 'text')
    .execute();
  await db.schema
    .createTable('negotiation_agreements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agreement_no', 'text', (c) => c.notNull().unique())
    .addColumn('loan_id', 'text', (c) => c.notNull().references('loans.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('months', 'bigint', (c) => c.notNull())
    .addColumn('terms', 'text', (c) => c.notNull())
    // The balance negotiated from, and the plan's key figures.
    .addColumn('principal_fen', 'bigint', (c) => c.notNull())
    .addColumn('interest_fen', 'bigint', (c) => c.notNull())
    .addColumn('fee_fen', 'bigint', (c) => c.notNull())
    .addColumn('penalty_fen', 'bigint', (c) => c.notNull())
    .addColumn('waived_fen', 'bigint', (c) => c.notNull())
    .addColumn('due_at_signing_fen', 'bigint', (c) => c.notNull())
    .addColumn('total_paid_fen', 'bigint', (c) => c.notNull())
    .addColumn('within_policy', 'bigint', (c) => c.notNull())
    .addColumn('approval_id', 'text')
    .addColumn('schedule_version', 'bigint', (c) => c.notNull())
    .addColumn('signed_on', 'text', (c) => c.notNull())
    .addColumn('signed_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('negotiation_agreements_loan')
    .on('negotiation_agreements')
    .column('loan_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('negotiation_agreements').execute();
  await db.schema.dropTable('negotiation_approvals').execute();
  await db.schema
    .alterTable('contact_logs')
    .dropColumn('result_code')
    .execute();
  await db.schema.dropTable('case_assignments').execute();
}
