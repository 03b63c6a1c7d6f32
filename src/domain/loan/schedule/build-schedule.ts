import { type Fen, fen, ZERO_FEN } from '../../money/fen.js';
import { divRound } from '../../money/rounding.js';
import { assert } from '../../shared/assert.js';
import {
  addMonths,
  type CalendarDate,
  daysBetween,
} from '../../shared/calendar-date.js';
import { err, ok, type Result } from '../../shared/result.js';
import { dueDates, isFirstPeriodBroken } from './due-dates.js';
import type { ScheduleError } from './errors.js';
import { type PeriodLength, periodInterestFen } from './interest.js';
import {
  type Segment,
  type SegmentStart,
  segmentAfterPrepayment,
  startSegment,
} from './segment.js';
import type {
  AppliedPrepayment,
  Installment,
  LoanTerms,
  Prepayment,
  Schedule,
} from './types.js';
import { validateTerms } from './validate-terms.js';

/** Periods in the schedule: the term, or one for a bullet loan. */
export function periodCount(terms: LoanTerms): number {
  return terms.method === 'bullet' ? 1 : terms.termMonths;
}

function scheduleDueDates(terms: LoanTerms): CalendarDate[] {
  if (terms.method === 'bullet') {
    return [terms.firstDueDate ?? addMonths(terms.startDate, terms.termMonths)];
  }
  return dueDates(terms, terms.termMonths);
}

/** The periodic fee of every installment: fixed amounts plus shares of the principal. */
export function periodicFeeFen(terms: LoanTerms): Fen {
  let total = 0n;
  for (const fee of terms.fees) {
    if (fee.kind === 'monthly_amount') total += fee.amountFen;
    if (fee.kind === 'monthly_rate') {
      total += divRound(
        terms.principalFen * fee.rateOfPrincipal.numerator,
        fee.rateOfPrincipal.denominator,
        terms.rounding,
      );
    }
  }
  return fen(total);
}

export function upfrontFeeFen(terms: LoanTerms): Fen {
  let total = 0n;
  for (const fee of terms.fees)
    if (fee.kind === 'upfront') total += fee.amountFen;
  return fen(total);
}

type Period = {
  readonly n: number;
  readonly from: CalendarDate;
  readonly to: CalendarDate;
  readonly isLast: boolean;
  readonly brokenFirst: boolean;
};

function periodLength(terms: LoanTerms, period: Period): PeriodLength {
  if (terms.method === 'bullet') {
    // 一次性还本付息: the whole term at once; 30/360 counts whole months.
    if (terms.dayCount === '30/360' && !period.brokenFirst) {
      return { kind: 'days', days: 30 * terms.termMonths };
    }
    return { kind: 'days', days: daysBetween(period.from, period.to) };
  }
  if (period.brokenFirst || terms.dayCount !== '30/360') {
    return { kind: 'days', days: daysBetween(period.from, period.to) };
  }
  return { kind: 'month' };
}

function interestOf(
  terms: LoanTerms,
  segment: Segment,
  balanceFen: Fen,
  period: Period,
): Fen {
  const length = periodLength(terms, period);
  if (terms.method === 'flat') {
    if (length.kind === 'month') return segment.flatInterestFen ?? ZERO_FEN;
    return periodInterestFen(
      segment.openingBalanceFen,
      terms.rateAnnual,
      length,
      terms.dayCount,
      terms.rounding,
    );
  }
  return periodInterestFen(
    balanceFen,
    terms.rateAnnual,
    length,
    terms.dayCount,
    terms.rounding,
  );
}

function principalOf(
  terms: LoanTerms,
  segment: Segment,
  balanceFen: Fen,
  interestFen: Fen,
  period: Period,
): Fen {
  if (period.isLast) return balanceFen;
  if (period.n <= terms.interestOnlyPeriods) return ZERO_FEN;
  let principalFen: bigint;
  switch (terms.method) {
    case 'equal_installment': {
      // A broken first period keeps the regular principal part; its extra
      // (or missing) days only change the interest (首期按实际天数计息).
      const regularInterestFen = period.brokenFirst
        ? periodInterestFen(
            balanceFen,
            terms.rateAnnual,
            { kind: 'month' },
            terms.dayCount,
            terms.rounding,
          )
        : interestFen;
      principalFen = (segment.installmentFen ?? ZERO_FEN) - regularInterestFen;
      break;
    }
    case 'equal_principal':
    case 'flat':
      principalFen = segment.principalPerPeriodFen ?? ZERO_FEN;
      break;
    case 'interest_first':
    case 'bullet':
      principalFen = 0n;
      break;
  }
  if (principalFen < 0n) principalFen = 0n;
  return fen(principalFen > balanceFen ? balanceFen : principalFen);
}

type Totals = {
  principal: bigint;
  interest: bigint;
  fee: bigint;
  paid: bigint;
};

/**
 * Builds the whole repayment schedule of a loan, exact to the fen: every
 * interest amount is rounded once by the named policy, and the last period
 * (or the one that clears the balance) absorbs the rounding remainder, so
 * principal repaid equals principal lent.
 */
export function buildSchedule(
  terms: LoanTerms,
): Result<Schedule, ScheduleError> {
  const valid = validateTerms(terms);
  if (!valid.ok) return valid;
  const periods = periodCount(terms);
  const dates = scheduleDueDates(terms);
  const feeFen = periodicFeeFen(terms);
  const start: SegmentStart = {
    terms,
    balanceFen: terms.principalFen,
    firstPeriod: 1,
    periods,
  };
  const first = startSegment(start);
  if (!first.ok) return first;
  let segment = first.value;
  let balanceFen = terms.principalFen;
  const installments: Installment[] = [];
  const applied: AppliedPrepayment[] = [];
  const totals: Totals = { principal: 0n, interest: 0n, fee: 0n, paid: 0n };
  let prepaymentIndex = 0;
  for (let n = 1; n <= periods && balanceFen > 0n; n += 1) {
    const period: Period = {
      n,
      from: n === 1 ? terms.startDate : (dates[n - 2] as CalendarDate),
      to: dates[n - 1] as CalendarDate,
      isLast: n === periods,
      brokenFirst: n === 1 && isFirstPeriodBroken(terms),
    };
    const interestFen = interestOf(terms, segment, balanceFen, period);
    const principalFen = principalOf(
      terms,
      segment,
      balanceFen,
      interestFen,
      period,
    );
    balanceFen = fen(balanceFen - principalFen);
    const paymentFen = fen(principalFen + interestFen + feeFen);
    installments.push({
      n,
      dueDate: period.to,
      paymentFen,
      principalFen,
      interestFen,
      feeFen,
      balanceFen,
    });
    totals.principal += principalFen;
    totals.interest += interestFen;
    totals.fee += feeFen;
    totals.paid += paymentFen;
    while (
      prepaymentIndex < terms.prepayments.length &&
      terms.prepayments[prepaymentIndex]?.afterPeriod === n
    ) {
      const prepayment = terms.prepayments[prepaymentIndex] as Prepayment;
      prepaymentIndex += 1;
      if (prepayment.amountFen > balanceFen) {
        return err({
          code: 'schedule.prepayment_amount_out_of_range',
          field: 'prepayments.amount',
          detail: `exceeds the balance ${balanceFen} fen after period ${n}`,
        });
      }
      const balanceAfterFen = fen(balanceFen - prepayment.amountFen);
      applied.push({
        ...prepayment,
        balanceBeforeFen: balanceFen,
        balanceAfterFen,
      });
      totals.principal += prepayment.amountFen;
      totals.paid += prepayment.amountFen;
      balanceFen = balanceAfterFen;
      if (balanceFen === 0n) break;
      const next = segmentAfterPrepayment(
        segment,
        { terms, balanceFen, firstPeriod: n + 1, periods },
        prepayment.mode,
      );
      if (!next.ok) return next;
      segment = next.value;
    }
  }
  if (prepaymentIndex < terms.prepayments.length) {
    return err({
      code: 'schedule.prepayment_period_out_of_range',
      field: 'prepayments.after_period',
      detail: 'falls after the loan is already repaid',
    });
  }
  // Paired assertions: the schedule repays exactly what was lent.
  assert(balanceFen === 0n, 'schedule: balance left after the last period');
  assert(
    totals.principal === terms.principalFen,
    'schedule: principal repaid differs from principal lent',
  );
  return ok({
    terms,
    paymentFen:
      terms.method === 'bullet'
        ? installments[0]?.paymentFen
        : regularPaymentFen(terms, segment, feeFen),
    installments,
    prepayments: applied,
    totalPrincipalFen: fen(totals.principal),
    totalInterestFen: fen(totals.interest),
    totalFeesFen: fen(totals.fee + upfrontFeeFen(terms)),
    totalPaidFen: fen(totals.paid),
  });
}

/** The installment in force at the end (after any prepayment), fees included. */
function regularPaymentFen(
  terms: LoanTerms,
  segment: Segment,
  feeFen: Fen,
): Fen | undefined {
  switch (terms.method) {
    case 'equal_installment':
      return fen((segment.installmentFen ?? 0n) + feeFen);
    case 'equal_principal':
      return undefined;
    case 'flat':
      return fen(
        (segment.principalPerPeriodFen ?? 0n) +
          (segment.flatInterestFen ?? 0n) +
          feeFen,
      );
    case 'interest_first': {
      const interestFen = periodInterestFen(
        segment.openingBalanceFen,
        terms.rateAnnual,
        { kind: 'month' },
        terms.dayCount,
        terms.rounding,
      );
      return fen(interestFen + feeFen);
    }
    case 'bullet':
      return undefined;
  }
}
