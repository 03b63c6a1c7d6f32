import { describe, expect, it } from 'vitest';
import { calendarDate } from '../../shared/calendar-date.js';
import { readDate } from './relative-date.js';

// 2026-11-20 is a Friday.
const FRIDAY = calendarDate('2026-11-20');

describe('relative date reading', () => {
  it.each([
    ['下个月15号还', '2026-12-15'],
    ['下月3号', '2026-12-03'],
    ['这个月25号扣多少', '2026-11-25'],
    ['明天能到账吗', '2026-11-21'],
    ['后天', '2026-11-22'],
    ['大后天', '2026-11-23'],
    ['下周一再还', '2026-11-23'],
    ['下周日', '2026-11-29'],
    ['下周5', '2026-11-27'],
    ['周三之前', '2026-11-25'],
    ['周五能到吗', '2026-11-20'],
    ['下下个月5号', '2027-01-05'],
    ['这周三', '2026-11-18'],
    ['月底', '2026-11-30'],
    ['下个月底', '2026-12-31'],
    ['12月5号', '2026-12-05'],
    ['3月5日', '2027-03-05'],
    ['2027年1月8日', '2027-01-08'],
    ['25号', '2026-11-25'],
    ['15号', '2026-12-15'],
  ])('reads %s as %s', (text, iso) => {
    expect(readDate(text, FRIDAY)?.value).toBe(iso);
  });

  it('resolves against the today it is given', () => {
    expect(readDate('下个月15号', calendarDate('2027-01-31'))?.value).toBe(
      '2027-02-15',
    );
    expect(readDate('明天', calendarDate('2026-12-31'))?.value).toBe(
      '2027-01-01',
    );
  });

  it('does not read a day the next month lacks', () => {
    expect(readDate('下个月31号', calendarDate('2026-10-20'))).toBeUndefined();
  });

  it('does not read recurring days, past days or numbers that are not days', () => {
    expect(readDate('每月15号扣款', FRIDAY)).toBeUndefined();
    expect(readDate('每个月的20号扣款', FRIDAY)).toBeUndefined();
    expect(readDate('昨天忘记还了', FRIDAY)).toBeUndefined();
    expect(readDate('工号8001', FRIDAY)).toBeUndefined();
  });
});
