import { type Fen, fen } from '../../money/fen.js';
import { divRound } from '../../money/rounding.js';
import { err, ok, type Result } from '../../shared/result.js';
import { annuityPaymentFen } from './annuity.js';
import type { ScheduleError } from './errors.js';
import { periodInterestFen } from './interest.js';
import type { LoanTerms, PrepaymentMode } from './types.js';

/**
 * The level amounts that hold from `firstPeriod` to the end of the term: the
 * loan's own at disbursement, re-derived after each prepayment. A segment
 * owns what the method keeps constant: the installment (等额本息), the
 * principal part (等额本金, 等本等息) or the flat interest (等本等息).
 */
export type Segment = {
  readonly firstPeriod: number;
  readonly openingBalanceFen: Fen;
  /** 等额本息: principal + interest of a regular period, before fees. */
  readonly installmentFen: Fen | undefined;
  /** 等额本金 and 等本等息: principal of a regular period. */
  readonly principalPerPeriodFen: Fen | undefined;
  /** 等本等息: interest of a regular period, on the segment's opening balance. */
  readonly flatInterestFen: Fen | undefined;
};

export type SegmentStart = {
  readonly terms: LoanTerms;
  readonly balanceFen: Fen;
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

/** Derives a segment's level amounts from its opening balance. */
export function startSegment(
  start: SegmentStart,
): Result<Segment, ScheduleError> {
  const { terms, balanceFen } = start;
  const base = {
    firstPeriod: start.firstPeriod,
    openingBalanceFen: balanceFen,
    installmentFen: undefined,
    principalPerPeriodFen: undefined,
    flatInterestFen: undefined,
  };
  const periods = BigInt(amortizingPeriods(start));
  switch (terms.method) {
    case 'equal_installment': {
      const installmentFen = annuityPaymentFen(
        balanceFen,
        terms.rateAnnual,
        Number(periods),
        terms.rounding,
        terms.paymentMultipleFen,
      );
      const interestFen = periodInterestFen(
        balanceFen,
        terms.rateAnnual,
        { kind: 'month' },
        terms.dayCount,
        terms.rounding,
      );
      if (installmentFen <= interestFen && periods > 1n) {
        return err({
          code: 'schedule.payment_does_not_amortize',
          field: 'payment_multiple',
          detail: `installment ${installmentFen} fen does not exceed the interest ${interestFen} fen`,
        });
      }
      return ok({ ...base, installmentFen });
    }
    case 'equal_principal':
      return ok({
        ...base,
        principalPerPeriodFen: fen(
          divRound(balanceFen, periods, terms.rounding),
        ),
      });
    case 'flat':
      return ok({
        ...base,
        principalPerPeriodFen: fen(
          divRound(balanceFen, periods, terms.rounding),
        ),
        flatInterestFen: periodInterestFen(
          balanceFen,
          terms.rateAnnual,
          { kind: 'month' },
          '30/360',
          terms.rounding,
        ),
      });
    case 'interest_first':
    case 'bullet':
      return ok(base);
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
  const flatInterestFen =
    method === 'flat'
      ? periodInterestFen(
          start.balanceFen,
          start.terms.rateAnnual,
          { kind: 'month' },
          '30/360',
          start.terms.rounding,
        )
      : undefined;
  return ok({
    ...previous,
    firstPeriod: start.firstPeriod,
    openingBalanceFen: start.balanceFen,
    flatInterestFen,
  });
}
