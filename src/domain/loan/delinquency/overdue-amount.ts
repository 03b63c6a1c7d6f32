import { type Fen, ZERO_FEN } from '../../money/fen.js';
import type { CalendarDate } from '../../shared/calendar-date.js';
import { err, type Result } from '../../shared/result.js';
import type { PenaltyTerms } from './accrual.js';
import {
  type PenaltyError,
  type PenaltyPolicies,
  type PenaltyReport,
  penaltyToDate,
} from './penalty-to-date.js';

/** An amount that fell due on one date and is still unpaid. */
export type OverdueAmountInput = PenaltyTerms & {
  readonly overduePrincipalFen: Fen;
  readonly overdueInterestFen: Fen;
  readonly dueDate: CalendarDate;
  readonly asOf: CalendarDate;
};

export type OverdueAmountError =
  | PenaltyError
  | {
      readonly code: 'penalty.as_of_before_due';
      readonly dueDate: CalendarDate;
      readonly asOf: CalendarDate;
    };

/**
 * Penalty on one overdue amount with no payments since, as a collector
 * quotes it: overdue principal × rate × multiple / 360 × days, plus
 * compound interest on the overdue interest when the policy asks for it.
 *
 * @example
 * // 10000.00 due 2026-02-14, 4.9 %, 1.5×, asOf 2026-03-16 → 61.25 yuan
 * penaltyOnOverdueAmount(input, DEFAULT_PENALTY_POLICIES);
 */
export function penaltyOnOverdueAmount(
  input: OverdueAmountInput,
  policies: PenaltyPolicies,
): Result<PenaltyReport, OverdueAmountError> {
  if (input.asOf < input.dueDate) {
    return err({
      code: 'penalty.as_of_before_due',
      dueDate: input.dueDate,
      asOf: input.asOf,
    });
  }
  return penaltyToDate(
    {
      rateAnnual: input.rateAnnual,
      asOf: input.asOf,
      payments: [],
      installments: [
        {
          n: 1,
          dueDate: input.dueDate,
          principalFen: input.overduePrincipalFen,
          interestFen: input.overdueInterestFen,
          feeFen: ZERO_FEN,
        },
      ],
    },
    policies,
  );
}
