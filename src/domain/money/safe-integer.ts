import { assert } from '../shared/assert.js';
import { divRound, type Rounding } from './rounding.js';

// Hot loops (a 360-period schedule runs ten arithmetic steps a period) hold
// fen as safe integers in `number`: V8's BigInt costs about 80 ns an
// operation against about 1 ns, and every value is an exact integer below
// 2^53 (9.0 × 10^15), far above FEN_MAX-bounded loan amounts (10^11 fen). A
// product that could pass 2^53 is computed in bigint instead. This is integer
// arithmetic, never fractional floating point: results leave as bigint Fen.

/** (a × b) / d, rounded once by name; a, b, d non-negative safe integers. */
export function mulDivRound(
  a: number,
  b: number,
  d: number,
  rounding: Rounding,
): number {
  const product = a * b;
  if (product > Number.MAX_SAFE_INTEGER)
    return mulDivRoundBig(a, b, d, rounding);
  // The float quotient of two safe integers is within one of the true floor;
  // correct it with the exact remainder.
  let quotient = Math.floor(product / d);
  let remainder = product - quotient * d;
  if (remainder < 0) {
    quotient -= 1;
    remainder += d;
  } else if (remainder >= d) {
    quotient += 1;
    remainder -= d;
  }
  if (rounding === 'down' || remainder === 0) return quotient;
  const above = d - remainder; // distance to the next integer, in 1/d units
  if (remainder > above) return quotient + 1;
  if (remainder < above) return quotient;
  return rounding === 'half_up' || quotient % 2 === 1 ? quotient + 1 : quotient;
}

// Kept out of `mulDivRound` so that V8 inlines the common path into loops.
function mulDivRoundBig(
  a: number,
  b: number,
  d: number,
  rounding: Rounding,
): number {
  return toSafe(divRound(BigInt(a) * BigInt(b), BigInt(d), rounding));
}

const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** Converts a bigint that must be a safe integer (a bound was checked). */
export function toSafe(value: bigint): number {
  assert(
    value <= SAFE_MAX && value >= -SAFE_MAX,
    () => `toSafe: ${value} beyond 2^53`,
  );
  return Number(value);
}
