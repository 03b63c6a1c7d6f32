import { createHash } from 'node:crypto';
import type SqliteDatabase from 'better-sqlite3';
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
  type EodPolicies,
} from '../../app/collections/run-end-of-day.js';
import type { LoanStatus } from '../../domain/loan/lifecycle.js';
import type { Rounding } from '../../domain/money/rounding.js';
import { assert } from '../../domain/shared/assert.js';
import type { CalendarDate } from '../../domain/shared/calendar-date.js';
import { TERM_MONTHS_MAX } from '../../domain/shared/limits.js';
import {
  batchStatements,
  CREATE_SCORES_TABLE,
  insertScoresSql,
  SCORES_TABLE,
  scoreRows,
} from './eod-fast-path.js';
import type { DialectName } from './kysely-database.js';
import { appendAudit } from './repositories/audit-repository.js';
import { readRate, toCount, toFen } from './repositories/repository-context.js';
import type { Database } from './schema.js';

// The end-of-day batch's storage: a handful of set-based statements per
// batch instead of per-loan round trips. Per batch, in one transaction: the
// cursor is claimed, a temporary batch table is built (eod-fast-path.ts),
// the fast loans' rows are upserted from it in one statement, the other
// loans are read for the domain, and the domain's results are written.
// Statements are SQL text that runs unchanged on SQLite and PostgreSQL
// (only the placeholder syntax differs), executed as compiled queries that
// bypass the query builder's per-value nodes. Aggregates are cast to bigint
// so both drivers return bigint.

const ACTIVE = `('repaying', 'overdue', 'collection', 'restructured')`;
// Rows per multi-row statement: 20 columns × 1000 stays under SQLite's
// 32766 and PostgreSQL's 65535 parameters.
const ROWS_PER_STATEMENT = 1_000;
const IDS_PER_STATEMENT = 1_000;
const COUNT_MAX = Number.MAX_SAFE_INTEGER;
const DAYS_MAX = 100_000;

type Row = Record<string, unknown>;
type Param = string | bigint | number | null | readonly (string | bigint)[];

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

const RANGE_SQL = `
SELECT max(id) AS last, CAST(count(*) AS bigint) AS n FROM (
  SELECT id FROM loans WHERE id > ? AND status IN ${ACTIVE} ORDER BY id LIMIT ?
) t`;

const PROMISES_SQL = `
SELECT id, loan_id, amount_fen, promised_on, created_at FROM promises_to_pay
WHERE loan_id > ? AND loan_id <= ? AND status = 'pending' AND promised_on < ?
ORDER BY loan_id, id`;

// Loan ids of a statement: SQLite binds each (`IN (?, …)`), PostgreSQL
// one array (`= ANY(?)`), which it parses and plans once whatever the count.
function idMatch(sqlite: boolean, ids: number): string {
  return sqlite
    ? `IN (${Array(ids).fill('?').join(', ')})`
    : '= ANY(CAST(? AS text[]))';
}
function idParams(sqlite: boolean, ids: readonly string[]): Param[] {
  return sqlite ? [...ids] : [ids];
}

const installmentsSql = (match: string) => `
SELECT i.loan_id, i.n, i.due_date, i.principal_fen, i.interest_fen, i.fee_fen,
  i.penalty_fen, i.paid_penalty_fen
FROM installments i JOIN loans l
  ON l.id = i.loan_id AND i.schedule_version = l.schedule_version
WHERE i.loan_id ${match} AND l.id > ? AND l.id <= ?
ORDER BY i.loan_id, i.n`;

// Payments net of reversals (a reversal nets against the payment it
// reverses, on the original's date), counted on the current schedule only.
const paymentsSql = (match: string) => `
SELECT p.loan_id, min(p.paid_on) AS paid_on, CAST(sum(a.amount_fen) AS bigint) AS amount
FROM payments p
JOIN payment_allocations a ON a.payment_id = p.id
JOIN loans l ON l.id = p.loan_id AND a.schedule_version = l.schedule_version
WHERE p.loan_id ${match} AND l.id > ? AND l.id <= ? AND p.paid_on <= ?
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

const upsertDelinquencySql = (rows: number) =>
  `INSERT INTO delinquency (${DELINQUENCY_COLUMNS.join(', ')}) VALUES ${valuesList(
    DELINQUENCY_COLUMNS.length,
    rows,
  )} ON CONFLICT (loan_id) DO UPDATE SET ${DELINQUENCY_COLUMNS.filter(
    (c) => c !== 'loan_id',
  )
    .map((c) => `${c} = excluded.${c}`)
    .join(', ')}`;

const insertRemindersSql = (rows: number) =>
  `INSERT INTO reminders (${REMINDER_COLUMNS.join(', ')}) VALUES ${valuesList(
    REMINDER_COLUMNS.length,
    rows,
  )} ON CONFLICT (loan_id, kind, for_date) DO NOTHING`;

// PostgreSQL: one multi-row UPDATE … FROM (VALUES …) per chunk. SQLite
// compiles a long VALUES list slowly, so there it runs a prepared
// single-row UPDATE per row (in-process, no round trip).
const updatePenaltiesPgSql = (rows: number) =>
  `UPDATE installments SET penalty_fen = v.column4
   FROM (VALUES ${Array(rows)
     .fill(
       '(CAST(? AS text), CAST(? AS bigint), CAST(? AS bigint), CAST(? AS bigint))',
     )
     .join(', ')}) AS v
   WHERE installments.loan_id = v.column1
     AND installments.schedule_version = v.column2
     AND installments.n = v.column3`;
const UPDATE_PENALTY_SQLITE =
  'UPDATE installments SET penalty_fen = ? WHERE loan_id = ? AND schedule_version = ? AND n = ?';

type Executor = {
  readonly sqlite: boolean;
  /** `reused` false: a text used once (not kept prepared). */
  readonly all: (
    on: Kysely<Database>,
    sqlText: string,
    params: readonly Param[],
    reused?: boolean,
  ) => Promise<Row[]>;
  readonly run: (
    on: Kysely<Database>,
    sqlText: string,
    params: readonly Param[],
    reused: boolean,
  ) => Promise<void>;
  /** Runs a statement used once (not kept prepared). */
  readonly once: (on: Kysely<Database>, sqlText: string) => Promise<void>;
  /** Runs a write; returns the rows it changed. */
  readonly write: (
    on: Kysely<Database>,
    sqlText: string,
    params: readonly Param[],
  ) => Promise<bigint>;
  /**
   * Writes many rows: `statement(n)` is the statement for n rows. SQLite
   * prepares the one-row statement once and runs it per row (in-process, no
   * round trip, and SQLite compiles long VALUES lists slowly); PostgreSQL
   * sends multi-row statements of up to ROWS_PER_STATEMENT rows.
   */
  readonly many: (
    on: Kysely<Database>,
    rows: readonly (readonly Param[])[],
    statement: (rows: number) => string,
  ) => Promise<bigint>;
};

// Kysely prepares every query anew; on SQLite the batch instead keeps its
// statements prepared on the same connection (so they run inside Kysely's
// transaction on that connection).
function sqliteExecutor(database: SqliteDatabase.Database): Executor {
  const cache = new Map<string, SqliteDatabase.Statement>();
  const prepared = (sqlText: string) => {
    let statement = cache.get(sqlText);
    if (statement === undefined) {
      statement = database.prepare(sqlText);
      cache.set(sqlText, statement);
    }
    return statement;
  };
  return {
    sqlite: true,
    all: async (_on, sqlText, params, reused = true) =>
      (reused ? prepared(sqlText) : database.prepare(sqlText)).all(
        ...params,
      ) as Row[],
    run: async (_on, sqlText, params, reused) => {
      (reused ? prepared(sqlText) : database.prepare(sqlText)).run(...params);
    },
    once: async (_on, sqlText) => {
      database.prepare(sqlText).run();
    },
    write: async (_on, sqlText, params) =>
      BigInt(prepared(sqlText).run(...params).changes),
    many: async (_on, rows, statement) => {
      const one = prepared(statement(1));
      let changed = 0;
      for (const row of rows) changed += one.run(...row).changes;
      return BigInt(changed);
    },
  };
}

function kyselyExecutor(dialect: DialectName): Executor {
  const run = (
    on: Kysely<Database>,
    sqlText: string,
    params: readonly Param[],
  ) =>
    on.executeQuery<Row>(
      CompiledQuery.raw(placeholders(dialect, sqlText), [...params]),
    );
  return {
    sqlite: false,
    all: async (on, sqlText, params) => (await run(on, sqlText, params)).rows,
    run: async (on, sqlText, params) => {
      await run(on, sqlText, params);
    },
    once: async (on, sqlText) => {
      await run(on, sqlText, []);
    },
    write: async (on, sqlText, params) =>
      (await run(on, sqlText, params)).numAffectedRows ?? 0n,
    many: async (on, rows, statement) => {
      let changed = 0n;
      for (const part of chunks(rows, ROWS_PER_STATEMENT)) {
        const result = await run(on, statement(part.length), part.flat());
        changed += result.numAffectedRows ?? 0n;
      }
      return changed;
    },
  };
}

/**
 * The end-of-day store over `db`. Pass the SQLite connection under `db`
 * (DatabaseHandle.sqlite) to run the batch's statements prepared once.
 */
const RATES = new Map<string, ReturnType<typeof readRate>>();
// Rates repeat across a book (a product has a handful): parse each once.
function rateOf(text: string) {
  let rate = RATES.get(text);
  if (rate === undefined) {
    rate = readRate(text);
    RATES.set(text, rate);
  }
  return rate;
}

export function createEodStore(
  db: Kysely<Database>,
  dialect: DialectName,
  sqliteConnection?: SqliteDatabase.Database,
): EodStore {
  const exec =
    sqliteConnection === undefined
      ? kyselyExecutor(dialect)
      : sqliteExecutor(sqliteConnection);

  async function readRun(
    on: Kysely<Database>,
    date: CalendarDate,
  ): Promise<EodRun | undefined> {
    const rows = await exec.all(
      on,
      'SELECT * FROM eod_runs WHERE business_date = ?',
      [date],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    return {
      businessDate: date,
      status: text(row.status) as EodRun['status'],
      cursor: text(row.cursor_loan_id),
      counts: toCounts(row),
    };
  }

  async function details(
    tx: Kysely<Database>,
    date: CalendarDate,
    ids: readonly string[],
    cursor: string,
    lastId: string,
  ): Promise<{
    installments: Map<string, EodInstallment[]>;
    payments: Map<string, EodPayment[]>;
  }> {
    const installments = new Map<string, EodInstallment[]>();
    const payments = new Map<string, EodPayment[]>();
    const sqlite = exec.sqlite;
    for (const part of chunks(ids, sqlite ? IDS_PER_STATEMENT : ids.length)) {
      const match = idMatch(sqlite, part.length);
      // The batch's id range keeps the planner from hashing all loans.
      const rows = await exec.all(tx, installmentsSql(match), [
        ...idParams(sqlite, part),
        cursor,
        lastId,
      ]);
      for (const r of rows) {
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
      const paid = await exec.all(tx, paymentsSql(match), [
        ...idParams(sqlite, part),
        cursor,
        lastId,
        date,
      ]);
      for (const r of paid) {
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

  function toLoan(r: Row): EodLoan {
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
      rateAnnual: rateOf(text(r.rate_annual)),
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
      partialPayments: toCount(big(r.f_partial), COUNT_MAX),
      failedContacts: toCount(big(r.f_failed), COUNT_MAX),
    };
  }

  /** The batch's loans that need the domain (the slow rows), read whole. */
  async function readSlow(
    tx: Kysely<Database>,
    date: CalendarDate,
    rows: readonly Row[],
    cursor: string,
    lastId: string,
    loanCount: number,
  ): Promise<EodBatch> {
    const loans = rows.map(toLoan);
    const inBatch = new Set(loans.map((l) => l.loanId));
    const promiseRows = await exec.all(tx, PROMISES_SQL, [
      cursor,
      lastId,
      date,
    ]);
    const promises: EodPromise[] = promiseRows
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
    const { installments, payments } = await details(
      tx,
      date,
      [...detailIds],
      cursor,
      lastId,
    );
    return {
      loans,
      installments,
      payments,
      promises,
      lastLoanId: lastId,
      loanCount,
    };
  }

  function recordParams(
    loanId: string,
    r: EodBatchWrite['records'][number]['record'],
    now: string,
  ): Param[] {
    const ew = r.earlyWarning;
    return [
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
      ew === undefined ? null : ew.reasonsJson,
      now,
      BigInt(r.maxDaysPastDue),
      BigInt(r.overdueEpisodes),
    ];
  }

  const cardKeys = new WeakMap<EodPolicies, string>();
  /**
   * Makes sure the connection's scores table holds every band combination
   * of the policies' scorecard (computed by the domain); returns the card's
   * key in it.
   */
  async function ensureScores(
    tx: Kysely<Database>,
    policies: EodPolicies,
  ): Promise<string> {
    let key = cardKeys.get(policies);
    if (key === undefined) {
      key = createHash('sha256')
        .update(JSON.stringify(policies.scorecard))
        .digest('hex')
        .slice(0, 16);
      cardKeys.set(policies, key);
    }
    await exec.once(tx, CREATE_SCORES_TABLE);
    const found = await exec.all(
      tx,
      `SELECT count(*) AS n FROM ${SCORES_TABLE} WHERE card = ?`,
      [key],
    );
    if (big(found[0]?.n) === 0n) {
      const cardKey = key;
      await exec.many(
        tx,
        scoreRows(policies.scorecard).map((row) => [cardKey, ...row]),
        insertScoresSql,
      );
      // Statistics for the planner (a temporary table has none): the fast
      // upsert looks each band code up in it.
      if (!exec.sqlite) await exec.once(tx, `ANALYZE ${SCORES_TABLE}`);
    }
    return key;
  }

  async function runBatch(
    date: CalendarDate,
    cursor: string,
    limit: number,
    policies: EodPolicies,
    now: string,
    compute: (batch: EodBatch) => EodBatchWrite,
  ): Promise<{ write: EodBatchWrite; inserted: number } | undefined> {
    const range = (await exec.all(db, RANGE_SQL, [cursor, limit]))[0];
    const loanCount = toCount(big(range?.n), COUNT_MAX);
    if (loanCount === 0) return undefined;
    const lastId = text(range?.last);
    // One transaction per batch: the batch is read, worked out and written
    // on one snapshot, together with the cursor.
    return db.transaction().execute(async (tx) => {
      // The cursor moves first, from the value this run read: a concurrent
      // run of the same date blocks on the row (PostgreSQL) or the write
      // lock (SQLite), then finds it moved and rolls back, so no batch is
      // ever written twice.
      const moved = await exec.write(
        tx,
        `UPDATE eod_runs SET cursor_loan_id = ?, updated_at = ?
         WHERE business_date = ? AND cursor_loan_id = ? AND status = 'running'`,
        [lastId, now, date, cursor],
      );
      assert(
        moved === 1n,
        `eod ${date}: the cursor moved under this run (another run of the same date?)`,
      );
      const card = await ensureScores(tx, policies);
      // PostgreSQL would JIT-compile the batch statement every batch (its
      // estimated cost is over jit_above_cost), which costs more than it
      // saves on 10,000 rows; and with the default 4 MB of work memory it
      // sorts the batch's 120,000 installment rows on disk. For this
      // transaction only.
      if (!exec.sqlite)
        await exec.all(
          tx,
          "SELECT set_config('jit', 'off', true) AS jit, set_config('work_mem', '64MB', true) AS work_mem",
          [],
        );
      const statements = batchStatements(
        dialect,
        date,
        policies,
        cursor,
        lastId,
      );
      let slow: Row[] = [];
      for (const [i, statement] of statements.entries()) {
        const params = statement.params ? [now, card] : [];
        if (i === statements.length - 1)
          slow = await exec.all(tx, statement.sql, params, statement.reused);
        else await exec.run(tx, statement.sql, params, statement.reused);
      }
      const batch = await readSlow(tx, date, slow, cursor, lastId, loanCount);
      const write = compute(batch);
      const inserted = await applyWrite(tx, date, write, now);
      return { write, inserted };
    });
  }

  /**
   * Moves the loans' statuses (each only from the status the batch read);
   * returns those moved, as [loan id, from, to], in the batch's order.
   */
  async function applyTransitions(
    tx: Kysely<Database>,
    transitions: EodBatchWrite['transitions'],
    now: string,
  ): Promise<string[][]> {
    if (transitions.length === 0) return [];
    const moved = new Set<string>();
    if (exec.sqlite) {
      for (const t of transitions) {
        const changed = await exec.write(
          tx,
          'UPDATE loans SET status = ?, version = version + 1, updated_at = ? WHERE id = ? AND status = ?',
          [t.to, now, t.loanId, t.from],
        );
        if (changed === 1n) moved.add(t.loanId);
      }
    } else {
      // One statement for the batch (a round trip per loan cost more than
      // the rest of the batch's writes).
      const rows = await exec.all(
        tx,
        `UPDATE loans SET status = v.to_status, version = loans.version + 1, updated_at = ?
         FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]))
           AS v(id, from_status, to_status)
         WHERE loans.id = v.id AND loans.status = v.from_status
         RETURNING loans.id`,
        [
          now,
          transitions.map((t) => t.loanId),
          transitions.map((t) => t.from),
          transitions.map((t) => t.to),
        ],
      );
      for (const r of rows) moved.add(text(r.id));
    }
    return transitions
      .filter((t) => moved.has(t.loanId))
      .map((t) => [t.loanId, t.from, t.to]);
  }

  /** Marks the judged promises (only those still pending). */
  async function resolvePromises(
    tx: Kysely<Database>,
    promises: EodBatchWrite['promises'],
    now: string,
  ): Promise<void> {
    if (promises.length === 0) return;
    if (exec.sqlite) {
      for (const p of promises) {
        await exec.write(
          tx,
          "UPDATE promises_to_pay SET status = ?, resolved_at = ? WHERE id = ? AND status = 'pending'",
          [p.status, now, p.id],
        );
      }
      return;
    }
    await exec.write(
      tx,
      `UPDATE promises_to_pay SET status = v.status, resolved_at = ?
       FROM unnest(CAST(? AS text[]), CAST(? AS text[])) AS v(id, status)
       WHERE promises_to_pay.id = v.id AND promises_to_pay.status = 'pending'`,
      [now, promises.map((p) => p.id), promises.map((p) => p.status)],
    );
  }

  async function applyWrite(
    tx: Kysely<Database>,
    date: CalendarDate,
    write: EodBatchWrite,
    now: string,
  ): Promise<number> {
    {
      const c = write.counts;
      await exec.many(
        tx,
        write.records.map((x) => recordParams(x.loanId, x.record, now)),
        upsertDelinquencySql,
      );
      if (exec.sqlite) {
        await exec.many(
          tx,
          write.penalties.map((p) => [
            p.penaltyFen,
            p.loanId,
            BigInt(p.scheduleVersion),
            BigInt(p.n),
          ]),
          () => UPDATE_PENALTY_SQLITE,
        );
      } else {
        await exec.many(
          tx,
          write.penalties.map((p) => [
            p.loanId,
            BigInt(p.scheduleVersion),
            BigInt(p.n),
            p.penaltyFen,
          ]),
          updatePenaltiesPgSql,
        );
      }
      const applied = await applyTransitions(tx, write.transitions, now);
      await resolvePromises(tx, write.promises, now);
      const inserted = Number(
        await exec.many(
          tx,
          write.reminders.map((r) => [
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
          ]),
          insertRemindersSql,
        ),
      );
      await exec.write(
        tx,
        `UPDATE eod_runs SET batches = ?, loans = ?, overdue_loans = ?,
           transitions = ?, reminders = ?, promises_broken = ?, promises_kept = ?,
           errors = ? WHERE business_date = ?`,
        [
          BigInt(c.batches),
          BigInt(c.loans),
          BigInt(c.overdueLoans),
          BigInt(c.transitions),
          BigInt(c.reminders + inserted),
          BigInt(c.promisesBroken),
          BigInt(c.promisesKept),
          BigInt(c.errors),
          date,
        ],
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
    }
  }

  return {
    async begin(date, now) {
      const later = await exec.all(
        db,
        'SELECT max(business_date) AS d FROM eod_runs WHERE business_date > ?',
        [date],
      );
      const laterDate = later[0]?.d;
      if (typeof laterDate === 'string')
        return { laterDate: laterDate as CalendarDate };
      await exec.write(
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
      const rows = await exec.all(
        db,
        `SELECT CAST(count(*) AS bigint) AS n FROM loans WHERE id > ? AND status IN ${ACTIVE}`,
        [cursor],
      );
      return toCount(big(rows[0]?.n), COUNT_MAX);
    },
    runBatch,
    async complete(date, now) {
      await exec.write(
        db,
        "UPDATE eod_runs SET status = 'completed', finished_at = ?, updated_at = ? WHERE business_date = ? AND status = 'running'",
        [now, now, date],
      );
    },
  };
}
