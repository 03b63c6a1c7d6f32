// The numbers the bot may say about a customer's loan, every one computed by
// the loan engine from the ledger record: next installment, remaining
// principal, payoff today, overdue amount and penalty so far, the APR and the
// restructuring plans. The bot never invents or rounds a figure itself.
import { formatFen } from '../../../contracts/money.js';
import { computeApr, isContractRateApr } from '../../loan/apr.js';
import { penaltyOnOverdueAmount } from '../../loan/delinquency/overdue-amount.js';
import {
  DEFAULT_PENALTY_POLICIES,
  penaltyToDate,
} from '../../loan/delinquency/penalty-to-date.js';
import {
  type PayoffQuote,
  payoffQuote,
} from '../../loan/early-repayment/payoff.js';
import {
  type LoanPosition,
  outstandingAt,
} from '../../loan/early-repayment/position.js';
import { NO_PREPAYMENT_FEE } from '../../loan/early-repayment/prepayment-fee.js';
import type { Debt } from '../../loan/restructuring/debt.js';
import {
  extendLoan,
  type RestructuringPlan,
  reamortize,
  stopInterestInstallments,
} from '../../loan/restructuring/plans.js';
import {
  DEFAULT_RESTRUCTURING_POLICY,
  extensionMonthsMax,
} from '../../loan/restructuring/policy.js';
import type { Installment, Schedule } from '../../loan/schedule/types.js';
import { type Fen, fen, ZERO_FEN } from '../../money/fen.js';
import type { Rate } from '../../money/rate.js';
import { addDays, type CalendarDate } from '../../shared/calendar-date.js';
import { REAMORTIZATION_MONTHS_MAX } from '../../shared/limits.js';
import type { LoanAccount, PlanSummary } from './types.js';

export type OverdueFacts = {
  readonly amountFen: Fen;
  readonly penaltyFen: Fen;
  readonly days: number;
};

export type LoanFacts = {
  readonly loanNo: string;
  readonly productNameZh: string;
  /** The first unpaid installment due today or later. */
  readonly next: Installment | undefined;
  readonly remainingPrincipalFen: Fen;
  readonly overdue: OverdueFacts | undefined;
  /** Settling in full today; undefined when nothing is owed. */
  readonly payoff: PayoffQuote | undefined;
};

/**
 * The annualised rate (年化利率, DIS-01) of a schedule, as `computeApr`
 * defines it. When the loan engine's own rule says the APR is the contract
 * rate (no fees, declining balance), the IRR is not solved: same answer, and
 * the solver is the dearest step of a turn.
 */
export function annualisedRate(schedule: Schedule): Rate {
  if (isContractRateApr(schedule)) return schedule.terms.rateAnnual;
  return computeApr(schedule)?.aprNominal ?? schedule.terms.rateAnnual;
}

function positionOf(loan: LoanAccount, today: CalendarDate): LoanPosition {
  return {
    schedule: loan.schedule,
    paidPeriods: loan.paidPeriods,
    asOf: today,
  };
}

/**
 * Overdue amount and penalty so far. The record's overdue amount is the
 * ledger's word when it states one (penalty accrues on it from the day it
 * fell due); otherwise the schedule's installments past their due dates are
 * replayed by the delinquency module.
 */
export function overdueFacts(
  loan: LoanAccount,
  today: CalendarDate,
): OverdueFacts | undefined {
  const rateAnnual = loan.schedule.terms.rateAnnual;
  if (loan.overdueAmountFen > 0n && loan.overdueDays > 0) {
    const report = penaltyOnOverdueAmount(
      {
        rateAnnual,
        overduePrincipalFen: loan.overdueAmountFen,
        overdueInterestFen: ZERO_FEN,
        dueDate: addDays(today, -loan.overdueDays),
        asOf: today,
      },
      DEFAULT_PENALTY_POLICIES,
    );
    const penaltyFen = report.ok
      ? fen(
          report.value.penaltyInterestFen +
            report.value.compoundInterestFen +
            report.value.lateFeeFen,
        )
      : ZERO_FEN;
    return {
      amountFen: loan.overdueAmountFen,
      penaltyFen,
      days: loan.overdueDays,
    };
  }
  const pastDue = loan.schedule.installments
    .slice(loan.paidPeriods)
    .filter((row) => row.dueDate < today);
  const first = pastDue[0];
  if (first === undefined) return undefined;
  const report = penaltyToDate(
    { rateAnnual, installments: pastDue, payments: [], asOf: today },
    DEFAULT_PENALTY_POLICIES,
  );
  let amount = 0n;
  for (const row of pastDue) amount += row.paymentFen;
  const penaltyFen = report.ok
    ? fen(
        report.value.penaltyInterestFen +
          report.value.compoundInterestFen +
          report.value.lateFeeFen,
      )
    : ZERO_FEN;
  const days = report.ok ? report.value.overdueDays : 0;
  return { amountFen: fen(amount), penaltyFen, days };
}

export function loanFacts(loan: LoanAccount, today: CalendarDate): LoanFacts {
  const position = positionOf(loan, today);
  const outstanding = outstandingAt(position);
  const overdue = overdueFacts(loan, today);
  const quote = payoffQuote(position, {
    feePolicy: loan.prepaymentFeePolicy ?? NO_PREPAYMENT_FEE,
    penaltyFen: overdue?.penaltyFen ?? ZERO_FEN,
  });
  return {
    loanNo: loan.loanNo,
    productNameZh: loan.productNameZh,
    next: loan.schedule.installments
      .slice(loan.paidPeriods)
      .find((row) => row.dueDate >= today),
    remainingPrincipalFen: outstanding.principalFen,
    overdue,
    payoff: quote.ok ? quote.value : undefined,
  };
}

/** Every amount the facts state, for the compliance engine's grounding. */
export function factAmountsFen(facts: LoanFacts): Fen[] {
  const amounts: Fen[] = [facts.remainingPrincipalFen];
  if (facts.next !== undefined) amounts.push(facts.next.paymentFen);
  if (facts.overdue !== undefined)
    amounts.push(facts.overdue.amountFen, facts.overdue.penaltyFen);
  if (facts.payoff !== undefined) amounts.push(facts.payoff.totalFen);
  return amounts;
}

/**
 * What the customer owes today by component, the balance a restructuring
 * starts from: unpaid principal, overdue and accrued interest, overdue fees
 * and the penalty so far.
 */
export function debtOf(loan: LoanAccount, today: CalendarDate): Debt {
  const outstanding = outstandingAt(positionOf(loan, today));
  return {
    principalFen: outstanding.principalFen,
    interestFen: outstanding.interestFen,
    feeFen: outstanding.feeFen,
    penaltyFen: overdueFacts(loan, today)?.penaltyFen ?? ZERO_FEN,
  };
}

/** Months the bot proposes for each plan kind (docs/dialogue.md). */
export const PLAN_EXTRA_MONTHS = 12;

function summarize(plan: RestructuringPlan): PlanSummary {
  return {
    kind: plan.kind,
    months: plan.months,
    due_at_signing: formatFen(plan.dueAtSigningFen),
    first_payment: formatFen(plan.firstPaymentFen),
    monthly_payment: formatFen(plan.monthlyPaymentFen),
    total_paid: formatFen(plan.totalPaidFen),
  };
}

/**
 * Negotiation options for a customer in difficulty, as the loan engine
 * would schedule them on signing today: an extension by up to 12 months,
 * and re-amortisation and stop-interest over the remaining periods plus 12
 * (at most 60, INT-06). Each still needs approval.
 */
export function repaymentPlans(
  loan: LoanAccount,
  today: CalendarDate,
): PlanSummary[] {
  const terms = loan.schedule.terms;
  const debt = debtOf(loan, today);
  const remainingPeriods = loan.schedule.installments.length - loan.paidPeriods;
  const policy = DEFAULT_RESTRUCTURING_POLICY;
  const common = { debt, startDate: today, rounding: terms.rounding };
  const longMonths = Math.min(
    REAMORTIZATION_MONTHS_MAX,
    remainingPeriods + PLAN_EXTRA_MONTHS,
  );
  const extraMonths = Math.min(
    PLAN_EXTRA_MONTHS,
    extensionMonthsMax(policy, terms.termMonths),
  );
  const results = [
    extendLoan(
      {
        ...common,
        months: remainingPeriods + extraMonths,
        remainingPeriods,
        originalTermMonths: terms.termMonths,
        method: terms.method,
        rateAnnual: terms.rateAnnual,
      },
      policy,
    ),
    reamortize(
      { ...common, months: longMonths, rateAnnual: terms.rateAnnual },
      policy,
    ),
    stopInterestInstallments({ ...common, months: longMonths }, policy),
  ];
  const plans: PlanSummary[] = [];
  for (const result of results)
    if (result.ok) plans.push(summarize(result.value));
  return plans;
}
