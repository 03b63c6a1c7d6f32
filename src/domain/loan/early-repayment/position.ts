import { type Fen, fen, ZERO_FEN } from '../../money/fen.js';
import { divRound } from '../../money/rounding.js';
import { assert } from '../../shared/assert.js';
import { type CalendarDate, daysBetween } from '../../shared/calendar-date.js';
import { yearBasisDays } from '../schedule/interest.js';
import type { Installment, Schedule } from '../schedule/types.js';

/**
 * Where a loan stands on `asOf`: the installments fully paid (the first
 * `paidPeriods`), those due but unpaid (overdue), and the running period.
 */
export type LoanPosition = {
  readonly schedule: Schedule;
  /** Installments paid in full, counted from the first. */
  readonly paidPeriods: number;
  readonly asOf: CalendarDate;
};

export type Outstanding = {
  /** Principal not yet repaid (overdue principal included). */
  readonly principalFen: Fen;
  /** Interest of overdue installments plus interest accrued in the running period. */
  readonly interestFen: Fen;
  /** Periodic fees of overdue installments. */
  readonly feeFen: Fen;
  readonly overdueInstallments: readonly Installment[];
  /** Interest accrued since the last due date, by day. */
  readonly accruedInterestFen: Fen;
  /** The period running on `asOf`, if the loan has one. */
  readonly runningPeriod: Installment | undefined;
};

function periodStart(schedule: Schedule, n: number): CalendarDate {
  if (n === 1) return schedule.terms.startDate;
  const previous = schedule.installments[n - 2];
  assert(previous !== undefined, 'position: missing previous installment');
  return previous.dueDate;
}

/**
 * Interest accrued in the running period up to `asOf`. Declining-balance
 * methods accrue balance × annual rate × days / year basis (Chinese practice:
 * 按实际占用天数计息, 日利率 = 年利率 / 360); flat interest accrues pro rata
 * over the period. Never more than the period's scheduled interest.
 */
function accruedInterest(
  schedule: Schedule,
  running: Installment,
  asOf: CalendarDate,
): Fen {
  const from = periodStart(schedule, running.n);
  const elapsedDays = Math.max(0, daysBetween(from, asOf));
  const periodDays = daysBetween(from, running.dueDate);
  const terms = schedule.terms;
  let accrued: bigint;
  if (terms.method === 'flat') {
    accrued = divRound(
      running.interestFen * BigInt(elapsedDays),
      BigInt(periodDays),
      terms.rounding,
    );
  } else {
    const openingFen = running.balanceFen + running.principalFen;
    accrued = divRound(
      openingFen * terms.rateAnnual.numerator * BigInt(elapsedDays),
      terms.rateAnnual.denominator * yearBasisDays(terms.dayCount),
      terms.rounding,
    );
  }
  return fen(accrued < running.interestFen ? accrued : running.interestFen);
}

/** What the borrower owes on `asOf`, before penalty interest and fees. */
export function outstandingAt(position: LoanPosition): Outstanding {
  const { schedule, paidPeriods, asOf } = position;
  assert(
    paidPeriods >= 0 && paidPeriods <= schedule.installments.length,
    'position: paidPeriods out of range',
  );
  const unpaid = schedule.installments.slice(paidPeriods);
  const overdue = unpaid.filter((row) => row.dueDate <= asOf);
  const running = unpaid.find((row) => row.dueDate > asOf);
  let principal = 0n;
  for (const row of unpaid) principal += row.principalFen;
  let overdueInterest = 0n;
  let overdueFee = 0n;
  for (const row of overdue) {
    overdueInterest += row.interestFen;
    overdueFee += row.feeFen;
  }
  const accruedInterestFen =
    running === undefined ? ZERO_FEN : accruedInterest(schedule, running, asOf);
  return {
    principalFen: fen(principal),
    interestFen: fen(overdueInterest + accruedInterestFen),
    feeFen: fen(overdueFee),
    overdueInstallments: overdue,
    accruedInterestFen,
    runningPeriod: running,
  };
}
