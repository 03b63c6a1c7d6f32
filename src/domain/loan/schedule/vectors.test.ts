// Proves the engine reproduces every public schedule vector of
// spec/loan-vectors.json exactly: each vector's input is mapped to LoanTerms
// (the vector files name methods in prose), the schedule is built, and every
// listed period, the installment, the totals and the APR are compared as
// decimal strings.
import { describe, expect, it } from 'vitest';
import vectors from '../../../../test/fixtures/loan-vectors.json' with {
  type: 'json',
};
import { formatFen } from '../../../contracts/money.js';
import { fen } from '../../money/fen.js';
import { formatRate, parseRate } from '../../money/rate.js';
import { calendarDate } from '../../shared/calendar-date.js';
import { computeApr } from '../apr.js';
import { buildSchedule } from './build-schedule.js';
import type { LoanTerms } from './types.js';

type Vector = (typeof vectors)[number];

const yuan = (text: string) => fen(BigInt(text.replace('.', '')));

function base(v: Vector): LoanTerms {
  const rate = parseRate(v.annual_rate);
  if (rate === undefined) throw new Error(`bad rate in ${v.id}`);
  return {
    principalFen: yuan(v.principal),
    rateAnnual: rate,
    termMonths: v.term_months ?? 1,
    method: 'equal_installment',
    startDate: calendarDate('2026-01-15'),
    dayCount: '30/360',
    rounding: 'half_up',
    paymentMultipleFen: fen(1n),
    interestOnlyPeriods: 0,
    fees: [],
    prepayments: [],
  };
}

// How each vector's prose convention maps onto the engine's input.
const INPUTS: Record<string, (v: Vector) => LoanTerms> = {
  'CN-EPI-1M-30Y-4.90': (v) => base(v),
  'CN-EP-1M-30Y-4.90': (v) => ({ ...base(v), method: 'equal_principal' }),
  'CN-IOB-100K-12M-6.00': (v) => ({ ...base(v), method: 'interest_first' }),
  'FIN-PROG-100-7-12M-360': (v) => ({ ...base(v), rounding: 'half_even' }),
  'FIN-E2E-RS02-EMI': (v) => ({
    ...base(v),
    rounding: 'half_even',
    paymentMultipleFen: fen(100n),
  }),
  'FIN-E2E-RS04-EP': (v) => ({
    ...base(v),
    method: 'equal_principal',
    rounding: 'half_even',
  }),
  'NPF-IPMT-2500-8.24-12M': (v) => base(v),
  'FLAT-12K-0.5PM-12M': (v) => ({ ...base(v), method: 'flat' }),
  'CC-INSTAL-12K-0.60PM-12M': (v) => ({ ...base(v), method: 'flat' }),
  'FEE-UPFRONT-10K-7.2-12M-2PCT': (v) => ({
    ...base(v),
    fees: [{ kind: 'upfront', amountFen: yuan('200.00') }],
  }),
};

const scheduleVectors = vectors.filter((v) => INPUTS[v.id] !== undefined);

describe('public loan vectors', () => {
  it('maps every schedule vector of the fixture', () => {
    const unmapped = vectors
      .filter((v) => INPUTS[v.id] === undefined)
      .map((v) => v.id);
    // The penalty and prepayment vectors have their own tests.
    expect(unmapped).toEqual([
      'PEN-10K-4.90-1.5X-30D-ACT360',
      'PREPAY-1M30Y-K12-200K-REDUCE-PAYMENT',
    ]);
  });

  it.each(scheduleVectors.map((v) => [v.id, v] as const))(
    'reproduces %s exactly',
    (_id, v) => {
      const make = INPUTS[v.id] as (v: Vector) => LoanTerms;
      const built = buildSchedule(make(v));
      if (!built.ok) throw new Error(built.error.detail);
      const schedule = built.value;
      const expected = v.expected as Vector['expected'] & {
        apr: Record<string, string> | null;
      };
      expect(schedule.installments).toHaveLength(
        expected.number_of_periods as number,
      );
      if (expected.payment !== null)
        expect(formatFen(schedule.paymentFen ?? 0n)).toBe(expected.payment);
      for (const period of expected.periods) {
        const row = schedule.installments[period.n - 1];
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
      expect(formatFen(schedule.totalInterestFen)).toBe(
        expected.total_interest,
      );
      expect(formatFen(schedule.totalPaidFen)).toBe(expected.total_paid);
      const apr = computeApr(schedule);
      const aprs = expected.apr;
      if (aprs?.apr_compound !== undefined) {
        expect(apr && formatRate(apr.aprNominal, 6)).toBe(aprs.apr_simple);
        expect(apr && formatRate(apr.aprEffective, 6)).toBe(aprs.apr_compound);
      } else if (aprs?.apr_simple !== undefined) {
        // No fees: the APR is the nominal rate (to the 6th decimal).
        expect(apr && formatRate(apr.aprNominal, 6)).toBe(
          formatRate(make(v).rateAnnual, 6),
        );
      }
    },
  );
});
