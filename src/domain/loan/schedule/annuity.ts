import { type Fen, fen } from '../../money/fen.js';
import type { Rate } from '../../money/rate.js';
import { divRound, type Rounding } from '../../money/rounding.js';
import { toSafe } from '../../money/safe-integer.js';
import { assert } from '../../shared/assert.js';

// With r = n/(12d), a = 12d + n and b = 12d, the annuity installment
// B·r·(1+r)^m / ((1+r)^m − 1) equals B·K with K = n·a^m / (b·(a^m − b^m)), a
// ratio of integers. a^m for m up to 360 is a 5,000-bit integer and costs
// about 20 µs to raise, and a lending book reuses a handful of (rate, term)
// pairs, so K is memoised per pair. The cache is bounded and holds only
// derived constants, never customer data; it does not change any result.
const FACTORS_CACHE_ENTRIES_MAX = 512;

type Factor = {
  readonly periods: number;
  readonly rateNumerator: bigint;
  readonly rateDenominator: bigint;
  /** n·a^m, exact. */
  readonly kNumerator: bigint;
  /** b·(a^m − b^m), exact. */
  readonly kDenominator: bigint;
  /** K as the double nearest to it (relative error below 2^-52). */
  readonly k: number;
};

const factorsCache = new Map<string, Factor>();
let lastFactor: Factor | undefined;

// 2^64: K ≥ 1/m ≥ 1/360, so K·2^64 has more than 53 bits and truncating it
// to an integer before the conversion to a double costs under 2^-55.
const SCALE_BITS = 64n;
const SCALE = 2 ** 64;

function factor(rateAnnual: Rate, periods: number): Factor {
  const last = lastFactor;
  if (
    last !== undefined &&
    last.periods === periods &&
    last.rateNumerator === rateAnnual.numerator &&
    last.rateDenominator === rateAnnual.denominator
  ) {
    return last;
  }
  const key = `${rateAnnual.numerator}/${rateAnnual.denominator}/${periods}`;
  let value = factorsCache.get(key);
  if (value === undefined) {
    const b = 12n * rateAnnual.denominator;
    const a = b + rateAnnual.numerator;
    const m = BigInt(periods);
    const kNumerator = rateAnnual.numerator * a ** m;
    const kDenominator = b * (a ** m - b ** m);
    value = {
      periods,
      rateNumerator: rateAnnual.numerator,
      rateDenominator: rateAnnual.denominator,
      kNumerator,
      kDenominator,
      k: Number((kNumerator << SCALE_BITS) / kDenominator) / SCALE,
    };
    if (factorsCache.size >= FACTORS_CACHE_ENTRIES_MAX) factorsCache.clear();
    factorsCache.set(key, value);
  }
  lastFactor = value;
  return value;
}

// Amounts up to this many fen take the double path below: B·K then stays far
// below 2^53, where doubles hold every integer and every half.
const FAST_BALANCE_FEN_MAX = 2 ** 50;

/**
 * B·K / multiple rounded by name, from the double x = B·K/multiple, or
 * undefined when x is too close to a rounding boundary to decide. x is three
 * correctly rounded double steps from the exact value (K, the product, the
 * quotient), so |x − exact| < x·2^-50; anything farther than x·2^-48 from the
 * boundary rounds the same way as the exact ratio.
 */
function roundedFast(
  balance: number,
  k: number,
  multiple: number,
  rounding: Rounding,
): number | undefined {
  const x = (balance * k) / multiple;
  const slack = x * 2 ** -48;
  const floor = Math.floor(x);
  const fraction = x - floor; // exact: x < 2^53
  if (rounding === 'down') {
    if (fraction <= slack || 1 - fraction <= slack) return undefined;
    return floor;
  }
  if (Math.abs(fraction - 0.5) <= slack) return undefined;
  return fraction > 0.5 ? floor + 1 : floor;
}

/**
 * The level installment (等额本息 月供) that repays `balanceFen` over
 * `periods` months at `rateAnnual / 12` a month, rounded once to a multiple of
 * `multipleFen`.
 *
 * Exact: the installment is B·K rounded once by name, K the ratio of
 * integers above. A double estimate decides the rounding when it is provably
 * far enough from the boundary; otherwise (ties, near-ties) the exact integer
 * ratio does.
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
  const k = factor(rateAnnual, periods);
  if (balanceFen <= FAST_BALANCE_FEN_MAX && balanceFen >= 0n) {
    const multiple = Number(multipleFen);
    const fast = roundedFast(Number(balanceFen), k.k, multiple, rounding);
    if (fast !== undefined) return fen(BigInt(fast * multiple));
  }
  return annuityPaymentFenExact(balanceFen, k, rounding, multipleFen);
}

/**
 * `annuityPaymentFen` for the schedule kernel, on fen held as a safe integer
 * (money/safe-integer.ts): the usual loan never leaves `number`.
 */
export function annuityPaymentSafe(
  balance: number,
  rateAnnual: Rate,
  periods: number,
  rounding: Rounding,
  multipleFen: Fen,
): number {
  if (
    rateAnnual.numerator !== 0n &&
    periods >= 1 &&
    balance >= 0 &&
    balance <= FAST_BALANCE_FEN_MAX &&
    multipleFen >= 1n
  ) {
    const multiple = Number(multipleFen);
    const k = factor(rateAnnual, periods);
    const fast = roundedFast(balance, k.k, multiple, rounding);
    if (fast !== undefined) return fast * multiple;
  }
  return toSafe(
    annuityPaymentFen(
      fen(BigInt(balance)),
      rateAnnual,
      periods,
      rounding,
      multipleFen,
    ),
  );
}

function annuityPaymentFenExact(
  balanceFen: Fen,
  k: Factor,
  rounding: Rounding,
  multipleFen: Fen,
): Fen {
  const numerator = balanceFen * k.kNumerator;
  const denominator = k.kDenominator * multipleFen;
  return fen(divRound(numerator, denominator, rounding) * multipleFen);
}

/**
 * `annuityPaymentFen` by integer arithmetic alone, for tests that check the
 * double path against it.
 */
export function annuityPaymentFenByIntegers(
  balanceFen: Fen,
  rateAnnual: Rate,
  periods: number,
  rounding: Rounding,
  multipleFen: Fen,
): Fen {
  assert(rateAnnual.numerator > 0n, 'annuity: positive rate only');
  return annuityPaymentFenExact(
    balanceFen,
    factor(rateAnnual, periods),
    rounding,
    multipleFen,
  );
}
