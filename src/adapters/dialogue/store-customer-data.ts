// The dialogue engine's view of a customer (CustomerData) read from the
// store: identity from the customer repository (decrypted in memory only),
// each open loan as its current ledger schedule with how far it is paid and
// how far overdue, and the applications in progress. Every figure the bot
// says is then computed by the loan engine from these stored rows.
import {
  APPLICATION_STATUSES,
  type ApplicationRecord,
  type ApplicationStatus,
  type CustomerData,
  type LoanAccount,
} from '../../domain/dialogue/policy/types.js';
import { feePolicyFor } from '../../domain/loan/early-repayment/prepayment-fee.js';
import { rowsOfInstallments } from '../../domain/loan/schedule/rows.js';
import type {
  Installment,
  Schedule,
} from '../../domain/loan/schedule/types.js';
import { type Fen, fen, ZERO_FEN } from '../../domain/money/fen.js';
import {
  type CalendarDate,
  daysBetween,
} from '../../domain/shared/calendar-date.js';
import type { Repositories } from '../db/repositories/index.js';
import type {
  LedgerInstallment,
  Loan,
} from '../db/repositories/loan-repository.js';

export const NO_CUSTOMER_DATA: CustomerData = {
  customer: undefined,
  loans: [],
  applications: [],
};

// Loans the bot talks about: not the ones closed long ago.
const OPEN_LOAN_STATUSES: ReadonlySet<string> = new Set([
  'repaying',
  'overdue',
  'collection',
  'restructured',
]);

function owedOf(row: LedgerInstallment): bigint {
  return (
    row.principalFen -
    row.paidPrincipalFen +
    (row.interestFen - row.paidInterestFen) +
    (row.feeFen - row.paidFeeFen)
  );
}

/** The loan's current ledger schedule in the loan engine's Schedule shape. */
export function scheduleOfLedger(
  loan: Loan,
  ledger: readonly LedgerInstallment[],
): Schedule {
  const installments: Installment[] = ledger.map((row) => ({
    n: row.n,
    dueDate: row.dueDate,
    paymentFen: row.paymentFen,
    principalFen: row.principalFen,
    interestFen: row.interestFen,
    feeFen: row.feeFen,
    balanceFen: row.balanceFen,
  }));
  let principal = 0n;
  let interest = 0n;
  let fees = 0n;
  let paid = 0n;
  for (const row of installments) {
    principal += row.principalFen;
    interest += row.interestFen;
    fees += row.feeFen;
    paid += row.paymentFen;
  }
  const regular = installments[0]?.paymentFen;
  const level = installments
    .slice(0, -1)
    .every((row) => row.paymentFen === regular);
  return {
    terms: {
      // A restructured loan's current schedule repays what was left, not
      // the original principal: the schedule's own total is its principal.
      principalFen: fen(principal),
      rateAnnual: loan.rateAnnual,
      termMonths: installments.length,
      method: loan.method,
      startDate: loan.startDate,
      dayCount: loan.dayCount,
      rounding: loan.rounding,
      paymentMultipleFen: fen(1n),
      interestOnlyPeriods: 0,
      fees: [],
      prepayments: [],
    },
    paymentFen: level ? regular : undefined,
    rows: rowsOfInstallments(installments),
    installments,
    prepayments: [],
    totalPrincipalFen: fen(principal),
    totalInterestFen: fen(interest),
    totalFeesFen: fen(fees),
    totalPaidFen: fen(paid),
  };
}

/** Where a loan stands on `today`, from its ledger rows. */
export function loanAccountOf(
  loan: Loan,
  ledger: readonly LedgerInstallment[],
  productNameZh: string,
  today: CalendarDate,
): LoanAccount {
  let paidPeriods = 0;
  while (
    paidPeriods < ledger.length &&
    owedOf(ledger[paidPeriods] as LedgerInstallment) === 0n
  )
    paidPeriods += 1;
  const pastDue = ledger
    .slice(paidPeriods)
    .filter((row) => row.dueDate < today);
  const oldest = pastDue[0];
  const partlyPaid = pastDue.some(
    (row) => row.paidPrincipalFen + row.paidInterestFen + row.paidFeeFen > 0n,
  );
  // Whole installments missed: the engine replays them from the schedule
  // (each from its own due date). A partly paid one: the ledger's amount.
  let overdueAmountFen: Fen = ZERO_FEN;
  if (partlyPaid) {
    let owed = 0n;
    for (const row of pastDue) owed += owedOf(row);
    overdueAmountFen = fen(owed);
  }
  return {
    loanNo: loan.loanNo,
    productNameZh,
    schedule: scheduleOfLedger(loan, ledger),
    paidPeriods,
    overdueDays: oldest === undefined ? 0 : daysBetween(oldest.dueDate, today),
    overdueAmountFen,
    prepaymentFeePolicy: feePolicyFor(loan.prepaymentFee, loan.startDate),
  };
}

const GENERIC_LOAN_NAME_ZH = '个人贷款';

/** Reads everything the engine may use about one customer. */
export async function loadCustomerData(
  repositories: Repositories,
  customerId: string,
  today: CalendarDate,
): Promise<CustomerData> {
  const customer = await repositories.customers.findById(customerId);
  if (customer === undefined) return NO_CUSTOMER_DATA;
  const productNames = new Map<string, string>();
  const productName = async (productId: string | undefined) => {
    if (productId === undefined) return GENERIC_LOAN_NAME_ZH;
    const known = productNames.get(productId);
    if (known !== undefined) return known;
    const product = await repositories.products.findById(productId);
    const name = product?.name ?? GENERIC_LOAN_NAME_ZH;
    productNames.set(productId, name);
    return name;
  };
  const loans: LoanAccount[] = [];
  for (const loan of await repositories.loans.listByCustomer(customerId)) {
    if (!OPEN_LOAN_STATUSES.has(loan.status)) continue;
    const ledger = await repositories.loans.schedule(loan.id);
    if (ledger.length === 0) continue;
    loans.push(
      loanAccountOf(loan, ledger, await productName(loan.productId), today),
    );
  }
  const applications: ApplicationRecord[] = [];
  for (const app of await repositories.applications.listByCustomer(
    customerId,
  )) {
    if (!(APPLICATION_STATUSES as readonly string[]).includes(app.status))
      continue;
    applications.push({
      appNo: app.appNo,
      productNameZh: await productName(app.productId),
      amountFen: app.amountFen,
      termMonths: app.termMonths,
      submittedDate: app.submittedOn,
      status: app.status as ApplicationStatus,
    });
  }
  return {
    customer: {
      name: customer.name,
      idNumber: customer.idNumber,
      phone: customer.phone,
    },
    loans,
    applications,
  };
}
