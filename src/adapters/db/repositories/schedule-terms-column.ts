import { formatFen } from '../../../contracts/money.js';
import type { Fee, LoanTerms } from '../../../domain/loan/schedule/types.js';
import { assert } from '../../../domain/shared/assert.js';
import { calendarDate } from '../../../domain/shared/calendar-date.js';
import { parseLoanTerms } from '../../wire/schedule-codec.js';
import { rateText } from './repository-context.js';

// The `loans.schedule_terms` column: the loan engine's terms of a schedule
// version in the `loandesk schedule` input shape (spec/contracts.md), so
// the stored text reads with the same parser as the CLI and the API.
// Prepayments are not part of it: they are rows of `loan_prepayments`.

function feeJson(fee: Fee) {
  if (fee.kind === 'upfront')
    return { kind: 'upfront', amount: formatFen(fee.amountFen) };
  if (fee.kind === 'monthly_rate')
    return { kind: 'monthly', rate: rateText(fee.rateOfPrincipal) };
  return { kind: 'monthly', amount: formatFen(fee.amountFen) };
}

export function scheduleTermsText(terms: LoanTerms): string {
  assert(terms.prepayments.length === 0, 'schedule_terms: no prepayments');
  return JSON.stringify({
    principal: formatFen(terms.principalFen),
    annual_rate: rateText(terms.rateAnnual),
    term_months: terms.termMonths,
    method: terms.method,
    start_date: terms.startDate,
    ...(terms.firstDueDate === undefined
      ? {}
      : { first_due_date: terms.firstDueDate }),
    day_count: terms.dayCount,
    rounding: terms.rounding,
    payment_multiple: formatFen(terms.paymentMultipleFen),
    interest_only_periods: terms.interestOnlyPeriods,
    fees: terms.fees.map(feeJson),
  });
}

export function readScheduleTerms(text: string): LoanTerms {
  // start_date is always stored, so the parser's default date is unused.
  return parseLoanTerms(JSON.parse(text), calendarDate('1970-01-01'));
}
