// Wire ↔ domain for schedules: the JSON of spec/contracts.md `loandesk
// schedule`, shared by the CLI and the HTTP API. Every refusal names its field.
import type { ScheduleOutput } from '../../contracts/loan.js';
import { formatFen, parseYuanStrict, rateText } from '../../contracts/money.js';
import type { Apr } from '../../domain/loan/apr.js';
import type { ScheduleRows } from '../../domain/loan/schedule/rows.js';
import {
  DAY_COUNTS,
  type DayCount,
  type Fee,
  type LoanTerms,
  type Prepayment,
  REPAYMENT_METHODS,
  type RepaymentMethod,
  type Schedule,
} from '../../domain/loan/schedule/types.js';
import { type Fen, fen } from '../../domain/money/fen.js';
import { formatRate, parseRate, type Rate } from '../../domain/money/rate.js';
import { ROUNDINGS, type Rounding } from '../../domain/money/rounding.js';
import {
  type CalendarDate,
  parseCalendarDate,
} from '../../domain/shared/calendar-date.js';
import { InputError, type JsonObject } from './input-error.js';

function fail(field: string, message: string): never {
  throw new InputError(`${field}: ${message}`);
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.slice(0, 40);
}

export function readYuan(value: unknown, field: string): Fen {
  const parsed = parseYuanStrict(value);
  if (parsed.ok) return fen(parsed.value);
  const why: Record<typeof parsed.error, string> = {
    'money.not_a_number':
      'must be an amount in yuan such as 100000 or "2992.60"',
    'money.too_many_decimals': 'must have at most two decimals (fen)',
    'money.out_of_range': 'is out of range',
  };
  return fail(field, `${why[parsed.error]}, got ${show(value)}`);
}

export function readRate(value: unknown, field: string): Rate {
  const text = rateText(value);
  const parsed = text === undefined ? undefined : parseRate(text);
  if (parsed === undefined) {
    return fail(
      field,
      `must be a decimal rate such as 0.049 (for 4.9 %), got ${show(value)}`,
    );
  }
  return parsed;
}

export function readInteger(
  value: unknown,
  field: string,
  min: number,
  max: number,
): number {
  const n =
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    return fail(
      field,
      `must be a whole number from ${min} to ${max}, got ${show(value)}`,
    );
  }
  return n;
}

export function readDate(value: unknown, field: string): CalendarDate {
  const date = typeof value === 'string' ? parseCalendarDate(value) : undefined;
  if (date === undefined)
    return fail(
      field,
      `must be a date YYYY-MM-DD between 1970 and 2200, got ${show(value)}`,
    );
  return date;
}

export function readChoice<T extends string>(
  value: unknown,
  field: string,
  choices: readonly T[],
): T {
  if (
    typeof value === 'string' &&
    (choices as readonly string[]).includes(value)
  )
    return value as T;
  return fail(
    field,
    `must be one of ${choices.join(' | ')}, got ${show(value)}`,
  );
}

function readList(value: unknown, field: string): JsonObject[] {
  if (value === undefined || value === null) return [];
  if (
    !Array.isArray(value) ||
    value.some((item) => item === null || typeof item !== 'object')
  ) {
    return fail(field, 'must be a list of objects');
  }
  return value as JsonObject[];
}

function readFee(item: JsonObject): Fee {
  const kind = readChoice(item.kind, 'fees.kind', [
    'upfront',
    'monthly',
  ] as const);
  if (kind === 'upfront')
    return { kind: 'upfront', amountFen: readYuan(item.amount, 'fees.amount') };
  if (item.rate !== undefined)
    return {
      kind: 'monthly_rate',
      rateOfPrincipal: readRate(item.rate, 'fees.rate'),
    };
  return {
    kind: 'monthly_amount',
    amountFen: readYuan(item.amount, 'fees.amount'),
  };
}

function readPrepayment(item: JsonObject): Prepayment {
  return {
    afterPeriod: readInteger(
      item.after_period,
      'prepayments.after_period',
      1,
      359,
    ),
    amountFen: readYuan(item.amount, 'prepayments.amount'),
    mode: readChoice(item.mode ?? 'reduce_payment', 'prepayments.mode', [
      'reduce_payment',
      'reduce_term',
    ] as const),
  };
}

/** Parses a schedule request; `today` is the start date when none is given. */
export function parseLoanTerms(
  input: JsonObject,
  today: CalendarDate,
): LoanTerms {
  for (const field of ['principal', 'annual_rate', 'term_months', 'method']) {
    if (input[field] === undefined || input[field] === null)
      fail(field, 'is required');
  }
  const startDate =
    input.start_date === undefined
      ? today
      : readDate(input.start_date, 'start_date');
  const multiple = readYuan(
    input.payment_multiple ?? '0.01',
    'payment_multiple',
  );
  const terms: LoanTerms = {
    principalFen: readYuan(input.principal, 'principal'),
    rateAnnual: readRate(input.annual_rate, 'annual_rate'),
    termMonths: readInteger(input.term_months, 'term_months', 1, 360),
    method: readChoice<RepaymentMethod>(
      input.method,
      'method',
      REPAYMENT_METHODS,
    ),
    startDate,
    dayCount: readChoice<DayCount>(
      input.day_count ?? '30/360',
      'day_count',
      DAY_COUNTS,
    ),
    rounding: readChoice<Rounding>(
      input.rounding ?? 'half_up',
      'rounding',
      ROUNDINGS,
    ),
    paymentMultipleFen: multiple,
    interestOnlyPeriods: readInteger(
      input.interest_only_periods ?? 0,
      'interest_only_periods',
      0,
      359,
    ),
    fees: readList(input.fees, 'fees').map(readFee),
    prepayments: readList(input.prepayments, 'prepayments').map(readPrepayment),
  };
  if (input.first_due_date === undefined || input.first_due_date === null)
    return terms;
  return {
    ...terms,
    firstDueDate: readDate(input.first_due_date, 'first_due_date'),
  };
}

// Straight from the schedule's columns: no Installment objects in between.
function formatRows(rows: ScheduleRows): ScheduleOutput['periods'] {
  const periods: ScheduleOutput['periods'] = [];
  for (let i = 0; i < rows.count; i += 1) {
    periods.push({
      n: i + 1,
      due_date: rows.dueDate(i),
      payment: formatFen(rows.paymentFen(i)),
      principal: formatFen(rows.principalFen(i)),
      interest: formatFen(rows.interestFen(i)),
      fee: formatFen(rows.feeFen(i)),
      balance: formatFen(rows.balanceFen(i)),
    });
  }
  return periods;
}

/** The contract's output object for a schedule and its APR. */
export function formatSchedule(
  schedule: Schedule,
  apr: Apr | undefined,
): ScheduleOutput {
  const output: ScheduleOutput = {
    method: schedule.terms.method,
    payment:
      schedule.paymentFen === undefined ? null : formatFen(schedule.paymentFen),
    periods: formatRows(schedule.rows),
    total_principal: formatFen(schedule.totalPrincipalFen),
    total_interest: formatFen(schedule.totalInterestFen),
    total_fees: formatFen(schedule.totalFeesFen),
    total_paid: formatFen(schedule.totalPaidFen),
    apr_nominal: apr === undefined ? null : formatRate(apr.aprNominal, 6),
    apr_effective: apr === undefined ? null : formatRate(apr.aprEffective, 6),
  };
  if (schedule.prepayments.length > 0) {
    output.prepayments = schedule.prepayments.map((p) => ({
      after_period: p.afterPeriod,
      amount: formatFen(p.amountFen),
      mode: p.mode,
      balance_before: formatFen(p.balanceBeforeFen),
      balance_after: formatFen(p.balanceAfterFen),
    }));
  }
  return output;
}
