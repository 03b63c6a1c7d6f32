import {
  addMonths,
  type CalendarDate,
  dateParts,
  daysBetween,
  daysInMonth,
  fromParts,
} from '../../shared/calendar-date.js';
import type { LoanTerms } from './types.js';

// A first period longer or shorter than this is a typing error, not a
// broken period: Chinese lenders set the first due date within two months.
export const FIRST_PERIOD_DAYS_MIN = 1;
export const FIRST_PERIOD_DAYS_MAX = 62;

/**
 * The due date of every period, 1-based in the result's index + 1. Periods are
 * monthly from the first due date, keeping its day of month where the month
 * has it and the month's last day otherwise (a loan due on the 31st falls due
 * on Feb 28 or 29, then Mar 31).
 */
export function dueDates(
  terms: Pick<LoanTerms, 'startDate' | 'firstDueDate'>,
  periods: number,
): CalendarDate[] {
  const first = terms.firstDueDate;
  // Without a first due date, period k falls k months after the start;
  // with one, k − 1 months after it. Either way the anchor day is kept.
  const origin = dateParts(first ?? terms.startDate);
  const offset = first === undefined ? 1 : 0;
  const dates: CalendarDate[] = [];
  let index = origin.year * 12 + (origin.month - 1) + offset;
  for (let k = 0; k < periods; k += 1, index += 1) {
    const year = Math.floor(index / 12);
    const month = (index % 12) + 1;
    const day = Math.min(origin.day, daysInMonth(year, month));
    dates.push(fromParts({ year, month, day }));
  }
  return dates;
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
  const first = terms.firstDueDate ?? addMonths(terms.startDate, 1);
  return daysBetween(terms.startDate, first);
}
