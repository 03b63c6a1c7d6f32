// Proves penalty to a date: the public penalty vectors of
// spec/loan-vectors.json, then hand-computed cases at 7.2 % a year × 1.5 /
// 360 = 0.03 % a day (3.00 yuan a day on 10000.00 overdue), covering
// compound interest, partial payments, grace days both ways, late fees,
// held credit and the refusals; then properties: the penalty is rounded
// once (advancing day by day equals one step), equals the formula, and is
// monotone in days.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import vectors from '../../../../test/fixtures/loan-vectors.json' with {
  type: 'json',
};
import { formatFen } from '../../../contracts/money.js';
import { fen } from '../../money/fen.js';
import { formatRate, parseRate, type Rate, rate } from '../../money/rate.js';
import { divRound } from '../../money/rounding.js';
import { addDays, calendarDate } from '../../shared/calendar-date.js';
import { DEFAULT_ALLOCATION_POLICY } from '../allocation/allocation-policy.js';
import { advanceDelinquency, openDelinquency } from './accrual.js';
import { penaltyOnOverdueAmount } from './overdue-amount.js';
import {
  DEFAULT_PENALTY_POLICY,
  type PenaltyPolicy,
} from './penalty-policy.js';
import {
  DEFAULT_PENALTY_POLICIES,
  type InstallmentDue,
  type Payment,
  type PenaltyReport,
  penaltyToDate,
} from './penalty-to-date.js';

const RATE_7_2 = parseRate('0.072') as Rate;
const DUE = calendarDate('2026-01-15');

function due(
  n: number,
  dueDate: string,
  principal: bigint,
  interest = 0n,
): InstallmentDue {
  return {
    n,
    dueDate: calendarDate(dueDate),
    principalFen: fen(principal),
    interestFen: fen(interest),
    feeFen: fen(0n),
  };
}

function pay(date: string, amount: bigint): Payment {
  return { date: calendarDate(date), amountFen: fen(amount) };
}

function report(
  installments: InstallmentDue[],
  payments: Payment[],
  asOf: string,
  penalty: Partial<PenaltyPolicy> = {},
): PenaltyReport {
  const result = penaltyToDate(
    { installments, payments, asOf: calendarDate(asOf), rateAnnual: RATE_7_2 },
    {
      ...DEFAULT_PENALTY_POLICIES,
      penalty: { ...DEFAULT_PENALTY_POLICY, ...penalty },
    },
  );
  if (!result.ok) throw new Error(`refused: ${result.error.code}`);
  return result.value;
}

describe('penalty vectors of spec/loan-vectors.json', () => {
  const penaltyVectors = vectors.filter((v) => v.method === 'penalty_interest');

  it('has at least one penalty vector to check', () => {
    expect(penaltyVectors.length).toBeGreaterThan(0);
  });

  it.each(penaltyVectors.map((v) => [v.id, v] as const))(
    'reproduces %s',
    (_id, v) => {
      // The vector states its multiple and year in its formula, e.g.
      // "10000 x 0.049 x 1.5 / 360 x 30".
      const formula = /x ([\d.]+) \/ (360|365) x (\d+)$/.exec(
        v.expected.formula ?? '',
      );
      if (formula === null) throw new Error(`unreadable formula in ${v.id}`);
      const multiple = parseRate(formula[1] ?? '') as Rate;
      const days = Number(v.expected.days);
      const result = penaltyOnOverdueAmount(
        {
          rateAnnual: parseRate(v.annual_rate) as Rate,
          overduePrincipalFen: fen(BigInt(v.principal.replace('.', ''))),
          overdueInterestFen: fen(0n),
          dueDate: DUE,
          asOf: addDays(DUE, days),
        },
        {
          ...DEFAULT_PENALTY_POLICIES,
          penalty: {
            ...DEFAULT_PENALTY_POLICY,
            penaltyMultiple: multiple,
            daysInYear: formula[2] === '365' ? 365 : 360,
          },
        },
      );
      if (!result.ok) throw new Error(result.error.code);
      expect(formatFen(result.value.penaltyInterestFen)).toBe(
        v.expected.penalty,
      );
      expect(formatRate(result.value.penaltyRateDaily, 12)).toBe(
        v.expected.daily_penalty_rate,
      );
      expect(result.value.overdueDays).toBe(days);
    },
  );
});

describe('penalty to a date', () => {
  it('charges overdue principal for each day since the due date', () => {
    const r = report([due(1, '2026-01-15', 1_000_000n)], [], '2026-01-25');
    expect(r.penaltyInterestFen).toBe(3000n);
    expect(r.overdueDays).toBe(10);
    expect(r.totalDueFen).toBe(1_003_000n);
  });

  it('charges nothing for an installment paid on its due date', () => {
    const r = report(
      [due(1, '2026-01-15', 1_000_000n)],
      [pay('2026-01-15', 1_000_000n)],
      '2026-03-01',
    );
    expect(r.penaltyInterestFen).toBe(0n);
    expect(r.overdueDays).toBe(0);
  });

  it('adds compound interest on overdue interest at the penalty rate', () => {
    const r = report(
      [due(1, '2026-01-15', 1_000_000n, 50_000n)],
      [],
      '2026-01-25',
    );
    expect(r.compoundInterestFen).toBe(150n);
    expect(r.overduePenaltyFen).toBe(3150n);
  });

  it('charges no compound interest when the policy turns it off', () => {
    const r = report(
      [due(1, '2026-01-15', 1_000_000n, 50_000n)],
      [],
      '2026-01-25',
      {
        compoundOverdueInterest: false,
      },
    );
    expect(r.compoundInterestFen).toBe(0n);
  });

  it('charges penalty on what a partial payment leaves overdue', () => {
    // Day 10: penalty 30.00 is paid first, then 5000.00 principal; the other
    // 5000.00 bears 1.50 a day for 10 more days.
    const r = report(
      [due(1, '2026-01-15', 1_000_000n)],
      [pay('2026-01-25', 503_000n)],
      '2026-02-04',
    );
    expect(r.penaltyInterestFen).toBe(4500n);
    expect(r.overduePrincipalFen).toBe(500_000n);
    expect(r.overduePenaltyFen).toBe(1500n);
    expect(r.overdueDays).toBe(20);
  });

  it('rounds with the named rounding', () => {
    // 1.00 yuan × 7.2 % × 1.5 / 360 × 5 days = 0.15 fen.
    const installments = [due(1, '2026-01-15', 100n)];
    expect(
      report(installments, [], '2026-01-20', { rounding: 'down' })
        .penaltyInterestFen,
    ).toBe(0n);
    const r = report([due(1, '2026-01-15', 1000n)], [], '2026-01-20', {
      rounding: 'half_up',
    });
    expect(r.penaltyInterestFen).toBe(2n);
  });
});

describe('grace days', () => {
  const installments = [due(1, '2026-01-15', 1_000_000n)];

  it('forgives penalty when paid within the grace days', () => {
    const r = report(
      installments,
      [pay('2026-01-18', 1_000_000n)],
      '2026-02-01',
      { graceDays: 3 },
    );
    expect(r.penaltyInterestFen).toBe(0n);
    expect(r.totalDueFen).toBe(0n);
  });

  it('charges from the due date once the grace lapses by default', () => {
    const r = report(
      installments,
      [pay('2026-01-19', 1_001_200n)],
      '2026-02-01',
      { graceDays: 3 },
    );
    expect(r.penaltyInterestFen).toBe(1200n);
    expect(r.totalDueFen).toBe(0n);
  });

  it('charges only the days after the grace when configured so', () => {
    const r = report(
      installments,
      [pay('2026-01-19', 1_000_300n)],
      '2026-02-01',
      {
        graceDays: 3,
        graceStart: 'from_grace_end',
      },
    );
    expect(r.penaltyInterestFen).toBe(300n);
    expect(r.totalDueFen).toBe(0n);
  });

  it('shows an unpaid installment within its grace as past due but not yet charged', () => {
    const r = report(installments, [], '2026-01-17', { graceDays: 3 });
    expect(r.overdueDays).toBe(2);
    expect(r.penaltyInterestFen).toBe(0n);
    expect(r.installments[0]?.inGrace).toBe(true);
  });
});

describe('late fees', () => {
  const installments = [due(1, '2026-01-15', 1_000_000n)];

  it('charges a fixed late fee once when the grace lapses', () => {
    const r = report(installments, [], '2026-03-01', {
      lateFee: { kind: 'fixed', amountFen: fen(5000n) },
    });
    expect(r.lateFeeFen).toBe(5000n);
    expect(r.overdueFeeFen).toBe(5000n);
  });

  it('charges a share of what the installment owes', () => {
    const r = report(installments, [], '2026-01-20', {
      lateFee: { kind: 'share_of_installment', share: rate(5n, 100n) },
    });
    expect(r.lateFeeFen).toBe(50_000n);
  });

  it('charges no late fee when paid within the grace days', () => {
    const r = report(
      installments,
      [pay('2026-01-17', 1_000_000n)],
      '2026-03-01',
      {
        graceDays: 3,
        lateFee: { kind: 'fixed', amountFen: fen(5000n) },
      },
    );
    expect(r.lateFeeFen).toBe(0n);
  });
});

describe('payments ahead of due dates', () => {
  const installments = [
    due(1, '2026-01-15', 1_000_000n),
    due(2, '2026-02-15', 1_000_000n),
  ];

  it('holds money paid before a due date and applies it on that date', () => {
    const r = report(
      installments,
      [pay('2026-01-10', 1_500_000n)],
      '2026-02-01',
    );
    expect(r.penaltyInterestFen).toBe(0n);
    expect(r.creditFen).toBe(500_000n);
    expect(r.overdueDays).toBe(0);
  });

  it('charges penalty only on what the held credit did not cover', () => {
    const r = report(
      installments,
      [pay('2026-01-10', 1_500_000n)],
      '2026-02-20',
    );
    expect(r.creditFen).toBe(0n);
    expect(r.penaltyInterestFen).toBe(750n);
    expect(r.overdueDays).toBe(5);
  });
});

describe('penalty refusals', () => {
  const installments = [due(1, '2026-01-15', 1_000_000n)];
  const refusal = (payments: Payment[], asOf: string) => {
    const result = penaltyToDate(
      {
        installments,
        payments,
        asOf: calendarDate(asOf),
        rateAnnual: RATE_7_2,
      },
      DEFAULT_PENALTY_POLICIES,
    );
    return result.ok ? undefined : result.error.code;
  };

  it('refuses a payment dated after the as-of date', () => {
    expect(refusal([pay('2026-02-01', 100n)], '2026-01-20')).toBe(
      'penalty.payment_after_as_of',
    );
  });

  it('refuses a payment that is not positive', () => {
    expect(refusal([pay('2026-01-16', 0n)], '2026-01-20')).toBe(
      'penalty.payment_not_positive',
    );
  });

  it('refuses an as-of date absurdly far past the due date', () => {
    expect(refusal([], '2099-01-20')).toBe('penalty.overdue_days_out_of_range');
  });

  it('refuses an as-of date before the due date of an overdue amount', () => {
    const result = penaltyOnOverdueAmount(
      {
        rateAnnual: RATE_7_2,
        overduePrincipalFen: fen(100n),
        overdueInterestFen: fen(0n),
        dueDate: DUE,
        asOf: calendarDate('2026-01-10'),
      },
      DEFAULT_PENALTY_POLICIES,
    );
    expect(result.ok ? undefined : result.error.code).toBe(
      'penalty.as_of_before_due',
    );
  });
});

const principalArb = fc.bigInt({ min: 1n, max: 10_000_000_000n });
const rateArb = fc
  .integer({ min: 1, max: 360_000 })
  .map((micros) => rate(BigInt(micros), 1_000_000n));
const policyArb = fc.record({
  rounding: fc.constantFrom(
    'half_up' as const,
    'half_even' as const,
    'down' as const,
  ),
  compoundOverdueInterest: fc.boolean(),
  daysInYear: fc.constantFrom(360 as const, 365 as const),
});

function overdue(
  principal: bigint,
  interest: bigint,
  rateAnnual: Rate,
  days: number,
  policy: Partial<PenaltyPolicy>,
) {
  const result = penaltyOnOverdueAmount(
    {
      rateAnnual,
      overduePrincipalFen: fen(principal),
      overdueInterestFen: fen(interest),
      dueDate: DUE,
      asOf: addDays(DUE, days),
    },
    {
      ...DEFAULT_PENALTY_POLICIES,
      penalty: { ...DEFAULT_PENALTY_POLICY, ...policy },
    },
  );
  if (!result.ok) throw new Error(result.error.code);
  return result.value;
}

describe('penalty invariants', () => {
  it('equals overdue principal × rate × 1.5 / days-in-year × days, rounded once', () => {
    fc.assert(
      fc.property(
        principalArb,
        rateArb,
        fc.integer({ min: 0, max: 3000 }),
        policyArb,
        (principal, r, days, policy) => {
          const expected = divRound(
            principal * r.numerator * 3n * BigInt(days),
            r.denominator * 2n * BigInt(policy.daysInYear),
            policy.rounding,
          );
          expect(
            overdue(principal, 0n, r, days, policy).penaltyInterestFen,
          ).toBe(expected);
        },
      ),
    );
  });

  it('is the same whether advanced day by day or in one step', () => {
    fc.assert(
      fc.property(
        principalArb,
        rateArb,
        fc.integer({ min: 1, max: 120 }),
        (principal, r, days) => {
          const installment = due(1, DUE, principal, principal / 10n);
          const balance = {
            installments: [{ ...installment, penaltyFen: fen(0n) }],
          };
          let state = openDelinquency(balance, DUE);
          for (let day = 1; day <= days; day += 1) {
            state = advanceDelinquency(
              state,
              addDays(DUE, day),
              { rateAnnual: r },
              DEFAULT_PENALTY_POLICY,
              DEFAULT_ALLOCATION_POLICY,
            );
          }
          const once = overdue(principal, principal / 10n, r, days, {});
          expect(state.balance.installments[0]?.penaltyFen).toBe(
            once.overduePenaltyFen,
          );
        },
      ),
      { numRuns: 50 },
    );
  });

  it('never decreases as days pass', () => {
    fc.assert(
      fc.property(
        principalArb,
        fc.bigInt({ min: 0n, max: 100_000_000n }),
        rateArb,
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 400 }),
        policyArb,
        (principal, interest, r, days, more, policy) => {
          const before = overdue(principal, interest, r, days, policy);
          const after = overdue(principal, interest, r, days + more, policy);
          expect(after.overduePenaltyFen).toBeGreaterThanOrEqual(
            before.overduePenaltyFen,
          );
          expect(after.overdueDays).toBeGreaterThanOrEqual(before.overdueDays);
        },
      ),
    );
  });
});
