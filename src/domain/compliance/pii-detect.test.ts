// Proves the PII detectors on the vectors of spec/regulations.md §6 and on
// the separators and full-width digits people use to dodge detection.
import { describe, expect, it } from 'vitest';
import { detectPii, isLuhnValid, isValidIdNumber } from './pii-detect.js';

describe('resident ID check (ISO 7064 MOD 11-2)', () => {
  it.each([
    ['11010519491231002X', true],
    ['34052419800101001X', true],
    ['11010519491231002x', true],
    ['340524198001010013', false],
  ])('judges %s as valid: %s', (value, valid) => {
    expect(isValidIdNumber(value)).toBe(valid);
  });
});

describe('Luhn check', () => {
  it('accepts a Luhn-valid card number and rejects a one-digit change', () => {
    expect(isLuhnValid('6228480402564890018')).toBe(true);
    expect(isLuhnValid('6228480402564890019')).toBe(false);
  });
});

describe('detectPii', () => {
  it('finds an ID number even with a wrong checksum, marking the checksum', () => {
    const [hit] = detectPii('您的身份证号是110105194912310021，对吗？');
    expect(hit).toMatchObject({
      kind: 'id_number',
      span: [7, 25],
      checksumValid: false,
    });
  });

  it('finds a mobile number written with separators or a +86 prefix', () => {
    const grouped = detectPii('电话 138-1234-5678');
    const prefixed = detectPii('请拨+86 13912345678');
    expect(grouped[0]).toMatchObject({
      kind: 'mobile',
      value: '13812345678',
      span: [3, 16],
    });
    expect(prefixed[0]?.kind).toBe('mobile');
  });

  it('finds a 19-digit UnionPay card grouped by spaces and in full-width digits', () => {
    expect(detectPii('卡号6222 0212 3456 7890 123')[0]?.kind).toBe('bank_card');
    expect(
      detectPii('卡号６２２２０２１２３４５６７８９０１２３')[0]?.kind,
    ).toBe('bank_card');
  });

  it('ignores short numbers, amounts and landline-length numbers', () => {
    expect(detectPii('尾号1234，应还2992.60元，热线95588')).toEqual([]);
  });

  it('finds names and addresses introduced by context words', () => {
    const hits = detectPii('我叫王小明，住在朝阳区幸福路8号3栋');
    expect(hits.map((hit) => hit.kind)).toEqual(['name', 'address']);
    expect(hits[0]?.value).toBe('王小明');
  });
});
