import type { LoanBalance } from '../loan/allocation/loan-balance.js';
import type { Debt } from '../loan/restructuring/debt.js';
import type { RepaymentMethod } from '../loan/schedule/types.js';
import { type Fen, fen } from '../money/fen.js';
import type { Rate } from '../money/rate.js';
import type { Rounding } from '../money/rounding.js';
import type { CalendarDate } from '../shared/calendar-date.js';
import type { NegotiationCase } from './plans.js';

// A stored loan as a negotiation case: the debt is read from the ledger
// (what is still owed per installment after payments and the end-of-day
// batch's penalty), not recomputed from the contract, so a loan that was
// partly paid or already restructured is negotiated from where it stands.

export type LedgerLoanTerms = {
  readonly rateAnnual: Rate;
  readonly method: RepaymentMethod;
  readonly termMonths: number;
  readonly rounding: Rounding;
};

/**
 * Unpaid principal of every installment; interest and fees of installments
 * due on or before `today`; all posted penalty. Interest accruing in the
 * running period is not yet owed and stays out.
 */
export function debtFromLedger(
  balance: LoanBalance,
  today: CalendarDate,
): Debt {
  let principal = 0n;
  let interest = 0n;
  let fee = 0n;
  let penalty = 0n;
  for (const row of balance.installments) {
    principal += row.principalFen;
    penalty += row.penaltyFen;
    if (row.dueDate <= today) {
      interest += row.interestFen;
      fee += row.feeFen;
    }
  }
  return {
    principalFen: fen(principal),
    interestFen: fen(interest),
    feeFen: fen(fee),
    penaltyFen: fen(penalty),
  };
}

export function caseFromLedger(input: {
  readonly terms: LedgerLoanTerms;
  readonly balance: LoanBalance;
  readonly monthlyIncomeFen: Fen;
  readonly monthlyExpensesFen: Fen;
  readonly today: CalendarDate;
}): NegotiationCase {
  const unpaid = input.balance.installments.filter(
    (row) =>
      row.principalFen + row.interestFen + row.feeFen + row.penaltyFen > 0n,
  );
  return {
    debt: debtFromLedger(input.balance, input.today),
    loan: {
      rateAnnual: input.terms.rateAnnual,
      method: input.terms.method,
      originalTermMonths: input.terms.termMonths,
      remainingPeriods: unpaid.length,
      rounding: input.terms.rounding,
    },
    monthlyIncomeFen: input.monthlyIncomeFen,
    monthlyExpensesFen: input.monthlyExpensesFen,
    today: input.today,
  };
}
