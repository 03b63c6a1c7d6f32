import { assert, assertNever } from '../shared/assert.js';

/** Named rounding policies; the ids are those of spec/contracts.md. */
export type Rounding = 'half_up' | 'half_even' | 'down';

export const ROUNDINGS: readonly Rounding[] = ['half_up', 'half_even', 'down'];

/**
 * The only way a fraction becomes an integer: numerator / denominator, rounded
 * once, by name. Half-up and half-even round ties away from zero and to even;
 * `down` truncates toward zero.
 *
 * @example
 * divRound(5n, 2n, 'half_up'); // 3n
 */
export function divRound(
  numerator: bigint,
  denominator: bigint,
  rounding: Rounding,
): bigint {
  assert(denominator !== 0n, 'divRound: division by zero');
  if (denominator < 0n) return divRound(-numerator, -denominator, rounding);
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const quotient = magnitude / denominator;
  const twiceRemainder = (magnitude - quotient * denominator) * 2n;
  let rounded: bigint;
  switch (rounding) {
    case 'down':
      rounded = quotient;
      break;
    case 'half_up':
      rounded = twiceRemainder >= denominator ? quotient + 1n : quotient;
      break;
    case 'half_even':
      if (twiceRemainder > denominator) rounded = quotient + 1n;
      else if (twiceRemainder < denominator) rounded = quotient;
      else rounded = quotient % 2n === 0n ? quotient : quotient + 1n;
      break;
    default:
      return assertNever(rounding, 'divRound: unknown rounding');
  }
  return negative ? -rounded : rounded;
}
