// biome-ignore-all lint/style/useFilenamingConvention: migration files are named <yyyy-mm-dd>_<n>_<name> so they sort in the order they run.
// biome-ignore-all lint/suspicious/noExplicitAny: a frozen migration sees the database as Kysely<any> (Kysely docs, Migrations).
// Frozen in time: imports nothing from src/.
//
// Teams (班组, e.g. 客服一组): a named group of staff with an optional lead.
// A user belongs to at most one team (`team_members.user_id` is the key), so
// quality-inspection reports can group agents' scores by team. Membership is
// its own table rather than a column on `users`, so that undoing this
// migration drops tables only (SQLite cannot drop a column that carries a
// foreign key).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('teams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('lead_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('team_members')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('team_members_team')
    .on('team_members')
    .column('team_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('team_members').execute();
  await db.schema.dropTable('teams').execute();
}
