import { type Fen, fen, ZERO_FEN } from '../../money/fen.js';
import type { Rate } from '../../money/rate.js';
import { divRound } from '../../money/rounding.js';
import { assert } from '../../shared/assert.js';
import { type CalendarDate, toDayNumber } from '../../shared/calendar-date.js';
import { allocatePayment } from '../allocation/allocate-payment.js';
import type { AllocationPolicy } from '../allocation/allocation-policy.js';
import {
  type InstallmentBalance,
  type LoanBalance,
  totalDueFen,
} from '../allocation/loan-balance.js';
import type { PenaltyPolicy } from './penalty-policy.js';

// Penalty accrual as a state machine over a LoanBalance, so that a one-off
// "penalty to a date" and the end-of-day batch run the same code: advance
// the state to a date, apply the payments of that date, repeat. The state
// only moves forward: a payment booked late with an earlier value date needs
// a replay from the installments (penaltyToDate), not a step back.
//
// Exactness: for each installment we add up overdue amount × days in fen·days
// (an integer), and the posted penalty is always
// round(fen·days × contract rate × multiple / days-in-year), recomputed from
// the exact total each time. Posting the difference to what was posted
// before means the penalty is rounded once, on the total, however often the
// state is advanced (no rounding drift across days or payments).

/** Where an installment stands with respect to its grace days. */
export type GraceStatus = 'pending' | 'lapsed' | 'forgiven';

/** The exact penalty bookkeeping of one installment. */
export type InstallmentAccrual = {
  readonly n: number;
  /** Σ overdue principal × days, in fen·days. */
  readonly principalFenDays: bigint;
  /** Σ overdue interest × days, in fen·days (for compound interest). */
  readonly interestFenDays: bigint;
  /** Penalty interest (罚息) posted to the balance so far. */
  readonly penaltyInterestFen: Fen;
  /** Compound interest (复利) posted to the balance so far. */
  readonly compoundInterestFen: Fen;
  /** Late fee (违约金) charged to the balance. */
  readonly lateFeeFen: Fen;
  readonly grace: GraceStatus;
};

/**
 * A loan's delinquency state: its balance, the penalty bookkeeping per
 * installment, and money received but not yet owed (credit).
 */
export type DelinquencyState = {
  /** Accrual has been counted for every day before this date. */
  readonly accruedThrough: CalendarDate;
  readonly balance: LoanBalance;
  /** Same order and length as `balance.installments`. */
  readonly accruals: readonly InstallmentAccrual[];
  /** Paid but not yet due: applied as installments fall due. */
  readonly creditFen: Fen;
};

/** The contract facts penalty depends on. */
export type PenaltyTerms = {
  readonly rateAnnual: Rate;
};

export function openDelinquency(
  balance: LoanBalance,
  openedOn: CalendarDate,
): DelinquencyState {
  return {
    accruedThrough: openedOn,
    balance,
    accruals: balance.installments.map((installment) => ({
      n: installment.n,
      principalFenDays: 0n,
      interestFenDays: 0n,
      penaltyInterestFen: ZERO_FEN,
      compoundInterestFen: ZERO_FEN,
      lateFeeFen: ZERO_FEN,
      grace: 'pending',
    })),
    creditFen: ZERO_FEN,
  };
}

/**
 * Advances the state to the start of `to`: counts the overdue days before
 * it, settles grace periods that ended, posts penalty and late fees, and
 * applies held credit to installments as they fall due.
 */
export function advanceDelinquency(
  state: DelinquencyState,
  to: CalendarDate,
  terms: PenaltyTerms,
  penaltyPolicy: PenaltyPolicy,
  allocationPolicy: AllocationPolicy,
): DelinquencyState {
  assert(to >= state.accruedThrough, 'advanceDelinquency: going backwards');
  let current = state;
  // Credit pays an installment on its due date, before it can accrue.
  for (const installment of state.balance.installments) {
    if (current.creditFen === 0n) break;
    const dueDate = installment.dueDate;
    if (dueDate <= current.accruedThrough || dueDate > to) continue;
    current = advanceLinear(current, dueDate, terms, penaltyPolicy);
    current = applyCredit(current, allocationPolicy);
  }
  return advanceLinear(current, to, terms, penaltyPolicy);
}

/**
 * Applies a payment received on the state's date: the money (plus any held
 * credit) pays the installments due by that date through the waterfall; the
 * rest is held as credit for installments not yet due.
 */
export function applyPaymentToDelinquency(
  state: DelinquencyState,
  paymentFen: Fen,
  allocationPolicy: AllocationPolicy,
): DelinquencyState {
  assert(paymentFen > 0n, 'applyPaymentToDelinquency: payment ≤ 0');
  const withCredit = { ...state, creditFen: fen(state.creditFen + paymentFen) };
  return applyCredit(withCredit, allocationPolicy);
}

function applyCredit(
  state: DelinquencyState,
  policy: AllocationPolicy,
): DelinquencyState {
  const date = state.accruedThrough;
  const installments = state.balance.installments;
  const dueCount = installments.filter((i) => i.dueDate <= date).length;
  const due: LoanBalance = { installments: installments.slice(0, dueCount) };
  if (state.creditFen === 0n || dueCount === 0 || totalDueFen(due) === 0n) {
    return state;
  }
  const result = allocatePayment(due, state.creditFen, policy);
  assert(result.ok, 'applyCredit: allocation refused a valid balance');
  return {
    ...state,
    balance: {
      installments: [
        ...result.value.balance.installments,
        ...installments.slice(dueCount),
      ],
    },
    creditFen: result.value.remainderFen,
  };
}

// Accrual over [accruedThrough, to) with no payment in between, then grace
// settlement and posting at `to`. Dates are compared as day numbers.
function advanceLinear(
  state: DelinquencyState,
  to: CalendarDate,
  terms: PenaltyTerms,
  policy: PenaltyPolicy,
): DelinquencyState {
  const span = {
    fromDay: toDayNumber(state.accruedThrough),
    toDay: toDayNumber(to),
  };
  const installments: InstallmentBalance[] = [];
  const accruals: InstallmentAccrual[] = [];
  state.balance.installments.forEach((installment, index) => {
    const accrual = state.accruals[index];
    assert(accrual?.n === installment.n, 'accruals out of step with balance');
    if (isDormant(installment, accrual, to)) {
      installments.push(installment);
      accruals.push(accrual);
      return;
    }
    const dueDay = toDayNumber(installment.dueDate);
    const counted = countDays(installment, accrual, dueDay, span, policy);
    const settled = settleGrace(
      installment,
      counted,
      dueDay,
      span.toDay,
      policy,
    );
    const posted = postPenalty(
      settled.installment,
      settled.accrual,
      terms,
      policy,
    );
    installments.push(posted.installment);
    accruals.push(posted.accrual);
  });
  return { ...state, accruedThrough: to, balance: { installments }, accruals };
}

// Nothing can change for an installment not yet due by `to` (it neither
// accrues nor reaches the end of its grace), nor for one whose grace is
// settled and that owes no principal or interest to accrue on.
function isDormant(
  installment: InstallmentBalance,
  accrual: InstallmentAccrual,
  to: CalendarDate,
): boolean {
  if (installment.dueDate >= to) return true;
  return (
    accrual.grace !== 'pending' &&
    installment.principalFen === 0n &&
    installment.interestFen === 0n
  );
}

function countDays(
  installment: InstallmentBalance,
  accrual: InstallmentAccrual,
  dueDay: number,
  span: { readonly fromDay: number; readonly toDay: number },
  policy: PenaltyPolicy,
): InstallmentAccrual {
  if (accrual.grace === 'forgiven') return accrual;
  const offsetDays =
    policy.graceStart === 'from_grace_end' ? policy.graceDays : 0;
  const beginDay = Math.max(dueDay + offsetDays, span.fromDay);
  if (beginDay >= span.toDay) return accrual;
  const days = BigInt(span.toDay - beginDay);
  return {
    ...accrual,
    principalFenDays:
      accrual.principalFenDays + installment.principalFen * days,
    interestFenDays: policy.compoundOverdueInterest
      ? accrual.interestFenDays + installment.interestFen * days
      : accrual.interestFenDays,
  };
}

// An installment's grace ends at the start of dueDate + graceDays + 1. If it
// owes nothing by then (principal, interest, fees), the grace forgives what
// accrued; otherwise penalty becomes chargeable and the late fee is charged.
function settleGrace(
  installment: InstallmentBalance,
  accrual: InstallmentAccrual,
  dueDay: number,
  toDay: number,
  policy: PenaltyPolicy,
): { installment: InstallmentBalance; accrual: InstallmentAccrual } {
  if (accrual.grace !== 'pending') return { installment, accrual };
  if (dueDay + policy.graceDays + 1 > toDay) return { installment, accrual };
  const owedFen =
    installment.principalFen + installment.interestFen + installment.feeFen;
  if (owedFen === 0n) {
    return {
      installment,
      accrual: {
        ...accrual,
        principalFenDays: 0n,
        interestFenDays: 0n,
        grace: 'forgiven',
      },
    };
  }
  const lateFeeFen = lateFeeFor(installment, policy);
  return {
    installment: {
      ...installment,
      feeFen: fen(installment.feeFen + lateFeeFen),
    },
    accrual: { ...accrual, lateFeeFen, grace: 'lapsed' },
  };
}

function lateFeeFor(
  installment: InstallmentBalance,
  policy: PenaltyPolicy,
): Fen {
  const lateFee = policy.lateFee;
  switch (lateFee.kind) {
    case 'none':
      return ZERO_FEN;
    case 'fixed':
      return lateFee.amountFen;
    case 'share_of_installment': {
      const owedFen =
        installment.principalFen + installment.interestFen + installment.feeFen;
      return fen(
        divRound(
          owedFen * lateFee.share.numerator,
          lateFee.share.denominator,
          policy.rounding,
        ),
      );
    }
  }
}

function postPenalty(
  installment: InstallmentBalance,
  accrual: InstallmentAccrual,
  terms: PenaltyTerms,
  policy: PenaltyPolicy,
): { installment: InstallmentBalance; accrual: InstallmentAccrual } {
  if (accrual.grace !== 'lapsed') return { installment, accrual };
  const penaltyInterestFen = penaltyForFenDays(
    accrual.principalFenDays,
    terms,
    policy,
  );
  const compoundInterestFen = penaltyForFenDays(
    accrual.interestFenDays,
    terms,
    policy,
  );
  const deltaFen =
    penaltyInterestFen -
    accrual.penaltyInterestFen +
    (compoundInterestFen - accrual.compoundInterestFen);
  assert(deltaFen >= 0n, 'postPenalty: posted penalty would shrink');
  return {
    installment: {
      ...installment,
      penaltyFen: fen(installment.penaltyFen + deltaFen),
    },
    accrual: { ...accrual, penaltyInterestFen, compoundInterestFen },
  };
}

/**
 * Penalty on an exact sum of fen·days: fen·days × rate × multiple / days in
 * the year, divided last and rounded once by the policy's rounding.
 *
 * @example
 * // 10000.00 yuan overdue 30 days at 4.9 % × 1.5 / 360 → 6125n (61.25 yuan)
 */
export function penaltyForFenDays(
  fenDays: bigint,
  terms: PenaltyTerms,
  policy: PenaltyPolicy,
): Fen {
  assert(fenDays >= 0n, 'penaltyForFenDays: negative fen·days');
  const rateAnnual = terms.rateAnnual;
  const multiple = policy.penaltyMultiple;
  return fen(
    divRound(
      fenDays * rateAnnual.numerator * multiple.numerator,
      rateAnnual.denominator * multiple.denominator * BigInt(policy.daysInYear),
      policy.rounding,
    ),
  );
}
