import { type Fen, fen, ZERO_FEN } from '../../money/fen.js';
import { multiplyRate, type Rate, rate } from '../../money/rate.js';
import { assert } from '../../shared/assert.js';
import { type CalendarDate, daysBetween } from '../../shared/calendar-date.js';
import { OVERDUE_DAYS_MAX, PAYMENTS_MAX } from '../../shared/limits.js';
import { err, ok, type Result } from '../../shared/result.js';
import {
  type AllocationPolicy,
  DEFAULT_ALLOCATION_POLICY,
} from '../allocation/allocation-policy.js';
import {
  installmentDueFen,
  type LoanBalance,
  type LoanBalanceError,
  totalDueFen,
  validateLoanBalance,
} from '../allocation/loan-balance.js';
import type { Installment } from '../schedule/types.js';
import {
  advanceDelinquency,
  applyPaymentToDelinquency,
  type DelinquencyState,
  openDelinquency,
  type PenaltyTerms,
} from './accrual.js';
import {
  type ClassificationPolicy,
  classifyLoan,
  DEFAULT_CLASSIFICATION_POLICY,
  type DelinquencyBucket,
  daysPastDue,
  delinquencyBucket,
  type LoanClassification,
} from './classification.js';
import {
  assertPenaltyPolicy,
  DEFAULT_PENALTY_POLICY,
  type PenaltyPolicy,
} from './penalty-policy.js';

/** What an installment asks for: any schedule `Installment` fits. */
export type InstallmentDue = Pick<
  Installment,
  'n' | 'dueDate' | 'principalFen' | 'interestFen' | 'feeFen'
>;

/** A payment received on a date. */
export type Payment = {
  readonly date: CalendarDate;
  readonly amountFen: Fen;
};

export type PenaltyToDateInput = PenaltyTerms & {
  readonly installments: readonly InstallmentDue[];
  readonly payments: readonly Payment[];
  readonly asOf: CalendarDate;
};

/** Everything one needs to say about an overdue loan on a date. */
export type PenaltyPolicies = {
  readonly penalty: PenaltyPolicy;
  readonly allocation: AllocationPolicy;
  readonly classification: ClassificationPolicy;
};

export const DEFAULT_PENALTY_POLICIES: PenaltyPolicies = {
  penalty: DEFAULT_PENALTY_POLICY,
  allocation: DEFAULT_ALLOCATION_POLICY,
  classification: DEFAULT_CLASSIFICATION_POLICY,
};

export type InstallmentPenalty = {
  readonly n: number;
  readonly dueDate: CalendarDate;
  readonly overdueDays: number;
  /** Penalty interest (罚息) accrued since the due date, paid or not. */
  readonly penaltyInterestFen: Fen;
  /** Compound interest (复利) accrued on overdue interest, paid or not. */
  readonly compoundInterestFen: Fen;
  readonly lateFeeFen: Fen;
  readonly inGrace: boolean;
};

export type PenaltyReport = {
  readonly asOf: CalendarDate;
  readonly overdueDays: number;
  readonly bucket: DelinquencyBucket;
  readonly classification: LoanClassification;
  /** Contract rate × multiple / days in the year, exact. */
  readonly penaltyRateDaily: Rate;
  readonly penaltyInterestFen: Fen;
  readonly compoundInterestFen: Fen;
  readonly lateFeeFen: Fen;
  /** Still owed on installments now past due, per component. */
  readonly overduePrincipalFen: Fen;
  readonly overdueInterestFen: Fen;
  readonly overdueFeeFen: Fen;
  readonly overduePenaltyFen: Fen;
  /** Everything owed on the loan, past due or not. */
  readonly totalDueFen: Fen;
  /** Money received beyond what has fallen due, held for later installments. */
  readonly creditFen: Fen;
  readonly installments: readonly InstallmentPenalty[];
  /** The state reached: the end-of-day batch continues from it. */
  readonly state: DelinquencyState;
};

export type PenaltyError =
  | LoanBalanceError
  | {
      readonly code: 'penalty.too_many_payments';
      readonly payments: number;
      readonly paymentsMax: number;
    }
  | { readonly code: 'penalty.payment_not_positive'; readonly index: number }
  | { readonly code: 'penalty.payment_after_as_of'; readonly index: number }
  | {
      readonly code: 'penalty.overdue_days_out_of_range';
      readonly overdueDays: number;
      readonly overdueDaysMax: number;
    };

/**
 * Penalty, days past due, bucket and classification of a loan on `asOf`,
 * replaying its installments and the payments made so far (payments dated
 * `asOf` count; accrual covers every day before `asOf`).
 *
 * @example
 * const report = penaltyToDate(
 *   { installments, payments, asOf: calendarDate('2026-03-16'), rateAnnual },
 *   DEFAULT_PENALTY_POLICIES,
 * );
 */
export function penaltyToDate(
  input: PenaltyToDateInput,
  policies: PenaltyPolicies,
): Result<PenaltyReport, PenaltyError> {
  assertPenaltyPolicy(policies.penalty);
  const balance: LoanBalance = {
    installments: input.installments.map((installment) => ({
      n: installment.n,
      dueDate: installment.dueDate,
      principalFen: installment.principalFen,
      interestFen: installment.interestFen,
      feeFen: installment.feeFen,
      penaltyFen: ZERO_FEN,
    })),
  };
  const checked = validateInput(balance, input);
  if (!checked.ok) return checked;
  // After this point, the calculation must succeed.
  const payments = [...input.payments].sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : 0,
  );
  const firstDue = balance.installments[0]?.dueDate;
  assert(firstDue !== undefined, 'validated balance has installments');
  // Nothing accrues before the first due date or the first payment.
  const openedOn = [firstDue, payments[0]?.date ?? input.asOf, input.asOf]
    .sort()
    .at(0);
  assert(openedOn !== undefined, 'three dates sorted');
  let state = openDelinquency(balance, openedOn);
  for (const payment of payments) {
    state = advanceDelinquency(
      state,
      payment.date,
      input,
      policies.penalty,
      policies.allocation,
    );
    state = applyPaymentToDelinquency(
      state,
      payment.amountFen,
      policies.allocation,
    );
  }
  state = advanceDelinquency(
    state,
    input.asOf,
    input,
    policies.penalty,
    policies.allocation,
  );
  return ok(reportFor(state, input, policies));
}

function validateInput(
  balance: LoanBalance,
  input: PenaltyToDateInput,
): Result<LoanBalance, PenaltyError> {
  const checked = validateLoanBalance(balance);
  if (!checked.ok) return checked;
  if (input.payments.length > PAYMENTS_MAX) {
    return err({
      code: 'penalty.too_many_payments',
      payments: input.payments.length,
      paymentsMax: PAYMENTS_MAX,
    });
  }
  for (const [index, payment] of input.payments.entries()) {
    if (payment.amountFen <= 0n) {
      return err({ code: 'penalty.payment_not_positive', index });
    }
    if (payment.date > input.asOf) {
      return err({ code: 'penalty.payment_after_as_of', index });
    }
  }
  const firstDue = balance.installments[0]?.dueDate;
  assert(firstDue !== undefined, 'validated balance has installments');
  const overdueDays = daysBetween(firstDue, input.asOf);
  if (overdueDays > OVERDUE_DAYS_MAX) {
    return err({
      code: 'penalty.overdue_days_out_of_range',
      overdueDays,
      overdueDaysMax: OVERDUE_DAYS_MAX,
    });
  }
  return ok(balance);
}

function reportFor(
  state: DelinquencyState,
  input: PenaltyToDateInput,
  policies: PenaltyPolicies,
): PenaltyReport {
  const asOf = input.asOf;
  const overdueDays = daysPastDue(state.balance, asOf);
  const installments = state.balance.installments.map((installment, index) => {
    const accrual = state.accruals[index];
    assert(accrual !== undefined, 'accrual per installment');
    const single: LoanBalance = { installments: [installment] };
    return {
      n: installment.n,
      dueDate: installment.dueDate,
      overdueDays: daysPastDue(single, asOf),
      penaltyInterestFen: accrual.penaltyInterestFen,
      compoundInterestFen: accrual.compoundInterestFen,
      lateFeeFen: accrual.lateFeeFen,
      inGrace:
        accrual.grace === 'pending' &&
        installment.dueDate < asOf &&
        installmentDueFen(installment) > 0n,
    };
  });
  const pastDue = state.balance.installments.filter((i) => i.dueDate < asOf);
  const sum = (pick: (i: (typeof pastDue)[number]) => Fen) =>
    fen(pastDue.reduce((total, i) => total + pick(i), 0n));
  const sumAccrued = (pick: (i: InstallmentPenalty) => Fen) =>
    fen(installments.reduce((total, i) => total + pick(i), 0n));
  return {
    asOf,
    overdueDays,
    bucket: delinquencyBucket(overdueDays),
    classification: classifyLoan(overdueDays, policies.classification),
    penaltyRateDaily: penaltyRateDaily(input, policies.penalty),
    penaltyInterestFen: sumAccrued((i) => i.penaltyInterestFen),
    compoundInterestFen: sumAccrued((i) => i.compoundInterestFen),
    lateFeeFen: sumAccrued((i) => i.lateFeeFen),
    overduePrincipalFen: sum((i) => i.principalFen),
    overdueInterestFen: sum((i) => i.interestFen),
    overdueFeeFen: sum((i) => i.feeFen),
    overduePenaltyFen: sum((i) => i.penaltyFen),
    totalDueFen: totalDueFen(state.balance),
    creditFen: state.creditFen,
    installments,
    state,
  };
}

/** The daily penalty rate: contract rate × multiple / days in the year. */
export function penaltyRateDaily(
  terms: PenaltyTerms,
  policy: PenaltyPolicy,
): Rate {
  return multiplyRate(
    multiplyRate(terms.rateAnnual, policy.penaltyMultiple),
    rate(1n, BigInt(policy.daysInYear)),
  );
}
