import { type Fen, fen } from '../../money/fen.js';
import type { Rate } from '../../money/rate.js';
import { divRound, type Rounding } from '../../money/rounding.js';
import { mulDivRound, toSafe } from '../../money/safe-integer.js';
import type { DayCount } from './types.js';

/**
 * How the interest of one period is counted. A regular period under 30/360 is
 * one twelfth of a year; a broken period, and every period under an actual
 * day count, is the actual number of days over the year basis.
 */
export type PeriodLength =
  | { readonly kind: 'month' }
  | { readonly kind: 'days'; readonly days: number };

export const ONE_MONTH: PeriodLength = { kind: 'month' };

export function yearBasisDays(dayCount: DayCount): bigint {
  return dayCount === 'actual/365' ? 365n : 360n;
}

/** A rate as safe integers, for the schedule kernel (see money/safe-integer.ts). */
export type SafeRate = {
  readonly numerator: number;
  readonly denominator: number;
};

export function safeRate(rate: Rate): SafeRate {
  return {
    numerator: toSafe(rate.numerator),
    denominator: toSafe(rate.denominator),
  };
}

/**
 * Interest on `balance` fen for one period: balance × annual rate × length,
 * computed exactly and rounded once, by name (divide last).
 */
export function periodInterest(
  balance: number,
  rate: SafeRate,
  length: PeriodLength,
  dayCount: DayCount,
  rounding: Rounding,
): number {
  if (length.kind === 'month') {
    return mulDivRound(
      balance,
      rate.numerator,
      rate.denominator * 12,
      rounding,
    );
  }
  return daysInterest(balance, rate, length.days, dayCount, rounding);
}

// Kept out of `periodInterest` so that V8 inlines the monthly path into the
// schedule loop.
function daysInterest(
  balance: number,
  rate: SafeRate,
  days: number,
  dayCount: DayCount,
  rounding: Rounding,
): number {
  const basis = dayCount === 'actual/365' ? 365 : 360;
  const factor = rate.numerator * days;
  if (factor > Number.MAX_SAFE_INTEGER) {
    return toSafe(
      divRound(
        BigInt(balance) * BigInt(rate.numerator) * BigInt(days),
        BigInt(rate.denominator) * BigInt(basis),
        rounding,
      ),
    );
  }
  return mulDivRound(balance, factor, rate.denominator * basis, rounding);
}

/**
 * `periodInterest` on Fen, for callers outside the kernel.
 *
 * @example
 * periodInterestFen(100_000_000n as Fen, parseRate('0.049'), ONE_MONTH, '30/360', 'half_up');
 * // 408_333n (4083.33 yuan)
 */
export function periodInterestFen(
  balanceFen: Fen,
  rateAnnual: Rate,
  length: PeriodLength,
  dayCount: DayCount,
  rounding: Rounding,
): Fen {
  return fen(
    BigInt(
      periodInterest(
        toSafe(balanceFen),
        safeRate(rateAnnual),
        length,
        dayCount,
        rounding,
      ),
    ),
  );
}
