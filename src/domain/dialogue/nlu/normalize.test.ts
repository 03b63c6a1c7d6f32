import { describe, expect, it } from 'vitest';
import {
  createToSimplified,
  fixTypos,
  normalizeText,
  toHalfWidth,
} from './normalize.js';

const toSimplified = createToSimplified();

describe('text normalisation', () => {
  it('folds full-width digits, letters and punctuation to ASCII', () => {
    expect(toHalfWidth('借１５０００元ＡＰＰ！？')).toBe('借15000元APP!?');
  });

  it('converts traditional characters to simplified', () => {
    expect(normalizeText('請問還款日是哪天', toSimplified)).toBe(
      '请问还款日是哪天',
    );
    expect(normalizeText('徵信有逾期能貸嗎', toSimplified)).toBe(
      '征信有逾期能贷吗',
    );
  });

  it('fixes homophone typos such as 代款 and 利习', () => {
    expect(fixTypos('我想代款，利习多少')).toBe('我想贷款，利息多少');
  });

  it('keeps emoji and repeated punctuation as emotion cues', () => {
    expect(normalizeText('怎么还没到账？？😭', toSimplified)).toBe(
      '怎么还没到账??😭',
    );
  });

  it('lower-cases Latin letters and collapses spaces', () => {
    expect(normalizeText('  转  人工 RG  ', toSimplified)).toBe('转 人工 rg');
  });

  it('drops thousands separators inside numbers', () => {
    expect(normalizeText('借款50,000元，分1,2期', toSimplified)).toBe(
      '借款50000元,分1,2期',
    );
  });
});
