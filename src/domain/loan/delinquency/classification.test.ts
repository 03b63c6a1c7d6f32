// Proves days past due, the M-buckets and the five-tier classification at
// every boundary, with the default thresholds and with custom ones.
import { describe, expect, it } from 'vitest';
import { fen } from '../../money/fen.js';
import { calendarDate } from '../../shared/calendar-date.js';
import type { LoanBalance } from '../allocation/loan-balance.js';
import {
  CREDIT_CARD_CLASSIFICATION_POLICY,
  classifyLoan,
  DEFAULT_CLASSIFICATION_POLICY,
  daysPastDue,
  delinquencyBucket,
} from './classification.js';

function balanceOwing(rows: readonly [string, bigint][]): LoanBalance {
  return {
    installments: rows.map(([dueDate, principal], index) => ({
      n: index + 1,
      dueDate: calendarDate(dueDate),
      principalFen: fen(principal),
      interestFen: fen(0n),
      feeFen: fen(0n),
      penaltyFen: fen(0n),
    })),
  };
}

describe('days past due', () => {
  const balance = balanceOwing([
    ['2026-01-15', 0n],
    ['2026-02-15', 100n],
    ['2026-03-15', 100n],
  ]);

  it.each([
    ['2026-01-20', 0],
    ['2026-02-15', 0],
    ['2026-02-16', 1],
    ['2026-03-17', 30],
    ['2026-05-16', 90],
  ])('counts from the oldest unpaid installment on %s', (asOf, days) => {
    expect(daysPastDue(balance, calendarDate(asOf))).toBe(days);
  });

  it('counts an installment owing only penalty as past due', () => {
    const penaltyOnly: LoanBalance = {
      installments: [
        {
          n: 1,
          dueDate: calendarDate('2026-01-15'),
          principalFen: fen(0n),
          interestFen: fen(0n),
          feeFen: fen(0n),
          penaltyFen: fen(1n),
        },
      ],
    };
    expect(daysPastDue(penaltyOnly, calendarDate('2026-01-25'))).toBe(10);
  });

  it('is zero when every past installment is paid', () => {
    const paid = balanceOwing([['2026-01-15', 0n]]);
    expect(daysPastDue(paid, calendarDate('2027-01-15'))).toBe(0);
  });
});

describe('delinquency buckets', () => {
  it.each([
    [0, 'M0'],
    [1, 'M1'],
    [30, 'M1'],
    [31, 'M2'],
    [60, 'M2'],
    [61, 'M3'],
    [90, 'M3'],
    [91, 'M4'],
    [121, 'M5'],
    [150, 'M5'],
    [151, 'M6'],
    [180, 'M6'],
    [181, 'M6+'],
    [4000, 'M6+'],
  ])('puts %i days past due in %s', (days, bucket) => {
    expect(delinquencyBucket(days)).toBe(bucket);
  });
});

describe('five-tier loan classification', () => {
  it.each([
    [0, 'normal'],
    [1, 'special_mention'],
    [90, 'special_mention'],
    [91, 'substandard'],
    [270, 'substandard'],
    [271, 'doubtful'],
    [360, 'doubtful'],
    [361, 'loss'],
  ])('classifies %i days past due as %s by default', (days, expected) => {
    expect(classifyLoan(days, DEFAULT_CLASSIFICATION_POLICY)).toBe(expected);
  });

  it.each([
    [90, 'special_mention'],
    [91, 'substandard'],
    [121, 'doubtful'],
    [180, 'doubtful'],
    [181, 'loss'],
  ])('classifies a credit card %i days past due as %s', (days, expected) => {
    expect(classifyLoan(days, CREDIT_CARD_CLASSIFICATION_POLICY)).toBe(
      expected,
    );
  });

  it('follows configured thresholds', () => {
    const policy = {
      specialMentionAfterDays: 5,
      substandardAfterDays: 60,
      doubtfulAfterDays: 180,
      lossAfterDays: 300,
    };
    expect(classifyLoan(5, policy)).toBe('normal');
    expect(classifyLoan(6, policy)).toBe('special_mention');
    expect(classifyLoan(61, policy)).toBe('substandard');
    expect(classifyLoan(181, policy)).toBe('doubtful');
    expect(classifyLoan(301, policy)).toBe('loss');
  });

  it('rejects thresholds that do not increase as a programmer error', () => {
    const policy = { ...DEFAULT_CLASSIFICATION_POLICY, doubtfulAfterDays: 90 };
    expect(() => classifyLoan(10, policy)).toThrow(/increase/);
  });
});
