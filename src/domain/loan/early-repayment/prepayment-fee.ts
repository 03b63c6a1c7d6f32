import { type Fen, fen, ZERO_FEN } from '../../money/fen.js';
import { formatRate, type Rate } from '../../money/rate.js';
import { divRound, type Rounding } from '../../money/rounding.js';
import {
  addMonths,
  type CalendarDate,
  daysBetween,
} from '../../shared/calendar-date.js';

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

/**
 * The early-repayment fee as a product's contract states it (合同约定):
 * the fee-free point is counted in calendar months from the loan's start
 * ("放款满12个月后免收"), so the same terms give each loan its own day
 * count. `none` for products that charge nothing.
 */
export type PrepaymentFeeTerms =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'share_of_prepaid';
      readonly shareOfPrincipal: Rate;
      readonly freeAfterMonths: number;
    }
  | {
      readonly kind: 'months_of_interest';
      readonly months: number;
      readonly freeAfterMonths: number;
    };

export const NO_PREPAYMENT_FEE_TERMS: PrepaymentFeeTerms = { kind: 'none' };

/** The policy the engine applies to a loan started on `startDate`. */
export function feePolicyFor(
  terms: PrepaymentFeeTerms,
  startDate: CalendarDate,
): PrepaymentFeePolicy {
  if (terms.kind === 'none') return NO_PREPAYMENT_FEE;
  const freeAfterDays = daysBetween(
    startDate,
    addMonths(startDate, terms.freeAfterMonths),
  );
  return terms.kind === 'share_of_prepaid'
    ? {
        kind: 'share_of_prepaid',
        shareOfPrincipal: terms.shareOfPrincipal,
        freeAfterDays,
      }
    : { kind: 'months_of_interest', months: terms.months, freeAfterDays };
}

/** The terms in a sentence for staff and borrowers (disclosed with every quote). */
export function describeFeeTermsZh(terms: PrepaymentFeeTerms): string {
  if (terms.kind === 'none') return '本合同提前还款不收取违约金。';
  const free =
    terms.freeAfterMonths > 0
      ? `贷款发放满 ${terms.freeAfterMonths} 个月后提前还款不收取违约金；未满 ${terms.freeAfterMonths} 个月的，`
      : '';
  const charge =
    terms.kind === 'share_of_prepaid'
      ? `按提前归还本金的 ${percentText(terms.shareOfPrincipal)} 收取违约金。`
      : `按提前归还本金 ${terms.months} 个月的利息收取违约金。`;
  return `${free}${charge}`;
}

function percentText(share: Rate): string {
  const hundredths = formatRate(
    { numerator: share.numerator * 100n, denominator: share.denominator },
    4,
  ).replace(/\.?0+$/, '');
  return `${hundredths}%`;
}
