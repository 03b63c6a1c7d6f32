// biome-ignore-all lint/style/useFilenamingConvention: migration files are named <yyyy-mm-dd>_<n>_<name> so they sort in the order they run.
// biome-ignore-all lint/suspicious/noExplicitAny: a frozen migration sees the database as Kysely<any> (Kysely docs, Migrations).
// Frozen in time: imports nothing from src/.
//
// What early repayment needs from a loan's contract:
// - `products.prepayment_fee`, `loans.prepayment_fee`: the early-repayment
//   fee (提前还款违约金) as canonical JSON: {"kind":"none"} |
//   {"kind":"share_of_prepaid","share":"0.01","free_after_months":12} |
//   {"kind":"months_of_interest","months":1,"free_after_months":12}. The
//   loan's copy is taken from its product at disbursement, so a later
//   catalogue change leaves signed contracts alone. Null: no fee.
// - `loans.schedule_terms`, `loans.schedule_terms_version`: the loan
//   engine's terms (the `loandesk schedule` input JSON, without
//   prepayments) that built schedule version `schedule_terms_version`: the
//   booking's (version 1, fees included) or the last restructuring's. The
//   current schedule is those terms plus the partial prepayments recorded
//   after that version. Null on loans booked before: the loan's own columns
//   without fees.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('products')
    .addColumn('prepayment_fee', 'text')
    .execute();
  await db.schema
    .alterTable('loans')
    .addColumn('prepayment_fee', 'text')
    .execute();
  await db.schema
    .alterTable('loans')
    .addColumn('schedule_terms', 'text')
    .execute();
  await db.schema
    .alterTable('loans')
    .addColumn('schedule_terms_version', 'bigint')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('loans')
    .dropColumn('schedule_terms_version')
    .execute();
  await db.schema.alterTable('loans').dropColumn('schedule_terms').execute();
  await db.schema.alterTable('loans').dropColumn('prepayment_fee').execute();
  await db.schema.alterTable('products').dropColumn('prepayment_fee').execute();
}
