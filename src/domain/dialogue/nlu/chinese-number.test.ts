import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseChineseNumber } from './chinese-number.js';

describe('Chinese number reading', () => {
  it.each([
    ['5万', 50_000],
    ['五万', 50_000],
    ['十万', 100_000],
    ['3千5', 3_500],
    ['1万2', 12_000],
    ['一万五', 15_000],
    ['1.2w', 12_000],
    ['5k', 5_000],
    ['两千三百', 2_300],
    ['两千零五', 2_005],
    ['三十六', 36],
    ['一百五', 150],
    ['2亿3000万', 230_000_000],
    ['50000', 50_000],
  ])('reads %s as %d', (text, value) => {
    expect(parseChineseNumber(text)).toBe(value);
  });

  it('refuses text that is not a number', () => {
    expect(parseChineseNumber('')).toBeUndefined();
    expect(parseChineseNumber('半')).toBeUndefined();
  });

  it('reads every Arabic integer as itself', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), (value) => {
        expect(parseChineseNumber(String(value))).toBe(value);
      }),
    );
  });

  it('reads N万 as N × 10,000 for every N below 10,000', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9_999 }), (value) => {
        expect(parseChineseNumber(`${value}万`)).toBe(value * 10_000);
      }),
    );
  });
});
