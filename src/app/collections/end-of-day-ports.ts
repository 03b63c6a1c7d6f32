import type {
  CurrentPeriod,
  DelinquencyHistory,
  DelinquencyRecord,
  LoanDayInput,
} from '../../domain/collections/end-of-day.js';
import type { ReminderDraft } from '../../domain/collections/reminder-plan.js';
import type { LoanEvent, LoanStatus } from '../../domain/loan/lifecycle.js';
import type { Fen } from '../../domain/money/fen.js';
import type { Rate } from '../../domain/money/rate.js';
import type { Rounding } from '../../domain/money/rounding.js';
import type { CalendarDate } from '../../domain/shared/calendar-date.js';
import type { EodPolicies } from './run-end-of-day.js';

// What the end-of-day use case needs from storage (implemented by
// adapters/db/eod-store.ts). A batch is read in a few set-based queries and
// written in one transaction together with the run's cursor.

/** One active loan as the batch reads it. */
export type EodLoan = {
  readonly loanId: string;
  readonly customerId: string;
  readonly status: LoanStatus;
  readonly scheduleVersion: number;
  readonly rateAnnual: Rate;
  readonly rounding: Rounding;
  readonly startDate: CalendarDate;
  readonly outstandingPrincipalFen: Fen;
  /** Installments past due that the ledger shows as not fully paid. */
  readonly ledgerOverdueInstallments: number;
  readonly period: CurrentPeriod | undefined;
  /** Scheduled payment of the running period (for debt-to-income). */
  readonly installmentFen: Fen;
  readonly monthlyIncomeFen: Fen | undefined;
  readonly history: DelinquencyHistory | undefined;
  readonly partialPayments: number;
  readonly failedContacts: number;
};

/** An installment of the current schedule, for the penalty replay. */
export type EodInstallment = {
  readonly n: number;
  readonly dueDate: CalendarDate;
  readonly principalFen: Fen;
  readonly interestFen: Fen;
  readonly feeFen: Fen;
  /** What the ledger holds now. */
  readonly penaltyFen: Fen;
  readonly paidPenaltyFen: Fen;
};

export type EodPayment = {
  readonly date: CalendarDate;
  readonly amountFen: Fen;
};

export type EodPromise = {
  readonly id: string;
  readonly loanId: string;
  readonly amountFen: Fen;
  readonly madeOn: CalendarDate;
  readonly promisedOn: CalendarDate;
};

export type EodBatch = {
  readonly loans: readonly EodLoan[];
  /**
   * The batch's loans that need the domain's attention. Loans current with
   * nothing to do today are written by the store in the same transaction
   * (set-based), from decisions the domain made: they are counted in
   * `loanCount` but not listed.
   */
  readonly installments: ReadonlyMap<string, readonly EodInstallment[]>;
  readonly payments: ReadonlyMap<string, readonly EodPayment[]>;
  /** Pending promises dated before the business day. */
  readonly promises: readonly EodPromise[];
  /** The batch's last loan id (the next cursor). */
  readonly lastLoanId: string;
  /** Loans in the batch, including those the store wrote itself. */
  readonly loanCount: number;
};

export type EodCounts = {
  readonly batches: number;
  readonly loans: number;
  readonly overdueLoans: number;
  readonly transitions: number;
  readonly reminders: number;
  readonly promisesBroken: number;
  readonly promisesKept: number;
  readonly errors: number;
};

export type EodRunStatus = 'running' | 'completed';

export type EodRun = {
  readonly businessDate: CalendarDate;
  readonly status: EodRunStatus;
  /** Last loan id of the last committed batch ('' before the first). */
  readonly cursor: string;
  readonly counts: EodCounts;
};

export type EodBatchWrite = {
  readonly fromCursor: string;
  readonly toCursor: string;
  readonly records: readonly {
    readonly loanId: string;
    readonly record: DelinquencyRecord;
  }[];
  readonly penalties: readonly {
    readonly loanId: string;
    readonly scheduleVersion: number;
    readonly n: number;
    readonly penaltyFen: Fen;
  }[];
  readonly transitions: readonly {
    readonly loanId: string;
    readonly from: LoanStatus;
    readonly to: LoanStatus;
    readonly event: LoanEvent;
  }[];
  readonly reminders: readonly {
    readonly loanId: string;
    readonly customerId: string;
    readonly daysPastDue: number;
    readonly bucket: string;
    readonly draft: ReminderDraft;
  }[];
  readonly promises: readonly {
    readonly id: string;
    readonly status: 'kept' | 'broken';
  }[];
  readonly errors: readonly {
    readonly loanId: string;
    readonly code: string;
  }[];
  readonly counts: EodCounts;
};

export type EodStore = {
  /** The run of `date`, created when absent; refused when a later date ran. */
  readonly begin: (
    date: CalendarDate,
    now: string,
  ) => Promise<EodRun | { readonly laterDate: CalendarDate }>;
  /** Active loans after `cursor` (for the progress bar's total). */
  readonly countRemaining: (cursor: string) => Promise<number>;
  /**
   * Reads the next batch after `cursor`, lets `compute` work it out, and
   * writes the result and moves the cursor in one transaction; throws if
   * the cursor moved meanwhile (another run). Undefined when no loan is
   * left.
   */
  readonly runBatch: (
    date: CalendarDate,
    cursor: string,
    limit: number,
    policies: EodPolicies,
    now: string,
    compute: (batch: EodBatch) => EodBatchWrite,
  ) => Promise<
    { readonly write: EodBatchWrite; readonly inserted: number } | undefined
  >;
  readonly complete: (date: CalendarDate, now: string) => Promise<void>;
};

export type { LoanDayInput };
