// Proves the early-warning scorecard is what it says: bands cover every
// value, the score is the sum of the bands' points with their Chinese
// reasons largest first, the probability rises with the score, and the AUC
// helper matches the definition (share of good/bad pairs ranked right).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  areaUnderRoc,
  assertScorecard,
  createEarlyWarningScorer,
  DEFAULT_SCORECARD,
  type EarlyWarningFeatures,
  earlyWarningScore,
} from './early-warning.js';

const CLEAN: EarlyWarningFeatures = {
  maxDaysPastDue: 0,
  overdueEpisodes: 0,
  partialPayments: 0,
  failedContacts: 0,
  debtToIncomeBp: 1_000,
  monthsOnBook: 24,
};

describe('early-warning score', () => {
  it('has bands that cover every value', () => {
    expect(() => assertScorecard(DEFAULT_SCORECARD)).not.toThrow();
  });

  it('scores a clean borrower 0 and explains every point of a risky one', () => {
    const clean = earlyWarningScore(CLEAN, DEFAULT_SCORECARD);
    expect(clean.score).toBe(0);
    expect(clean.reasons).toEqual([]);
    const risky = earlyWarningScore(
      {
        ...CLEAN,
        maxDaysPastDue: 12,
        partialPayments: 1,
        debtToIncomeBp: undefined,
      },
      DEFAULT_SCORECARD,
    );
    expect(risky.reasons.map((r) => [r.code, r.points])).toEqual([
      ['max_dpd_8_30', 170],
      ['partial_1', 50],
      ['dti_unknown', 40],
    ]);
    expect(risky.score).toBe(260);
    expect(risky.reasons[0]?.reason).toBe('历史最长逾期8至30天');
    expect(risky.probability).toBeGreaterThan(clean.probability);
  });

  it('never scores below 0 or above 1000, and more risk never lowers it', () => {
    const features = fc.record({
      maxDaysPastDue: fc.integer({ min: 0, max: 400 }),
      overdueEpisodes: fc.integer({ min: 0, max: 10 }),
      partialPayments: fc.integer({ min: 0, max: 10 }),
      failedContacts: fc.integer({ min: 0, max: 10 }),
      debtToIncomeBp: fc.integer({ min: 0, max: 20_000 }),
      monthsOnBook: fc.integer({ min: 0, max: 120 }),
    });
    fc.assert(
      fc.property(features, (f) => {
        const base = earlyWarningScore(f, DEFAULT_SCORECARD);
        const worse = earlyWarningScore(
          { ...f, maxDaysPastDue: f.maxDaysPastDue + 30 },
          DEFAULT_SCORECARD,
        );
        expect(base.score).toBeGreaterThanOrEqual(0);
        expect(base.score).toBeLessThanOrEqual(1000);
        expect(worse.score).toBeGreaterThanOrEqual(base.score);
      }),
    );
  });

  it('remembers scores per band combination without changing them', () => {
    const scorer = createEarlyWarningScorer(DEFAULT_SCORECARD);
    const features = fc.record({
      maxDaysPastDue: fc.integer({ min: 0, max: 400 }),
      overdueEpisodes: fc.integer({ min: 0, max: 10 }),
      partialPayments: fc.integer({ min: 0, max: 10 }),
      failedContacts: fc.integer({ min: 0, max: 10 }),
      debtToIncomeBp: fc.option(fc.integer({ min: 0, max: 20_000 }), {
        nil: undefined,
      }),
      monthsOnBook: fc.integer({ min: 0, max: 120 }),
    });
    fc.assert(
      fc.property(features, (f) => {
        const direct = earlyWarningScore(f, DEFAULT_SCORECARD);
        const remembered = scorer(f);
        expect(remembered).toMatchObject(direct);
        expect(JSON.parse(remembered.reasonsJson)).toEqual(direct.reasons);
      }),
      { numRuns: 300 },
    );
  });

  it('computes AUC as the share of bad/good pairs ranked right', () => {
    const pairs = fc.array(
      fc.tuple(fc.integer({ min: 0, max: 20 }), fc.constantFrom<0 | 1>(0, 1)),
      { minLength: 2, maxLength: 40 },
    );
    fc.assert(
      fc.property(pairs, (rows) => {
        const bad = rows.filter((r) => r[1] === 1);
        const good = rows.filter((r) => r[1] === 0);
        fc.pre(bad.length > 0 && good.length > 0);
        let right = 0;
        for (const b of bad)
          for (const g of good)
            right += b[0] > g[0] ? 1 : b[0] === g[0] ? 0.5 : 0;
        expect(
          areaUnderRoc(
            rows.map((r) => r[0]),
            rows.map((r) => r[1]),
          ),
        ).toBeCloseTo(right / (bad.length * good.length), 10);
      }),
    );
  });
});
