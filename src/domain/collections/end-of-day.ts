import { installmentDueFen } from '../loan/allocation/loan-balance.js';
import {
  type ClassificationPolicy,
  classifyLoan,
  type DelinquencyBucket,
  delinquencyBucket,
  type LoanClassification,
} from '../loan/delinquency/classification.js';
import type { PenaltyReport } from '../loan/delinquency/penalty-to-date.js';
import {
  type LoanEvent,
  type LoanStatus,
  transitionLoan,
} from '../loan/lifecycle.js';
import { type Fen, fen, ZERO_FEN } from '../money/fen.js';
import { divRound, type Rounding } from '../money/rounding.js';
import { assert } from '../shared/assert.js';
import { type CalendarDate, daysBetween } from '../shared/calendar-date.js';
import type {
  EarlyWarningFeatures,
  EarlyWarningScore,
} from './early-warning.js';
import { type ReminderDraft, remindersFor } from './reminder-plan.js';

// One loan's end of day: from what is overdue (read from the ledger, or
// replayed by penaltyToDate when anything is past due), the current period
// and yesterday's row, everything the batch writes — the delinquency row,
// the reminders, the early-warning score and the lifecycle event.

/** What is past due and unpaid on a loan, per component. */
export type OverdueFacts = {
  readonly daysPastDue: number;
  readonly installments: number;
  /** The oldest installment past due and unpaid. */
  readonly oldest:
    | { readonly n: number; readonly dueDate: CalendarDate }
    | undefined;
  readonly principalFen: Fen;
  readonly interestFen: Fen;
  /** Scheduled fees and late fees (违约金). */
  readonly feeFen: Fen;
  /** Penalty (罚息) and compound interest (复利) not yet paid. */
  readonly penaltyFen: Fen;
};

export const NOTHING_OVERDUE: OverdueFacts = {
  daysPastDue: 0,
  installments: 0,
  oldest: undefined,
  principalFen: ZERO_FEN,
  interestFen: ZERO_FEN,
  feeFen: ZERO_FEN,
  penaltyFen: ZERO_FEN,
};

/** The overdue facts of a penaltyToDate replay. */
export function overdueFactsFromReport(report: PenaltyReport): OverdueFacts {
  const asOf = report.asOf;
  const unpaid = report.state.balance.installments.filter(
    (i) => i.dueDate < asOf && installmentDueFen(i) > 0n,
  );
  const first = unpaid[0];
  return {
    daysPastDue: report.overdueDays,
    installments: unpaid.length,
    oldest:
      first === undefined ? undefined : { n: first.n, dueDate: first.dueDate },
    principalFen: report.overduePrincipalFen,
    interestFen: report.overdueInterestFen,
    feeFen: report.overdueFeeFen,
    penaltyFen: report.overduePenaltyFen,
  };
}

/** The period running on the business day: its installment and start. */
export type CurrentPeriod = {
  readonly n: number;
  readonly dueDate: CalendarDate;
  /** The previous due date, or the loan's start date for period 1. */
  readonly startDate: CalendarDate;
  /** Scheduled interest of the period. */
  readonly interestFen: Fen;
  /** What the installment still owes (0 when prepaid). */
  readonly unpaidFen: Fen;
};

/**
 * Interest earned in the running period up to (not including) `asOf`, pro
 * rata by actual days and rounded once: interest × elapsed / period days.
 *
 * @example
 * accruedInterestFen(3000n, '2026-03-10', '2026-04-10', '2026-03-25', 'half_up'); // 1452n
 */
export function accruedInterestFen(
  period: Pick<CurrentPeriod, 'startDate' | 'dueDate' | 'interestFen'>,
  asOf: CalendarDate,
  rounding: Rounding,
): Fen {
  const length = daysBetween(period.startDate, period.dueDate);
  if (length <= 0) return ZERO_FEN;
  const elapsed = Math.min(
    Math.max(daysBetween(period.startDate, asOf), 0),
    length,
  );
  return fen(
    divRound(period.interestFen * BigInt(elapsed), BigInt(length), rounding),
  );
}

/** Yesterday's delinquency row, as far as today's needs it. */
export type DelinquencyHistory = {
  readonly asOf: CalendarDate;
  readonly daysPastDue: number;
  readonly maxDaysPastDue: number;
  readonly overdueEpisodes: number;
};

export type LoanDayInput = {
  readonly asOf: CalendarDate;
  readonly status: LoanStatus;
  readonly overdue: OverdueFacts;
  readonly outstandingPrincipalFen: Fen;
  readonly period: CurrentPeriod | undefined;
  readonly history: DelinquencyHistory | undefined;
  /** Early-warning features the batch reads besides lateness history. */
  readonly behaviour: Pick<
    EarlyWarningFeatures,
    'partialPayments' | 'failedContacts' | 'debtToIncomeBp' | 'monthsOnBook'
  >;
  readonly promiseBroken: boolean;
  readonly rounding: Rounding;
};

export type LoanDayPolicies = {
  readonly classification: ClassificationPolicy;
  /** The early-warning scorer (createEarlyWarningScorer over a card). */
  readonly scorer: (
    features: EarlyWarningFeatures,
  ) => EarlyWarningScore & { readonly reasonsJson: string };
};

export type DelinquencyRecord = {
  readonly asOf: CalendarDate;
  readonly daysPastDue: number;
  readonly bucket: DelinquencyBucket;
  readonly classification: LoanClassification;
  readonly overdueInstallments: number;
  readonly overduePrincipalFen: Fen;
  readonly overdueInterestFen: Fen;
  readonly penaltyFen: Fen;
  readonly feesFen: Fen;
  readonly totalOverdueFen: Fen;
  readonly outstandingPrincipalFen: Fen;
  readonly accruedInterestFen: Fen;
  readonly nextDueDate: CalendarDate | undefined;
  readonly nextDueFen: Fen | undefined;
  /** Only for loans current on the day. */
  readonly earlyWarning:
    | (EarlyWarningScore & { readonly reasonsJson: string })
    | undefined;
  readonly maxDaysPastDue: number;
  readonly overdueEpisodes: number;
};

export type LoanDayResult = {
  readonly record: DelinquencyRecord;
  readonly reminders: readonly ReminderDraft[];
  /** The lifecycle event the day calls for, with the status it leads to. */
  readonly transition:
    | { readonly event: LoanEvent; readonly to: LoanStatus }
    | undefined;
};

function carryHistory(
  history: DelinquencyHistory | undefined,
  asOf: CalendarDate,
  daysPastDue: number,
): { maxDaysPastDue: number; overdueEpisodes: number } {
  if (history === undefined) {
    return {
      maxDaysPastDue: daysPastDue,
      overdueEpisodes: daysPastDue > 0 ? 1 : 0,
    };
  }
  assert(history.asOf <= asOf, 'delinquency history is from a later day');
  const maxDaysPastDue = Math.max(history.maxDaysPastDue, daysPastDue);
  // Recomputing the same day must not count the episode twice.
  if (history.asOf === asOf) {
    return { maxDaysPastDue, overdueEpisodes: history.overdueEpisodes };
  }
  const started = history.daysPastDue === 0 && daysPastDue > 0;
  return {
    maxDaysPastDue,
    overdueEpisodes: history.overdueEpisodes + (started ? 1 : 0),
  };
}

/** The lifecycle event for a loan's days past due, if its status allows it. */
export function transitionFor(
  status: LoanStatus,
  daysPastDue: number,
): LoanDayResult['transition'] {
  let event: LoanEvent | undefined;
  if (daysPastDue > 0 && (status === 'repaying' || status === 'restructured'))
    event = { type: 'miss_payment' };
  if (daysPastDue === 0 && (status === 'overdue' || status === 'collection'))
    event = { type: 'cure' };
  if (event === undefined) return undefined;
  const next = transitionLoan(status, event);
  assert(next.ok, `end of day: ${event.type} refused from ${status}`);
  return { event, to: next.value };
}

export function evaluateLoanDay(
  input: LoanDayInput,
  policies: LoanDayPolicies,
): LoanDayResult {
  const { overdue, period, asOf } = input;
  const dpd = overdue.daysPastDue;
  const bucket = delinquencyBucket(dpd);
  const history = carryHistory(input.history, asOf, dpd);
  const totalOverdueFen = fen(
    overdue.principalFen +
      overdue.interestFen +
      overdue.feeFen +
      overdue.penaltyFen,
  );
  const earlyWarning =
    dpd === 0 ? policies.scorer({ ...input.behaviour, ...history }) : undefined;
  const record: DelinquencyRecord = {
    asOf,
    daysPastDue: dpd,
    bucket,
    classification: classifyLoan(dpd, policies.classification),
    overdueInstallments: overdue.installments,
    overduePrincipalFen: overdue.principalFen,
    overdueInterestFen: overdue.interestFen,
    penaltyFen: overdue.penaltyFen,
    feesFen: overdue.feeFen,
    totalOverdueFen,
    outstandingPrincipalFen: input.outstandingPrincipalFen,
    accruedInterestFen:
      period === undefined
        ? ZERO_FEN
        : accruedInterestFen(period, asOf, input.rounding),
    nextDueDate: period?.dueDate,
    nextDueFen: period?.unpaidFen,
    earlyWarning,
    ...history,
  };
  const reminders = remindersFor({
    asOf,
    daysPastDue: dpd,
    bucket,
    next:
      period === undefined
        ? undefined
        : { n: period.n, dueDate: period.dueDate, unpaidFen: period.unpaidFen },
    oldest: overdue.oldest,
    totalOverdueFen,
    promiseBroken: input.promiseBroken,
  });
  return {
    record,
    reminders,
    transition: transitionFor(input.status, dpd),
  };
}

/** A promise to pay, as the batch judges it once its date has passed. */
export type PromiseToJudge = {
  readonly amountFen: Fen;
  /** The business day the promise was made. */
  readonly madeOn: CalendarDate;
  readonly promisedOn: CalendarDate;
};

/**
 * Kept when the payments received from the day the promise was made up to
 * and including the promised date add up to the promised amount.
 */
export function promiseKept(
  promise: PromiseToJudge,
  payments: readonly { readonly date: CalendarDate; readonly amountFen: Fen }[],
): boolean {
  let paid = 0n;
  for (const p of payments) {
    if (p.date >= promise.madeOn && p.date <= promise.promisedOn)
      paid += p.amountFen;
  }
  return paid >= promise.amountFen;
}
