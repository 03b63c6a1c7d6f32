import {
  addDays,
  addMonths,
  type CalendarDate,
  dateParts,
  daysInMonth,
  fromParts,
  toDayNumber,
} from '../../shared/calendar-date.js';
import { parseChineseNumber } from './chinese-number.js';
import type { Reading } from './text-span.js';

// Day numbers up to 31, Arabic or Chinese (十五, 三十一).
const DAY = '([0-9]{1,2}|[一二两三四五六七八九十]{1,3})';
const MONTH = '([0-9]{1,2}|十[一二]?|[一二三四五六七八九])';
const WEEKDAYS = '一二三四五六日天';
// Weekday names: 一…六, 日/天 for Sunday, or a digit 1–7.
const WEEKDAY = `([${WEEKDAYS}1-7])`;

type DateRule = {
  pattern: RegExp;
  resolve: (
    match: RegExpExecArray,
    today: CalendarDate,
  ) => CalendarDate | undefined;
};

function dayOf(text: string | undefined): number | undefined {
  const value = parseChineseNumber(text ?? '');
  if (value === undefined || !Number.isInteger(value)) return undefined;
  return value >= 1 && value <= 31 ? value : undefined;
}

// A day in the month `monthOffset` months after today's month, or undefined
// when that month is shorter (下个月31号 in a 30-day month is not a date).
function dayInMonth(
  today: CalendarDate,
  monthOffset: number,
  day: number | undefined,
): CalendarDate | undefined {
  if (day === undefined) return undefined;
  const first = addMonths(
    fromParts({ ...dateParts(today), day: 1 }),
    monthOffset,
  );
  const { year, month } = dateParts(first);
  if (day > daysInMonth(year, month)) return undefined;
  return fromParts({ year, month, day });
}

// Monday-based weekday: 1970-01-01 (day 0) was a Thursday (index 3).
function weekdayIndex(date: CalendarDate): number {
  return (((toDayNumber(date) + 3) % 7) + 7) % 7;
}

function weekday(
  today: CalendarDate,
  weeksAhead: number,
  name: string,
): CalendarDate {
  const digit = Number(name);
  const target =
    Number.isInteger(digit) && digit >= 1
      ? digit - 1
      : Math.min(WEEKDAYS.indexOf(name), 6);
  const monday = addDays(today, -weekdayIndex(today));
  return addDays(monday, weeksAhead * 7 + target);
}

function monthEnd(today: CalendarDate, monthOffset: number): CalendarDate {
  const first = addMonths(
    fromParts({ ...dateParts(today), day: 1 }),
    monthOffset,
  );
  const { year, month } = dateParts(first);
  return fromParts({ year, month, day: daysInMonth(year, month) });
}

// Order matters: the first rule that matches wins, longest phrases first.
// Past days (昨天, 上个月5号) are not read: the slot serves scheduling, and a
// past day is narrative, not a date the customer asks us to act on.
const DATE_RULES: readonly DateRule[] = [
  {
    pattern: /(\d{4})[-年/.](\d{1,2})[-月/.](\d{1,2})[日号]?/,
    resolve: (m) => {
      const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (month < 1 || month > 12 || day < 1) return undefined;
      if (day > daysInMonth(year, month)) return undefined;
      return fromParts({ year, month, day });
    },
  },
  {
    pattern: new RegExp(`下下个?月(?:的)?${DAY}[号日]`),
    resolve: (m, today) => dayInMonth(today, 2, dayOf(m[1])),
  },
  {
    pattern: new RegExp(`(?<!下)下个?月(?:的)?${DAY}[号日]`),
    resolve: (m, today) => dayInMonth(today, 1, dayOf(m[1])),
  },
  {
    pattern: new RegExp(`(?:这个?月|本月)(?:的)?${DAY}[号日]`),
    resolve: (m, today) => dayInMonth(today, 0, dayOf(m[1])),
  },
  {
    pattern: new RegExp(`(?<![0-9年])${MONTH}月(?:份)?${DAY}[号日]`),
    resolve: (m, today) => {
      const month = parseChineseNumber(m[1] ?? '') ?? 0;
      const { month: monthNow } = dateParts(today);
      if (month < 1 || month > 12) return undefined;
      // The next such day: 3月5号 said in November means next March.
      const offset = (month - monthNow + 12) % 12;
      const date = dayInMonth(today, offset, dayOf(m[2]));
      if (date !== undefined && date < today)
        return dayInMonth(today, 12, dayOf(m[2]));
      return date;
    },
  },
  { pattern: /下个?月底/, resolve: (_m, today) => monthEnd(today, 1) },
  { pattern: /(?<!上个?)月底/, resolve: (_m, today) => monthEnd(today, 0) },
  { pattern: /大后天/, resolve: (_m, today) => addDays(today, 3) },
  { pattern: /(?<!大)后天/, resolve: (_m, today) => addDays(today, 2) },
  { pattern: /明天|明日/, resolve: (_m, today) => addDays(today, 1) },
  {
    pattern: new RegExp(`(?:下|下个)(?:周|星期|礼拜)${WEEKDAY}`),
    resolve: (m, today) => weekday(today, 1, m[1] ?? ''),
  },
  {
    pattern: new RegExp(`(?:这|本)(?:周|星期|礼拜)${WEEKDAY}`),
    resolve: (m, today) => weekday(today, 0, m[1] ?? ''),
  },
  {
    // A bare weekday (周五之前) is the next such day, today included.
    pattern: new RegExp(`(?<![上下这本个])(?:周|星期|礼拜)${WEEKDAY}`),
    resolve: (m, today) => {
      const thisWeek = weekday(today, 0, m[1] ?? '');
      return thisWeek < today ? weekday(today, 1, m[1] ?? '') : thisWeek;
    },
  },
  {
    // A bare day of month (15号) is the next such day; 每月15号 is a rule.
    pattern: new RegExp(`(?<![0-9月每工编尾单账]|每个?月的)${DAY}号(?![码])`),
    resolve: (m, today) => {
      const day = dayOf(m[1]);
      if (day === undefined) return undefined;
      const { day: dayNow } = dateParts(today);
      return dayInMonth(today, day >= dayNow ? 0 : 1, day);
    },
  },
];

/**
 * The first date the text states, resolved against `today`.
 *
 * @example
 * readDate('下个月15号还', calendarDate('2026-11-20')); // '2026-12-15'
 */
export function readDate(
  text: string,
  today: CalendarDate,
): Reading<CalendarDate> | undefined {
  for (const rule of DATE_RULES) {
    const match = rule.pattern.exec(text);
    if (match === null) continue;
    const value = rule.resolve(match, today);
    if (value === undefined) continue;
    const start = match.index;
    return { value, span: { start, end: start + match[0].length } };
  }
  return undefined;
}
