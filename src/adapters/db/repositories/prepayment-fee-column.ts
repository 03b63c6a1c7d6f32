import {
  NO_PREPAYMENT_FEE_TERMS,
  type PrepaymentFeeTerms,
} from '../../../domain/loan/early-repayment/prepayment-fee.js';
import { assert } from '../../../domain/shared/assert.js';
import { TERM_MONTHS_MAX } from '../../../domain/shared/limits.js';
import { rateText, readRate } from './repository-context.js';

// The `prepayment_fee` column of products and loans: the contract's
// early-repayment fee terms as canonical JSON (see the 2026-12-08_3_2
// migration). Null reads as no fee.

export function feeTermsText(terms: PrepaymentFeeTerms): string {
  if (terms.kind === 'none') return JSON.stringify({ kind: 'none' });
  if (terms.kind === 'share_of_prepaid')
    return JSON.stringify({
      kind: terms.kind,
      share: rateText(terms.shareOfPrincipal),
      free_after_months: terms.freeAfterMonths,
    });
  return JSON.stringify({
    kind: terms.kind,
    months: terms.months,
    free_after_months: terms.freeAfterMonths,
  });
}

const whole = (value: unknown, max: number): number => {
  assert(
    typeof value === 'number' &&
      Number.isInteger(value) &&
      value >= 0 &&
      value <= max,
    `prepayment_fee: ${String(value)} out of 0..${max}`,
  );
  return value;
};

export function readFeeTerms(text: string | null): PrepaymentFeeTerms {
  if (text === null) return NO_PREPAYMENT_FEE_TERMS;
  const value = JSON.parse(text) as Record<string, unknown>;
  if (value.kind === 'none') return NO_PREPAYMENT_FEE_TERMS;
  const freeAfterMonths = whole(value.free_after_months, TERM_MONTHS_MAX);
  if (value.kind === 'share_of_prepaid') {
    assert(typeof value.share === 'string', 'prepayment_fee: share');
    return {
      kind: 'share_of_prepaid',
      shareOfPrincipal: readRate(value.share),
      freeAfterMonths,
    };
  }
  assert(
    value.kind === 'months_of_interest',
    `prepayment_fee: kind ${String(value.kind)}`,
  );
  return {
    kind: 'months_of_interest',
    months: whole(value.months, 12),
    freeAfterMonths,
  };
}
