import type { Fen } from '../../money/fen.js';
import type { Rate } from '../../money/rate.js';
import type { Rounding } from '../../money/rounding.js';
import type { CalendarDate } from '../../shared/calendar-date.js';
import type { ScheduleRows } from './rows.js';

/** Repayment methods; the ids are those of spec/contracts.md. */
export type RepaymentMethod =
  | 'equal_installment' // 等额本息
  | 'equal_principal' // 等额本金
  | 'interest_first' // 先息后本
  | 'bullet' // 一次性还本付息
  | 'flat'; // 等本等息

export const REPAYMENT_METHODS: readonly RepaymentMethod[] = [
  'equal_installment',
  'equal_principal',
  'interest_first',
  'bullet',
  'flat',
];

/** Day-count conventions for interest accrual. */
export type DayCount = '30/360' | 'actual/360' | 'actual/365';

export const DAY_COUNTS: readonly DayCount[] = [
  '30/360',
  'actual/360',
  'actual/365',
];

/** A fee charged to the borrower. */
export type Fee =
  /** Deducted from the disbursement (砍头息 style service fee). */
  | { readonly kind: 'upfront'; readonly amountFen: Fen }
  /** Charged every period as a share of the original principal. */
  | { readonly kind: 'monthly_rate'; readonly rateOfPrincipal: Rate }
  /** Charged every period as a fixed amount. */
  | { readonly kind: 'monthly_amount'; readonly amountFen: Fen };

export type PrepaymentMode = 'reduce_payment' | 'reduce_term';

/** A partial prepayment applied right after the named period's installment. */
export type Prepayment = {
  readonly afterPeriod: number;
  readonly amountFen: Fen;
  readonly mode: PrepaymentMode;
};

/** Everything that determines a schedule. */
export type LoanTerms = {
  readonly principalFen: Fen;
  readonly rateAnnual: Rate;
  readonly termMonths: number;
  readonly method: RepaymentMethod;
  readonly startDate: CalendarDate;
  /** First due date; default: one month after the start date. */
  readonly firstDueDate?: CalendarDate;
  readonly dayCount: DayCount;
  readonly rounding: Rounding;
  /** Installments are rounded to a multiple of this many fen (1 = 0.01 yuan). */
  readonly paymentMultipleFen: Fen;
  /** First N periods pay interest only (grace on principal). */
  readonly interestOnlyPeriods: number;
  readonly fees: readonly Fee[];
  readonly prepayments: readonly Prepayment[];
};

/** One row of a schedule: what falls due on `dueDate`. */
export type Installment = {
  /** 1-based period number. */
  readonly n: number;
  readonly dueDate: CalendarDate;
  /** principalFen + interestFen + feeFen. */
  readonly paymentFen: Fen;
  readonly principalFen: Fen;
  readonly interestFen: Fen;
  readonly feeFen: Fen;
  /** Outstanding principal after this installment. */
  readonly balanceFen: Fen;
};

/** A prepayment as applied: the balance before and after it. */
export type AppliedPrepayment = Prepayment & {
  readonly balanceBeforeFen: Fen;
  readonly balanceAfterFen: Fen;
};

export type Schedule = {
  readonly terms: LoanTerms;
  /** The regular installment; undefined when it varies (equal principal). */
  readonly paymentFen: Fen | undefined;
  /** The rows by column: exact amounts and due days (see rows.ts). */
  readonly rows: ScheduleRows;
  /**
   * The rows as `Installment` objects of bigint `Fen`, made from `rows` on
   * first read and shared after. Callers that only read or format a few
   * amounts use `rows` and skip the conversion.
   */
  readonly installments: readonly Installment[];
  readonly prepayments: readonly AppliedPrepayment[];
  readonly totalPrincipalFen: Fen;
  readonly totalInterestFen: Fen;
  /** Periodic fees in the installments plus upfront fees. */
  readonly totalFeesFen: Fen;
  /** Installments plus prepayments plus upfront fees. */
  readonly totalPaidFen: Fen;
};
