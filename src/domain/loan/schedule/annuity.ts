import { type Fen, fen } from '../../money/fen.js';
import type { Rate } from '../../money/rate.js';
import { divRound, type Rounding } from '../../money/rounding.js';
import { assert } from '../../shared/assert.js';

/**
 * The level installment (等额本息 月供) that repays `balanceFen` over
 * `periods` months at `rateAnnual / 12` a month, rounded once to a multiple of
 * `multipleFen`.
 *
 * Exact: with r = n/(12d), a = 12d + n and b = 12d, the annuity
 * B·r·(1+r)^m / ((1+r)^m − 1) equals B·n·a^m / (b·(a^m − b^m)), a ratio of
 * integers, so the only rounding is the named one at the end.
 *
 * @example
 * annuityPaymentFen(100_000_000n as Fen, parseRate('0.049'), 360, 'half_up', 1n as Fen);
 * // 530_727n (5307.27 yuan)
 */
export function annuityPaymentFen(
  balanceFen: Fen,
  rateAnnual: Rate,
  periods: number,
  rounding: Rounding,
  multipleFen: Fen,
): Fen {
  assert(periods >= 1, 'annuity: periods must be at least 1');
  assert(multipleFen >= 1n, 'annuity: multiple must be at least one fen');
  const m = BigInt(periods);
  if (rateAnnual.numerator === 0n) {
    return fen(divRound(balanceFen, m * multipleFen, rounding) * multipleFen);
  }
  const b = 12n * rateAnnual.denominator;
  const a = b + rateAnnual.numerator;
  const am = a ** m;
  const bm = b ** m;
  const numerator = balanceFen * rateAnnual.numerator * am;
  const denominator = b * (am - bm) * multipleFen;
  return fen(divRound(numerator, denominator, rounding) * multipleFen);
}
