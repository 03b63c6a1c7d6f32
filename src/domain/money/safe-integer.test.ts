import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divRound, type Rounding } from './rounding.js';
import { mulDivRound } from './safe-integer.js';

describe('mulDivRound', () => {
  it('equals the bigint reference for every policy, across and beyond 2^53', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.oneof(
          fc.integer({ min: 0, max: 1000 }),
          fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        ),
        fc.oneof(
          fc.integer({ min: 1, max: 400 }),
          fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        ),
        fc.constantFrom<Rounding>('half_up', 'half_even', 'down'),
        (a, b, d, rounding) => {
          const expected = divRound(BigInt(a) * BigInt(b), BigInt(d), rounding);
          // Callers only divide down to amounts, which are safe integers.
          if (expected > BigInt(Number.MAX_SAFE_INTEGER)) return true;
          return BigInt(mulDivRound(a, b, d, rounding)) === expected;
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('refuses a quotient beyond 2^53 rather than lose a fen', () => {
    expect(() => mulDivRound(Number.MAX_SAFE_INTEGER, 4, 3, 'down')).toThrow(
      /beyond 2\^53/,
    );
  });

  it.each<[number, number, number, Rounding, number]>([
    [5, 1, 2, 'half_up', 3],
    [5, 1, 2, 'half_even', 2],
    [7, 1, 2, 'half_even', 4],
    [100_000_000, 49, 12_000, 'half_up', 408_333],
  ])('rounds %i × %i / %i with %s to %i', (a, b, d, rounding, expected) => {
    expect(mulDivRound(a, b, d, rounding)).toBe(expected);
  });
});
