import { FEN_MAX, type Fen, fen } from '../../money/fen.js';
import { divRound } from '../../money/rounding.js';
import { mulDivRound, toSafe } from '../../money/safe-integer.js';
import { assert } from '../../shared/assert.js';
import { addMonths, toDayNumber } from '../../shared/calendar-date.js';
import { err, ok, type Result } from '../../shared/result.js';
import { fillDueDays, isFirstPeriodBroken } from './due-dates.js';
import type { ScheduleError } from './errors.js';
import {
  ONE_MONTH,
  type PeriodLength,
  periodInterest,
  type SafeRate,
  safeRate,
} from './interest.js';
import {
  ColumnarSchedule,
  createRowCells,
  type RowCells,
  ScheduleRows,
  writeRow,
} from './rows.js';
import {
  type Segment,
  segmentAfterPrepayment,
  startSegment,
} from './segment.js';
import type {
  AppliedPrepayment,
  LoanTerms,
  Prepayment,
  Schedule,
} from './types.js';
import { validateTerms } from './validate-terms.js';

// The loop below holds fen as safe integers (see money/safe-integer.ts for
// why and how exactness is kept) and stores the rows by column (rows.ts);
// amounts leave the schedule as Fen.

// Every amount of a schedule lies in [0, total paid]; asserting the total
// against this bound bounds every cell of the rows.
const FEN_MAX_SAFE = toSafe(FEN_MAX);

/** Periods in the schedule: the term, or one for a bullet loan. */
export function periodCount(terms: LoanTerms): number {
  return terms.method === 'bullet' ? 1 : terms.termMonths;
}

/** Writes the due days into the first column of `cells`. */
function fillScheduleDueDays(terms: LoanTerms, cells: RowCells): void {
  if (terms.method === 'bullet') {
    const due =
      terms.firstDueDate ?? addMonths(terms.startDate, terms.termMonths);
    cells.cells[0] = toDayNumber(due);
    return;
  }
  fillDueDays(terms, terms.termMonths, cells.cells);
}

/** The periodic fee of every installment: fixed amounts plus shares of the principal. */
export function periodicFeeFen(terms: LoanTerms): Fen {
  let total = 0n;
  for (const fee of terms.fees) {
    if (fee.kind === 'monthly_amount') total += fee.amountFen;
    if (fee.kind === 'monthly_rate') {
      total += divRound(
        terms.principalFen * fee.rateOfPrincipal.numerator,
        fee.rateOfPrincipal.denominator,
        terms.rounding,
      );
    }
  }
  return fen(total);
}

export function upfrontFeeFen(terms: LoanTerms): Fen {
  let total = 0n;
  for (const fee of terms.fees)
    if (fee.kind === 'upfront') total += fee.amountFen;
  return fen(total);
}

type Kernel = {
  readonly terms: LoanTerms;
  readonly rate: SafeRate;
  readonly startDay: number;
  /** Due days in cells 0 to periods − 1 (rows.ts). */
  readonly days: readonly number[];
  readonly periods: number;
  readonly brokenFirst: boolean;
};

function periodLength(k: Kernel, n: number): PeriodLength {
  const { terms } = k;
  const brokenFirst = n === 1 && k.brokenFirst;
  if (
    terms.method === 'bullet' &&
    terms.dayCount === '30/360' &&
    !brokenFirst
  ) {
    // 一次性还本付息 over whole months: 30/360 counts 30 days a month.
    return { kind: 'days', days: 30 * terms.termMonths };
  }
  if (terms.method === 'bullet' || brokenFirst || terms.dayCount !== '30/360') {
    const from = n === 1 ? k.startDay : (k.days[n - 2] as number);
    return { kind: 'days', days: (k.days[n - 1] as number) - from };
  }
  return ONE_MONTH;
}

function interestOf(
  k: Kernel,
  segment: Segment,
  balance: number,
  n: number,
): number {
  const length = periodLength(k, n);
  const { terms } = k;
  if (terms.method === 'flat') {
    if (length.kind === 'month') return segment.flatInterest;
    return periodInterest(
      segment.openingBalance,
      k.rate,
      length,
      terms.dayCount,
      terms.rounding,
    );
  }
  return periodInterest(
    balance,
    k.rate,
    length,
    terms.dayCount,
    terms.rounding,
  );
}

function principalOf(
  k: Kernel,
  segment: Segment,
  balance: number,
  interest: number,
  n: number,
): number {
  const { terms } = k;
  if (n === k.periods) return balance;
  if (n <= terms.interestOnlyPeriods) return 0;
  let principal = 0;
  switch (terms.method) {
    case 'equal_installment': {
      // A broken first period keeps the regular principal part; its extra
      // (or missing) days only change the interest (首期按实际天数计息).
      const regularInterest =
        n === 1 && k.brokenFirst
          ? periodInterest(
              balance,
              k.rate,
              ONE_MONTH,
              terms.dayCount,
              terms.rounding,
            )
          : interest;
      principal = segment.installment - regularInterest;
      break;
    }
    case 'equal_principal':
    case 'flat':
      principal = segment.principalPerPeriod;
      break;
    case 'interest_first':
    case 'bullet':
      principal = 0;
      break;
  }
  if (principal < 0) return 0;
  return Math.min(principal, balance);
}

type Totals = {
  principal: number;
  interest: number;
  fee: number;
  paid: number;
};

/** The running state of the schedule loop. */
type Run = {
  segment: Segment;
  balance: number;
  prepaymentIndex: number;
  readonly applied: AppliedPrepayment[];
  readonly totals: Totals;
};

/**
 * Applies the prepayments that fall right after period `n`; a failure is the
 * error to return. Returns true when the balance is cleared.
 */
function applyPrepayments(
  k: Kernel,
  run: Run,
  n: number,
): Result<boolean, ScheduleError> {
  const { terms, rate } = k;
  while (terms.prepayments[run.prepaymentIndex]?.afterPeriod === n) {
    const prepayment = terms.prepayments[run.prepaymentIndex] as Prepayment;
    run.prepaymentIndex += 1;
    const amount = toSafe(prepayment.amountFen);
    if (amount > run.balance) {
      return err({
        code: 'schedule.prepayment_amount_out_of_range',
        field: 'prepayments.amount',
        detail: `exceeds the balance ${run.balance} fen after period ${n}`,
      });
    }
    run.applied.push({
      ...prepayment,
      balanceBeforeFen: fen(BigInt(run.balance)),
      balanceAfterFen: fen(BigInt(run.balance - amount)),
    });
    run.balance -= amount;
    run.totals.principal += amount;
    run.totals.paid += amount;
    if (run.balance === 0) return ok(true);
    const next = segmentAfterPrepayment(
      run.segment,
      {
        terms,
        rate,
        balance: run.balance,
        firstPeriod: n + 1,
        periods: k.periods,
      },
      prepayment.mode,
    );
    if (!next.ok) return next;
    run.segment = next.value;
  }
  return ok(false);
}

/** Adds the sums of the scheduled periods to the totals. */
function addPeriods(
  totals: Totals,
  principal: number,
  interest: number,
  fee: number,
): void {
  totals.principal += principal;
  totals.interest += interest;
  totals.fee += fee;
  totals.paid += principal + interest + fee;
}

/** Runs every period into `cells`; returns the number of rows written. */
function runPeriods(
  k: Kernel,
  run: Run,
  cells: RowCells,
  fee: number,
): Result<number, ScheduleError> {
  // The loop keeps its running amounts in locals (V8 keeps them in
  // registers); prepayments read and write them through `run`.
  const prepayments = k.terms.prepayments.length;
  let { balance, segment } = run;
  let principalSum = 0;
  let interestSum = 0;
  let rows = 0;
  for (let n = 1; n <= k.periods && balance > 0; n += 1) {
    const interest = interestOf(k, segment, balance, n);
    const principal = principalOf(k, segment, balance, interest, n);
    balance -= principal;
    writeRow(cells, rows, principal, interest, fee, balance);
    rows += 1;
    principalSum += principal;
    interestSum += interest;
    if (run.prepaymentIndex < prepayments) {
      run.balance = balance;
      const cleared = applyPrepayments(k, run, n);
      if (!cleared.ok) return cleared;
      ({ balance, segment } = run);
      if (cleared.value) break;
    }
  }
  run.balance = balance;
  run.segment = segment;
  addPeriods(run.totals, principalSum, interestSum, fee * rows);
  return ok(rows);
}

/**
 * True for the common loan the fast loop below serves: 等额本息 under 30/360
 * with regular monthly periods and no prepayment.
 */
function isRegularInstallmentLoan(k: Kernel): boolean {
  const { terms } = k;
  return (
    terms.method === 'equal_installment' &&
    terms.dayCount === '30/360' &&
    !k.brokenFirst &&
    terms.prepayments.length === 0
  );
}

/**
 * `runPeriods` for a regular installment loan, with the per-period choices of
 * `interestOf` and `principalOf` taken once: every period is one month of
 * interest, and the principal part is the installment minus it (nothing in
 * interest-only periods, the whole balance in the last).
 */
function runRegularInstallments(
  k: Kernel,
  run: Run,
  cells: RowCells,
  fee: number,
): number {
  const { periods } = k;
  const { rounding, interestOnlyPeriods } = k.terms;
  const numerator = k.rate.numerator;
  const monthDenominator = k.rate.denominator * 12;
  const { installment } = run.segment;
  let balance = run.balance;
  let principalSum = 0;
  let interestSum = 0;
  let rows = 0;
  for (let n = 1; n <= periods && balance > 0; n += 1) {
    const interest = mulDivRound(
      balance,
      numerator,
      monthDenominator,
      rounding,
    );
    let principal = balance;
    if (n < periods) {
      principal = n <= interestOnlyPeriods ? 0 : installment - interest;
      if (principal < 0) principal = 0;
      if (principal > balance) principal = balance;
    }
    balance -= principal;
    writeRow(cells, rows, principal, interest, fee, balance);
    rows += 1;
    principalSum += principal;
    interestSum += interest;
  }
  run.balance = balance;
  addPeriods(run.totals, principalSum, interestSum, fee * rows);
  return rows;
}

/**
 * Builds the whole repayment schedule of a loan, exact to the fen: every
 * interest amount is rounded once by the named policy, and the last period
 * (or the one that clears the balance) absorbs the rounding remainder, so
 * principal repaid equals principal lent.
 */
export function buildSchedule(
  terms: LoanTerms,
): Result<Schedule, ScheduleError> {
  const valid = validateTerms(terms);
  if (!valid.ok) return valid;
  const rate = safeRate(terms.rateAnnual);
  const periods = periodCount(terms);
  const cells = createRowCells(periods);
  fillScheduleDueDays(terms, cells);
  const k: Kernel = {
    terms,
    rate,
    startDay: toDayNumber(terms.startDate),
    days: cells.cells,
    periods,
    brokenFirst: isFirstPeriodBroken(terms),
  };
  const feeFen = periodicFeeFen(terms);
  const fee = toSafe(feeFen);
  const first = startSegment({
    terms,
    rate,
    balance: toSafe(terms.principalFen),
    firstPeriod: 1,
    periods: k.periods,
  });
  if (!first.ok) return first;
  const run: Run = {
    segment: first.value,
    balance: first.value.openingBalance,
    prepaymentIndex: 0,
    applied: [],
    totals: { principal: 0, interest: 0, fee: 0, paid: 0 },
  };
  const count = isRegularInstallmentLoan(k)
    ? ok(runRegularInstallments(k, run, cells, fee))
    : runPeriods(k, run, cells, fee);
  if (!count.ok) return count;
  if (run.prepaymentIndex < terms.prepayments.length) {
    return err({
      code: 'schedule.prepayment_period_out_of_range',
      field: 'prepayments.after_period',
      detail: 'falls after the loan is already repaid',
    });
  }
  const { totals } = run;
  // Paired assertions: the schedule repays exactly what was lent, and every
  // total (so every amount in the rows, none larger) stayed within FEN_MAX.
  assert(run.balance === 0, 'schedule: balance left after the last period');
  // The principal is a safe integer (validateTerms bounds it).
  assert(
    totals.principal === Number(terms.principalFen),
    'schedule: principal repaid differs from principal lent',
  );
  assert(totals.paid <= FEN_MAX_SAFE, 'schedule: total paid beyond FEN_MAX');
  const rows = new ScheduleRows(cells, count.value);
  const summary = {
    terms,
    paymentFen: regularPaymentFen(k, run.segment, rows, fee),
    prepayments: run.applied,
    totalPrincipalFen: terms.principalFen,
    totalInterestFen: fen(BigInt(totals.interest)),
    totalFeesFen: fen(BigInt(totals.fee) + upfrontFeeFen(terms)),
    totalPaidFen: fen(BigInt(totals.paid)),
  };
  return ok(new ColumnarSchedule(summary, rows));
}

/** The installment in force at the end (after any prepayment), fees included. */
function regularPaymentFen(
  k: Kernel,
  segment: Segment,
  rows: ScheduleRows,
  fee: number,
): Fen | undefined {
  const { terms } = k;
  switch (terms.method) {
    case 'equal_installment':
      return fen(BigInt(segment.installment + fee));
    case 'equal_principal':
      return undefined;
    case 'flat':
      return fen(
        BigInt(segment.principalPerPeriod + segment.flatInterest + fee),
      );
    case 'interest_first':
      return fen(
        BigInt(
          periodInterest(
            segment.openingBalance,
            k.rate,
            ONE_MONTH,
            terms.dayCount,
            terms.rounding,
          ) + fee,
        ),
      );
    case 'bullet':
      return rows.count > 0 ? rows.paymentFen(0) : undefined;
  }
}
