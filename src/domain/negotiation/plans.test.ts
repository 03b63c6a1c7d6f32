import { describe, expect, it } from 'vitest';
import { reamortize } from '../loan/restructuring/plans.js';
import { DEFAULT_RESTRUCTURING_POLICY } from '../loan/restructuring/policy.js';
import { fen } from '../money/fen.js';
import { compareRate, rate } from '../money/rate.js';
import { calendarDate } from '../shared/calendar-date.js';
import {
  completionLikelihood,
  recoveryValue,
  shareOfDisposable,
} from './likelihood.js';
import {
  buildPlan,
  DEFAULT_NEGOTIATION_POLICY,
  type NegotiationCase,
  negotiate,
} from './plans.js';

const CASE: NegotiationCase = {
  debt: {
    principalFen: fen(3_000_000n),
    interestFen: fen(120_000n),
    feeFen: fen(0n),
    penaltyFen: fen(45_000n),
  },
  loan: {
    rateAnnual: rate(72n, 1000n),
    method: 'equal_installment',
    originalTermMonths: 24,
    remainingPeriods: 12,
    rounding: 'half_up',
  },
  monthlyIncomeFen: fen(800_000n),
  monthlyExpensesFen: fen(500_000n),
  today: calendarDate('2026-11-20'),
};
const NONE = rate(0n, 1n);

describe('completion likelihood', () => {
  it('is 95 % up to 30 % of disposable income, 20 % at 100 %, and 20 %/share² beyond', () => {
    expect(completionLikelihood(rate(3n, 10n))).toEqual(rate(19n, 20n));
    expect(completionLikelihood(rate(1n, 1n))).toEqual(rate(1n, 5n));
    expect(completionLikelihood(rate(2n, 1n))).toEqual(rate(1n, 20n));
    expect(completionLikelihood(undefined)).toEqual(rate(1n, 20n));
    const mid = completionLikelihood(rate(13n, 20n));
    expect(compareRate(mid, rate(1n, 5n))).toBe(1);
    expect(compareRate(mid, rate(19n, 20n))).toBe(-1);
    expect(shareOfDisposable(fen(100n), 0n)).toBeUndefined();
  });
});

describe('recovery value', () => {
  it('discounts each payment by (1 + r/12)^k and weights it by the likelihood', () => {
    // 1000 yuan now and 1005 yuan in a month at 6 %: 1000 + 1000 = 2000.
    const value = recoveryValue(
      [
        { monthsFromSigning: 0, amountFen: fen(100_000n) },
        { monthsFromSigning: 1, amountFen: fen(100_500n) },
      ],
      rate(6n, 100n),
      rate(1n, 2n),
    );
    expect(value).toBe(100_000n);
  });
});

describe('negotiation plans', () => {
  it('builds the re-amortisation the loan engine books on signing', () => {
    const plan = buildPlan(
      CASE,
      {
        kind: 'reamortize',
        months: 24,
        penaltyWaiver: NONE,
        interestWaiver: NONE,
        discount: NONE,
      },
      DEFAULT_NEGOTIATION_POLICY,
    );
    const engine = reamortize(
      {
        debt: CASE.debt,
        months: 24,
        startDate: CASE.today,
        rounding: 'half_up',
        rateAnnual: CASE.loan.rateAnnual,
      },
      DEFAULT_RESTRUCTURING_POLICY,
    );
    if (!plan.ok || !engine.ok) throw new Error('refused');
    expect(plan.value.schedule).toEqual(engine.value.schedule);
    expect(plan.value.totalPaidFen).toBe(engine.value.totalPaidFen);
    expect(plan.value.withinPolicy).toBe(true);
  });

  it('marks a waiver above the policy as needing approval, and refuses 61 months', () => {
    const above = buildPlan(
      CASE,
      {
        kind: 'waiver',
        months: 12,
        penaltyWaiver: rate(1n, 1n),
        interestWaiver: rate(1n, 1n),
        discount: NONE,
      },
      DEFAULT_NEGOTIATION_POLICY,
    );
    if (!above.ok) throw new Error('refused');
    expect(above.value.withinPolicy).toBe(false);
    expect(above.value.policyBreaches).toEqual(['interest_waiver']);
    expect(above.value.waivedFen).toBe(165_000n);
    const long = buildPlan(
      CASE,
      { ...above.value.terms, kind: 'reamortize', months: 61 },
      DEFAULT_NEGOTIATION_POLICY,
    );
    expect(long.ok || long.error.code).toBe('negotiation.months_out_of_range');
  });

  it('ranks within-policy plans first, by recovery value', () => {
    const plans = negotiate(CASE, DEFAULT_NEGOTIATION_POLICY);
    expect(plans.map((p) => p.kind).sort()).toEqual([
      'extension',
      'reamortize',
      'settlement',
      'stop_interest',
      'waiver',
    ]);
    for (let i = 1; i < plans.length; i += 1) {
      const [a, b] = [plans[i - 1], plans[i]];
      if (a === undefined || b === undefined) continue;
      if (a.withinPolicy === b.withinPolicy)
        expect(a.recoveryValueFen >= b.recoveryValueFen).toBe(true);
      else expect(a.withinPolicy).toBe(true);
    }
    expect(
      negotiate(
        {
          ...CASE,
          debt: {
            principalFen: fen(0n),
            interestFen: fen(0n),
            feeFen: fen(0n),
            penaltyFen: fen(0n),
          },
        },
        DEFAULT_NEGOTIATION_POLICY,
      ),
    ).toEqual([]);
  });
});
