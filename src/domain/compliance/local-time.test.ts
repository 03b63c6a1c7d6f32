// Proves instants are read in the debtor's own offset, without a clock.
import { describe, expect, it } from 'vitest';
import {
  atOffset,
  inMinuteWindow,
  parseHourMinute,
  parseLocalInstant,
} from './local-time.js';

describe('local time', () => {
  it('reads the local minute and day of an ISO instant with an offset', () => {
    const instant = parseLocalInstant('2026-11-20T21:30:00+08:00');
    expect(instant?.localMinute).toBe(21 * 60 + 30);
    expect(instant?.offsetMinutes).toBe(480);
  });

  it('orders instants given in different offsets by their UTC time', () => {
    const beijing = parseLocalInstant('2026-11-21T00:30:00+08:00');
    const utc = parseLocalInstant('2026-11-20T16:30:00Z');
    expect(beijing?.utcMinute).toBe(utc?.utcMinute);
    if (utc === undefined || beijing === undefined) return;
    expect(atOffset(utc, 480).localDay).toBe(beijing.localDay);
  });

  it('refuses an instant without an offset or with an impossible date', () => {
    expect(parseLocalInstant('2026-11-20T21:30:00')).toBeUndefined();
    expect(parseLocalInstant('2026-02-30T10:00:00+08:00')).toBeUndefined();
    expect(parseHourMinute('24:00')).toBeUndefined();
  });

  it('treats a window that wraps midnight as two ranges', () => {
    expect(inMinuteWindow(23 * 60, 22 * 60, 8 * 60)).toBe(true);
    expect(inMinuteWindow(7 * 60, 22 * 60, 8 * 60)).toBe(true);
    expect(inMinuteWindow(8 * 60, 22 * 60, 8 * 60)).toBe(false);
  });
});
