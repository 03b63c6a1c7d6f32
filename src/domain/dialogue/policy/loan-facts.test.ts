// Proves the facts are the loan engine's: the payoff of a loan with nothing
// overdue is the remaining principal plus the interest accrued since the
// last due date, the record's overdue amount accrues penalty day by day,
// and every plan repays at least the debt.
import { describe, expect, it } from 'vitest';
import { formatFen } from '../../../contracts/money.js';
import { buildSchedule } from '../../loan/schedule/build-schedule.js';
import { type Fen, fen } from '../../money/fen.js';
import { parseRate } from '../../money/rate.js';
import { calendarDate } from '../../shared/calendar-date.js';
import { loanFacts, overdueFacts, repaymentPlans } from './loan-facts.js';
import type { LoanAccount } from './types.js';

function loan(
  paidPeriods: number,
  overdueDays = 0,
  overdueAmountFen = 0n,
): LoanAccount {
  const rateAnnual = parseRate('0.0728');
  if (rateAnnual === undefined) throw new Error('rate');
  const built = buildSchedule({
    principalFen: fen(5_000_000n),
    rateAnnual,
    termMonths: 24,
    method: 'equal_installment',
    startDate: calendarDate('2026-01-10'),
    dayCount: '30/360',
    rounding: 'half_up',
    paymentMultipleFen: fen(1n),
    interestOnlyPeriods: 0,
    fees: [],
    prepayments: [],
  });
  if (!built.ok) throw new Error('schedule');
  return {
    loanNo: 'L1',
    productNameZh: '个人消费贷',
    schedule: built.value,
    paidPeriods,
    overdueDays,
    overdueAmountFen: overdueAmountFen as Fen,
  };
}

const today = calendarDate('2026-11-20');

describe('loanFacts', () => {
  it('quotes the payoff as remaining principal plus accrued interest', () => {
    const facts = loanFacts(loan(10), today);
    expect(facts.overdue).toBeUndefined();
    expect(facts.payoff?.totalFen).toBe(
      facts.remainingPrincipalFen + (facts.payoff?.accruedInterestFen ?? 0n),
    );
    expect(facts.next?.dueDate).toBe('2026-12-10');
  });

  it('finds installments past due when the record states none', () => {
    const facts = loanFacts(loan(8), today);
    expect(facts.overdue?.amountFen).toBe((facts.next?.paymentFen ?? 0n) * 2n);
    expect(facts.overdue?.penaltyFen).toBeGreaterThan(0n);
  });
});

describe('overdueFacts', () => {
  it('accrues more penalty on the record amount the longer it is overdue', () => {
    const short = overdueFacts(loan(10, 10, 500_000n), today);
    const long = overdueFacts(loan(10, 40, 500_000n), today);
    expect(short?.amountFen).toBe(500_000n);
    expect(long?.penaltyFen).toBeGreaterThan(short?.penaltyFen ?? 0n);
  });
});

describe('repaymentPlans', () => {
  it('offers extension, re-amortisation and stop-interest that repay the debt', () => {
    const plans = repaymentPlans(loan(10), today);
    expect(plans.map((plan) => plan.kind)).toEqual([
      'extension',
      'reamortization',
      'stop_interest',
    ]);
    const payoff = loanFacts(loan(10), today).payoff?.totalFen ?? 0n;
    const stop = plans.find((plan) => plan.kind === 'stop_interest');
    // Stop-interest charges nothing more: it repays exactly the payoff debt.
    expect(stop?.total_paid).toBe(formatFen(payoff));
  });
});
