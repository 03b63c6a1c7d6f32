import {
  type PayoffError,
  payoffQuote,
} from '../../../../domain/loan/early-repayment/payoff.js';
import {
  feePolicyFor,
  type PrepaymentFeePolicy,
} from '../../../../domain/loan/early-repayment/prepayment-fee.js';
import { rowsOfInstallments } from '../../../../domain/loan/schedule/rows.js';
import type {
  Installment,
  LoanTerms,
  PrepaymentMode,
  Schedule,
} from '../../../../domain/loan/schedule/types.js';
import { type Fen, fen, maxFen, sumFen } from '../../../../domain/money/fen.js';
import { assert } from '../../../../domain/shared/assert.js';
import {
  type CalendarDate,
  daysBetween,
} from '../../../../domain/shared/calendar-date.js';
import { err, ok, type Result } from '../../../../domain/shared/result.js';
import type {
  LedgerInstallment,
  LedgerRowInput,
  Loan,
} from '../../../db/repositories/loan-repository.js';

// The stored ledger as the loan engine reads it: where the loan stands
// (installments paid in full), the schedule rows as engine installments,
// the terms that rebuild the current schedule, and the payoff plan (the
// schedule version a payoff writes, from which the quote is summed).

/** The early-repayment fee of the loan's contract, for its start date. */
export function feePolicyOf(loan: Loan): PrepaymentFeePolicy {
  return feePolicyFor(loan.prepaymentFee, loan.startDate);
}

function unpaid(row: LedgerInstallment): Fen {
  return fen(
    row.principalFen -
      row.paidPrincipalFen +
      row.interestFen -
      row.paidInterestFen +
      row.feeFen -
      row.paidFeeFen +
      row.penaltyFen -
      row.paidPenaltyFen,
  );
}

function anyPaid(row: LedgerInstallment): boolean {
  return (
    row.paidPrincipalFen + row.paidInterestFen + row.paidFeeFen > 0n ||
    row.paidPenaltyFen > 0n
  );
}

/** Installments paid in full, counted from the first. */
export function paidPeriodsOf(rows: readonly LedgerInstallment[]): number {
  const first = rows.findIndex((row) => unpaid(row) > 0n);
  return first === -1 ? rows.length : first;
}

export function outstandingFen(rows: readonly LedgerInstallment[]): Fen {
  return sumFen(rows.map(unpaid));
}

/** Days past due of the oldest installment still owing on `today` (0 if none). */
export function daysPastDue(
  rows: readonly LedgerInstallment[],
  today: CalendarDate,
): number {
  const oldest = rows.find((row) => unpaid(row) > 0n && row.dueDate < today);
  return oldest === undefined ? 0 : daysBetween(oldest.dueDate, today);
}

function toInstallment(row: LedgerInstallment): Installment {
  return {
    n: row.n,
    dueDate: row.dueDate,
    paymentFen: row.paymentFen,
    principalFen: row.principalFen,
    interestFen: row.interestFen,
    feeFen: row.feeFen,
    balanceFen: row.balanceFen,
  };
}

/**
 * The engine terms the current schedule is built from, before prepayments:
 * those kept at booking or at the last restructuring, else (loans booked
 * before terms were kept) the loan's columns with the bank's booking
 * conventions and no fees.
 */
export function baseTerms(loan: Loan): LoanTerms {
  if (loan.scheduleTerms !== undefined) return loan.scheduleTerms.terms;
  return {
    principalFen: loan.principalFen,
    rateAnnual: loan.rateAnnual,
    termMonths: loan.termMonths,
    method: loan.method,
    startDate: loan.startDate,
    dayCount: loan.dayCount,
    rounding: loan.rounding,
    paymentMultipleFen: fen(1n),
    interestOnlyPeriods: 0,
    fees: [],
    prepayments: [],
  };
}

/** The schedule version `baseTerms` built (prepayments recorded after it apply). */
export function baseTermsVersion(loan: Loan): number {
  return loan.scheduleTerms?.version ?? 1;
}

/** The stored rows as an engine schedule (what a payoff quote reads). */
export function ledgerSchedule(
  loan: Loan,
  rows: readonly LedgerInstallment[],
): Schedule {
  const installments = rows.map(toInstallment);
  const principal = sumFen(installments.map((i) => i.principalFen));
  const interest = sumFen(installments.map((i) => i.interestFen));
  const fees = sumFen(installments.map((i) => i.feeFen));
  return {
    terms: baseTerms(loan),
    paymentFen: undefined,
    rows: rowsOfInstallments(installments),
    installments,
    prepayments: [],
    totalPrincipalFen: principal,
    totalInterestFen: interest,
    totalFeesFen: fees,
    totalPaidFen: fen(principal + interest + fees),
  };
}

export type RecordedPrepayment = {
  readonly afterPeriod: number;
  readonly principalFen: Fen;
  readonly mode: PrepaymentMode;
};

/** The terms that rebuild the current schedule: base terms plus prepayments. */
export function rebuildTerms(
  loan: Loan,
  prepayments: readonly RecordedPrepayment[],
): LoanTerms {
  return {
    ...baseTerms(loan),
    prepayments: prepayments.map((p) => ({
      afterPeriod: p.afterPeriod,
      amountFen: p.principalFen,
      mode: p.mode,
    })),
  };
}

/** True when the engine's installments are the stored rows, amount for amount. */
export function sameRows(
  built: readonly Installment[],
  rows: readonly LedgerInstallment[],
): boolean {
  return (
    built.length === rows.length &&
    built.every((b, i) => {
      const r = rows[i];
      return (
        r !== undefined &&
        b.n === r.n &&
        b.dueDate === r.dueDate &&
        b.principalFen === r.principalFen &&
        b.interestFen === r.interestFen &&
        b.feeFen === r.feeFen
      );
    })
  );
}

export function hasPaymentsAfter(
  rows: readonly LedgerInstallment[],
  paidPeriods: number,
): boolean {
  return rows.slice(paidPeriods).some(anyPaid);
}

export type PayoffPlan = {
  readonly asOf: CalendarDate;
  readonly paidPeriods: number;
  /** The schedule version the payoff writes; undefined when every row is due. */
  readonly rows: readonly LedgerRowInput[] | undefined;
  /** Still owed per component on the plan's rows (due minus paid). */
  readonly principalFen: Fen;
  readonly interestFen: Fen;
  /** Overdue periodic fees, without the prepayment fee. */
  readonly feeFen: Fen;
  readonly penaltyFen: Fen;
  readonly prepaymentFeeFen: Fen;
  readonly accruedInterestFen: Fen;
  readonly interestSavedFen: Fen;
  readonly totalFen: Fen;
  /** Principal of the installments the payoff folds into one. */
  readonly foldedPrincipalFen: Fen;
};

const sum = (
  rows: readonly LedgerRowInput[],
  pick: (r: LedgerRowInput) => Fen,
) => sumFen(rows.map(pick));

/**
 * What settles the loan on `asOf`: installments already paid or due stay as
 * they are (with what was paid and the penalty accrued); the running and
 * future ones fold into one row due on `asOf` carrying their principal, the
 * interest accrued to `asOf` (the loan engine's payoff quote) and the
 * prepayment fee. What was already paid on the folded rows stays paid; it is
 * never refunded, so a row's interest is at least what was paid on it.
 */
export function planPayoff(
  loan: Loan,
  rows: readonly LedgerInstallment[],
  asOf: CalendarDate,
): Result<PayoffPlan, PayoffError> {
  const paidPeriods = paidPeriodsOf(rows);
  const quote = payoffQuote(
    { schedule: ledgerSchedule(loan, rows), paidPeriods, asOf },
    { feePolicy: feePolicyOf(loan) },
  );
  if (!quote.ok) return err(quote.error);
  const keep = rows.filter((r) => r.n <= paidPeriods || r.dueDate <= asOf);
  const folded = rows.filter((r) => r.n > paidPeriods && r.dueDate > asOf);
  const strip = ({ scheduleVersion: _v, ...row }: LedgerInstallment) => row;
  let planRows: LedgerRowInput[] = keep.map(strip);
  let foldedPrincipalFen = fen(0n);
  const first = folded[0];
  if (first !== undefined) {
    const f = folded.map(strip);
    foldedPrincipalFen = sum(f, (r) => r.principalFen);
    const paidInterest = sum(f, (r) => r.paidInterestFen);
    const paidFee = sum(f, (r) => r.paidFeeFen);
    const interestFen = maxFen(quote.value.accruedInterestFen, paidInterest);
    const feeFen = fen(quote.value.prepaymentFeeFen + paidFee);
    planRows = [
      ...planRows,
      {
        n: first.n,
        dueDate: asOf,
        paymentFen: fen(foldedPrincipalFen + interestFen + feeFen),
        principalFen: foldedPrincipalFen,
        interestFen,
        feeFen,
        balanceFen: fen(0n),
        penaltyFen: sum(f, (r) => r.penaltyFen),
        paidPrincipalFen: sum(f, (r) => r.paidPrincipalFen),
        paidInterestFen: paidInterest,
        paidFeeFen: paidFee,
        paidPenaltyFen: sum(f, (r) => r.paidPenaltyFen),
      },
    ];
  }
  const owed = (pick: (r: LedgerRowInput) => bigint) =>
    fen(planRows.reduce((total, r) => total + pick(r), 0n));
  const principalFen = owed((r) => r.principalFen - r.paidPrincipalFen);
  const interestFen = owed((r) => r.interestFen - r.paidInterestFen);
  const allFeesFen = owed((r) => r.feeFen - r.paidFeeFen);
  const penaltyFen = owed((r) => r.penaltyFen - r.paidPenaltyFen);
  const prepaymentFeeFen =
    first === undefined ? fen(0n) : quote.value.prepaymentFeeFen;
  assert(
    allFeesFen >= prepaymentFeeFen,
    'planPayoff: fee below the prepayment fee',
  );
  return ok({
    asOf,
    paidPeriods,
    rows: first === undefined ? undefined : planRows,
    principalFen,
    interestFen,
    feeFen: fen(allFeesFen - prepaymentFeeFen),
    penaltyFen,
    prepaymentFeeFen,
    accruedInterestFen: quote.value.accruedInterestFen,
    interestSavedFen: quote.value.interestSavedFen,
    totalFen: fen(principalFen + interestFen + allFeesFen + penaltyFen),
    foldedPrincipalFen,
  });
}
