// Proves the delinquency state can serve the end-of-day batch: advancing it
// one day at a time and applying each payment on its day gives exactly the
// same balance, penalty and credit as replaying everything at once (so the
// penalty is rounded once and the grace and credit rules do not depend on
// how often the batch runs); and that money is conserved: what was owed,
// plus penalty and late fees charged, minus what was paid in, plus the
// credit held, equals what is owed now. Schedules come from the real
// schedule builder.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fen } from '../../money/fen.js';
import { parseRate, type Rate, rate } from '../../money/rate.js';
import {
  addDays,
  addMonths,
  type CalendarDate,
  calendarDate,
  daysBetween,
} from '../../shared/calendar-date.js';
import {
  COMPONENTS_FIRST_ALLOCATION_POLICY,
  DEFAULT_ALLOCATION_POLICY,
} from '../allocation/allocation-policy.js';
import {
  balanceFromInstallments,
  totalDueFen,
} from '../allocation/loan-balance.js';
import { buildSchedule } from '../schedule/build-schedule.js';
import type { Installment } from '../schedule/types.js';
import {
  advanceDelinquency,
  applyPaymentToDelinquency,
  openDelinquency,
} from './accrual.js';
import { DEFAULT_CLASSIFICATION_POLICY } from './classification.js';
import { GRACE_STARTS, type PenaltyPolicy } from './penalty-policy.js';
import { type Payment, penaltyToDate } from './penalty-to-date.js';

const START = calendarDate('2026-01-15');

function schedule(principalFen: bigint, rateAnnual: Rate, termMonths: number) {
  const built = buildSchedule({
    principalFen: fen(principalFen),
    rateAnnual,
    termMonths,
    method: 'equal_installment',
    startDate: START,
    dayCount: '30/360',
    rounding: 'half_up',
    paymentMultipleFen: fen(1n),
    interestOnlyPeriods: 0,
    fees: [],
    prepayments: [],
  });
  if (!built.ok) throw new Error('schedule refused');
  return built.value.installments;
}

const penaltyPolicyArb: fc.Arbitrary<PenaltyPolicy> = fc.record({
  penaltyMultiple: fc.constantFrom(rate(13n, 10n), rate(3n, 2n), rate(2n, 1n)),
  daysInYear: fc.constantFrom(360 as const, 365 as const),
  compoundOverdueInterest: fc.boolean(),
  graceDays: fc.integer({ min: 0, max: 5 }),
  graceStart: fc.constantFrom(...GRACE_STARTS),
  lateFee: fc.oneof(
    fc.constant({ kind: 'none' as const }),
    fc
      .bigInt({ min: 0n, max: 10_000n })
      .map((v) => ({ kind: 'fixed' as const, amountFen: fen(v) })),
    fc.integer({ min: 0, max: 10 }).map((pct) => ({
      kind: 'share_of_installment' as const,
      share: rate(BigInt(pct), 100n),
    })),
  ),
  rounding: fc.constantFrom(
    'half_up' as const,
    'half_even' as const,
    'down' as const,
  ),
});

const caseArb = fc.record({
  rows: fc.array(
    fc.tuple(
      fc.bigInt({ min: 0n, max: 5_000_000n }),
      fc.bigInt({ min: 0n, max: 200_000n }),
      fc.bigInt({ min: 0n, max: 5_000n }),
    ),
    { minLength: 1, maxLength: 6 },
  ),
  rateMicros: fc.integer({ min: 10_000, max: 240_000 }),
  payments: fc.array(
    fc.record({
      dayOffset: fc.integer({ min: 0, max: 220 }),
      amountFen: fc.bigInt({ min: 1n, max: 3_000_000n }),
    }),
    { maxLength: 8 },
  ),
  extraDays: fc.integer({ min: 0, max: 60 }),
  penalty: penaltyPolicyArb,
  allocation: fc.constantFrom(
    DEFAULT_ALLOCATION_POLICY,
    COMPONENTS_FIRST_ALLOCATION_POLICY,
  ),
});

type Case = {
  installments: readonly Installment[];
  payments: Payment[];
  asOf: CalendarDate;
  rateAnnual: Rate;
};

type CaseInput = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function caseFrom(c: CaseInput): Case {
  const rateAnnual = rate(BigInt(c.rateMicros), 1_000_000n);
  // Monthly installments with random parts (the schedule builder has its own
  // tests; here any non-negative parts must work).
  const installments = c.rows.map(
    ([principal, interest, fee], index): Installment => ({
      n: index + 1,
      dueDate: addMonths(START, index + 1),
      principalFen: fen(principal),
      interestFen: fen(interest),
      feeFen: fen(fee),
      paymentFen: fen(principal + interest + fee),
      balanceFen: fen(0n),
    }),
  );
  // Payments start 20 days before the first due date, to exercise credit.
  const first = addDays(addMonths(START, 1), -20);
  const payments = c.payments
    .map((p) => ({
      date: addDays(first, p.dayOffset),
      amountFen: fen(p.amountFen),
    }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const lastPayment = payments.at(-1)?.date ?? first;
  return {
    installments,
    payments,
    asOf: addDays(lastPayment, c.extraDays),
    rateAnnual,
  };
}

describe('delinquency state for the end-of-day batch', () => {
  it('gives the same result advanced day by day as replayed in one go', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { installments, payments, asOf, rateAnnual } = caseFrom(c);
        const policies = {
          penalty: c.penalty,
          allocation: c.allocation,
          classification: DEFAULT_CLASSIFICATION_POLICY,
        };
        const once = penaltyToDate(
          { installments, payments, asOf, rateAnnual },
          policies,
        );
        if (!once.ok) throw new Error(once.error.code);

        // Opened the day before the earliest possible payment.
        const opened = addDays(addMonths(START, 1), -21);
        let state = openDelinquency(
          balanceFromInstallments(installments),
          opened,
        );
        for (let day = 1; day <= daysBetween(opened, asOf); day += 1) {
          const today = addDays(opened, day);
          state = advanceDelinquency(
            state,
            today,
            { rateAnnual },
            c.penalty,
            c.allocation,
          );
          for (const payment of payments.filter((p) => p.date === today)) {
            state = applyPaymentToDelinquency(
              state,
              payment.amountFen,
              c.allocation,
            );
          }
        }
        expect(state.balance).toEqual(once.value.state.balance);
        expect(state.accruals).toEqual(once.value.state.accruals);
        expect(state.creditFen).toBe(once.value.state.creditFen);
      }),
      { numRuns: 60 },
    );
  });

  it('conserves money: owed + charged − paid + credit = owed now', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { installments, payments, asOf, rateAnnual } = caseFrom(c);
        const policies = {
          penalty: c.penalty,
          allocation: c.allocation,
          classification: DEFAULT_CLASSIFICATION_POLICY,
        };
        const result = penaltyToDate(
          { installments, payments, asOf, rateAnnual },
          policies,
        );
        if (!result.ok) throw new Error(result.error.code);
        const r = result.value;
        const owedFen = totalDueFen(balanceFromInstallments(installments));
        const chargedFen =
          r.penaltyInterestFen + r.compoundInterestFen + r.lateFeeFen;
        const paidFen = payments.reduce((total, p) => total + p.amountFen, 0n);
        expect(owedFen + chargedFen - paidFen + r.creditFen).toBe(
          r.totalDueFen,
        );
        expect(
          r.creditFen === 0n ||
            r.overduePrincipalFen + r.overdueInterestFen === 0n,
        ).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('charges penalty on a real schedule when an installment is missed', () => {
    // 12 × equal installments of a 12000.00 loan at 4.9 %; the first two are
    // paid on time, the third (due 2026-04-15) is not: 30 days later its
    // principal bears 30 days of penalty and its interest 30 days of 复利.
    const rateAnnual = parseRate('0.049') as Rate;
    const installments = schedule(1_200_000n, rateAnnual, 12);
    const [first, second, third] = installments;
    if (first === undefined || second === undefined || third === undefined)
      throw new Error('short');
    const result = penaltyToDate(
      {
        installments,
        rateAnnual,
        asOf: addDays(third.dueDate, 30),
        payments: [
          { date: first.dueDate, amountFen: first.paymentFen },
          { date: second.dueDate, amountFen: second.paymentFen },
        ],
      },
      {
        penalty: {
          penaltyMultiple: rate(3n, 2n),
          daysInYear: 360,
          compoundOverdueInterest: true,
          graceDays: 0,
          graceStart: 'from_due_date',
          lateFee: { kind: 'none' },
          rounding: 'half_up',
        },
        allocation: DEFAULT_ALLOCATION_POLICY,
        classification: DEFAULT_CLASSIFICATION_POLICY,
      },
    );
    if (!result.ok) throw new Error(result.error.code);
    const r = result.value;
    const perDay = (amountFen: bigint) =>
      (amountFen * 49n * 3n * 30n * 2n + 1000n * 2n * 360n) /
      (1000n * 2n * 360n * 2n);
    expect(r.overdueDays).toBe(30);
    expect(r.overduePrincipalFen).toBe(third.principalFen);
    expect(r.penaltyInterestFen).toBe(perDay(third.principalFen));
    expect(r.compoundInterestFen).toBe(perDay(third.interestFen));
  });
});
