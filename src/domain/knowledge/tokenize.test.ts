// Proves the knowledge tokenizer: synonyms reach one canonical word, stop
// words and punctuation go, traditional characters and typos are normalised
// through the NLU's normaliser, and digits do not split questions apart.
import { dict } from '@node-rs/jieba/dict.js';
import { describe, expect, it } from 'vitest';
import { createToSimplified } from '../dialogue/nlu/normalize.js';
import { createKnowledgeSegmenter, createTokenizer } from './tokenize.js';

const tokenize = createTokenizer(
  createKnowledgeSegmenter(dict),
  createToSimplified(),
);
const words = (text: string) =>
  tokenize(text).filter((term) => term.startsWith('w:'));

describe('knowledge tokenizer', () => {
  it('maps 下款 and 打款 to 放款', () => {
    expect(words('什么时候下款')).toContain('w:放款');
    expect(words('打款要多久')).toContain('w:放款');
  });

  it('maps 还不上 and 还不起 to 逾期', () => {
    expect(words('我还不上了')).toContain('w:逾期');
    expect(words('实在还不起')).toContain('w:逾期');
  });

  it('keeps financial words whole', () => {
    expect(words('提前还款有违约金吗')).toEqual(
      expect.arrayContaining(['w:提前还款', 'w:违约金']),
    );
  });

  it('drops greetings, particles and punctuation', () => {
    const terms = words('你好，请问我的征信怎么查呢？');
    expect(terms).toContain('w:征信');
    expect(terms).not.toContain('w:你好');
    expect(terms).not.toContain('w:呢');
    expect(terms.some((term) => term.includes('？'))).toBe(false);
  });

  it('reads traditional characters and typos as simplified words', () => {
    expect(words('提前還款')).toEqual(words('提前还款'));
    expect(words('代款逾期')).toContain('w:贷款');
  });

  it('folds amounts so that 5万 and 10万 ask the same thing', () => {
    expect(tokenize('借5万每月还多少')).toEqual(tokenize('借10万每月还多少'));
  });

  it('adds character pairs that survive an odd segmentation', () => {
    expect(tokenize('征信')).toContain('c:征信');
  });

  it('returns nothing for punctuation only', () => {
    expect(tokenize('？？！')).toEqual([]);
  });
});
