import {
  type EodPolicies,
  featureWindows,
} from '../../app/collections/run-end-of-day.js';
import {
  createEarlyWarningScorer,
  EARLY_WARNING_FEATURES,
  type EarlyWarningFeatures,
  type ScoreBand,
  type Scorecard,
  scoreBands,
} from '../../domain/collections/early-warning.js';
import { classifyLoan } from '../../domain/loan/delinquency/classification.js';
import { assert } from '../../domain/shared/assert.js';
import {
  addDays,
  type CalendarDate,
  parseCalendarDate,
} from '../../domain/shared/calendar-date.js';
import type { DialectName } from './kysely-database.js';

// The set-based half of the end-of-day batch. Most of a book is current and
// needs nothing on a given day but its delinquency row: no overdue amount,
// no status change, no reminder, no promise to judge. Those loans are
// written by one INSERT … SELECT per batch, inside the batch's transaction,
// without passing through JavaScript. Every other loan goes through the
// domain functions as before.
//
// The domain stays the source of truth: the SQL only applies decisions the
// domain made in advance — the bucket and class of 0 days past due, every
// early-warning band combination's score and reasons (computed by the
// domain's scorer and inlined as a table), and the same integer formula as
// `accruedInterestFen` for `half_up` (loans with another rounding take the
// JavaScript path). test/db/eod.test.ts checks rows from both paths against
// the domain functions.

const ACTIVE = `('repaying', 'overdue', 'collection', 'restructured')`;
const FAILED_OUTCOMES = `('no_answer', 'refused', 'wrong_number')`;

/** A SQL string literal (no '?': placeholders are rewritten for pg). */
export function literal(text: string): string {
  assert(!text.includes('?'), 'eod: a literal may not contain ?');
  return `'${text.replaceAll("'", "''")}'`;
}

function dateLiteral(date: CalendarDate): string {
  assert(parseCalendarDate(date) === date, `eod: bad date ${date}`);
  return `'${date}'`;
}

/** Whole days from `from` to `to` (both YYYY-MM-DD text). */
function daysSql(dialect: DialectName, from: string, to: string): string {
  return dialect === 'sqlite'
    ? `CAST(julianday(${to}) - julianday(${from}) AS INTEGER)`
    : `(CAST(${to} AS date) - CAST(${from} AS date))`;
}

function bandCase(bands: readonly ScoreBand[], value: string): string {
  const whens = bands
    .slice(0, -1)
    .map((b) => `WHEN ${value} <= ${b.max} THEN ${literal(b.code)}`)
    .join(' ');
  const last = bands.at(-1);
  assert(last !== undefined, 'eod: empty band list');
  return `CASE ${whens} ELSE ${literal(last.code)} END`;
}

/** Every band combination's code, score and reasons, from the domain. */
export function scoreRows(card: Scorecard): [string, bigint, string][] {
  const scorer = createEarlyWarningScorer(card);
  const choices = EARLY_WARNING_FEATURES.map((feature) =>
    feature === 'debtToIncomeBp'
      ? [...card.bands[feature].map((b) => b.min), undefined]
      : card.bands[feature].map((b) => b.min),
  );
  const rows: [string, bigint, string][] = [];
  const walk = (index: number, values: (number | undefined)[]) => {
    if (index === choices.length) {
      const features = Object.fromEntries(
        EARLY_WARNING_FEATURES.map((f, i) => [f, values[i]]),
      ) as EarlyWarningFeatures;
      const code = scoreBands(features, card)
        .map((b) => b.code)
        .join('|');
      const score = scorer(features);
      rows.push([code, BigInt(score.score), score.reasonsJson]);
      return;
    }
    for (const value of choices[index] ?? [])
      walk(index + 1, [...values, value]);
  };
  walk(0, []);
  return rows;
}

/** The scores table: kept on the connection, filled once per card. */
export const SCORES_TABLE = 'eod_scores';
export const CREATE_SCORES_TABLE = `CREATE TEMP TABLE IF NOT EXISTS ${SCORES_TABLE} (
  card text NOT NULL, code text NOT NULL, score bigint NOT NULL,
  reasons text NOT NULL, PRIMARY KEY (card, code))`;
export const insertScoresSql = (rows: number) =>
  `INSERT INTO ${SCORES_TABLE} (card, code, score, reasons) VALUES ${Array(rows)
    .fill('(?, ?, ?, ?)')
    .join(', ')}`;

/**
 * The batch's rows: one per active loan with id in (cursor, last], with the
 * ledger aggregate over its current schedule, the running period's
 * installment, the customer's income, yesterday's delinquency row, the
 * behaviour counts, and for the fast path its accrued interest, band code
 * and whether it qualifies (`fast` = 1).
 *
 * Shaped for ranges: every table keyed by loan id (loans, installments,
 * payments, contact logs, promises, delinquency) is read once over the
 * batch's id range through its index, aggregated or joined in loan id
 * order; only the customer and the running period's installment are looked
 * up per loan. (A correlated subquery per loan for the behaviour counts
 * cost more than the whole ledger aggregate.)
 */
function batchSelect(
  dialect: DialectName,
  date: CalendarDate,
  card: Scorecard,
  cursor: string,
  last: string,
): string {
  const d = dateLiteral(date);
  const from = literal(cursor);
  const to = literal(last);
  const inRange = (column: string) =>
    `${column} > ${from} AND ${column} <= ${to}`;
  const unpaid = (x: string) =>
    `${x}.payment_fen + ${x}.penalty_fen > ${x}.paid_principal_fen + ${x}.paid_interest_fen + ${x}.paid_fee_fen + ${x}.paid_penalty_fen`;
  const windows = featureWindows(date);
  const partialFrom = dateLiteral(windows.partialPaymentsFrom);
  const contactsFrom = dateLiteral(windows.failedContactsFrom);
  const start = `COALESCE(a.period_start, b.start_date)`;
  // The running period's installment (the first one due on or after the
  // day; due dates rise with n). SQLite looks it up per loan; PostgreSQL
  // takes it from the ledger aggregate as the smallest [n, interest,
  // payment, unpaid] array among the installments not yet due, which saves
  // a lookup per loan.
  const pg = dialect === 'postgres';
  const nx = {
    n: pg ? 'a.nx[1]' : 'nx.n',
    dueDate: pg ? 'a.next_due' : 'nx.due_date',
    interest: pg ? 'a.nx[2]' : 'nx.interest_fen',
    payment: pg ? 'a.nx[3]' : 'nx.payment_fen',
    unpaid: pg
      ? 'a.nx[4]'
      : `(nx.payment_fen + nx.penalty_fen - nx.paid_principal_fen
      - nx.paid_interest_fen - nx.paid_fee_fen - nx.paid_penalty_fen)`,
  };
  const length = daysSql(dialect, start, nx.dueDate);
  const elapsed = daysSql(dialect, start, d);
  const months = `((CAST(substr(${d}, 1, 4) AS INTEGER) - CAST(substr(b.start_date, 1, 4) AS INTEGER)) * 12
      + CAST(substr(${d}, 6, 2) AS INTEGER) - CAST(substr(b.start_date, 6, 2) AS INTEGER)
      - CASE WHEN substr(${d}, 9, 2) < substr(b.start_date, 9, 2) THEN 1 ELSE 0 END)`;
  const column: Record<keyof EarlyWarningFeatures, string> = {
    maxDaysPastDue: 'COALESCE(h_max, 0)',
    overdueEpisodes: 'COALESCE(h_episodes, 0)',
    partialPayments: 'f_partial',
    failedContacts: 'f_failed',
    debtToIncomeBp: 'f_dti',
    monthsOnBook: 'f_mob',
  };
  const bandCode = EARLY_WARNING_FEATURES.map((f) =>
    f === 'debtToIncomeBp'
      ? `(CASE WHEN ${column[f]} IS NULL THEN ${literal(card.unknownIncome.code)} ELSE ${bandCase(card.bands[f], column[f])} END)`
      : bandCase(card.bands[f], column[f]),
  ).join(` || '|' || `);
  const nextUnpaid = `COALESCE(${nx.unpaid}, 0)`;
  const nextAggregates = pg
    ? `,
    min(i.due_date) FILTER (WHERE i.due_date >= ${d}) AS next_due,
    min(ARRAY[i.n, i.interest_fen, i.payment_fen, i.payment_fen + i.penalty_fen
      - i.paid_principal_fen - i.paid_interest_fen - i.paid_fee_fen - i.paid_penalty_fen])
      FILTER (WHERE i.due_date >= ${d}) AS nx`
    : '';
  const nextJoin = pg
    ? ''
    : `
  LEFT JOIN installments nx
    ON nx.loan_id = b.id AND nx.schedule_version = b.schedule_version
    AND nx.n = a.past_n + 1`;
  const reminderDays = [0, 1, 3]
    .map((n) => dateLiteral(addDays(date, n)))
    .join(', ');
  return `WITH a AS (
  SELECT i.loan_id, i.schedule_version,
    CAST(sum(i.principal_fen - i.paid_principal_fen) AS bigint) AS outstanding,
    CAST(sum(CASE WHEN i.due_date < ${d} THEN 1 ELSE 0 END) AS bigint) AS past_n,
    max(CASE WHEN i.due_date < ${d} THEN i.due_date END) AS period_start,
    CAST(sum(CASE WHEN i.due_date < ${d} AND ${unpaid('i')} THEN 1 ELSE 0 END) AS bigint) AS overdue_n,
    max(CASE WHEN i.n = 1 THEN i.payment_fen END) AS first_payment${nextAggregates}
  FROM installments i
  WHERE ${inRange('i.loan_id')}
  GROUP BY i.loan_id, i.schedule_version
), pp AS (
  SELECT p.loan_id, CAST(count(*) AS bigint) AS n
  FROM payments p JOIN a ON a.loan_id = p.loan_id
  JOIN loans lp ON lp.id = a.loan_id AND lp.schedule_version = a.schedule_version
  WHERE ${inRange('p.loan_id')} AND p.kind = 'repayment'
    AND p.paid_on >= ${partialFrom} AND p.paid_on < ${d}
    AND p.amount_fen < a.first_payment
  GROUP BY p.loan_id
), kc AS (
  SELECT k.loan_id, CAST(count(*) AS bigint) AS n FROM contact_logs k
  WHERE ${inRange('k.loan_id')} AND k.contacted_at >= ${contactsFrom}
    AND k.contacted_at < ${d} AND k.outcome IN ${FAILED_OUTCOMES}
  GROUP BY k.loan_id
), pr AS (
  SELECT DISTINCT p.loan_id FROM promises_to_pay p
  WHERE ${inRange('p.loan_id')} AND p.status = 'pending' AND p.promised_on < ${d}
), f AS (
  SELECT b.id, b.customer_id, b.status, b.rate_annual, b.rounding, b.start_date,
    b.schedule_version, a.outstanding, a.period_start, a.overdue_n,
    ${nx.n} AS next_n, ${nx.dueDate} AS next_due, ${nx.interest} AS next_interest,
    ${nx.payment} AS next_payment,
    CASE WHEN ${nx.n} IS NULL THEN NULL ELSE CAST(${nextUnpaid} AS bigint) END AS next_unpaid,
    c.monthly_income_fen AS income,
    d.as_of AS h_as_of, d.days_past_due AS h_dpd,
    d.max_days_past_due AS h_max, d.overdue_episodes AS h_episodes,
    ${length} AS period_days, ${elapsed} AS elapsed_days,
    COALESCE(pp.n, 0) AS f_partial,
    COALESCE(kc.n, 0) AS f_failed,
    CASE WHEN c.monthly_income_fen IS NULL OR c.monthly_income_fen <= 0 THEN NULL
      ELSE COALESCE(${nx.payment}, 0) * 10000 / c.monthly_income_fen END AS f_dti,
    ${months} AS f_mob,
    CASE WHEN a.overdue_n = 0
      AND b.status IN ('repaying', 'restructured')
      AND b.rounding = 'half_up'
      AND pr.loan_id IS NULL
      AND NOT (${nextUnpaid} > 0 AND COALESCE(${nx.dueDate}, '') IN (${reminderDays}))
    THEN 1 ELSE 0 END AS fast
  FROM a
  JOIN loans b ON b.id = a.loan_id AND b.schedule_version = a.schedule_version
  JOIN customers c ON c.id = b.customer_id${nextJoin}
  LEFT JOIN delinquency d ON d.loan_id = b.id AND ${inRange('d.loan_id')}
  LEFT JOIN pp ON pp.loan_id = b.id
  LEFT JOIN kc ON kc.loan_id = b.id
  LEFT JOIN pr ON pr.loan_id = b.id
  WHERE ${inRange('b.id')} AND b.status IN ${ACTIVE}
), g AS (
  SELECT id, customer_id, status, rate_annual, rounding, start_date, schedule_version,
    outstanding, period_start, overdue_n, next_n, next_due, next_interest, next_payment,
    next_unpaid, income, h_as_of, h_dpd, h_max, h_episodes, f_partial, f_failed, fast,
    CAST(CASE WHEN next_n IS NULL OR period_days <= 0 THEN 0
      ELSE (next_interest * (CASE WHEN elapsed_days < 0 THEN 0
        WHEN elapsed_days > period_days THEN period_days ELSE elapsed_days END) * 2
        + period_days) / (2 * period_days) END AS bigint) AS accrued,
    ${bandCode} AS band_code
  FROM f
)`;
}

export const BATCH_TABLE = 'eod_batch';

const DELINQUENCY_FAST_COLUMNS = `loan_id, as_of, days_past_due, bucket, classification,
  overdue_installments, overdue_principal_fen, overdue_interest_fen, penalty_fen,
  fees_fen, total_overdue_fen, outstanding_principal_fen, accrued_interest_fen,
  next_due_date, next_due_fen, early_warning_score, early_warning_reasons,
  updated_at, max_days_past_due, overdue_episodes`;

/** The upsert of the fast rows of `source` (params: now, card key). */
function fastInsert(
  source: string,
  date: CalendarDate,
  policies: EodPolicies,
): string {
  const classification = classifyLoan(0, policies.classification);
  return `INSERT INTO delinquency (${DELINQUENCY_FAST_COLUMNS})
SELECT g.id, ${dateLiteral(date)}, 0, 'M0', ${literal(classification)},
  0, 0, 0, 0, 0, 0, g.outstanding, g.accrued, g.next_due, g.next_unpaid,
  ew.score, ew.reasons, ?, COALESCE(g.h_max, 0), COALESCE(g.h_episodes, 0)
FROM ${source} g JOIN ${SCORES_TABLE} ew ON ew.card = ? AND ew.code = g.band_code
WHERE g.fast = 1
ON CONFLICT (loan_id) DO UPDATE SET as_of = excluded.as_of,
  days_past_due = excluded.days_past_due, bucket = excluded.bucket,
  classification = excluded.classification,
  overdue_installments = excluded.overdue_installments,
  overdue_principal_fen = excluded.overdue_principal_fen,
  overdue_interest_fen = excluded.overdue_interest_fen,
  penalty_fen = excluded.penalty_fen, fees_fen = excluded.fees_fen,
  total_overdue_fen = excluded.total_overdue_fen,
  outstanding_principal_fen = excluded.outstanding_principal_fen,
  accrued_interest_fen = excluded.accrued_interest_fen,
  next_due_date = excluded.next_due_date, next_due_fen = excluded.next_due_fen,
  early_warning_score = excluded.early_warning_score,
  early_warning_reasons = excluded.early_warning_reasons,
  updated_at = excluded.updated_at,
  max_days_past_due = excluded.max_days_past_due,
  overdue_episodes = excluded.overdue_episodes`;
}

/** The columns of a slow row, as the store reads them. */
const SLOW_COLUMNS = `id, customer_id, status, rate_annual, rounding, start_date, schedule_version,
  outstanding, period_start, overdue_n, next_n, next_due, next_interest, next_payment,
  next_unpaid, income, h_as_of, h_dpd, h_max, h_episodes, f_partial, f_failed`;

export type BatchStatement = {
  readonly sql: string;
  /** Takes `now` and the scorecard's key. */
  readonly params: boolean;
  /** The same text every batch of the date (worth keeping prepared). */
  readonly reused: boolean;
};

/**
 * The statements of one batch's set-based half, run in order inside the
 * batch's transaction; the last one returns the loans that need the domain
 * (the slow rows, in id order). Parameters: `now` and the scorecard's key in
 * the statement marked `params`.
 *
 * PostgreSQL: one statement — the batch's rows are computed once, the fast
 * ones upserted by a data-modifying CTE, the others returned. No temporary
 * table per batch (creating and dropping one per batch churned the catalog
 * and cost more than the query). SQLite: a temporary table kept on the
 * connection and refilled (SQLite has no data-modifying CTE; keeping the
 * table keeps the statements prepared against it valid).
 */
export function batchStatements(
  dialect: DialectName,
  date: CalendarDate,
  policies: EodPolicies,
  cursor: string,
  last: string,
): readonly BatchStatement[] {
  const ctes = batchSelect(dialect, date, policies.scorecard, cursor, last);
  if (dialect === 'postgres') {
    return [
      {
        sql: `${ctes}, up AS (${fastInsert('g', date, policies)})
SELECT ${SLOW_COLUMNS} FROM g WHERE fast = 0 ORDER BY id`,
        params: true,
        reused: false,
      },
    ];
  }
  const select = `${ctes} SELECT * FROM g`;
  return [
    {
      sql: `CREATE TEMP TABLE IF NOT EXISTS ${BATCH_TABLE} AS SELECT * FROM (${select}) t LIMIT 0`,
      params: false,
      reused: false,
    },
    { sql: `DELETE FROM ${BATCH_TABLE}`, params: false, reused: true },
    {
      sql: `INSERT INTO ${BATCH_TABLE} ${select}`,
      params: false,
      reused: false,
    },
    {
      sql: fastInsert(BATCH_TABLE, date, policies),
      params: true,
      reused: true,
    },
    {
      sql: `SELECT ${SLOW_COLUMNS} FROM ${BATCH_TABLE} WHERE fast = 0 ORDER BY id`,
      params: false,
      reused: true,
    },
  ];
}
