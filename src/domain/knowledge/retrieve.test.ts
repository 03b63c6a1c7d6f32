// Proves the knowledge base on a small hand-written FAQ: synonyms and
// paraphrases reach the right entry, an unrelated question is refused, the
// confidence is bounded and ranked, the threshold is honoured, and the
// limits (top-k, question length, duplicate ids) hold.
import { dict, idf } from '@node-rs/jieba/dict.js';
import { describe, expect, it } from 'vitest';
import { createToSimplified } from '../dialogue/nlu/normalize.js';
import { AssertionError } from '../shared/assert.js';
import { KNOWLEDGE_QUESTION_CHARS_MAX } from '../shared/limits.js';
import {
  createKnowledgeBase,
  KNOWLEDGE_CONFIDENCE_MIN,
  type KnowledgeEntry,
  type KnowledgeTools,
} from './retrieve.js';
import { createGeneralTermWeight, parseIdfTable } from './term-weight.js';
import { createKnowledgeSegmenter, createTokenizer } from './tokenize.js';

const tools: KnowledgeTools = {
  tokenize: createTokenizer(
    createKnowledgeSegmenter(dict),
    createToSimplified(),
  ),
  weight: createGeneralTermWeight(parseIdfTable(idf)),
};

const entries: KnowledgeEntry[] = [
  {
    id: 'disbursement-time',
    topic: 'disbursement',
    questions: ['放款需要多长时间', '什么时候到账'],
    answer: '签约后一般1个工作日内放款。',
  },
  {
    id: 'overdue-what-now',
    topic: 'overdue',
    questions: ['逾期了怎么办', '还款晚了会怎样'],
    answer: '请尽快还款，困难时可申请协商。',
  },
  {
    id: 'credit-report',
    topic: 'credit',
    questions: ['怎么查询征信报告', '信用报告在哪里打印'],
    answer: '可在人民银行征信中心官网查询。',
  },
];

describe('knowledge base', () => {
  it('answers a paraphrase written with a synonym', () => {
    const kb = createKnowledgeBase(entries, tools);
    expect(kb.answer('下款要多久')?.entryId).toBe('disbursement-time');
    expect(kb.answer('我还不上了怎么办')?.entryId).toBe('overdue-what-now');
  });

  it('reports the closest phrasing and a confidence within 0..1', () => {
    const kb = createKnowledgeBase(entries, tools);
    const found = kb.answer('征信报告怎么查');
    expect(found?.matched).toBe('怎么查询征信报告');
    expect(found?.confidence).toBeGreaterThanOrEqual(KNOWLEDGE_CONFIDENCE_MIN);
    expect(found?.confidence).toBeLessThanOrEqual(1);
  });

  it('refuses a question about something else', () => {
    const kb = createKnowledgeBase(entries, tools);
    expect(kb.answer('今天天气怎么样')).toBeUndefined();
    expect(kb.answer('帮我订一张机票')).toBeUndefined();
  });

  it('refuses an empty or punctuation-only question', () => {
    const kb = createKnowledgeBase(entries, tools);
    expect(kb.answer('')).toBeUndefined();
    expect(kb.search('？？', 3)).toEqual([]);
  });

  it('honours the confidence threshold it is given', () => {
    const question = '到账时间多久';
    const strict = createKnowledgeBase(entries, tools, 1);
    const lenient = createKnowledgeBase(entries, tools, 0);
    expect(strict.answer(question)).toBeUndefined();
    expect(lenient.answer(question)?.entryId).toBe('disbursement-time');
  });

  it('ranks candidates best first and returns at most topK', () => {
    const kb = createKnowledgeBase(entries, tools);
    const ranked = kb.search('逾期会影响征信报告吗', 2);
    expect(ranked.length).toBeLessThanOrEqual(2);
    const [first, second] = ranked;
    if (first !== undefined && second !== undefined) {
      expect(first.confidence).toBeGreaterThanOrEqual(second.confidence);
    }
  });

  it('reads only the first KNOWLEDGE_QUESTION_CHARS_MAX characters', () => {
    const kb = createKnowledgeBase(entries, tools);
    const head = '征信报告怎么查'.padEnd(KNOWLEDGE_QUESTION_CHARS_MAX, '。');
    const long = `${head}${'放款'.repeat(5_000)}`;
    expect(kb.answer(long)?.entryId).toBe('credit-report');
  });

  it('asserts unique entry ids and at least one phrasing', () => {
    const first = entries[0] as KnowledgeEntry;
    expect(() => createKnowledgeBase([first, first], tools)).toThrow(
      AssertionError,
    );
    expect(() =>
      createKnowledgeBase([{ ...first, questions: [] }], tools),
    ).toThrow(AssertionError);
  });

  it('scores question pairs with the same weights', () => {
    const kb = createKnowledgeBase(entries, tools);
    expect(kb.similarity('什么时候下款', '什么时候放款')).toBeCloseTo(1, 12);
    expect(kb.similarity('什么时候下款', '怎么查征信')).toBeLessThan(0.3);
  });
});
