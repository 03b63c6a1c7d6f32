import type { LoanBalance } from '../../domain/loan/allocation/loan-balance.js';
import type { RepaymentMethod } from '../../domain/loan/schedule/types.js';
import type { Fen } from '../../domain/money/fen.js';
import type { Rate } from '../../domain/money/rate.js';
import type { Rounding } from '../../domain/money/rounding.js';
import { caseFromLedger } from '../../domain/negotiation/ledger-case.js';
import {
  type NegotiationCase,
  type NegotiationPolicy,
  negotiate,
  type RankedPlan,
} from '../../domain/negotiation/plans.js';
import type { CalendarDate } from '../../domain/shared/calendar-date.js';

// Use case: the repayment plans for a stored loan (CLI `negotiate --loan`,
// HTTP GET …/negotiation/plans). The ledger is read through this port; the
// loan repository satisfies it.

export type StoredLoanTerms = {
  readonly id: string;
  readonly loanNo: string;
  readonly customerId: string;
  readonly status: string;
  readonly rateAnnual: Rate;
  readonly method: RepaymentMethod;
  readonly termMonths: number;
  readonly rounding: Rounding;
};

export type LoanLedgerPort = {
  findByLoanNo(loanNo: string): Promise<StoredLoanTerms | undefined>;
  balance(loanId: string): Promise<LoanBalance>;
};

export type StoredCase = {
  readonly loan: StoredLoanTerms;
  readonly case: NegotiationCase;
};

export async function loadNegotiationCase(
  loans: LoanLedgerPort,
  input: {
    readonly loanNo: string;
    readonly monthlyIncomeFen: Fen;
    readonly monthlyExpensesFen: Fen;
    readonly today: CalendarDate;
  },
): Promise<StoredCase | undefined> {
  const loan = await loans.findByLoanNo(input.loanNo);
  if (loan === undefined) return undefined;
  const balance = await loans.balance(loan.id);
  return {
    loan,
    case: caseFromLedger({
      terms: loan,
      balance,
      monthlyIncomeFen: input.monthlyIncomeFen,
      monthlyExpensesFen: input.monthlyExpensesFen,
      today: input.today,
    }),
  };
}

export async function plansForStoredLoan(
  loans: LoanLedgerPort,
  input: Parameters<typeof loadNegotiationCase>[1],
  policy: NegotiationPolicy,
): Promise<(StoredCase & { readonly plans: RankedPlan[] }) | undefined> {
  const found = await loadNegotiationCase(loans, input);
  if (found === undefined) return undefined;
  return { ...found, plans: negotiate(found.case, policy) };
}
