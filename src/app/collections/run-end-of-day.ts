import {
  createEarlyWarningScorer,
  DEFAULT_SCORECARD,
  type Scorecard,
} from '../../domain/collections/early-warning.js';
import {
  evaluateLoanDay,
  type LoanDayPolicies,
  NOTHING_OVERDUE,
  type OverdueFacts,
  overdueFactsFromReport,
  promiseKept,
} from '../../domain/collections/end-of-day.js';
import {
  DEFAULT_PENALTY_POLICIES,
  type PenaltyPolicies,
  penaltyToDate,
} from '../../domain/loan/delinquency/penalty-to-date.js';
import { fen, maxFen } from '../../domain/money/fen.js';
import { assert } from '../../domain/shared/assert.js';
import {
  addDays,
  type CalendarDate,
} from '../../domain/shared/calendar-date.js';
import type {
  EodBatch,
  EodBatchWrite,
  EodCounts,
  EodLoan,
  EodRun,
  EodStore,
} from './end-of-day-ports.js';

// The end-of-day batch (日终批处理) for one business date: streams the active
// book in keyset-ordered batches; for each loan works out what is overdue
// (from the ledger when nothing past due is unpaid, otherwise by replaying
// the schedule and payments through penaltyToDate), the delinquency row,
// reminders, early-warning score and lifecycle event; and commits each batch
// with the run's cursor in one transaction. A crash loses at most the batch
// in flight; a rerun resumes after the last committed batch; a completed
// date is not run again.

export const EOD_ACTOR = 'system:eod';
export const EOD_BATCH_SIZE_DEFAULT = 10_000;
export const EOD_BATCH_SIZE_MAX = 50_000;
// Windows of the behaviour features (early warning).
const PARTIAL_PAYMENT_WINDOW_DAYS = 180;
const FAILED_CONTACT_WINDOW_DAYS = 30;

export type EodPolicies = LoanDayPolicies & {
  readonly penalty: PenaltyPolicies;
  /** The card behind `scorer` (the store turns it into SQL bands). */
  readonly scorecard: Scorecard;
};

export const DEFAULT_EOD_POLICIES: EodPolicies = {
  classification: DEFAULT_PENALTY_POLICIES.classification,
  scorer: createEarlyWarningScorer(DEFAULT_SCORECARD),
  scorecard: DEFAULT_SCORECARD,
  penalty: DEFAULT_PENALTY_POLICIES,
};

export type EodProgress = {
  readonly done: number;
  readonly total: number;
  readonly counts: EodCounts;
};

export type EodOptions = {
  readonly date: CalendarDate;
  readonly batchSize: number;
  readonly now: () => string;
  readonly policies?: EodPolicies;
  /** Called once with the total, then after every committed batch. */
  readonly onProgress?: (progress: EodProgress) => void | Promise<void>;
};

export type EodSummary =
  | {
      readonly ok: true;
      readonly businessDate: CalendarDate;
      /** True when the date had already completed: nothing was done. */
      readonly alreadyCompleted: boolean;
      /** True when this run continued an interrupted one. */
      readonly resumed: boolean;
      readonly counts: EodCounts;
    }
  | {
      readonly ok: false;
      readonly error: {
        readonly code: 'eod.later_date_already_run';
        readonly businessDate: CalendarDate;
        readonly laterDate: CalendarDate;
      };
    };

export const ZERO_COUNTS: EodCounts = {
  batches: 0,
  loans: 0,
  overdueLoans: 0,
  transitions: 0,
  reminders: 0,
  promisesBroken: 0,
  promisesKept: 0,
  errors: 0,
};

/** Whole months from `from` to `to` (0 when `to` is earlier). */
export function monthsBetween(from: CalendarDate, to: CalendarDate): number {
  // CalendarDate is a validated YYYY-MM-DD: read its digits directly (this
  // runs once per loan per day).
  const months =
    (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
    (Number(to.slice(5, 7)) - Number(from.slice(5, 7))) -
    (to.slice(8, 10) < from.slice(8, 10) ? 1 : 0);
  return Math.max(months, 0);
}

const BASIS_POINTS = 10_000n;

function debtToIncomeBp(loan: EodLoan): number | undefined {
  const income = loan.monthlyIncomeFen;
  if (income === undefined || income <= 0n) return undefined;
  return Number((loan.installmentFen * BASIS_POINTS) / income);
}

/** What is past due for a loan: from the ledger, or replayed. */
function overdueOf(
  loan: EodLoan,
  batch: EodBatch,
  date: CalendarDate,
  policies: EodPolicies,
  write: Pick<EodBatchWrite, 'penalties' | 'errors'> & {
    penalties: EodBatchWrite['penalties'][number][];
    errors: EodBatchWrite['errors'][number][];
  },
): OverdueFacts | undefined {
  if (loan.ledgerOverdueInstallments === 0) return NOTHING_OVERDUE;
  const installments = batch.installments.get(loan.loanId);
  assert(installments !== undefined, `eod: no installments for ${loan.loanId}`);
  const report = penaltyToDate(
    {
      rateAnnual: loan.rateAnnual,
      asOf: date,
      installments,
      payments: batch.payments.get(loan.loanId) ?? [],
    },
    policies.penalty,
  );
  if (!report.ok) {
    write.errors.push({ loanId: loan.loanId, code: report.error.code });
    return undefined;
  }
  // Post the penalty accrued on each installment into the ledger, so that
  // the payment waterfall collects it. It never goes below what was paid.
  report.value.installments.forEach((accrued, index) => {
    const stored = installments[index];
    assert(stored?.n === accrued.n, 'eod: replay out of step');
    const total = fen(
      accrued.penaltyInterestFen +
        accrued.compoundInterestFen +
        accrued.lateFeeFen,
    );
    const penaltyFen = maxFen(total, stored.paidPenaltyFen);
    if (penaltyFen !== stored.penaltyFen) {
      write.penalties.push({
        loanId: loan.loanId,
        scheduleVersion: loan.scheduleVersion,
        n: stored.n,
        penaltyFen,
      });
    }
  });
  return overdueFactsFromReport(report.value);
}

/** Works out one batch: pure apart from reading `batch`. */
export function processBatch(
  batch: EodBatch,
  date: CalendarDate,
  fromCursor: string,
  policies: EodPolicies,
  before: EodCounts,
): EodBatchWrite {
  const write = {
    penalties: [] as EodBatchWrite['penalties'][number][],
    errors: [] as EodBatchWrite['errors'][number][],
  };
  const records: EodBatchWrite['records'][number][] = [];
  const transitions: EodBatchWrite['transitions'][number][] = [];
  const reminders: EodBatchWrite['reminders'][number][] = [];
  const promises: EodBatchWrite['promises'][number][] = [];
  const brokenLoans = new Set<string>();
  for (const promise of batch.promises) {
    const kept = promiseKept(promise, batch.payments.get(promise.loanId) ?? []);
    promises.push({ id: promise.id, status: kept ? 'kept' : 'broken' });
    if (!kept) brokenLoans.add(promise.loanId);
  }
  let overdueLoans = 0;
  for (const loan of batch.loans) {
    const overdue = overdueOf(loan, batch, date, policies, write);
    if (overdue === undefined) continue;
    const day = evaluateLoanDay(
      {
        asOf: date,
        status: loan.status,
        overdue,
        outstandingPrincipalFen: loan.outstandingPrincipalFen,
        period: loan.period,
        history: loan.history,
        behaviour: {
          partialPayments: loan.partialPayments,
          failedContacts: loan.failedContacts,
          debtToIncomeBp: debtToIncomeBp(loan),
          monthsOnBook: monthsBetween(loan.startDate, date),
        },
        promiseBroken: brokenLoans.has(loan.loanId),
        rounding: loan.rounding,
      },
      policies,
    );
    if (day.record.daysPastDue > 0) overdueLoans += 1;
    records.push({ loanId: loan.loanId, record: day.record });
    if (day.transition !== undefined) {
      transitions.push({
        loanId: loan.loanId,
        from: loan.status,
        to: day.transition.to,
        event: day.transition.event,
      });
    }
    for (const draft of day.reminders) {
      reminders.push({
        loanId: loan.loanId,
        customerId: loan.customerId,
        daysPastDue: day.record.daysPastDue,
        bucket: day.record.bucket,
        draft,
      });
    }
  }
  const broken = promises.filter((p) => p.status === 'broken').length;
  return {
    fromCursor,
    toCursor: batch.lastLoanId,
    records,
    penalties: write.penalties,
    transitions,
    reminders,
    promises,
    errors: write.errors,
    counts: {
      batches: before.batches + 1,
      loans: before.loans + batch.loanCount,
      overdueLoans: before.overdueLoans + overdueLoans,
      transitions: before.transitions + transitions.length,
      // The store adds the reminders it actually inserted.
      reminders: before.reminders,
      promisesBroken: before.promisesBroken + broken,
      promisesKept: before.promisesKept + promises.length - broken,
      errors: before.errors + write.errors.length,
    },
  };
}

/** The day's windows for the behaviour features. */
export function featureWindows(date: CalendarDate) {
  return {
    partialPaymentsFrom: addDays(date, -PARTIAL_PAYMENT_WINDOW_DAYS),
    failedContactsFrom: addDays(date, -FAILED_CONTACT_WINDOW_DAYS),
  };
}

export async function runEndOfDay(
  store: EodStore,
  options: EodOptions,
): Promise<EodSummary> {
  assert(
    Number.isInteger(options.batchSize) &&
      options.batchSize >= 1 &&
      options.batchSize <= EOD_BATCH_SIZE_MAX,
    `eod: batch size ${options.batchSize}`,
  );
  const policies = options.policies ?? DEFAULT_EOD_POLICIES;
  const date = options.date;
  const begun = await store.begin(date, options.now());
  if ('laterDate' in begun) {
    return {
      ok: false,
      error: {
        code: 'eod.later_date_already_run',
        businessDate: date,
        laterDate: begun.laterDate,
      },
    };
  }
  let run: EodRun = begun;
  if (run.status === 'completed') {
    return {
      ok: true,
      businessDate: date,
      alreadyCompleted: true,
      resumed: false,
      counts: run.counts,
    };
  }
  const resumed = run.cursor !== '';
  const remaining = await store.countRemaining(run.cursor);
  const total = run.counts.loans + remaining;
  await options.onProgress?.({
    done: run.counts.loans,
    total,
    counts: run.counts,
  });
  for (;;) {
    const from = run.cursor;
    const before = run.counts;
    const done = await store.runBatch(
      date,
      from,
      options.batchSize,
      policies,
      options.now(),
      (batch) => processBatch(batch, date, from, policies, before),
    );
    if (done === undefined) break;
    const counts = {
      ...done.write.counts,
      reminders: done.write.counts.reminders + done.inserted,
    };
    run = { ...run, cursor: done.write.toCursor, counts };
    await options.onProgress?.({ done: counts.loans, total, counts });
    if (done.write.counts.loans - before.loans < options.batchSize) break;
  }
  await store.complete(date, options.now());
  return {
    ok: true,
    businessDate: date,
    alreadyCompleted: false,
    resumed,
    counts: run.counts,
  };
}
