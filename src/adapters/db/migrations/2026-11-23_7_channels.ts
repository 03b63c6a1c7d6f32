// biome-ignore-all lint/style/useFilenamingConvention: migration files are named <yyyy-mm-dd>_<n>_<name> so they sort in the order they run.
// biome-ignore-all lint/suspicious/noExplicitAny: a frozen migration sees the database as Kysely<any> (Kysely docs, Migrations).
// Frozen in time: imports nothing from src/.
//
// Channels and complaints:
// - `outbound_messages`: one row per message to a customer (a reminder on one
//   channel, a complaint notice). `dedupe_key` is unique (reminder id +
//   channel), so planning the same reminder twice inserts nothing, and the
//   status column is the delivery state machine.
// - `sms_outbox`: the default SMS provider — a table an operator's SMS
//   gateway (or the UI) reads. Keyed by message id: a resend after a crash
//   inserts nothing.
// - `in_app_messages`: what the borrower app and chat show; keyed by message.
// - `customer_channels`: per-customer e-mail address (encrypted) and channel
//   opt-outs.
// - complaint ticket columns: source, category, complexity, escalation,
//   extension and resolution (CP-01).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('outbound_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    // reminder | complaint
    .addColumn('source_type', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) =>
      c.notNull().references('customers.id'),
    )
    // sms | email | app
    .addColumn('channel', 'text', (c) => c.notNull())
    // collection | reminder (the contact policy's purpose)
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('recipient_enc', 'text', (c) => c.notNull())
    .addColumn('recipient_masked', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint')
    // deferred | queued | sending | retrying | sent | failed | suppressed | uncertain
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_rule', 'text')
    .addColumn('status_reason', 'text')
    .addColumn('not_before', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('queued_at', 'text')
    .addColumn('attempts', 'bigint', (c) => c.notNull())
    .addColumn('claimed_at', 'text')
    .addColumn('provider', 'text')
    .addColumn('provider_message_id', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('outbound_messages_status_time')
    .on('outbound_messages')
    .columns(['status', 'not_before'])
    .execute();
  await db.schema
    .createIndex('outbound_messages_customer_queued')
    .on('outbound_messages')
    .columns(['customer_id', 'channel', 'queued_at'])
    .execute();
  await db.schema
    .createTable('sms_outbox')
    .addColumn('message_id', 'text', (c) =>
      c.primaryKey().references('outbound_messages.id'),
    )
    .addColumn('phone_enc', 'text', (c) => c.notNull())
    .addColumn('phone_masked', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('in_app_messages')
    .addColumn('message_id', 'text', (c) =>
      c.primaryKey().references('outbound_messages.id'),
    )
    .addColumn('customer_id', 'text', (c) =>
      c.notNull().references('customers.id'),
    )
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema
    .createIndex('in_app_messages_customer')
    .on('in_app_messages')
    .columns(['customer_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('customer_channels')
    .addColumn('customer_id', 'text', (c) =>
      c.primaryKey().references('customers.id'),
    )
    .addColumn('email_enc', 'text')
    .addColumn('sms_enabled', 'bigint', (c) => c.notNull())
    .addColumn('email_enabled', 'bigint', (c) => c.notNull())
    .addColumn('app_enabled', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  for (const [name, type] of [
    // chat | phone | email
    ['source', 'text'],
    ['category', 'text'],
    // simple | complex
    ['complexity', 'text'],
    ['escalation_level', 'bigint'],
    ['escalated_at', 'text'],
    ['extension_days', 'bigint'],
    ['extension_reason', 'text'],
    ['resolution', 'text'],
    ['resolved_by', 'text'],
  ] as const) {
    await db.schema
      .alterTable('complaint_tickets')
      .addColumn(name, type)
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    'source',
    'category',
    'complexity',
    'escalation_level',
    'escalated_at',
    'extension_days',
    'extension_reason',
    'resolution',
    'resolved_by',
  ]) {
    await db.schema.alterTable('complaint_tickets').dropColumn(name).execute();
  }
  await db.schema.dropTable('customer_channels').execute();
  await db.schema.dropTable('in_app_messages').execute();
  await db.schema.dropTable('sms_outbox').execute();
  await db.schema.dropTable('outbound_messages').execute();
}
