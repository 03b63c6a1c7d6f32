import { type Fen, fen } from '../../money/fen.js';
import { divRound } from '../../money/rounding.js';
import { daysBetween } from '../../shared/calendar-date.js';
import { err, ok, type Result } from '../../shared/result.js';
import { buildSchedule } from '../schedule/build-schedule.js';
import { periodInterestFen, yearBasisDays } from '../schedule/interest.js';
import type { PrepaymentMode, Schedule } from '../schedule/types.js';
import { type LoanPosition, outstandingAt } from './position.js';
import {
  type PrepaymentFeePolicy,
  prepaymentFeeFen,
} from './prepayment-fee.js';

export type PartialPrepaymentError = {
  readonly code:
    | 'prepayment.loan_overdue'
    | 'prepayment.before_first_installment'
    | 'prepayment.amount_out_of_range'
    | 'prepayment.not_allowed';
  readonly detail: string;
};

/** A partial prepayment and the schedule it leaves (提前部分还款). */
export type PartialPrepayment = {
  readonly schedule: Schedule;
  readonly amountFen: Fen;
  /** Interest on the prepaid principal for the days since the last due date. */
  readonly interestDueNowFen: Fen;
  readonly prepaymentFeeFen: Fen;
  /** Principal + interest due now + fee. */
  readonly payNowFen: Fen;
  /** Interest the old schedule would still have charged minus the new one's. */
  readonly interestSavedFen: Fen;
  /** The installment in force after the prepayment, or undefined when it varies. */
  readonly newPaymentFen: Fen | undefined;
  readonly periodsLeft: number;
};

/**
 * Prepays part of the principal, taking effect from the last due date paid:
 * `reduce_payment` keeps the term and lowers the installment (减少月供),
 * `reduce_term` keeps the installment and ends sooner (缩短期限). Overdue
 * installments must be cleared first.
 */
export function prepayPartially(
  position: LoanPosition,
  request: {
    readonly amountFen: Fen;
    readonly mode: PrepaymentMode;
    readonly feePolicy: PrepaymentFeePolicy;
  },
): Result<PartialPrepayment, PartialPrepaymentError> {
  const { schedule, paidPeriods, asOf } = position;
  const outstanding = outstandingAt(position);
  if (outstanding.overdueInstallments.length > 0) {
    return err({
      code: 'prepayment.loan_overdue',
      detail: `${outstanding.overdueInstallments.length} installment(s) overdue`,
    });
  }
  if (paidPeriods < 1) {
    return err({
      code: 'prepayment.before_first_installment',
      detail: 'the first installment is not paid yet',
    });
  }
  if (
    request.amountFen <= 0n ||
    request.amountFen >= outstanding.principalFen
  ) {
    return err({
      code: 'prepayment.amount_out_of_range',
      detail: `must be above 0 and below the remaining principal ${outstanding.principalFen} fen (use a payoff to settle in full)`,
    });
  }
  const terms = schedule.terms;
  const rebuilt = buildSchedule({
    ...terms,
    prepayments: [
      ...terms.prepayments,
      {
        afterPeriod: paidPeriods,
        amountFen: request.amountFen,
        mode: request.mode,
      },
    ],
  });
  if (!rebuilt.ok)
    return err({
      code: 'prepayment.not_allowed',
      detail: rebuilt.error.detail,
    });
  const lastPaid = schedule.installments[paidPeriods - 1];
  const elapsedDays =
    lastPaid === undefined
      ? 0
      : Math.max(0, daysBetween(lastPaid.dueDate, asOf));
  const interestDueNowFen = fen(
    divRound(
      request.amountFen * terms.rateAnnual.numerator * BigInt(elapsedDays),
      terms.rateAnnual.denominator * yearBasisDays(terms.dayCount),
      terms.rounding,
    ),
  );
  const feeFen = prepaymentFeeFen(request.feePolicy, {
    prepaidPrincipalFen: request.amountFen,
    monthlyInterestFen: periodInterestFen(
      request.amountFen,
      terms.rateAnnual,
      { kind: 'month' },
      terms.dayCount,
      terms.rounding,
    ),
    startDate: terms.startDate,
    asOf,
    rounding: terms.rounding,
  });
  const interestAfter = (s: Schedule) =>
    s.installments
      .slice(paidPeriods)
      .reduce((sum, row) => sum + row.interestFen, 0n);
  const next = rebuilt.value;
  return ok({
    schedule: next,
    amountFen: request.amountFen,
    interestDueNowFen,
    prepaymentFeeFen: feeFen,
    payNowFen: fen(request.amountFen + interestDueNowFen + feeFen),
    interestSavedFen: fen(
      interestAfter(schedule) - interestAfter(next) - interestDueNowFen,
    ),
    newPaymentFen: next.paymentFen,
    periodsLeft: next.installments.length - paidPeriods,
  });
}
