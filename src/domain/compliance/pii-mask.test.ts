// Proves the shared masks (PII-04 de-identification) keep only what the
// product may show, and that maskPii leaves no full number behind.
import { describe, expect, it } from 'vitest';
import {
  maskBankCard,
  maskEmail,
  maskIdNumber,
  maskIdNumberTail,
  maskMobile,
  maskName,
  maskPii,
} from './pii-mask.js';

describe('masks', () => {
  it('keeps the first 3 and last 4 characters of an ID number', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
    expect(maskIdNumberTail('11010519491231002x')).toBe('尾号002X');
  });

  it('masks a mobile number as 138****1111, with or without +86', () => {
    expect(maskMobile('13812341111')).toBe('138****1111');
    expect(maskMobile('+86 138-1234-1111')).toBe('138****1111');
  });

  it('shows a bank card by its last four digits only', () => {
    expect(maskBankCard('6222 0212 3456 7890 123')).toBe('尾号0123');
  });

  it('keeps the surname and the last character of a name', () => {
    expect(maskName('王小明')).toBe('王*明');
    expect(maskName('李四')).toBe('李*');
    expect(maskName('欧阳小明')).toBe('欧**明');
  });

  it('keeps the first character of an e-mail address', () => {
    expect(maskEmail('wang.ming@example.com')).toBe('w***@example.com');
  });
});

describe('maskPii', () => {
  it('replaces every ID, card and mobile number in a text', () => {
    const text =
      '身份证11010519491231002X，卡号6228480402564890018，手机13812345678';
    const masked = maskPii(text);
    expect(masked).toBe(
      '身份证110***********002X，卡号尾号0018，手机138****5678',
    );
    expect(masked).not.toMatch(/\d{8,}/);
  });

  it('returns a text without PII unchanged', () => {
    expect(maskPii('您本期应还2992.60元')).toBe('您本期应还2992.60元');
  });
});
