// Proves the normaliser defeats filter-dodging spellings while every kept
// character still points at its place in the original text.
import { describe, expect, it } from 'vitest';
import { createNormalizer } from './normalize.js';

const normalizer = createNormalizer(
  new Map([
    ['過', '过'],
    ['您', '你'],
  ]),
);

describe('normalize', () => {
  it('maps full width to half width and upper case to lower case', () => {
    expect(normalizer.normalize('１００％ＶＸ').text).toBe('100%vx');
  });

  it('maps characters through the given map (traditional to simplified)', () => {
    expect(normalizer.normalize('您包過').text).toBe('你包过');
  });

  it('drops spaces, separators, zero-width characters and emoji inside words', () => {
    expect(normalizer.normalize('包 -_过\u200b😀了').text).toBe('包过了');
  });

  it('keeps a decimal point between digits and drops a thousands comma', () => {
    expect(normalizer.normalize('年化7.2%，欠42,315元.').text).toBe(
      '年化7.2%,欠42315元',
    );
  });

  it('keeps for each character its offset in the original text', () => {
    const original = '😀包 - 過';
    const result = normalizer.normalize(original);
    expect(result.text).toBe('包过');
    expect([...result.starts]).toEqual([2, 6]);
    expect(original.charAt(result.starts[1] ?? 0)).toBe('過');
  });

  it('turns a megabyte of text into a string without overflowing the stack', () => {
    const big = '好'.repeat(1_000_000);
    expect(normalizer.normalize(big).text.length).toBe(1_000_000);
  });
});
