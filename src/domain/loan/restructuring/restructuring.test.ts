import { describe, expect, it } from 'vitest';
import { formatFen } from '../../../contracts/money.js';
import { fen } from '../../money/fen.js';
import { parseRate, type Rate, rate } from '../../money/rate.js';
import { calendarDate } from '../../shared/calendar-date.js';
import { type Debt, debtTotalFen, waive } from './debt.js';
import { extendLoan, reamortize, stopInterestInstallments } from './plans.js';
import { DEFAULT_RESTRUCTURING_POLICY, extensionMonthsMax } from './policy.js';

const rateOf = (text: string): Rate =>
  parseRate(text) ?? { numerator: 0n, denominator: 1n };
const debt: Debt = {
  principalFen: fen(3_000_000n),
  interestFen: fen(120_000n),
  feeFen: fen(5_000n),
  penaltyFen: fen(45_000n),
};
const start = calendarDate('2026-11-20');
const policy = DEFAULT_RESTRUCTURING_POLICY;

describe('waivers', () => {
  it('waives penalty in full and interest within the policy share', () => {
    const result = waive(
      debt,
      {
        penaltyShare: rate(1n, 1n),
        interestShare: rate(3n, 10n),
        feeShare: rate(0n, 1n),
        principalFen: fen(0n),
      },
      policy,
    );
    if (!result.ok) throw new Error(result.error.detail);
    expect(result.value.waived.penaltyFen).toBe(45_000n);
    expect(result.value.waived.interestFen).toBe(36_000n);
    expect(
      debtTotalFen(result.value.after) + debtTotalFen(result.value.waived),
    ).toBe(debtTotalFen(debt));
  });

  it('refuses an interest waiver above the policy maximum', () => {
    const result = waive(
      debt,
      {
        penaltyShare: rate(0n, 1n),
        interestShare: rate(1n, 2n),
        feeShare: rate(0n, 1n),
        principalFen: fen(0n),
      },
      policy,
    );
    expect(result.ok || [result.error.code, result.error.component]).toEqual([
      'restructure.waiver_exceeds_policy',
      'interest',
    ]);
  });

  it('refuses a principal waiver when the policy allows none', () => {
    const result = waive(
      debt,
      {
        penaltyShare: rate(0n, 1n),
        interestShare: rate(0n, 1n),
        feeShare: rate(0n, 1n),
        principalFen: fen(100n),
      },
      policy,
    );
    expect(result.ok || result.error.component).toBe('principal');
  });
});

describe('restructuring plans', () => {
  it('re-amortises the whole debt over up to 60 months (个性化分期)', () => {
    const plan = reamortize(
      {
        debt,
        months: 60,
        startDate: start,
        rounding: 'half_up',
        rateAnnual: rateOf('0.06'),
      },
      policy,
    );
    if (!plan.ok) throw new Error(plan.error.detail);
    expect(plan.value.capitalizedFen).toBe(debtTotalFen(debt));
    expect(plan.value.schedule.installments).toHaveLength(60);
    expect(plan.value.schedule.installments[0]?.dueDate).toBe('2026-12-20');
    expect(plan.value.totalPaidFen).toBe(plan.value.schedule.totalPaidFen);
  });

  it('refuses 61 months of re-amortisation', () => {
    const plan = reamortize(
      {
        debt,
        months: 61,
        startDate: start,
        rounding: 'half_up',
        rateAnnual: rateOf('0.06'),
      },
      policy,
    );
    expect(plan.ok || [plan.error.code, plan.error.monthsMax]).toEqual([
      'restructure.months_exceed_policy',
      60,
    ]);
  });

  it('stops interest and splits the debt into equal parts (停息挂账)', () => {
    const plan = stopInterestInstallments(
      { debt, months: 36, startDate: start, rounding: 'half_up' },
      policy,
    );
    if (!plan.ok) throw new Error(plan.error.detail);
    expect(plan.value.schedule.totalInterestFen).toBe(0n);
    expect(plan.value.totalPaidFen).toBe(debtTotalFen(debt));
    expect(formatFen(plan.value.monthlyPaymentFen)).toBe(
      formatFen(plan.value.schedule.installments[0]?.paymentFen ?? 0n),
    );
  });

  it('extends a 24-month loan by at most half its term (展期)', () => {
    expect(extensionMonthsMax(policy, 24)).toBe(12);
    expect(extensionMonthsMax(policy, 12)).toBe(12);
    expect(extensionMonthsMax(policy, 120)).toBe(36);
    const input = {
      debt,
      startDate: start,
      rounding: 'half_up' as const,
      remainingPeriods: 14,
      originalTermMonths: 24,
      method: 'equal_installment' as const,
      rateAnnual: rateOf('0.0728'),
    };
    const ok = extendLoan({ ...input, months: 26 }, policy);
    if (!ok.ok) throw new Error(ok.error.detail);
    expect(ok.value.capitalizedFen).toBe(debt.principalFen);
    expect(ok.value.dueAtSigningFen).toBe(
      debt.interestFen + debt.feeFen + debt.penaltyFen,
    );
    const tooLong = extendLoan({ ...input, months: 27 }, policy);
    expect(tooLong.ok || tooLong.error.code).toBe(
      'restructure.months_exceed_policy',
    );
  });
});
