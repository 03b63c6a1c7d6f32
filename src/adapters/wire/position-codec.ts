// Wire ↔ domain for a loan's position (schedule + installments paid + date),
// shared by `loandesk payoff`, `prepay` and `restructure` and the HTTP API.
import type { DebtOutput } from '../../contracts/loan.js';
import { formatFen } from '../../contracts/money.js';
import type { LoanPosition } from '../../domain/loan/early-repayment/position.js';
import {
  NO_PREPAYMENT_FEE,
  type PrepaymentFeePolicy,
} from '../../domain/loan/early-repayment/prepayment-fee.js';
import type { Debt } from '../../domain/loan/restructuring/debt.js';
import { buildSchedule } from '../../domain/loan/schedule/build-schedule.js';
import type { CalendarDate } from '../../domain/shared/calendar-date.js';
import { InputError, type JsonObject } from './input-error.js';
import {
  parseLoanTerms,
  readChoice,
  readDate,
  readInteger,
  readRate,
} from './schedule-codec.js';

function readObject(value: unknown, field: string): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(
      `${field}: must be a JSON object with the loan (as for loandesk schedule)`,
    );
  }
  return value as JsonObject;
}

/** Reads `loan`, `paid_periods` and `as_of` (default: today in China). */
export function parsePosition(
  input: JsonObject,
  today: CalendarDate,
): LoanPosition {
  const terms = parseLoanTerms(readObject(input.loan, 'loan'), today);
  const built = buildSchedule(terms);
  if (!built.ok)
    throw new InputError(`loan.${built.error.field}: ${built.error.detail}`);
  const schedule = built.value;
  return {
    schedule,
    paidPeriods: readInteger(
      input.paid_periods ?? 0,
      'paid_periods',
      0,
      schedule.installments.length,
    ),
    asOf: input.as_of === undefined ? today : readDate(input.as_of, 'as_of'),
  };
}

/** Reads `prepayment_fee`: absent → none; {"share","free_after_days"} or {"months_of_interest","free_after_days"}. */
export function parseFeePolicy(value: unknown): PrepaymentFeePolicy {
  if (value === undefined || value === null) return NO_PREPAYMENT_FEE;
  const policy = readObject(value, 'prepayment_fee');
  const freeAfterDays = readInteger(
    policy.free_after_days ?? 36_500,
    'prepayment_fee.free_after_days',
    0,
    36_500,
  );
  if (policy.months_of_interest !== undefined) {
    return {
      kind: 'months_of_interest',
      months: readInteger(
        policy.months_of_interest,
        'prepayment_fee.months_of_interest',
        0,
        12,
      ),
      freeAfterDays,
    };
  }
  return {
    kind: 'share_of_prepaid',
    shareOfPrincipal: readRate(policy.share, 'prepayment_fee.share'),
    freeAfterDays,
  };
}

export function readMode(value: unknown) {
  return readChoice(value ?? 'reduce_payment', 'mode', [
    'reduce_payment',
    'reduce_term',
  ] as const);
}

export function formatDebt(debt: Debt): DebtOutput {
  return {
    principal: formatFen(debt.principalFen),
    interest: formatFen(debt.interestFen),
    fee: formatFen(debt.feeFen),
    penalty: formatFen(debt.penaltyFen),
    total: formatFen(
      debt.principalFen + debt.interestFen + debt.feeFen + debt.penaltyFen,
    ),
  };
}
