import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { formatFen, parseYuanStrict } from '../../contracts/money.js';
import { FEN_MAX, type Fen, fen } from './fen.js';

describe('fen', () => {
  it('cannot be assigned from a number or a plain bigint', () => {
    expectTypeOf<number>().not.toMatchTypeOf<Fen>();
    expectTypeOf<bigint>().not.toMatchTypeOf<Fen>();
    expectTypeOf(fen(1n)).toMatchTypeOf<bigint>();
  });

  it('refuses amounts beyond FEN_MAX', () => {
    expect(() => fen(FEN_MAX + 1n)).toThrow(/out of range/);
    expect(fen(FEN_MAX)).toBe(FEN_MAX);
  });
});

describe('yuan codec', () => {
  it('parses back what it formats', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -FEN_MAX, max: FEN_MAX }), (amount) => {
        const parsed = parseYuanStrict(formatFen(amount));
        return parsed.ok && parsed.value === amount;
      }),
    );
  });

  it.each([
    [100000, 10000000n],
    ['2992.60', 299260n],
    [0.1, 10n],
    ['0.07', 7n],
    [1.005e2, 10050n],
  ])('reads %s yuan exactly', (input, expected) => {
    expect(parseYuanStrict(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['4.9%', 'money.not_a_number'],
    ['1.001', 'money.too_many_decimals'],
    [1e21, 'money.out_of_range'],
    [Number.NaN, 'money.not_a_number'],
    [null, 'money.not_a_number'],
    ['', 'money.not_a_number'],
  ])('refuses %s with %s', (input, code) => {
    expect(parseYuanStrict(input)).toEqual({ ok: false, error: code });
  });
});
