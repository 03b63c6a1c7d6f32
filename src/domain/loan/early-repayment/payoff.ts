import { type Fen, fen, ZERO_FEN } from '../../money/fen.js';
import type { CalendarDate } from '../../shared/calendar-date.js';
import { err, ok, type Result } from '../../shared/result.js';
import { periodInterestFen } from '../schedule/interest.js';
import { type LoanPosition, outstandingAt } from './position.js';
import {
  type PrepaymentFeePolicy,
  prepaymentFeeFen,
} from './prepayment-fee.js';

export type PayoffError = {
  readonly code: 'payoff.as_of_before_start' | 'payoff.loan_already_repaid';
  readonly detail: string;
};

/** What settles a loan in full on `asOf` (一次性结清金额), by component. */
export type PayoffQuote = {
  readonly asOf: CalendarDate;
  readonly principalFen: Fen;
  /** Overdue interest plus interest accrued to `asOf`. */
  readonly interestFen: Fen;
  readonly accruedInterestFen: Fen;
  /** Periodic fees of overdue installments. */
  readonly feeFen: Fen;
  /** Penalty interest and late fees to `asOf`, as the delinquency module computed them. */
  readonly penaltyFen: Fen;
  readonly prepaymentFeeFen: Fen;
  readonly totalFen: Fen;
  /** Interest the scheduled installments would still have charged, minus what the payoff charges. */
  readonly interestSavedFen: Fen;
};

/**
 * A payoff quote for any date: remaining principal + overdue and accrued
 * interest + overdue fees + penalty + the contract's early-repayment fee.
 */
export function payoffQuote(
  position: LoanPosition,
  options: {
    readonly feePolicy: PrepaymentFeePolicy;
    readonly penaltyFen?: Fen;
  },
): Result<PayoffQuote, PayoffError> {
  const { schedule, asOf } = position;
  if (asOf < schedule.terms.startDate) {
    return err({
      code: 'payoff.as_of_before_start',
      detail: `as_of ${asOf} is before the start ${schedule.terms.startDate}`,
    });
  }
  const outstanding = outstandingAt(position);
  if (
    outstanding.principalFen === 0n &&
    outstanding.interestFen === 0n &&
    outstanding.feeFen === 0n
  ) {
    return err({
      code: 'payoff.loan_already_repaid',
      detail: 'every installment is paid',
    });
  }
  const terms = schedule.terms;
  // Principal repaid ahead of its due dates carries the early-repayment fee.
  let notYetDueFen = 0n;
  for (const row of schedule.installments.slice(position.paidPeriods)) {
    if (row.dueDate > asOf) notYetDueFen += row.principalFen;
  }
  const feeFen = prepaymentFeeFen(options.feePolicy, {
    prepaidPrincipalFen: fen(notYetDueFen),
    monthlyInterestFen: periodInterestFen(
      fen(notYetDueFen),
      terms.rateAnnual,
      { kind: 'month' },
      terms.dayCount,
      terms.rounding,
    ),
    startDate: terms.startDate,
    asOf,
    rounding: terms.rounding,
  });
  const penaltyFen = options.penaltyFen ?? ZERO_FEN;
  let scheduledInterest = 0n;
  for (const row of schedule.installments.slice(position.paidPeriods))
    scheduledInterest += row.interestFen;
  const totalFen = fen(
    outstanding.principalFen +
      outstanding.interestFen +
      outstanding.feeFen +
      penaltyFen +
      feeFen,
  );
  return ok({
    asOf,
    principalFen: outstanding.principalFen,
    interestFen: outstanding.interestFen,
    accruedInterestFen: outstanding.accruedInterestFen,
    feeFen: outstanding.feeFen,
    penaltyFen,
    prepaymentFeeFen: feeFen,
    totalFen,
    interestSavedFen: fen(scheduledInterest - outstanding.interestFen),
  });
}
