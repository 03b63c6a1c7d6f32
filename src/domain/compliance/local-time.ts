import { parseCalendarDate, toDayNumber } from '../shared/calendar-date.js';

// Instants as the contracts carry them: ISO 8601 with the debtor's UTC offset
// ("2026-11-20T21:30:00+08:00"). Parsed by hand so the domain needs no clock
// and no Date: the local calendar day and minute are what the rules use.

export type LocalInstant = {
  /** Day number of the local calendar date (days since 1970-01-01). */
  localDay: number;
  /** Minutes since local midnight, 0–1439. */
  localMinute: number;
  /** Minutes since the epoch in UTC, to order and compare instants. */
  utcMinute: number;
  /** The UTC offset in minutes east of Greenwich. */
  offsetMinutes: number;
};

const ISO_INSTANT =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses an ISO 8601 instant with an offset; undefined when malformed.
 * @example parseLocalInstant('2026-11-20T21:30:00+08:00')?.localMinute === 1290
 */
export function parseLocalInstant(text: string): LocalInstant | undefined {
  const match = ISO_INSTANT.exec(text.trim());
  if (match === null) return undefined;
  const date = parseCalendarDate(match[1] ?? '');
  if (date === undefined) return undefined;
  const hours = Number(match[2]);
  const minutes = Number(match[3]);
  if (hours > 23 || minutes > 59 || Number(match[4] ?? '0') > 59)
    return undefined;
  const offsetMinutes = parseOffset(match[5] ?? 'Z');
  if (offsetMinutes === undefined) return undefined;
  const localDay = toDayNumber(date);
  const localMinute = hours * 60 + minutes;
  return {
    localDay,
    localMinute,
    utcMinute: localDay * 1440 + localMinute - offsetMinutes,
    offsetMinutes,
  };
}

function parseOffset(text: string): number | undefined {
  if (text === 'Z') return 0;
  const digits = text.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  if (hours > 14 || minutes > 59) return undefined;
  const magnitude = hours * 60 + minutes;
  return text.startsWith('-') ? -magnitude : magnitude;
}

/** Re-expresses an instant in another UTC offset (the debtor's). */
export function atOffset(
  instant: LocalInstant,
  offsetMinutes: number,
): LocalInstant {
  const local = instant.utcMinute + offsetMinutes;
  const localDay = Math.floor(local / 1440);
  return {
    localDay,
    localMinute: local - localDay * 1440,
    utcMinute: instant.utcMinute,
    offsetMinutes,
  };
}

/**
 * Parses "HH:MM" into minutes since midnight; undefined when malformed.
 * @example parseHourMinute('07:30') === 450
 */
export function parseHourMinute(text: string): number | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (match === null) return undefined;
  return Number(match[1]) * 60 + Number(match[2]);
}

/** True when a minute of the day falls in [from, to), wrapping midnight. */
export function inMinuteWindow(
  minute: number,
  fromMinute: number,
  toMinute: number,
): boolean {
  if (fromMinute === toMinute) return true;
  return fromMinute < toMinute
    ? minute >= fromMinute && minute < toMinute
    : minute >= fromMinute || minute < toMinute;
}
