import {
  type CalendarDate,
  calendarDate,
} from '../../domain/shared/calendar-date.js';

// The product's business day is the borrower's calendar day in China.
export const BUSINESS_TIME_ZONE = 'Asia/Shanghai';

/** Today's date in the business time zone (the adapters' only clock read). */
export function todayInChina(now: Date = new Date()): CalendarDate {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: BUSINESS_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
  return calendarDate(parts);
}
