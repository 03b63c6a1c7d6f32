// Proves the question-pair similarity: identical questions score 1, disjoint
// ones 0, it is symmetric and within 0..1 for any term lists (fast-check),
// and a heavy shared term counts more than a light one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { termCoverage, termSetSimilarity } from './similarity.js';
import { uniformTermWeight } from './term-weight.js';

const terms = fc.array(
  fc.constantFrom('w:征信', 'w:逾期', 'w:怎么', 'c:征信', 'c:逾期', 'w:放款'),
  { maxLength: 6 },
);

describe('term-set similarity', () => {
  it('is 1 for the same terms and 0 for disjoint ones', () => {
    const a = ['w:征信', 'c:征信'];
    expect(termSetSimilarity(a, [...a], uniformTermWeight)).toBeCloseTo(1, 12);
    expect(termSetSimilarity(a, ['w:放款'], uniformTermWeight)).toBe(0);
  });

  it('is symmetric and within 0..1', () => {
    fc.assert(
      fc.property(terms, terms, (a, b) => {
        const ab = termSetSimilarity(a, b, uniformTermWeight);
        const ba = termSetSimilarity(b, a, uniformTermWeight);
        expect(ab).toBeCloseTo(ba, 12);
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('counts a heavy shared term more than a light one', () => {
    const weight = (term: string) => (term === 'w:征信' ? 5 : 1);
    const heavy = termSetSimilarity(
      ['w:征信', 'w:怎么'],
      ['w:征信', 'w:多久'],
      weight,
    );
    const light = termSetSimilarity(
      ['w:征信', 'w:怎么'],
      ['w:怎么', 'w:多久'],
      weight,
    );
    expect(heavy).toBeGreaterThan(light);
  });

  it('is 0 when either side is empty', () => {
    expect(termSetSimilarity([], ['w:征信'], uniformTermWeight)).toBe(0);
  });
});

describe('term coverage', () => {
  it('is the weighted share of the question the vocabulary holds', () => {
    const weight = (term: string) => (term === 'w:征信' ? 3 : 1);
    const coverage = termCoverage(
      ['w:征信', 'w:怎么'],
      new Set(['w:征信']),
      weight,
    );
    expect(coverage).toBeCloseTo(9 / 10, 12);
  });
});
