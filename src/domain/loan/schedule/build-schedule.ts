import { type Fen, fen } from '../../money/fen.js';
import { divRound } from '../../money/rounding.js';
import { toSafe } from '../../money/safe-integer.js';
import { assert } from '../../shared/assert.js';
import {
  addMonths,
  type CalendarDate,
  daysBetween,
} from '../../shared/calendar-date.js';
import { err, ok, type Result } from '../../shared/result.js';
import { dueDates, isFirstPeriodBroken } from './due-dates.js';
import type { ScheduleError } from './errors.js';
import {
  ONE_MONTH,
  type PeriodLength,
  periodInterest,
  type SafeRate,
  safeRate,
} from './interest.js';
import {
  type Segment,
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

// The loop below holds fen as safe integers (see money/safe-integer.ts for
// why and how exactness is kept); rows leave it as Fen.

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

type Kernel = {
  readonly terms: LoanTerms;
  readonly rate: SafeRate;
  readonly dates: readonly CalendarDate[];
  readonly periods: number;
  readonly brokenFirst: boolean;
};

function periodLength(k: Kernel, n: number): PeriodLength {
  const { terms } = k;
  const brokenFirst = n === 1 && k.brokenFirst;
  if (
    terms.method === 'bullet' &&
    terms.dayCount === '30/360' &&
    !brokenFirst
  ) {
    // 一次性还本付息 over whole months: 30/360 counts 30 days a month.
    return { kind: 'days', days: 30 * terms.termMonths };
  }
  if (terms.method === 'bullet' || brokenFirst || terms.dayCount !== '30/360') {
    const from = n === 1 ? terms.startDate : (k.dates[n - 2] as CalendarDate);
    return {
      kind: 'days',
      days: daysBetween(from, k.dates[n - 1] as CalendarDate),
    };
  }
  return ONE_MONTH;
}

function interestOf(
  k: Kernel,
  segment: Segment,
  balance: number,
  n: number,
): number {
  const length = periodLength(k, n);
  const { terms } = k;
  if (terms.method === 'flat') {
    if (length.kind === 'month') return segment.flatInterest;
    return periodInterest(
      segment.openingBalance,
      k.rate,
      length,
      terms.dayCount,
      terms.rounding,
    );
  }
  return periodInterest(
    balance,
    k.rate,
    length,
    terms.dayCount,
    terms.rounding,
  );
}

function principalOf(
  k: Kernel,
  segment: Segment,
  balance: number,
  interest: number,
  n: number,
): number {
  const { terms } = k;
  if (n === k.periods) return balance;
  if (n <= terms.interestOnlyPeriods) return 0;
  let principal = 0;
  switch (terms.method) {
    case 'equal_installment': {
      // A broken first period keeps the regular principal part; its extra
      // (or missing) days only change the interest (首期按实际天数计息).
      const regularInterest =
        n === 1 && k.brokenFirst
          ? periodInterest(
              balance,
              k.rate,
              ONE_MONTH,
              terms.dayCount,
              terms.rounding,
            )
          : interest;
      principal = segment.installment - regularInterest;
      break;
    }
    case 'equal_principal':
    case 'flat':
      principal = segment.principalPerPeriod;
      break;
    case 'interest_first':
    case 'bullet':
      principal = 0;
      break;
  }
  if (principal < 0) return 0;
  return Math.min(principal, balance);
}

type Totals = {
  principal: number;
  interest: number;
  fee: number;
  paid: number;
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
  const rate = safeRate(terms.rateAnnual);
  const k: Kernel = {
    terms,
    rate,
    dates: scheduleDueDates(terms),
    periods: periodCount(terms),
    brokenFirst: isFirstPeriodBroken(terms),
  };
  const feeFen = periodicFeeFen(terms);
  const fee = toSafe(feeFen);
  const first = startSegment({
    terms,
    rate,
    balance: toSafe(terms.principalFen),
    firstPeriod: 1,
    periods: k.periods,
  });
  if (!first.ok) return first;
  let segment = first.value;
  let balance = segment.openingBalance;
  const installments: Installment[] = [];
  const applied: AppliedPrepayment[] = [];
  const totals: Totals = { principal: 0, interest: 0, fee: 0, paid: 0 };
  let prepaymentIndex = 0;
  for (let n = 1; n <= k.periods && balance > 0; n += 1) {
    const interest = interestOf(k, segment, balance, n);
    const principal = principalOf(k, segment, balance, interest, n);
    balance -= principal;
    const payment = principal + interest + fee;
    installments.push({
      n,
      dueDate: k.dates[n - 1] as CalendarDate,
      paymentFen: BigInt(payment) as Fen,
      principalFen: BigInt(principal) as Fen,
      interestFen: BigInt(interest) as Fen,
      feeFen,
      balanceFen: BigInt(balance) as Fen,
    });
    totals.principal += principal;
    totals.interest += interest;
    totals.fee += fee;
    totals.paid += payment;
    while (terms.prepayments[prepaymentIndex]?.afterPeriod === n) {
      const prepayment = terms.prepayments[prepaymentIndex] as Prepayment;
      prepaymentIndex += 1;
      const amount = toSafe(prepayment.amountFen);
      if (amount > balance) {
        return err({
          code: 'schedule.prepayment_amount_out_of_range',
          field: 'prepayments.amount',
          detail: `exceeds the balance ${balance} fen after period ${n}`,
        });
      }
      applied.push({
        ...prepayment,
        balanceBeforeFen: fen(BigInt(balance)),
        balanceAfterFen: fen(BigInt(balance - amount)),
      });
      balance -= amount;
      totals.principal += amount;
      totals.paid += amount;
      if (balance === 0) break;
      const next = segmentAfterPrepayment(
        segment,
        { terms, rate, balance, firstPeriod: n + 1, periods: k.periods },
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
  // Paired assertions: the schedule repays exactly what was lent, and every
  // total stayed a safe integer.
  assert(balance === 0, 'schedule: balance left after the last period');
  assert(
    BigInt(totals.principal) === terms.principalFen,
    'schedule: principal repaid differs from principal lent',
  );
  assert(Number.isSafeInteger(totals.paid), 'schedule: totals beyond 2^53');
  return ok({
    terms,
    paymentFen: regularPaymentFen(k, segment, installments, fee),
    installments,
    prepayments: applied,
    totalPrincipalFen: fen(BigInt(totals.principal)),
    totalInterestFen: fen(BigInt(totals.interest)),
    totalFeesFen: fen(BigInt(totals.fee) + upfrontFeeFen(terms)),
    totalPaidFen: fen(BigInt(totals.paid)),
  });
}

/** The installment in force at the end (after any prepayment), fees included. */
function regularPaymentFen(
  k: Kernel,
  segment: Segment,
  installments: readonly Installment[],
  fee: number,
): Fen | undefined {
  const { terms } = k;
  switch (terms.method) {
    case 'equal_installment':
      return fen(BigInt(segment.installment + fee));
    case 'equal_principal':
      return undefined;
    case 'flat':
      return fen(
        BigInt(segment.principalPerPeriod + segment.flatInterest + fee),
      );
    case 'interest_first':
      return fen(
        BigInt(
          periodInterest(
            segment.openingBalance,
            k.rate,
            ONE_MONTH,
            terms.dayCount,
            terms.rounding,
          ) + fee,
        ),
      );
    case 'bullet':
      return installments[0]?.paymentFen;
  }
}
