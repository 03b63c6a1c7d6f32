import { type Fen, fen, ZERO_FEN } from '../../money/fen.js';
import type { Rate } from '../../money/rate.js';
import { divRound, type Rounding } from '../../money/rounding.js';
import { type CalendarDate, daysBetween } from '../../shared/calendar-date.js';

/**
 * The early-repayment fee (提前还款违约金) a contract sets. Many lenders charge
 * a share of the prepaid principal within the first year(s) and nothing after;
 * some charge a number of months of interest. The contract decides: this is
 * configuration, never a constant in the math.
 */
export type PrepaymentFeePolicy =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'share_of_prepaid';
      readonly shareOfPrincipal: Rate;
      /** No fee once the loan is at least this many days old. */
      readonly freeAfterDays: number;
    }
  | {
      readonly kind: 'months_of_interest';
      readonly months: number;
      readonly freeAfterDays: number;
    };

export const NO_PREPAYMENT_FEE: PrepaymentFeePolicy = { kind: 'none' };

export function prepaymentFeeFen(
  policy: PrepaymentFeePolicy,
  input: {
    readonly prepaidPrincipalFen: Fen;
    readonly monthlyInterestFen: Fen;
    readonly startDate: CalendarDate;
    readonly asOf: CalendarDate;
    readonly rounding: Rounding;
  },
): Fen {
  if (policy.kind === 'none') return ZERO_FEN;
  if (daysBetween(input.startDate, input.asOf) >= policy.freeAfterDays)
    return ZERO_FEN;
  if (policy.kind === 'share_of_prepaid') {
    return fen(
      divRound(
        input.prepaidPrincipalFen * policy.shareOfPrincipal.numerator,
        policy.shareOfPrincipal.denominator,
        input.rounding,
      ),
    );
  }
  return fen(input.monthlyInterestFen * BigInt(policy.months));
}
