import { assert } from '../../shared/assert.js';
import {
  addMonths,
  type CalendarDate,
  dateParts,
  dayNumber,
  daysInMonth,
  fromDayNumber,
  toDayNumber,
  YEAR_MAX,
} from '../../shared/calendar-date.js';
import type { LoanTerms } from './types.js';

// A first period longer or shorter than this is a typing error, not a
// broken period: Chinese lenders set the first due date within two months.
export const FIRST_PERIOD_DAYS_MIN = 1;
export const FIRST_PERIOD_DAYS_MAX = 62;

const LAST_DAY = dayNumber(YEAR_MAX, 12, 31);
// Days in each month (1-based) outside February.
const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The due date of every period as a day number (days since 1970-01-01,
 * `dayNumber` in shared/calendar-date.ts), 1-based in the index + 1. Periods
 * are monthly from the first due date, keeping its day of month where the
 * month has it and the month's last day otherwise (a loan due on the 31st
 * falls due on Feb 28 or 29, then Mar 31).
 *
 * @example
 * dueDays({ startDate: calendarDate('2026-01-31') }, 2); // [20512, 20543] (Feb 28, Mar 31)
 */
export function dueDays(
  terms: Pick<LoanTerms, 'startDate' | 'firstDueDate'>,
  periods: number,
): number[] {
  const days = new Array<number>(periods);
  fillDueDays(terms, periods, days);
  return days;
}

/** `dueDays` written into `out[0]` to `out[periods − 1]`. */
export function fillDueDays(
  terms: Pick<LoanTerms, 'startDate' | 'firstDueDate'>,
  periods: number,
  out: number[],
): void {
  const first = terms.firstDueDate;
  // Without a first due date, period k falls k months after the start;
  // with one, k − 1 months after it. Either way the anchor day is kept.
  const origin = dateParts(first ?? terms.startDate);
  const anchor = origin.day;
  const index =
    origin.year * 12 + (origin.month - 1) + (first === undefined ? 1 : 0);
  let year = Math.floor(index / 12);
  let month = (index % 12) + 1;
  // Day number of the 1st of the month, advanced by whole months: one civil
  // conversion per schedule, then additions.
  let monthStart = dayNumber(year, month, 1);
  for (let k = 0; k < periods; k += 1) {
    const length =
      month === 2 ? daysInMonth(year, 2) : (MONTH_DAYS[month] as number);
    out[k] = monthStart + Math.min(anchor, length) - 1;
    monthStart += length;
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1;
    }
  }
  // Same bound as every CalendarDate: a due date past YEAR_MAX cannot be
  // written as one.
  assert(monthStart - 1 <= LAST_DAY, 'dueDays: due date after YEAR_MAX');
}

/** `dueDays` formatted as ISO dates, for callers that want strings. */
export function dueDates(
  terms: Pick<LoanTerms, 'startDate' | 'firstDueDate'>,
  periods: number,
): CalendarDate[] {
  return dueDays(terms, periods).map(fromDayNumber);
}

/** The first due date as a day number: as given, or one month after the start. */
function firstDueDay(
  terms: Pick<LoanTerms, 'startDate' | 'firstDueDate'>,
): number {
  if (terms.firstDueDate !== undefined) return toDayNumber(terms.firstDueDate);
  return dueDays(terms, 1)[0] as number;
}

/**
 * True when the first period is not one regular month: its interest then
 * accrues daily (日利率 = 年利率 / 360, or / 365 under actual/365).
 */
export function isFirstPeriodBroken(
  terms: Pick<LoanTerms, 'startDate' | 'firstDueDate'>,
): boolean {
  if (terms.firstDueDate === undefined) return false;
  return terms.firstDueDate !== addMonths(terms.startDate, 1);
}

export function firstPeriodDays(
  terms: Pick<LoanTerms, 'startDate' | 'firstDueDate'>,
): number {
  return firstDueDay(terms) - toDayNumber(terms.startDate);
}
