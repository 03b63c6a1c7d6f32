import type { Fen } from '../../money/fen.js';
import { toSafe } from '../../money/safe-integer.js';
import { assert } from '../../shared/assert.js';
import {
  type CalendarDate,
  fromDayNumber,
  toDayNumber,
} from '../../shared/calendar-date.js';
import type {
  AppliedPrepayment,
  Installment,
  LoanTerms,
  Schedule,
} from './types.js';

// Decision (STYLE §3, taken for issue 2's throughput target): a schedule
// stores its rows by column in one plain `number[]` (V8 keeps it unboxed; a
// typed array's off-heap backing store cost about three times as much to
// allocate here). Amounts are exact integer counts of fen, due dates day
// numbers (days since 1970-01-01). Every amount is an integer in
// [0, FEN_MAX] (10^15 < 2^53, so each is exactly representable, and no
// arithmetic happens here), which build-schedule.ts asserts once per
// schedule on the total paid, the largest of them. Money still leaves the
// schedule as bigint `Fen` (the accessors below, `Schedule.installments`);
// due dates become ISO strings only when asked for. This saves four BigInt()
// conversions, one object and one date string a row, which were most of the
// time a schedule took to build. The full note: docs/loan-schedule.md.

/** Columns of the store, each `capacity` cells long. */
const DUE_DAY = 0;
const PAYMENT = 1;
const PRINCIPAL = 2;
const INTEREST = 3;
const BALANCE = 4;
const FEE = 5;
const COLUMNS = 6;

/** Fen as an exact safe integer; see the decision above for the bound. */
export type SafeFen = number & { readonly __unit: 'safe_fen' };

/** The storage a schedule kernel fills: due days first, then `writeRow`. */
export type RowCells = {
  readonly capacity: number;
  /** Column-major; the due-day column is cells 0 to capacity − 1. */
  readonly cells: number[];
};

export function createRowCells(capacity: number): RowCells {
  // A pre-sized array, filled below before any read.
  return { capacity, cells: new Array<number>(COLUMNS * capacity) };
}

/**
 * Stores row `index` (0-based), each amount an integer of fen; the payment
 * is principal + interest + fee.
 */
export function writeRow(
  rows: RowCells,
  index: number,
  principal: number,
  interest: number,
  fee: number,
  balance: number,
): void {
  const { cells, capacity } = rows;
  cells[PAYMENT * capacity + index] = principal + interest + fee;
  cells[PRINCIPAL * capacity + index] = principal;
  cells[INTEREST * capacity + index] = interest;
  cells[BALANCE * capacity + index] = balance;
  cells[FEE * capacity + index] = fee;
}

/**
 * The rows of a schedule, by column. Row `i` (0-based) is period `i + 1`.
 *
 * @example
 * // 100,000 yuan at 4.9 % over 36 months from 2026-01-15:
 * const { rows } = schedule;
 * rows.dueDate(0); // '2026-02-15'
 * rows.paymentFen(0); // 299_260n (2992.60 yuan)
 */
export class ScheduleRows {
  /** Rows in the schedule: the term, fewer when a prepayment clears it early. */
  readonly count: number;
  private readonly store: RowCells;
  private materialised: readonly Installment[] | undefined;

  /**
   * `store` holds at least `count` rows; `installments`, when given, are
   * the same rows as objects (see `rowsOfInstallments`).
   */
  constructor(
    store: RowCells,
    count: number,
    installments?: readonly Installment[],
  ) {
    assert(count <= store.capacity, 'ScheduleRows: more rows than storage');
    this.count = count;
    this.store = store;
    this.materialised = installments;
  }

  private cell(column: number, i: number): number {
    // A constant message: a closure here would be allocated on every read.
    assert(i >= 0 && i < this.count, 'ScheduleRows: row out of range');
    return this.store.cells[column * this.store.capacity + i] as number;
  }

  private amount(column: number, i: number): SafeFen {
    return this.cell(column, i) as SafeFen;
  }

  /** Due date of row `i` as days since 1970-01-01. */
  dueDay(i: number): number {
    return this.cell(DUE_DAY, i);
  }

  dueDate(i: number): CalendarDate {
    return fromDayNumber(this.dueDay(i));
  }

  paymentSafeFen(i: number): SafeFen {
    return this.amount(PAYMENT, i);
  }

  principalSafeFen(i: number): SafeFen {
    return this.amount(PRINCIPAL, i);
  }

  interestSafeFen(i: number): SafeFen {
    return this.amount(INTEREST, i);
  }

  feeSafeFen(i: number): SafeFen {
    return this.amount(FEE, i);
  }

  /** Outstanding principal after row `i`. */
  balanceSafeFen(i: number): SafeFen {
    return this.amount(BALANCE, i);
  }

  paymentFen(i: number): Fen {
    return BigInt(this.paymentSafeFen(i)) as Fen;
  }

  principalFen(i: number): Fen {
    return BigInt(this.principalSafeFen(i)) as Fen;
  }

  interestFen(i: number): Fen {
    return BigInt(this.interestSafeFen(i)) as Fen;
  }

  feeFen(i: number): Fen {
    return BigInt(this.feeSafeFen(i)) as Fen;
  }

  balanceFen(i: number): Fen {
    return BigInt(this.balanceSafeFen(i)) as Fen;
  }

  /** Row `i` as an `Installment` of bigint `Fen` and an ISO due date. */
  installment(i: number): Installment {
    return {
      n: i + 1,
      dueDate: this.dueDate(i),
      paymentFen: this.paymentFen(i),
      principalFen: this.principalFen(i),
      interestFen: this.interestFen(i),
      feeFen: this.feeFen(i),
      balanceFen: this.balanceFen(i),
    };
  }

  /**
   * Every row as an `Installment`, built on the first call and shared after
   * (the rows never change).
   */
  installments(): readonly Installment[] {
    if (this.materialised !== undefined) return this.materialised;
    // One pass over the columns: this is where amounts become bigint, so it
    // avoids any other per-row cost.
    const { cells, capacity } = this.store;
    const rows: Installment[] = [];
    for (let i = 0; i < this.count; i += 1) {
      rows.push({
        n: i + 1,
        dueDate: fromDayNumber(cells[DUE_DAY * capacity + i] as number),
        paymentFen: BigInt(cells[PAYMENT * capacity + i] as number) as Fen,
        principalFen: BigInt(cells[PRINCIPAL * capacity + i] as number) as Fen,
        interestFen: BigInt(cells[INTEREST * capacity + i] as number) as Fen,
        feeFen: BigInt(cells[FEE * capacity + i] as number) as Fen,
        balanceFen: BigInt(cells[BALANCE * capacity + i] as number) as Fen,
      });
    }
    this.materialised = rows;
    return rows;
  }
}

/**
 * The columns of rows already held as `Installment` objects (a schedule read
 * back from storage, numbered 1 to N); `installments()` then returns them.
 */
export function rowsOfInstallments(
  installments: readonly Installment[],
): ScheduleRows {
  const store = createRowCells(installments.length);
  installments.forEach((row, i) => {
    assert(row.n === i + 1, 'rowsOfInstallments: rows not numbered 1 to N');
    store.cells[DUE_DAY * store.capacity + i] = toDayNumber(row.dueDate);
    writeRow(
      store,
      i,
      toSafe(row.principalFen),
      toSafe(row.interestFen),
      toSafe(row.feeFen),
      toSafe(row.balanceFen),
    );
    assert(
      row.paymentFen === row.principalFen + row.interestFen + row.feeFen,
      'rowsOfInstallments: payment is not principal + interest + fee',
    );
  });
  return new ScheduleRows(store, installments.length, installments);
}

/** The facts of a schedule besides its rows (see `Schedule`). */
export type ScheduleSummary = Omit<Schedule, 'rows' | 'installments'>;

/**
 * A schedule as `buildSchedule` returns it. A class, so `installments` is a
 * getter on the prototype: an object literal with a getter costs V8 more to
 * create than the rest of a 36-period schedule.
 */
export class ColumnarSchedule implements Schedule {
  readonly terms: LoanTerms;
  readonly paymentFen: Fen | undefined;
  readonly rows: ScheduleRows;
  readonly prepayments: readonly AppliedPrepayment[];
  readonly totalPrincipalFen: Fen;
  readonly totalInterestFen: Fen;
  readonly totalFeesFen: Fen;
  readonly totalPaidFen: Fen;

  constructor(summary: ScheduleSummary, rows: ScheduleRows) {
    this.terms = summary.terms;
    this.paymentFen = summary.paymentFen;
    this.rows = rows;
    this.prepayments = summary.prepayments;
    this.totalPrincipalFen = summary.totalPrincipalFen;
    this.totalInterestFen = summary.totalInterestFen;
    this.totalFeesFen = summary.totalFeesFen;
    this.totalPaidFen = summary.totalPaidFen;
  }

  get installments(): readonly Installment[] {
    return this.rows.installments();
  }
}
