// Proves amounts are read exactly in fen and grounded within the precision
// the sender used (COL-07: no inflated debt).
import { describe, expect, it } from 'vitest';
import { isGrounded, parseChineseNumeral, statedAmounts } from './amounts.js';

describe('stated amounts', () => {
  it('reads digits with separators, decimals and 万 exactly in fen', () => {
    const found = statedAmounts('欠款42,315元，其中罚息120.50元，合计约4.2万');
    expect(found.map((amount) => amount.fen)).toEqual([
      4_231_500n,
      12_050n,
      4_200_000n,
    ]);
  });

  it('reads Chinese numerals with 元 or 块', () => {
    expect(parseChineseNumeral('三万五千')).toBe(35_000n);
    expect(statedAmounts('还欠两千块')[0]?.fen).toBe(200_000n);
  });

  it('ignores bare numbers without a currency or scale', () => {
    expect(statedAmounts('逾期90天，尾号1234')).toEqual([]);
  });

  it('grounds a rounded amount within the precision written, not beyond', () => {
    const [rounded] = statedAmounts('欠4.2万');
    const [exact] = statedAmounts('欠42,315元');
    if (rounded === undefined || exact === undefined)
      throw new Error('no amount');
    expect(isGrounded(rounded, [4_231_500n])).toBe(true);
    expect(isGrounded(exact, [4_231_500n])).toBe(true);
    expect(isGrounded(exact, [3_231_500n])).toBe(false);
  });
});
