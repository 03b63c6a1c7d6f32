// biome-ignore-all lint/style/useFilenamingConvention: migration files are named <yyyy-mm-dd>_<n>_<name> so they sort in the order they run.
// biome-ignore-all lint/suspicious/noExplicitAny: a frozen migration sees the database as Kysely<any> (Kysely docs, Migrations).
// Frozen in time: imports nothing from src/.
//
// Borrower chat over HTTP: one `chat_sessions` row per conversation holds
// the hash of the borrower's secret token and the dialogue state between
// turns (so a conversation survives a server restart), plus the rating at
// the end. Conversations gain the hand-off reason and time the agents' inbox
// shows; messages gain the encrypted original of a body that was stored
// masked because it carried an ID, card or phone number.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('chat_sessions')
    .addColumn('conversation_id', 'text', (c) =>
      c.primaryKey().references('conversations.id'),
    )
    // SHA-256 of the random token, hex; the token itself is never stored.
    .addColumn('token_hash', 'text', (c) => c.notNull())
    // JSON of the dialogue engine's state after the last bot turn.
    .addColumn('dialogue_state', 'text', (c) => c.notNull())
    // The customer the offered phone / ID number points at, before the
    // engine has matched two factors (then conversations.customer_id).
    .addColumn('candidate_customer_id', 'text', (c) =>
      c.references('customers.id'),
    )
    .addColumn('rating_score', 'bigint')
    .addColumn('rating_comment', 'text')
    .addColumn('rated_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // SQLite adds one column per ALTER TABLE statement.
  await db.schema
    .alterTable('conversations')
    .addColumn('handoff_reason', 'text')
    .execute();
  await db.schema
    .alterTable('conversations')
    .addColumn('handed_off_at', 'text')
    .execute();
  await db.schema
    .alterTable('conversations')
    .addColumn('last_intent', 'text')
    .execute();
  await db.schema
    .alterTable('messages')
    .addColumn('body_enc', 'text')
    .execute();
  await db.schema
    .createIndex('conversations_status')
    .on('conversations')
    .columns(['status', 'updated_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('conversations_status').execute();
  await db.schema.alterTable('messages').dropColumn('body_enc').execute();
  await db.schema
    .alterTable('conversations')
    .dropColumn('last_intent')
    .execute();
  await db.schema
    .alterTable('conversations')
    .dropColumn('handed_off_at')
    .execute();
  await db.schema
    .alterTable('conversations')
    .dropColumn('handoff_reason')
    .execute();
  await db.schema.dropTable('chat_sessions').execute();
}
