import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import vectors from '../../../../test/fixtures/loan-vectors.json' with {
  type: 'json',
};
import { formatFen } from '../../../contracts/money.js';
import { type Fen, fen } from '../../money/fen.js';
import { formatRate, parseRate, type Rate } from '../../money/rate.js';
import { calendarDate } from '../../shared/calendar-date.js';
import { computeApr } from '../apr.js';
import { buildSchedule } from './build-schedule.js';
import type { LoanTerms, RepaymentMethod, Schedule } from './types.js';

const yuan = (text: string): Fen => fen(BigInt(Math.round(Number(text) * 100)));
const rateOf = (text: string): Rate =>
  parseRate(text) ?? { numerator: 0n, denominator: 1n };

function terms(overrides: Partial<LoanTerms> = {}): LoanTerms {
  return {
    principalFen: yuan('100000'),
    rateAnnual: rateOf('0.049'),
    termMonths: 36,
    method: 'equal_installment',
    startDate: calendarDate('2026-01-15'),
    dayCount: '30/360',
    rounding: 'half_up',
    paymentMultipleFen: fen(1n),
    interestOnlyPeriods: 0,
    fees: [],
    prepayments: [],
    ...overrides,
  };
}

function build(t: LoanTerms): Schedule {
  const result = buildSchedule(t);
  if (!result.ok)
    throw new Error(`${result.error.code}: ${result.error.detail}`);
  return result.value;
}

describe('schedule due dates', () => {
  it('keeps a month-end anchor for a loan started on the 31st', () => {
    const s = build(
      terms({ startDate: calendarDate('2026-01-31'), termMonths: 4 }),
    );
    expect(s.installments.map((row) => row.dueDate)).toEqual([
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
    ]);
  });

  it('falls on Feb 29 in a leap year', () => {
    const s = build(
      terms({ startDate: calendarDate('2028-01-30'), termMonths: 2 }),
    );
    expect(s.installments.map((row) => row.dueDate)).toEqual([
      '2028-02-29',
      '2028-03-30',
    ]);
  });

  it('counts monthly from an explicit first due date', () => {
    const s = build(
      terms({ firstDueDate: calendarDate('2026-02-20'), termMonths: 3 }),
    );
    expect(s.installments.map((row) => row.dueDate)).toEqual([
      '2026-02-20',
      '2026-03-20',
      '2026-04-20',
    ]);
  });
});

describe('broken first period', () => {
  it('charges daily interest at annual / 360 for the actual days', () => {
    // 2026-01-10 → 2026-02-20 is 41 days: 100000 × 0.049 × 41 / 360 = 558.06.
    const s = build(
      terms({
        startDate: calendarDate('2026-01-10'),
        firstDueDate: calendarDate('2026-02-20'),
      }),
    );
    expect(formatFen(s.installments[0]?.interestFen ?? 0n)).toBe('558.06');
    // The principal part stays the regular one; the extra days only add interest.
    const regular = build(terms({ startDate: calendarDate('2026-01-10') }));
    expect(s.installments[0]?.principalFen).toBe(
      regular.installments[0]?.principalFen,
    );
    expect(s.installments[1]?.paymentFen).toBe(
      regular.installments[1]?.paymentFen,
    );
  });

  it('uses a 365-day year under actual/365', () => {
    const s = build(
      terms({
        startDate: calendarDate('2026-01-10'),
        firstDueDate: calendarDate('2026-02-20'),
        dayCount: 'actual/365',
      }),
    );
    // 100000 × 0.049 × 41 / 365 = 550.41.
    expect(formatFen(s.installments[0]?.interestFen ?? 0n)).toBe('550.41');
  });
});

describe('day counts', () => {
  it('charges actual days over 360 for each period under actual/360', () => {
    const s = build(terms({ dayCount: 'actual/360', termMonths: 3 }));
    // 2026-01-15 → 2026-02-15 is 31 days: 100000 × 0.049 × 31 / 360 = 421.94.
    expect(formatFen(s.installments[0]?.interestFen ?? 0n)).toBe('421.94');
  });
});

describe('prepayment', () => {
  const vector = vectors.find(
    (v) => v.id === 'PREPAY-1M30Y-K12-200K-REDUCE-PAYMENT',
  );
  it('re-amortises the balance over the remaining term (减少月供) as the public vector', () => {
    const s = build(
      terms({
        principalFen: yuan('1000000'),
        termMonths: 360,
        prepayments: [
          {
            afterPeriod: 12,
            amountFen: yuan('200000'),
            mode: 'reduce_payment',
          },
        ],
      }),
    );
    const expected = vector?.expected;
    expect(formatFen(s.paymentFen ?? 0n)).toBe(expected?.payment);
    for (const period of expected?.periods ?? []) {
      const row = s.installments[period.n - 1];
      expect(
        row && {
          n: row.n,
          payment: formatFen(row.paymentFen),
          interest: formatFen(row.interestFen),
          principal: formatFen(row.principalFen),
          balance: formatFen(row.balanceFen),
        },
      ).toEqual(period);
    }
    expect(
      s.prepayments[0] && formatFen(s.prepayments[0].balanceBeforeFen),
    ).toBe(expected?.balance_after_k);
    const later = s.installments
      .slice(12)
      .reduce((sum, row) => sum + row.interestFen, 0n);
    expect(formatFen(later)).toBe(expected?.total_interest);
    const original = build(
      terms({ principalFen: yuan('1000000'), termMonths: 360 }),
    );
    expect(formatFen(original.totalInterestFen - s.totalInterestFen)).toBe(
      expected?.interest_saved_vs_original,
    );
  });

  it('keeps the installment and ends sooner when shortening the term (缩短年限)', () => {
    const s = build(
      terms({
        principalFen: yuan('1000000'),
        termMonths: 360,
        prepayments: [
          { afterPeriod: 12, amountFen: yuan('200000'), mode: 'reduce_term' },
        ],
      }),
    );
    expect(s.installments.length).toBeLessThan(360);
    expect(formatFen(s.installments[20]?.paymentFen ?? 0n)).toBe('5307.27');
    expect(s.installments.at(-1)?.balanceFen).toBe(0n);
  });

  it('refuses a prepayment larger than the balance', () => {
    const result = buildSchedule(
      terms({
        termMonths: 12,
        prepayments: [
          { afterPeriod: 6, amountFen: yuan('90000'), mode: 'reduce_payment' },
        ],
      }),
    );
    expect(result.ok || result.error.code).toBe(
      'schedule.prepayment_amount_out_of_range',
    );
  });

  it('refuses shortening the term of an interest-first loan', () => {
    const result = buildSchedule(
      terms({
        method: 'interest_first',
        termMonths: 12,
        prepayments: [
          { afterPeriod: 6, amountFen: yuan('1000'), mode: 'reduce_term' },
        ],
      }),
    );
    expect(result.ok || result.error.code).toBe(
      'schedule.prepayment_mode_not_supported',
    );
  });
});

describe('fees and APR', () => {
  it('shows the true APR of a 0.6 % monthly fee loan (regulations.md §6.5 oracle)', () => {
    // 10,000 over 12 months, principal 833.33 plus a fee of 60 a month → 893.33.
    const s = build(
      terms({
        principalFen: yuan('10000'),
        rateAnnual: rateOf('0'),
        termMonths: 12,
        method: 'equal_principal',
        fees: [{ kind: 'monthly_rate', rateOfPrincipal: rateOf('0.006') }],
      }),
    );
    expect(formatFen(s.installments[0]?.paymentFen ?? 0n)).toBe('893.33');
    const apr = computeApr(s);
    expect(apr && formatRate(apr.aprNominal, 4)).toBe('0.1303');
    expect(apr && formatRate(apr.aprEffective, 4)).toBe('0.1384');
  });

  it('shows a flat-rate loan far above its quoted rate', () => {
    const s = build(
      terms({
        principalFen: yuan('12000'),
        rateAnnual: rateOf('0.06'),
        termMonths: 12,
        method: 'flat',
      }),
    );
    const apr = computeApr(s);
    expect(apr && formatRate(apr.aprNominal, 6)).toBe('0.108964');
  });
});

describe('bullet and interest-first loans', () => {
  it('repays a bullet loan once at maturity with interest for the whole term', () => {
    const s = build(
      terms({ method: 'bullet', termMonths: 12, rateAnnual: rateOf('0.06') }),
    );
    expect(s.installments).toHaveLength(1);
    expect(s.installments[0]?.dueDate).toBe('2027-01-15');
    expect(formatFen(s.installments[0]?.paymentFen ?? 0n)).toBe('106000.00');
  });

  it('charges only interest during interest-only periods, then amortises', () => {
    const s = build(terms({ termMonths: 12, interestOnlyPeriods: 3 }));
    expect(
      s.installments.slice(0, 3).every((row) => row.principalFen === 0n),
    ).toBe(true);
    expect(s.installments[3]?.principalFen).toBeGreaterThan(0n);
  });
});

const METHODS: RepaymentMethod[] = [
  'equal_installment',
  'equal_principal',
  'interest_first',
  'bullet',
  'flat',
];

const arbitraryTerms = fc.record({
  principalFen: fc.bigInt({ min: 100n, max: 10n ** 10n }).map(fen),
  rateAnnual: fc
    .integer({ min: 0, max: 360_000 })
    .map((micros) => rateOf((micros / 1_000_000).toFixed(6))),
  termMonths: fc.integer({ min: 1, max: 360 }),
  method: fc.constantFrom(...METHODS),
  rounding: fc.constantFrom(
    'half_up' as const,
    'half_even' as const,
    'down' as const,
  ),
  dayCount: fc.constantFrom(
    '30/360' as const,
    'actual/360' as const,
    'actual/365' as const,
  ),
  startDay: fc.integer({ min: 0, max: 3000 }),
});

describe('schedule invariants', () => {
  it('repays exactly the principal lent, with balances that never go negative', () => {
    fc.assert(
      fc.property(arbitraryTerms, (a) => {
        const start = calendarDate(
          new Date(Date.UTC(2020, 0, 1 + a.startDay))
            .toISOString()
            .slice(0, 10),
        );
        const result = buildSchedule(terms({ ...a, startDate: start }));
        if (!result.ok)
          return result.error.code === 'schedule.payment_does_not_amortize';
        const s = result.value;
        const principal = s.installments.reduce(
          (sum, row) => sum + row.principalFen,
          0n,
        );
        const paid = s.installments.reduce(
          (sum, row) => sum + row.paymentFen,
          0n,
        );
        const interest = s.installments.reduce(
          (sum, row) => sum + row.interestFen,
          0n,
        );
        return (
          principal === a.principalFen &&
          s.installments.every(
            (row) =>
              row.balanceFen >= 0n &&
              row.principalFen >= 0n &&
              row.interestFen >= 0n,
          ) &&
          s.installments.at(-1)?.balanceFen === 0n &&
          paid === s.totalPaidFen &&
          interest === s.totalInterestFen &&
          paid === principal + interest
        );
      }),
      { numRuns: 300 },
    );
  });

  it('gives a fee-free equal-installment loan an IRR equal to its nominal rate', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 10n ** 6n, max: 10n ** 10n }),
        fc.integer({ min: 1_000, max: 240_000 }),
        fc.integer({ min: 6, max: 360 }),
        (principal, micros, months) => {
          const s = build(
            terms({
              principalFen: fen(principal),
              rateAnnual: rateOf((micros / 1_000_000).toFixed(6)),
              termMonths: months,
            }),
          );
          const apr = computeApr(s);
          if (apr === undefined) return false;
          // Rounding to the fen moves the raw IRR by far less than 0.5e-5 a year.
          const diff = Number(
            formatRate(
              {
                numerator: abs(
                  apr.irrAprNominal.numerator * s.terms.rateAnnual.denominator -
                    s.terms.rateAnnual.numerator *
                      apr.irrAprNominal.denominator,
                ),
                denominator:
                  apr.irrAprNominal.denominator *
                  s.terms.rateAnnual.denominator,
              },
              8,
            ),
          );
          return (
            diff < 0.000005 &&
            formatRate(apr.aprNominal, 6) === formatRate(s.terms.rateAnnual, 6)
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}
