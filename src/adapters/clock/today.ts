import {
  type CalendarDate,
  calendarDate,
} from '../../domain/shared/calendar-date.js';

// The product's business day is the borrower's calendar day in China.
export const BUSINESS_TIME_ZONE = 'Asia/Shanghai';

// Built once: constructing an Intl.DateTimeFormat costs far more than
// formatting with it (measured: the dearest step of a chat turn after the
// database when built per call).
const DAY_FORMAT = new Intl.DateTimeFormat('en-CA', {
  timeZone: BUSINESS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const MINUTE_FORMAT = new Intl.DateTimeFormat('en-GB', {
  timeZone: BUSINESS_TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Today's date in the business time zone (the adapters' only clock read). */
export function todayInChina(now: Date = new Date()): CalendarDate {
  return calendarDate(DAY_FORMAT.format(now));
}

/** Minutes since midnight in the business time zone (0 … 1439). */
export function minuteOfDayInChina(now: Date = new Date()): number {
  const parts = MINUTE_FORMAT.formatToParts(now);
  const read = (type: string) =>
    Number(parts.find((part) => part.type === type)?.value ?? '0');
  return read('hour') * 60 + read('minute');
}
