import { type Fen, fen } from '../../money/fen.js';
import type { Rate } from '../../money/rate.js';
import { divRound, type Rounding } from '../../money/rounding.js';
import type { DayCount } from './types.js';

/**
 * How the interest of one period is counted. A regular period under 30/360 is
 * one twelfth of a year; a broken period, and every period under an actual
 * day count, is the actual number of days over the year basis.
 */
export type PeriodLength =
  | { readonly kind: 'month' }
  | { readonly kind: 'days'; readonly days: number };

export function yearBasisDays(dayCount: DayCount): bigint {
  return dayCount === 'actual/365' ? 365n : 360n;
}

/**
 * Interest on `balanceFen` for one period: balance × annual rate × length,
 * computed exactly and rounded once, by name (divide last).
 *
 * @example
 * periodInterestFen(100_000_000n as Fen, parseRate('0.049'), { kind: 'month' }, '30/360', 'half_up');
 * // 408_333n (4083.33 yuan)
 */
export function periodInterestFen(
  balanceFen: Fen,
  rateAnnual: Rate,
  length: PeriodLength,
  dayCount: DayCount,
  rounding: Rounding,
): Fen {
  const numerator = balanceFen * rateAnnual.numerator;
  if (length.kind === 'month') {
    return fen(divRound(numerator, rateAnnual.denominator * 12n, rounding));
  }
  return fen(
    divRound(
      numerator * BigInt(length.days),
      rateAnnual.denominator * yearBasisDays(dayCount),
      rounding,
    ),
  );
}
