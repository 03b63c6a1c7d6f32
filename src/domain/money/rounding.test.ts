import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divRound, type Rounding } from './rounding.js';

describe('divRound', () => {
  it.each<[bigint, bigint, Rounding, bigint]>([
    [5n, 2n, 'half_up', 3n],
    [5n, 2n, 'half_even', 2n],
    [7n, 2n, 'half_even', 4n],
    [5n, 2n, 'down', 2n],
    [-5n, 2n, 'half_up', -3n],
    [-5n, 2n, 'half_even', -2n],
    [-7n, 2n, 'down', -3n],
    [14n, 10n, 'half_up', 1n],
    [15n, 10n, 'half_up', 2n],
    [25n, 10n, 'half_even', 2n],
    [26n, 10n, 'half_even', 3n],
    [5n, -2n, 'half_up', -3n],
  ])(
    'rounds %i / %i with %s to %i',
    (numerator, denominator, rounding, expected) => {
      expect(divRound(numerator, denominator, rounding)).toBe(expected);
    },
  );

  it('stays within half a unit of the exact quotient for every policy', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.constantFrom<Rounding>('half_up', 'half_even', 'down'),
        (numerator, denominator, rounding) => {
          const q = divRound(numerator, denominator, rounding);
          const error = q * denominator - numerator; // in units of 1/denominator
          const magnitude = error < 0n ? -error : error;
          if (rounding === 'down') return magnitude < denominator;
          return magnitude * 2n <= denominator;
        },
      ),
    );
  });
});
