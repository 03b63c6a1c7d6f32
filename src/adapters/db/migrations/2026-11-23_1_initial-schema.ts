// biome-ignore-all lint/style/useFilenamingConvention: migration files are named <yyyy-mm-dd>_<n>_<name> so they sort in the order they run.
// biome-ignore-all lint/suspicious/noExplicitAny: a frozen migration sees the database as Kysely<any> (Kysely docs, Migrations).
// Frozen in time (Kysely docs): this file imports nothing from src/ and uses
// Kysely<any>, so later changes to the app's types never change what this
// migration did. It runs unchanged on SQLite and PostgreSQL.
//
// Conventions: ids are prefixed text (cust_…, loan_…); money is `*_fen`
// BIGINT (SQLite INTEGER affinity); dates are 'YYYY-MM-DD' text; instants
// are ISO-8601 UTC text; JSON is canonical text; `*_enc` columns hold
// AES-256-GCM ciphertext and `*_bidx` HMAC-SHA256 blind indexes.
import { type Kysely, sql } from 'kysely';

const GENESIS_HASH = '0'.repeat(64);

const ROLES: readonly [string, string][] = [
  ['agent', '客服专员'],
  ['collector', '催收专员'],
  ['negotiator', '协商专员'],
  ['supervisor', '主管'],
  ['admin', '管理员'],
];

async function createPeople(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('roles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .execute();
  await db
    .insertInto('roles')
    .values(ROLES.map(([id, name]) => ({ id, name_zh: name })))
    .execute();
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('user_roles')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('role', 'text', (c) => c.notNull().references('roles.id'))
    .addPrimaryKeyConstraint('user_roles_pk', ['user_id', 'role'])
    .execute();
  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name_enc', 'text', (c) => c.notNull())
    .addColumn('id_number_enc', 'text', (c) => c.notNull())
    .addColumn('id_number_bidx', 'text', (c) => c.notNull().unique())
    .addColumn('phone_enc', 'text', (c) => c.notNull())
    .addColumn('phone_bidx', 'text', (c) => c.notNull())
    .addColumn('monthly_income_fen', 'bigint')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('customers_phone_bidx')
    .on('customers')
    .column('phone_bidx')
    .execute();
  await db.schema
    .createTable('emergency_contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) =>
      c.notNull().references('customers.id'),
    )
    .addColumn('name_enc', 'text', (c) => c.notNull())
    .addColumn('phone_enc', 'text', (c) => c.notNull())
    .addColumn('phone_bidx', 'text', (c) => c.notNull())
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('emergency_contacts_customer')
    .on('emergency_contacts')
    .column('customer_id')
    .execute();
}

async function createOrigination(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('products')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('methods', 'text', (c) => c.notNull())
    .addColumn('rate_annual_min', 'text', (c) => c.notNull())
    .addColumn('rate_annual_max', 'text', (c) => c.notNull())
    .addColumn('amount_fen_min', 'bigint', (c) => c.notNull())
    .addColumn('amount_fen_max', 'bigint', (c) => c.notNull())
    .addColumn('term_months_min', 'bigint', (c) => c.notNull())
    .addColumn('term_months_max', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('applications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_no', 'text', (c) => c.notNull().unique())
    .addColumn('customer_id', 'text', (c) =>
      c.notNull().references('customers.id'),
    )
    .addColumn('product_id', 'text', (c) =>
      c.notNull().references('products.id'),
    )
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('term_months', 'bigint', (c) => c.notNull())
    .addColumn('purpose', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('submitted_on', 'text', (c) => c.notNull())
    .addColumn('decision_reasons', 'text')
    .addColumn('scorecard', 'text')
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('applications_customer')
    .on('applications')
    .column('customer_id')
    .execute();
}

async function createLedger(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('loans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('loan_no', 'text', (c) => c.notNull().unique())
    .addColumn('customer_id', 'text', (c) =>
      c.notNull().references('customers.id'),
    )
    .addColumn('application_id', 'text', (c) => c.references('applications.id'))
    .addColumn('product_id', 'text', (c) => c.references('products.id'))
    .addColumn('principal_fen', 'bigint', (c) => c.notNull())
    .addColumn('rate_annual', 'text', (c) => c.notNull())
    .addColumn('term_months', 'bigint', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('day_count', 'text', (c) => c.notNull())
    .addColumn('rounding', 'text', (c) => c.notNull())
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('schedule_version', 'bigint', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('closed_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('loans_customer')
    .on('loans')
    .column('customer_id')
    .execute();
  await db.schema
    .createIndex('loans_status')
    .on('loans')
    .column('status')
    .execute();
  await db.schema
    .createTable('installments')
    .addColumn('loan_id', 'text', (c) => c.notNull().references('loans.id'))
    .addColumn('schedule_version', 'bigint', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('payment_fen', 'bigint', (c) => c.notNull())
    .addColumn('principal_fen', 'bigint', (c) => c.notNull())
    .addColumn('interest_fen', 'bigint', (c) => c.notNull())
    .addColumn('fee_fen', 'bigint', (c) => c.notNull())
    .addColumn('balance_fen', 'bigint', (c) => c.notNull())
    .addColumn('penalty_fen', 'bigint', (c) => c.notNull())
    .addColumn('paid_principal_fen', 'bigint', (c) => c.notNull())
    .addColumn('paid_interest_fen', 'bigint', (c) => c.notNull())
    .addColumn('paid_fee_fen', 'bigint', (c) => c.notNull())
    .addColumn('paid_penalty_fen', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('installments_pk', [
      'loan_id',
      'schedule_version',
      'n',
    ])
    .execute();
}

async function createPayments(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('loan_id', 'text', (c) => c.notNull().references('loans.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('paid_on', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('reverses_payment_id', 'text', (c) =>
      c.unique().references('payments.id'),
    )
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('payments_loan')
    .on('payments')
    .column('loan_id')
    .execute();
  await db.schema
    .createTable('payment_allocations')
    .addColumn('payment_id', 'text', (c) =>
      c.notNull().references('payments.id'),
    )
    .addColumn('line', 'bigint', (c) => c.notNull())
    .addColumn('schedule_version', 'bigint', (c) => c.notNull())
    .addColumn('installment_n', 'bigint', (c) => c.notNull())
    .addColumn('component', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('payment_allocations_pk', ['payment_id', 'line'])
    .execute();
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('result_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

async function createCollections(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('contact_logs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) =>
      c.notNull().references('customers.id'),
    )
    .addColumn('loan_id', 'text', (c) => c.references('loans.id'))
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('contacted_at', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createIndex('contact_logs_customer')
    .on('contact_logs')
    .columns(['customer_id', 'contacted_at'])
    .execute();
  await db.schema
    .createTable('promises_to_pay')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('loan_id', 'text', (c) => c.notNull().references('loans.id'))
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('promised_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .execute();
  await db.schema
    .createIndex('promises_to_pay_loan')
    .on('promises_to_pay')
    .column('loan_id')
    .execute();
}

async function createService(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.references('customers.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assigned_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('verified_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('conversations.id'),
    )
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('intent', 'text')
    .addColumn('actions', 'text')
    .addColumn('compliance_verdict', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('messages_conversation_seq', [
      'conversation_id',
      'seq',
    ])
    .execute();
  await db.schema
    .createTable('complaint_tickets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_no', 'text', (c) => c.notNull().unique())
    .addColumn('customer_id', 'text', (c) => c.references('customers.id'))
    .addColumn('conversation_id', 'text', (c) =>
      c.references('conversations.id'),
    )
    .addColumn('ticket_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('assigned_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .execute();
}

async function createAudit(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_log_subject')
    .on('audit_log')
    .columns(['subject_type', 'subject_id'])
    .execute();
  // One row holding the chain's head. Appenders update it first, which takes
  // a row lock on PostgreSQL and serialises them: the chain never forks.
  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db
    .insertInto('audit_head')
    .values({ id: sql`1`, seq: sql`0`, hash: GENESIS_HASH })
    .execute();
}

export async function up(db: Kysely<any>): Promise<void> {
  await createPeople(db);
  await createOrigination(db);
  await createLedger(db);
  await createPayments(db);
  await createCollections(db);
  await createService(db);
  await createAudit(db);
}

const TABLES_IN_DROP_ORDER = [
  'audit_head',
  'audit_log',
  'complaint_tickets',
  'messages',
  'conversations',
  'promises_to_pay',
  'contact_logs',
  'idempotency_keys',
  'payment_allocations',
  'payments',
  'installments',
  'loans',
  'applications',
  'products',
  'emergency_contacts',
  'customers',
  'user_roles',
  'users',
  'roles',
];

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of TABLES_IN_DROP_ORDER) {
    await db.schema.dropTable(table).execute();
  }
}
