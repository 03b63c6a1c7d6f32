// biome-ignore-all lint/style/useFilenamingConvention: migration files are named <yyyy-mm-dd>_<n>_<name> so they sort in the order they run.
// biome-ignore-all lint/suspicious/noExplicitAny: a frozen migration sees the database as Kysely<any> (Kysely docs, Migrations).
// Frozen in time: imports nothing from src/.
//
// Borrower verification by name and the last six characters of the ID
// number (spec/contracts.md): customers gain an HMAC blind index of those
// six characters, so the chat finds the few records ending so without
// decrypting the table. Nullable: rows written before this migration get
// theirs from the server at start (the key is not the migration's to read).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('customers')
    .addColumn('id_tail_bidx', 'text')
    .execute();
  await db.schema
    .createIndex('customers_id_tail_bidx')
    .on('customers')
    .column('id_tail_bidx')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('customers_id_tail_bidx').execute();
  await db.schema.alterTable('customers').dropColumn('id_tail_bidx').execute();
}
