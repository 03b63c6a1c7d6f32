import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFen } from '../../../contracts/money.js';
import { fen } from '../../money/fen.js';
import { parseRate, type Rate } from '../../money/rate.js';
import { addDays, calendarDate } from '../../shared/calendar-date.js';
import { buildSchedule } from '../schedule/build-schedule.js';
import type { LoanTerms, Schedule } from '../schedule/types.js';
import { prepayPartially } from './partial-prepayment.js';
import { payoffQuote } from './payoff.js';
import { outstandingAt } from './position.js';
import {
  NO_PREPAYMENT_FEE,
  type PrepaymentFeePolicy,
} from './prepayment-fee.js';

const rateOf = (text: string): Rate =>
  parseRate(text) ?? { numerator: 0n, denominator: 1n };

function schedule(overrides: Partial<LoanTerms> = {}): Schedule {
  const built = buildSchedule({
    principalFen: fen(10_000_000n),
    rateAnnual: rateOf('0.0728'),
    termMonths: 24,
    method: 'equal_installment',
    startDate: calendarDate('2026-01-10'),
    dayCount: '30/360',
    rounding: 'half_up',
    paymentMultipleFen: fen(1n),
    interestOnlyPeriods: 0,
    fees: [],
    prepayments: [],
    ...overrides,
  });
  if (!built.ok) throw new Error(built.error.detail);
  return built.value;
}

describe('payoff quote', () => {
  it('charges the remaining principal plus interest accrued by day since the last due date', () => {
    const s = schedule();
    // 10 installments paid; 2026-11-10 was the 10th due date; 2026-11-20 is 10 days later.
    const quote = payoffQuote(
      { schedule: s, paidPeriods: 10, asOf: calendarDate('2026-11-20') },
      { feePolicy: NO_PREPAYMENT_FEE },
    );
    if (!quote.ok) throw new Error(quote.error.detail);
    const balance = s.installments[9]?.balanceFen ?? 0n;
    expect(quote.value.principalFen).toBe(balance);
    // balance × 0.0728 × 10 / 360, rounded half-up.
    const expected =
      (balance * 728n * 10n * 2n + 10000n * 360n) / (2n * 10000n * 360n);
    expect(quote.value.accruedInterestFen).toBe(expected);
    expect(quote.value.totalFen).toBe(balance + expected);
  });

  it('includes overdue installments in full', () => {
    const s = schedule();
    const quote = payoffQuote(
      { schedule: s, paidPeriods: 8, asOf: calendarDate('2026-11-20') },
      { feePolicy: NO_PREPAYMENT_FEE, penaltyFen: fen(1234n) },
    );
    if (!quote.ok) throw new Error(quote.error.detail);
    const overdueInterest =
      (s.installments[8]?.interestFen ?? 0n) +
      (s.installments[9]?.interestFen ?? 0n);
    expect(quote.value.interestFen).toBe(
      overdueInterest + quote.value.accruedInterestFen,
    );
    expect(quote.value.principalFen).toBe(s.installments[7]?.balanceFen);
    expect(quote.value.penaltyFen).toBe(1234n);
  });

  it('charges the contract early-repayment fee only within its period', () => {
    const policy: PrepaymentFeePolicy = {
      kind: 'share_of_prepaid',
      shareOfPrincipal: rateOf('0.02'),
      freeAfterDays: 365,
    };
    const s = schedule();
    const early = payoffQuote(
      { schedule: s, paidPeriods: 6, asOf: calendarDate('2026-07-10') },
      { feePolicy: policy },
    );
    const late = payoffQuote(
      { schedule: s, paidPeriods: 13, asOf: calendarDate('2027-02-10') },
      { feePolicy: policy },
    );
    expect(early.ok && formatFen(early.value.prepaymentFeeFen)).toBe(
      formatFen(((s.installments[5]?.balanceFen ?? 0n) * 2n + 50n) / 100n),
    );
    expect(late.ok && late.value.prepaymentFeeFen).toBe(0n);
  });

  it('refuses a date before the loan starts', () => {
    const quote = payoffQuote(
      {
        schedule: schedule(),
        paidPeriods: 0,
        asOf: calendarDate('2025-12-31'),
      },
      { feePolicy: NO_PREPAYMENT_FEE },
    );
    expect(quote.ok || quote.error.code).toBe('payoff.as_of_before_start');
  });

  it('equals remaining principal + accrued interest + fees on any date', () => {
    const s = schedule({
      fees: [{ kind: 'monthly_amount', amountFen: fen(500n) }],
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 24 }),
        fc.integer({ min: 0, max: 760 }),
        (paid, day) => {
          const asOf = addDays(s.terms.startDate, day);
          const quote = payoffQuote(
            { schedule: s, paidPeriods: paid, asOf },
            { feePolicy: NO_PREPAYMENT_FEE },
          );
          if (paid === 24) return !quote.ok;
          if (!quote.ok) return false;
          const o = outstandingAt({ schedule: s, paidPeriods: paid, asOf });
          const remaining = s.installments
            .slice(paid)
            .reduce((sum, row) => sum + row.principalFen, 0n);
          return (
            quote.value.principalFen === remaining &&
            quote.value.totalFen === remaining + o.interestFen + o.feeFen &&
            o.accruedInterestFen >= 0n
          );
        },
      ),
    );
  });
});

describe('partial prepayment', () => {
  it('lowers the installment and saves interest when keeping the term', () => {
    const s = schedule();
    const result = prepayPartially(
      { schedule: s, paidPeriods: 10, asOf: calendarDate('2026-11-10') },
      {
        amountFen: fen(2_000_000n),
        mode: 'reduce_payment',
        feePolicy: NO_PREPAYMENT_FEE,
      },
    );
    if (!result.ok) throw new Error(result.error.detail);
    expect(result.value.newPaymentFen).toBeLessThan(s.paymentFen ?? 0n);
    expect(result.value.periodsLeft).toBe(14);
    expect(result.value.interestSavedFen).toBeGreaterThan(0n);
    expect(result.value.interestDueNowFen).toBe(0n);
  });

  it('keeps the installment and shortens the term', () => {
    const s = schedule();
    const result = prepayPartially(
      { schedule: s, paidPeriods: 10, asOf: calendarDate('2026-11-15') },
      {
        amountFen: fen(2_000_000n),
        mode: 'reduce_term',
        feePolicy: NO_PREPAYMENT_FEE,
      },
    );
    if (!result.ok) throw new Error(result.error.detail);
    expect(result.value.periodsLeft).toBeLessThan(14);
    expect(result.value.newPaymentFen).toBe(s.paymentFen);
    // Five days of interest on the prepaid 20,000: 20000 × 0.0728 × 5 / 360 = 20.22.
    expect(formatFen(result.value.interestDueNowFen)).toBe('20.22');
  });

  it('refuses while installments are overdue', () => {
    const result = prepayPartially(
      {
        schedule: schedule(),
        paidPeriods: 8,
        asOf: calendarDate('2026-11-15'),
      },
      {
        amountFen: fen(100_000n),
        mode: 'reduce_term',
        feePolicy: NO_PREPAYMENT_FEE,
      },
    );
    expect(result.ok || result.error.code).toBe('prepayment.loan_overdue');
  });
});
