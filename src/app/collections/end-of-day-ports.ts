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
  /** For loans with something past due or a promise to judge. */
  readonly installments: ReadonlyMap<string, readonly EodInstallment[]>;
  readonly payments: ReadonlyMap<string, readonly EodPayment[]>;
  /** Pending promises dated before the business day. */
  readonly promises: readonly EodPromise[];
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
  readonly readBatch: (
    date: CalendarDate,
    cursor: string,
    limit: number,
  ) => Promise<EodBatch>;
  /**
   * Writes the batch and moves the cursor from `fromCursor` to `toCursor` in
   * one transaction; throws if the cursor moved meanwhile (another run).
   */
  readonly commitBatch: (
    date: CalendarDate,
    write: EodBatchWrite,
    now: string,
  ) => Promise<number>;
  readonly complete: (date: CalendarDate, now: string) => Promise<void>;
};

export type { LoanDayInput };
