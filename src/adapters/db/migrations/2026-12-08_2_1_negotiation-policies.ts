// biome-ignore-all lint/style/useFilenamingConvention: migration files are named <yyyy-mm-dd>_<n>_<name> so they sort in the order they run.
// biome-ignore-all lint/suspicious/noExplicitAny: a frozen migration sees the database as Kysely<any> (Kysely docs, Migrations).
// Frozen in time: imports nothing from src/.
//
// Negotiation policy versions: an administrator's override of the limits
// shipped in content/negotiation/policy.yaml (max installments, waivers,
// minimum first payment, discount floor, discount rate). The newest version
// is in force; older ones stay for the audit trail. `version` is the
// primary key, so two concurrent edits of the same version cannot both win.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('negotiation_policies')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('negotiation_policies').execute();
}
