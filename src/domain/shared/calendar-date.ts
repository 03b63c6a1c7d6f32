import { assert } from './assert.js';

/**
 * A calendar day with no time zone, as an ISO string `YYYY-MM-DD`. The domain
 * never reads the clock: callers pass `today` in.
 *
 * @example
 * const d = parseCalendarDate('2026-01-31'); // '2026-01-31'
 */
export type CalendarDate = string & { readonly __brand: 'CalendarDate' };

// Years the engine accepts: loans older or later than this are typing errors.
export const YEAR_MIN = 1970;
export const YEAR_MAX = 2200;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  assert(month >= 1 && month <= 12, () => `daysInMonth: month ${month}`);
  if (month === 2 && isLeapYear(year)) return 29;
  return DAYS_IN_MONTH[month] as number;
}

/** Parses `YYYY-MM-DD`; returns undefined for a malformed or impossible date. */
export function parseCalendarDate(text: string): CalendarDate | undefined {
  const match = DATE_PATTERN.exec(text);
  if (match === null) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < YEAR_MIN || year > YEAR_MAX) return undefined;
  if (month < 1 || month > 12) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  return text as CalendarDate;
}

export function calendarDate(text: string): CalendarDate {
  const date = parseCalendarDate(text);
  assert(date !== undefined, () => `calendarDate: invalid date ${text}`);
  return date;
}

export type DateParts = { year: number; month: number; day: number };

// A CalendarDate was validated as `YYYY-MM-DD`, so its digits are read by
// character code: no substrings, no number parsing.
const ZERO = 48;
const digit = (date: string, at: number) => date.charCodeAt(at) - ZERO;

export function dateParts(date: CalendarDate): DateParts {
  return {
    year:
      digit(date, 0) * 1000 +
      digit(date, 1) * 100 +
      digit(date, 2) * 10 +
      digit(date, 3),
    month: digit(date, 5) * 10 + digit(date, 6),
    day: digit(date, 8) * 10 + digit(date, 9),
  };
}

const TWO_DIGITS = Array.from({ length: 32 }, (_, i) =>
  String(i).padStart(2, '0'),
);

/** Builds a date from parts that the caller derived from valid dates. */
export function fromParts(parts: DateParts): CalendarDate {
  const { year, month, day } = parts;
  assert(
    year >= YEAR_MIN &&
      year <= YEAR_MAX &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= daysInMonth(year, month),
    () => `fromParts: invalid date ${year}-${month}-${day}`,
  );
  return `${year}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}` as CalendarDate;
}

/**
 * Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil), exact
 * for every year here. Schedules keep due dates as these day numbers and
 * format them only when a caller asks for the ISO string.
 *
 * @example
 * dayNumber(2026, 1, 15); // 20468
 */
export function dayNumber(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function toDayNumber(date: CalendarDate): number {
  const { year, month, day } = dateParts(date);
  return dayNumber(year, month, day);
}

export function fromDayNumber(days: number): CalendarDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe -
      Math.floor(doe / 1460) +
      Math.floor(doe / 36524) -
      Math.floor(doe / 146096)) /
      365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return fromParts({ year, month, day });
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Actual days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/**
 * Adds whole months keeping the anchor day of month where the month has it,
 * and the month's last day otherwise: a loan started on Jan 31 falls due on
 * Feb 28 (29), Mar 31, Apr 30 … — never drifting to the 28th for good.
 */
export function addMonths(
  date: CalendarDate,
  months: number,
  anchorDay: number = dateParts(date).day,
): CalendarDate {
  const { year, month } = dateParts(date);
  const index = year * 12 + (month - 1) + months;
  const newYear = Math.floor(index / 12);
  const newMonth = (index % 12) + 1;
  const day = Math.min(anchorDay, daysInMonth(newYear, newMonth));
  return fromParts({ year: newYear, month: newMonth, day });
}

/** Days between two dates under 30E/360 (each month counts 30 days). */
export function days360(from: CalendarDate, to: CalendarDate): number {
  const a = dateParts(from);
  const b = dateParts(to);
  const d1 = Math.min(a.day, 30);
  const d2 = Math.min(b.day, 30);
  return (b.year - a.year) * 360 + (b.month - a.month) * 30 + (d2 - d1);
}
