import { CompiledQuery, type Kysely } from 'kysely';
import type {
  EodBatch,
  EodBatchWrite,
  EodCounts,
  EodInstallment,
  EodLoan,
  EodPayment,
  EodPromise,
  EodRun,
  EodStore,
} from '../../app/collections/end-of-day-ports.js';
import {
  EOD_ACTOR,
  featureWindows,
} from '../../app/collections/run-end-of-day.js';
import type { LoanStatus } from '../../domain/loan/lifecycle.js';
import type { Rounding } from '../../domain/money/rounding.js';
import { assert } from '../../domain/shared/assert.js';
import type { CalendarDate } from '../../domain/shared/calendar-date.js';
import { TERM_MONTHS_MAX } from '../../domain/shared/limits.js';
import type { DialectName } from './kysely-database.js';
import { appendAudit } from './repositories/audit-repository.js';
import { readRate, toCount, toFen } from './repositories/repository-context.js';
import type { Database } from './schema.js';

// The end-of-day batch's storage: a handful of set-based statements per
// batch instead of per-loan round trips. Statements are written as SQL text
// that runs unchanged on SQLite and PostgreSQL (only the placeholder syntax
// differs) and executed as compiled queries, bypassing the query builder's
// per-value nodes: a batch writes thousands of rows in a few multi-row
// statements. Aggregates are cast to bigint so both drivers return bigint.

const ACTIVE = `('repaying', 'overdue', 'collection', 'restructured')`;
const FAILED_OUTCOMES = `('no_answer', 'refused', 'wrong_number')`;
// Rows per multi-row statement: 20 columns × 1000 stays under SQLite's
// 32766 and PostgreSQL's 65535 parameters.
const ROWS_PER_STATEMENT = 1_000;
const IDS_PER_STATEMENT = 1_000;
const COUNT_MAX = Number.MAX_SAFE_INTEGER;
const DAYS_MAX = 100_000;

type Row = Record<string, unknown>;
type Param = string | bigint | number | null;

function placeholders(dialect: DialectName, text: string): string {
  if (dialect === 'sqlite') return text;
  let index = 0;
  return text.replace(/\?/g, () => {
    index += 1;
    return `$${index}`;
  });
}

function big(value: unknown): bigint {
  assert(
    typeof value === 'bigint',
    `eod: expected bigint, got ${typeof value}`,
  );
  return value;
}

function bigOrUndefined(value: unknown): bigint | undefined {
  return value === null || value === undefined ? undefined : big(value);
}

function text(value: unknown): string {
  assert(typeof value === 'string', `eod: expected text, got ${typeof value}`);
  return value;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size));
  return out;
}

const UNPAID = (alias: string) =>
  `${alias}.payment_fen + ${alias}.penalty_fen > ${alias}.paid_principal_fen + ${alias}.paid_interest_fen + ${alias}.paid_fee_fen + ${alias}.paid_penalty_fen`;

// One row per active loan of the batch: the ledger aggregate over its
// current schedule, the running period's installment, the customer's income
// and yesterday's delinquency row.
const BATCH_SQL = `
WITH b AS (
  SELECT id, customer_id, status, rate_annual, rounding, start_date, schedule_version
  FROM loans
  WHERE id > ? AND status IN ${ACTIVE}
  ORDER BY id
  LIMIT ?
), a AS (
  SELECT i.loan_id,
    CAST(sum(i.principal_fen - i.paid_principal_fen) AS bigint) AS outstanding,
    CAST(sum(CASE WHEN i.due_date < ? THEN 1 ELSE 0 END) AS bigint) AS past_n,
    max(CASE WHEN i.due_date < ? THEN i.due_date END) AS period_start,
    CAST(sum(CASE WHEN i.due_date < ? AND ${UNPAID('i')} THEN 1 ELSE 0 END) AS bigint) AS overdue_n
  FROM b JOIN installments i
    ON i.loan_id = b.id AND i.schedule_version = b.schedule_version
  GROUP BY i.loan_id
)
SELECT b.id, b.customer_id, b.status, b.rate_annual, b.rounding, b.start_date,
  b.schedule_version, a.outstanding, a.period_start, a.overdue_n,
  nx.n AS next_n, nx.due_date AS next_due, nx.interest_fen AS next_interest,
  nx.payment_fen AS next_payment,
  CAST(nx.payment_fen + nx.penalty_fen - nx.paid_principal_fen - nx.paid_interest_fen
    - nx.paid_fee_fen - nx.paid_penalty_fen AS bigint) AS next_unpaid,
  c.monthly_income_fen AS income,
  d.as_of AS h_as_of, d.days_past_due AS h_dpd,
  d.max_days_past_due AS h_max, d.overdue_episodes AS h_episodes
FROM b
JOIN a ON a.loan_id = b.id
JOIN customers c ON c.id = b.customer_id
LEFT JOIN installments nx
  ON nx.loan_id = b.id AND nx.schedule_version = b.schedule_version
  AND nx.n = a.past_n + 1
LEFT JOIN delinquency d ON d.loan_id = b.id
ORDER BY b.id`;

const FAILED_CONTACTS_SQL = `
SELECT loan_id, CAST(count(*) AS bigint) AS n FROM contact_logs
WHERE loan_id > ? AND loan_id <= ? AND contacted_at >= ? AND contacted_at < ?
  AND outcome IN ${FAILED_OUTCOMES}
GROUP BY loan_id`;

// Repayments smaller than the loan's regular installment (the first one of
// its current schedule).
const PARTIAL_PAYMENTS_SQL = `
SELECT p.loan_id, CAST(count(*) AS bigint) AS n
FROM payments p
JOIN loans l ON l.id = p.loan_id
JOIN installments i1
  ON i1.loan_id = p.loan_id AND i1.schedule_version = l.schedule_version AND i1.n = 1
WHERE p.loan_id > ? AND p.loan_id <= ? AND p.kind = 'repayment'
  AND p.paid_on >= ? AND p.paid_on < ? AND p.amount_fen < i1.payment_fen
GROUP BY p.loan_id`;

const PROMISES_SQL = `
SELECT id, loan_id, amount_fen, promised_on, created_at FROM promises_to_pay
WHERE loan_id > ? AND loan_id <= ? AND status = 'pending' AND promised_on < ?
ORDER BY loan_id, id`;

const installmentsSql = (ids: number) => `
SELECT i.loan_id, i.n, i.due_date, i.principal_fen, i.interest_fen, i.fee_fen,
  i.penalty_fen, i.paid_penalty_fen
FROM installments i JOIN loans l
  ON l.id = i.loan_id AND i.schedule_version = l.schedule_version
WHERE i.loan_id IN (${Array(ids).fill('?').join(', ')})
ORDER BY i.loan_id, i.n`;

// Payments net of reversals (a reversal nets against the payment it
// reverses, on the original's date), counted on the current schedule only.
const paymentsSql = (ids: number) => `
SELECT p.loan_id, min(p.paid_on) AS paid_on, CAST(sum(a.amount_fen) AS bigint) AS amount
FROM payments p
JOIN payment_allocations a ON a.payment_id = p.id
JOIN loans l ON l.id = p.loan_id AND a.schedule_version = l.schedule_version
WHERE p.loan_id IN (${Array(ids).fill('?').join(', ')}) AND p.paid_on <= ?
GROUP BY p.loan_id, COALESCE(p.reverses_payment_id, p.id)
ORDER BY p.loan_id, min(p.paid_on)`;

const DELINQUENCY_COLUMNS = [
  'loan_id',
  'as_of',
  'days_past_due',
  'bucket',
  'classification',
  'overdue_installments',
  'overdue_principal_fen',
  'overdue_interest_fen',
  'penalty_fen',
  'fees_fen',
  'total_overdue_fen',
  'outstanding_principal_fen',
  'accrued_interest_fen',
  'next_due_date',
  'next_due_fen',
  'early_warning_score',
  'early_warning_reasons',
  'updated_at',
  'max_days_past_due',
  'overdue_episodes',
] as const;

const REMINDER_COLUMNS = [
  'id',
  'loan_id',
  'customer_id',
  'kind',
  'for_date',
  'installment_n',
  'due_date',
  'amount_fen',
  'days_past_due',
  'bucket',
  'status',
  'status_reason',
  'created_at',
  'updated_at',
] as const;

function valuesList(columns: number, rows: number): string {
  const row = `(${Array(columns).fill('?').join(', ')})`;
  return Array(rows).fill(row).join(', ');
}

function toCounts(row: Row): EodCounts {
  const n = (key: string) => toCount(big(row[key]), COUNT_MAX);
  return {
    batches: n('batches'),
    loans: n('loans'),
    overdueLoans: n('overdue_loans'),
    transitions: n('transitions'),
    reminders: n('reminders'),
    promisesBroken: n('promises_broken'),
    promisesKept: n('promises_kept'),
    errors: n('errors'),
  };
}

/** A reminder's id: one per loan, kind and business date, like its key. */
export function reminderId(
  loanId: string,
  kind: string,
  date: CalendarDate,
): string {
  return `rem_${date.replaceAll('-', '')}_${kind}_${loanId}`;
}

export function createEodStore(
  db: Kysely<Database>,
  dialect: DialectName,
): EodStore {
  const run = async (
    on: Kysely<Database>,
    sqlText: string,
    params: readonly Param[],
  ) =>
    on.executeQuery<Row>(
      CompiledQuery.raw(placeholders(dialect, sqlText), [...params]),
    );

  async function readRun(
    on: Kysely<Database>,
    date: CalendarDate,
  ): Promise<EodRun | undefined> {
    const result = await run(
      on,
      'SELECT * FROM eod_runs WHERE business_date = ?',
      [date],
    );
    const row = result.rows[0];
    if (row === undefined) return undefined;
    return {
      businessDate: date,
      status: text(row.status) as EodRun['status'],
      cursor: text(row.cursor_loan_id),
      counts: toCounts(row),
    };
  }

  async function groupedCounts(
    sqlText: string,
    params: readonly Param[],
  ): Promise<Map<string, number>> {
    const result = await run(db, sqlText, params);
    return new Map(
      result.rows.map((r) => [text(r.loan_id), toCount(big(r.n), COUNT_MAX)]),
    );
  }

  async function details(
    date: CalendarDate,
    ids: readonly string[],
  ): Promise<{
    installments: Map<string, EodInstallment[]>;
    payments: Map<string, EodPayment[]>;
  }> {
    const installments = new Map<string, EodInstallment[]>();
    const payments = new Map<string, EodPayment[]>();
    for (const part of chunks(ids, IDS_PER_STATEMENT)) {
      const rows = await run(db, installmentsSql(part.length), part);
      for (const r of rows.rows) {
        const loanId = text(r.loan_id);
        const list = installments.get(loanId) ?? [];
        list.push({
          n: toCount(big(r.n), TERM_MONTHS_MAX),
          dueDate: text(r.due_date) as CalendarDate,
          principalFen: toFen(big(r.principal_fen)),
          interestFen: toFen(big(r.interest_fen)),
          feeFen: toFen(big(r.fee_fen)),
          penaltyFen: toFen(big(r.penalty_fen)),
          paidPenaltyFen: toFen(big(r.paid_penalty_fen)),
        });
        installments.set(loanId, list);
      }
      const paid = await run(db, paymentsSql(part.length), [...part, date]);
      for (const r of paid.rows) {
        const amount = big(r.amount);
        if (amount <= 0n) continue;
        const loanId = text(r.loan_id);
        const list = payments.get(loanId) ?? [];
        list.push({
          date: text(r.paid_on) as CalendarDate,
          amountFen: toFen(amount),
        });
        payments.set(loanId, list);
      }
    }
    return { installments, payments };
  }

  function toLoan(
    r: Row,
    partial: Map<string, number>,
    failed: Map<string, number>,
  ): EodLoan {
    const loanId = text(r.id);
    const nextN = bigOrUndefined(r.next_n);
    const startDate = text(r.start_date) as CalendarDate;
    const hAsOf = r.h_as_of;
    const income = bigOrUndefined(r.income);
    return {
      loanId,
      customerId: text(r.customer_id),
      status: text(r.status) as LoanStatus,
      scheduleVersion: toCount(big(r.schedule_version), COUNT_MAX),
      rateAnnual: readRate(text(r.rate_annual)),
      rounding: text(r.rounding) as Rounding,
      startDate,
      outstandingPrincipalFen: toFen(big(r.outstanding)),
      ledgerOverdueInstallments: toCount(big(r.overdue_n), TERM_MONTHS_MAX),
      period:
        nextN === undefined
          ? undefined
          : {
              n: toCount(nextN, TERM_MONTHS_MAX),
              dueDate: text(r.next_due) as CalendarDate,
              startDate:
                r.period_start === null
                  ? startDate
                  : (text(r.period_start) as CalendarDate),
              interestFen: toFen(big(r.next_interest)),
              unpaidFen: toFen(big(r.next_unpaid)),
            },
      installmentFen: toFen(bigOrUndefined(r.next_payment) ?? 0n),
      monthlyIncomeFen: income === undefined ? undefined : toFen(income),
      history:
        hAsOf === null || hAsOf === undefined
          ? undefined
          : {
              asOf: text(hAsOf) as CalendarDate,
              daysPastDue: toCount(big(r.h_dpd), DAYS_MAX),
              maxDaysPastDue: toCount(big(r.h_max), DAYS_MAX),
              overdueEpisodes: toCount(big(r.h_episodes), COUNT_MAX),
            },
      partialPayments: partial.get(loanId) ?? 0,
      failedContacts: failed.get(loanId) ?? 0,
    };
  }

  async function readBatch(
    date: CalendarDate,
    cursor: string,
    limit: number,
  ): Promise<EodBatch> {
    const result = await run(db, BATCH_SQL, [cursor, limit, date, date, date]);
    const last = result.rows.at(-1);
    if (last === undefined) {
      return {
        loans: [],
        installments: new Map(),
        payments: new Map(),
        promises: [],
      };
    }
    const lastId = text(last.id);
    const windows = featureWindows(date);
    const partial = await groupedCounts(PARTIAL_PAYMENTS_SQL, [
      cursor,
      lastId,
      windows.partialPaymentsFrom,
      date,
    ]);
    const failed = await groupedCounts(FAILED_CONTACTS_SQL, [
      cursor,
      lastId,
      windows.failedContactsFrom,
      date,
    ]);
    const loans = result.rows.map((r) => toLoan(r, partial, failed));
    const inBatch = new Set(loans.map((l) => l.loanId));
    const promiseRows = await run(db, PROMISES_SQL, [cursor, lastId, date]);
    const promises: EodPromise[] = promiseRows.rows
      .filter((r) => inBatch.has(text(r.loan_id)))
      .map((r) => ({
        id: text(r.id),
        loanId: text(r.loan_id),
        amountFen: toFen(big(r.amount_fen)),
        madeOn: text(r.created_at).slice(0, 10) as CalendarDate,
        promisedOn: text(r.promised_on) as CalendarDate,
      }));
    const detailIds = new Set(
      loans.filter((l) => l.ledgerOverdueInstallments > 0).map((l) => l.loanId),
    );
    for (const p of promises) detailIds.add(p.loanId);
    const { installments, payments } = await details(date, [...detailIds]);
    return { loans, installments, payments, promises };
  }

  async function writeRecords(
    tx: Kysely<Database>,
    write: EodBatchWrite,
    now: string,
  ): Promise<void> {
    const updates = DELINQUENCY_COLUMNS.filter((c) => c !== 'loan_id')
      .map((c) => `${c} = excluded.${c}`)
      .join(', ');
    for (const part of chunks(write.records, ROWS_PER_STATEMENT)) {
      const params: Param[] = [];
      for (const { loanId, record: r } of part) {
        const ew = r.earlyWarning;
        params.push(
          loanId,
          r.asOf,
          BigInt(r.daysPastDue),
          r.bucket,
          r.classification,
          BigInt(r.overdueInstallments),
          r.overduePrincipalFen,
          r.overdueInterestFen,
          r.penaltyFen,
          r.feesFen,
          r.totalOverdueFen,
          r.outstandingPrincipalFen,
          r.accruedInterestFen,
          r.nextDueDate ?? null,
          r.nextDueFen ?? null,
          ew === undefined ? null : BigInt(ew.score),
          ew === undefined ? null : JSON.stringify(ew.reasons),
          now,
          BigInt(r.maxDaysPastDue),
          BigInt(r.overdueEpisodes),
        );
      }
      await run(
        tx,
        `INSERT INTO delinquency (${DELINQUENCY_COLUMNS.join(', ')}) VALUES ${valuesList(
          DELINQUENCY_COLUMNS.length,
          part.length,
        )} ON CONFLICT (loan_id) DO UPDATE SET ${updates}`,
        params,
      );
    }
  }

  async function writePenalties(
    tx: Kysely<Database>,
    write: EodBatchWrite,
  ): Promise<void> {
    const row =
      '(CAST(? AS text), CAST(? AS bigint), CAST(? AS bigint), CAST(? AS bigint))';
    for (const part of chunks(write.penalties, ROWS_PER_STATEMENT)) {
      const params: Param[] = [];
      for (const p of part)
        params.push(
          p.loanId,
          BigInt(p.scheduleVersion),
          BigInt(p.n),
          p.penaltyFen,
        );
      await run(
        tx,
        `UPDATE installments SET penalty_fen = v.column4
         FROM (VALUES ${Array(part.length).fill(row).join(', ')}) AS v
         WHERE installments.loan_id = v.column1
           AND installments.schedule_version = v.column2
           AND installments.n = v.column3`,
        params,
      );
    }
  }

  async function writeReminders(
    tx: Kysely<Database>,
    date: CalendarDate,
    write: EodBatchWrite,
    now: string,
  ): Promise<number> {
    let inserted = 0;
    for (const part of chunks(write.reminders, ROWS_PER_STATEMENT)) {
      const params: Param[] = [];
      for (const r of part) {
        params.push(
          reminderId(r.loanId, r.draft.kind, date),
          r.loanId,
          r.customerId,
          r.draft.kind,
          date,
          BigInt(r.draft.installmentN),
          r.draft.dueDate,
          r.draft.amountFen,
          BigInt(r.daysPastDue),
          r.bucket,
          'pending',
          null,
          now,
          now,
        );
      }
      const result = await run(
        tx,
        `INSERT INTO reminders (${REMINDER_COLUMNS.join(', ')}) VALUES ${valuesList(
          REMINDER_COLUMNS.length,
          part.length,
        )} ON CONFLICT (loan_id, kind, for_date) DO NOTHING`,
        params,
      );
      inserted += Number(result.numAffectedRows ?? 0n);
    }
    return inserted;
  }

  async function commitBatch(
    date: CalendarDate,
    write: EodBatchWrite,
    now: string,
  ): Promise<number> {
    return db.transaction().execute(async (tx) => {
      // The cursor moves first: a concurrent run of the same date finds it
      // moved (or waits on the row lock) and stops, so no batch is done twice.
      const c = write.counts;
      await writeRecords(tx, write, now);
      await writePenalties(tx, write);
      const applied: string[][] = [];
      for (const t of write.transitions) {
        const result = await run(
          tx,
          'UPDATE loans SET status = ?, version = version + 1, updated_at = ? WHERE id = ? AND status = ?',
          [t.to, now, t.loanId, t.from],
        );
        if (result.numAffectedRows === 1n)
          applied.push([t.loanId, t.from, t.to]);
      }
      for (const p of write.promises) {
        await run(
          tx,
          "UPDATE promises_to_pay SET status = ?, resolved_at = ? WHERE id = ? AND status = 'pending'",
          [p.status, now, p.id],
        );
      }
      const inserted = await writeReminders(tx, date, write, now);
      const moved = await run(
        tx,
        `UPDATE eod_runs SET cursor_loan_id = ?, batches = ?, loans = ?,
           overdue_loans = ?, transitions = ?, reminders = ?, promises_broken = ?,
           promises_kept = ?, errors = ?, updated_at = ?
         WHERE business_date = ? AND cursor_loan_id = ? AND status = 'running'`,
        [
          write.toCursor,
          BigInt(c.batches),
          BigInt(c.loans),
          BigInt(c.overdueLoans),
          BigInt(c.transitions),
          BigInt(c.reminders + inserted),
          BigInt(c.promisesBroken),
          BigInt(c.promisesKept),
          BigInt(c.errors),
          now,
          date,
          write.fromCursor,
        ],
      );
      assert(
        moved.numAffectedRows === 1n,
        `eod ${date}: the cursor moved under this run (another run of the same date?)`,
      );
      // One audit entry per batch: the hash chain is serial (every append
      // locks its head), so an entry per loan would serialise a million
      // appends; the batch entry names every loan whose status changed.
      await appendAudit(
        tx,
        {
          actor: EOD_ACTOR,
          action: 'eod.batch',
          subjectType: 'eod_run',
          subjectId: date,
          details: {
            batch: c.batches,
            from_loan_id: write.fromCursor,
            to_loan_id: write.toCursor,
            loans: write.records.length,
            status_changes: applied,
            promises: write.promises.map((p) => [p.id, p.status]),
            reminders: inserted,
            penalty_updates: write.penalties.length,
            errors: write.errors.map((e) => [e.loanId, e.code]),
          },
        },
        now,
      );
      return inserted;
    });
  }

  return {
    async begin(date, now) {
      const later = await run(
        db,
        'SELECT max(business_date) AS d FROM eod_runs WHERE business_date > ?',
        [date],
      );
      const laterDate = later.rows[0]?.d;
      if (typeof laterDate === 'string')
        return { laterDate: laterDate as CalendarDate };
      await run(
        db,
        `INSERT INTO eod_runs (business_date, status, cursor_loan_id, batches, loans,
           overdue_loans, transitions, reminders, promises_broken, promises_kept,
           errors, started_at, updated_at, finished_at)
         VALUES (?, 'running', '', 0, 0, 0, 0, 0, 0, 0, 0, ?, ?, NULL)
         ON CONFLICT (business_date) DO NOTHING`,
        [date, now, now],
      );
      const found = await readRun(db, date);
      assert(found !== undefined, `eod ${date}: run row missing`);
      return found;
    },
    async countRemaining(cursor) {
      const result = await run(
        db,
        `SELECT CAST(count(*) AS bigint) AS n FROM loans WHERE id > ? AND status IN ${ACTIVE}`,
        [cursor],
      );
      return toCount(big(result.rows[0]?.n), COUNT_MAX);
    },
    readBatch,
    commitBatch,
    async complete(date, now) {
      await run(
        db,
        "UPDATE eod_runs SET status = 'completed', finished_at = ?, updated_at = ? WHERE business_date = ? AND status = 'running'",
        [now, now, date],
      );
    },
  };
}
