import { FEN_MAX } from '../../money/fen.js';
import { compareRate, rate } from '../../money/rate.js';
import {
  FEES_MAX,
  PREPAYMENTS_MAX,
  TERM_MONTHS_MAX,
} from '../../shared/limits.js';
import { err, ok, type Result } from '../../shared/result.js';
import {
  FIRST_PERIOD_DAYS_MAX,
  FIRST_PERIOD_DAYS_MIN,
  firstPeriodDays,
} from './due-dates.js';
import type { ScheduleError } from './errors.js';
import type { LoanTerms } from './types.js';

// Bound: a single loan of at most 1 billion yuan (10^11 fen). It keeps every
// intermediate product of interest arithmetic small and is far above any
// retail or SME loan this product services.
export const PRINCIPAL_FEN_MAX = 10n ** 11n;
// Bound: an annual rate above 100 % is a typing error (0.049 typed as 4.9),
// not a loan; legal caps for licensed lenders are far lower.
export const RATE_ANNUAL_MAX = rate(1n, 1n);
// Bound: installments may be rounded to at most a multiple of 10,000 yuan.
export const PAYMENT_MULTIPLE_FEN_MAX = 1_000_000n;

type Check = ScheduleError | undefined;

function checkAmounts(terms: LoanTerms): Check {
  if (terms.principalFen <= 0n) {
    return {
      code: 'schedule.principal_not_positive',
      field: 'principal',
      detail: 'must be greater than 0',
    };
  }
  if (terms.principalFen > PRINCIPAL_FEN_MAX) {
    return {
      code: 'schedule.principal_too_large',
      field: 'principal',
      detail: 'must be at most 1000000000 yuan',
    };
  }
  if (compareRate(terms.rateAnnual, RATE_ANNUAL_MAX) > 0) {
    return {
      code: 'schedule.rate_out_of_range',
      field: 'annual_rate',
      detail: 'must be a decimal between 0 and 1 (0.049 for 4.9 %)',
    };
  }
  if (
    terms.paymentMultipleFen < 1n ||
    terms.paymentMultipleFen > PAYMENT_MULTIPLE_FEN_MAX
  ) {
    return {
      code: 'schedule.payment_multiple_out_of_range',
      field: 'payment_multiple',
      detail: 'must be between 0.01 and 10000 yuan',
    };
  }
  return undefined;
}

function checkPeriods(terms: LoanTerms): Check {
  if (
    !Number.isInteger(terms.termMonths) ||
    terms.termMonths < 1 ||
    terms.termMonths > TERM_MONTHS_MAX
  ) {
    return {
      code: 'schedule.term_months_out_of_range',
      field: 'term_months',
      detail: `must be a whole number from 1 to ${TERM_MONTHS_MAX}`,
    };
  }
  const io = terms.interestOnlyPeriods;
  const ioAllowed = terms.method === 'bullet' ? 0 : terms.termMonths - 1;
  if (!Number.isInteger(io) || io < 0 || io > ioAllowed) {
    return {
      code: 'schedule.interest_only_periods_out_of_range',
      field: 'interest_only_periods',
      detail: `must be a whole number from 0 to ${ioAllowed}`,
    };
  }
  // Without a first due date the first period is one calendar month (28 to
  // 31 days), always within the bounds.
  if (terms.firstDueDate === undefined) return undefined;
  const days = firstPeriodDays(terms);
  if (days < FIRST_PERIOD_DAYS_MIN || days > FIRST_PERIOD_DAYS_MAX) {
    return {
      code: 'schedule.first_due_date_out_of_range',
      field: 'first_due_date',
      detail: `must fall ${FIRST_PERIOD_DAYS_MIN} to ${FIRST_PERIOD_DAYS_MAX} days after start_date`,
    };
  }
  return undefined;
}

function checkFees(terms: LoanTerms): Check {
  if (terms.fees.length > FEES_MAX) {
    return {
      code: 'schedule.fee_out_of_range',
      field: 'fees',
      detail: `at most ${FEES_MAX} fees`,
    };
  }
  for (const fee of terms.fees) {
    if (fee.kind === 'monthly_rate') {
      if (compareRate(fee.rateOfPrincipal, RATE_ANNUAL_MAX) > 0) {
        return {
          code: 'schedule.fee_out_of_range',
          field: 'fees.rate',
          detail: 'must be a decimal between 0 and 1',
        };
      }
    } else if (fee.amountFen < 0n || fee.amountFen > FEN_MAX) {
      return {
        code: 'schedule.fee_out_of_range',
        field: 'fees.amount',
        detail: 'must be 0 or more',
      };
    }
  }
  const upfrontFen = terms.fees.reduce(
    (sum, fee) => (fee.kind === 'upfront' ? sum + fee.amountFen : sum),
    0n,
  );
  if (upfrontFen >= terms.principalFen) {
    return {
      code: 'schedule.fee_out_of_range',
      field: 'fees.amount',
      detail: 'upfront fees must be less than the principal',
    };
  }
  return undefined;
}

function checkPrepayments(terms: LoanTerms): Check {
  if (terms.prepayments.length > PREPAYMENTS_MAX) {
    return {
      code: 'schedule.prepayment_period_out_of_range',
      field: 'prepayments',
      detail: `at most ${PREPAYMENTS_MAX} prepayments`,
    };
  }
  let previous = 0;
  for (const prepayment of terms.prepayments) {
    const k = prepayment.afterPeriod;
    if (
      !Number.isInteger(k) ||
      k < 1 ||
      k >= terms.termMonths ||
      k < previous
    ) {
      return {
        code: 'schedule.prepayment_period_out_of_range',
        field: 'prepayments.after_period',
        detail: `must be a whole number from 1 to ${terms.termMonths - 1}, in order`,
      };
    }
    if (prepayment.amountFen <= 0n) {
      return {
        code: 'schedule.prepayment_amount_out_of_range',
        field: 'prepayments.amount',
        detail: 'must be greater than 0',
      };
    }
    previous = k;
  }
  return undefined;
}

/** Checks every bound of a loan's terms; the first failure names its field. */
export function validateTerms(
  terms: LoanTerms,
): Result<LoanTerms, ScheduleError> {
  const failure =
    checkAmounts(terms) ??
    checkPeriods(terms) ??
    checkFees(terms) ??
    checkPrepayments(terms);
  return failure === undefined ? ok(terms) : err(failure);
}
