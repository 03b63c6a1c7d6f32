import { mulDivRound } from '../../money/safe-integer.js';
import { err, ok, type Result } from '../../shared/result.js';
import { annuityPaymentSafe } from './annuity.js';
import type { ScheduleError } from './errors.js';
import { ONE_MONTH, periodInterest, type SafeRate } from './interest.js';
import type { LoanTerms, PrepaymentMode } from './types.js';

/**
 * The level amounts (fen, as safe integers) that hold from `firstPeriod` to
 * the end of the term: the loan's own at disbursement, re-derived after each
 * prepayment. A segment owns what the method keeps constant: the installment
 * (等额本息), the principal part (等额本金, 等本等息) or the flat interest
 * (等本等息). Zero where the method has no such amount.
 */
export type Segment = {
  readonly firstPeriod: number;
  readonly openingBalance: number;
  readonly installment: number;
  readonly principalPerPeriod: number;
  readonly flatInterest: number;
};

export type SegmentStart = {
  readonly terms: LoanTerms;
  readonly rate: SafeRate;
  readonly balance: number;
  /** First period of the segment (1 at disbursement). */
  readonly firstPeriod: number;
  /** Periods in the whole schedule (the term, or 1 for bullet). */
  readonly periods: number;
};

/** Number of principal-repaying periods from `firstPeriod` to the end. */
function amortizingPeriods(start: SegmentStart): number {
  const firstAmortizing = Math.max(
    start.firstPeriod,
    start.terms.interestOnlyPeriods + 1,
  );
  return start.periods - firstAmortizing + 1;
}

function flatInterestOf(start: SegmentStart): number {
  // 等本等息 charges a month of interest on the segment's opening balance.
  return periodInterest(
    start.balance,
    start.rate,
    ONE_MONTH,
    '30/360',
    start.terms.rounding,
  );
}

function segmentOf(
  start: SegmentStart,
  installment: number,
  principalPerPeriod: number,
  flatInterest: number,
): Segment {
  return {
    firstPeriod: start.firstPeriod,
    openingBalance: start.balance,
    installment,
    principalPerPeriod,
    flatInterest,
  };
}

/** Derives a segment's level amounts from its opening balance. */
export function startSegment(
  start: SegmentStart,
): Result<Segment, ScheduleError> {
  const { terms, balance } = start;
  const periods = amortizingPeriods(start);
  switch (terms.method) {
    case 'equal_installment': {
      const installment = annuityPaymentSafe(
        balance,
        terms.rateAnnual,
        periods,
        terms.rounding,
        terms.paymentMultipleFen,
      );
      const interest = periodInterest(
        balance,
        start.rate,
        ONE_MONTH,
        terms.dayCount,
        terms.rounding,
      );
      if (installment <= interest && periods > 1) {
        return err({
          code: 'schedule.payment_does_not_amortize',
          field: 'payment_multiple',
          detail: `installment ${installment} fen does not exceed the interest ${interest} fen`,
        });
      }
      return ok(segmentOf(start, installment, 0, 0));
    }
    case 'equal_principal':
      return ok(
        segmentOf(
          start,
          0,
          mulDivRound(balance, 1, periods, terms.rounding),
          0,
        ),
      );
    case 'flat':
      return ok(
        segmentOf(
          start,
          0,
          mulDivRound(balance, 1, periods, terms.rounding),
          flatInterestOf(start),
        ),
      );
    case 'interest_first':
    case 'bullet':
      return ok(segmentOf(start, 0, 0, 0));
  }
}

/**
 * The segment after a prepayment: `reduce_payment` (减少月供) re-derives the
 * level amounts over the remaining periods; `reduce_term` (缩短期限) keeps them
 * so the balance is cleared sooner.
 */
export function segmentAfterPrepayment(
  previous: Segment,
  start: SegmentStart,
  mode: PrepaymentMode,
): Result<Segment, ScheduleError> {
  if (mode === 'reduce_payment') return startSegment(start);
  const method = start.terms.method;
  if (method === 'interest_first' || method === 'bullet') {
    return err({
      code: 'schedule.prepayment_mode_not_supported',
      field: 'prepayments.mode',
      detail: `reduce_term does not apply to ${method}: its principal is due at maturity`,
    });
  }
  return ok({
    ...previous,
    firstPeriod: start.firstPeriod,
    openingBalance: start.balance,
    flatInterest: method === 'flat' ? flatInterestOf(start) : 0,
  });
}
