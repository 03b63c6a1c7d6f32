import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idNumberCheckChar, isValidIdNumber } from './id-number.js';

describe('resident ID number checksum (ISO 7064 MOD 11-2)', () => {
  it('accepts the GB 11643 example with an X check character', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('11010519491231002x')).toBe(true);
  });

  it('rejects a number whose check character is wrong', () => {
    expect(isValidIdNumber('110105194912310021')).toBe(false);
  });

  it('rejects text of the wrong shape', () => {
    expect(isValidIdNumber('1101051949123100')).toBe(false);
    expect(isValidIdNumber('1101051949123100XX')).toBe(false);
  });

  it('accepts any 17 digits with their computed check character and no other', () => {
    const digits = fc.stringMatching(/^\d{17}$/);
    fc.assert(
      fc.property(digits, (first17) => {
        const check = idNumberCheckChar(first17);
        expect(isValidIdNumber(first17 + check)).toBe(true);
        const other = check === '0' ? '1' : '0';
        expect(isValidIdNumber(first17 + other)).toBe(false);
      }),
    );
  });
});
