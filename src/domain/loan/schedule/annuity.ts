import { type Fen, fen } from '../../money/fen.js';
import type { Rate } from '../../money/rate.js';
import { divRound, type Rounding } from '../../money/rounding.js';
import { assert } from '../../shared/assert.js';

// (1 + r)^m for m up to 360 is a 5,000-bit integer and costs about 20 µs to
// raise; a lending book reuses a handful of (rate, term) pairs, so the exact
// powers are memoised. The cache is bounded and holds only derived
// constants, never customer data; it does not change any result.
const POWERS_CACHE_ENTRIES_MAX = 512;
const powersCache = new Map<
  string,
  { readonly am: bigint; readonly bm: bigint }
>();

function powers(rateAnnual: Rate, periods: number, a: bigint, b: bigint) {
  const key = `${rateAnnual.numerator}/${rateAnnual.denominator}/${periods}`;
  const cached = powersCache.get(key);
  if (cached !== undefined) return cached;
  const m = BigInt(periods);
  const value = { am: a ** m, bm: b ** m };
  if (powersCache.size >= POWERS_CACHE_ENTRIES_MAX) powersCache.clear();
  powersCache.set(key, value);
  return value;
}

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
  if (rateAnnual.numerator === 0n) {
    return fen(
      divRound(balanceFen, BigInt(periods) * multipleFen, rounding) *
        multipleFen,
    );
  }
  const b = 12n * rateAnnual.denominator;
  const a = b + rateAnnual.numerator;
  const { am, bm } = powers(rateAnnual, periods, a, b);
  const numerator = balanceFen * rateAnnual.numerator * am;
  const denominator = b * (am - bm) * multipleFen;
  return fen(divRound(numerator, denominator, rounding) * multipleFen);
}
