import { Jieba } from '@node-rs/jieba';
import type { Segment } from '../dialogue/nlu/features.js';
import { financialDictionary } from '../dialogue/nlu/financial-dictionary.js';
import { normalizeText, type ToSimplified } from '../dialogue/nlu/normalize.js';
import { KNOWLEDGE_SYNONYMS, KNOWLEDGE_WORDS } from './synonyms.js';

/** The index terms of one text: words (`w:`) and character pairs (`c:`). */
export type Tokenize = (text: string) => string[];

// Jieba's user-dictionary line: word, frequency, part of speech. The same
// weight as the NLU's financial words, so neither list wins over the other.
const USER_WORD_FREQUENCY = 100_000;

/**
 * Jieba with the general dictionary (passed in by the adapter, which imports
 * `@node-rs/jieba/dict.js`), the NLU's financial words and the knowledge
 * base's own words, so that 结清证明 or 还不上 come out whole. Building it
 * costs about 0.3 s: build once per process.
 */
export function createKnowledgeSegmenter(
  generalDictionary: Uint8Array,
): Segment {
  const jieba = Jieba.withDict(generalDictionary);
  jieba.loadDict(financialDictionary());
  const ownWords = [
    ...KNOWLEDGE_WORDS,
    ...KNOWLEDGE_SYNONYMS.map(([, canonical]) => canonical),
  ];
  const lines = ownWords.map((word) => `${word} ${USER_WORD_FREQUENCY} n`);
  jieba.loadDict(new TextEncoder().encode(`${lines.join('\n')}\n`));
  return (text) => jieba.cut(text, false);
}

// Words that say nothing about which question is asked: greetings, pronouns,
// particles. Question words that do (多久, 多少, 为什么, 能不能) stay.
const STOP_WORDS: ReadonlySet<string> = new Set([
  '请问',
  '你好',
  '您好',
  '你们',
  '我们',
  '我',
  '你',
  '您',
  '的',
  '了',
  '吗',
  '呢',
  '啊',
  '呀',
  '吧',
  '哦',
  '嗯',
  '哈',
  '么',
  '一下',
  '那个',
  '这个',
  '是',
  '就',
  '都',
  '也',
  '在',
  '和',
  '跟',
  '把',
  '被',
  '给',
  '让',
  '请',
  '麻烦',
  '谢谢',
  '亲',
  '客服',
  '想',
  '问',
  '问问',
  '现在',
  '已经',
  '这',
  '那',
  '个',
]);
const SKIP_TOKEN = /^[\s\p{P}\p{S}]+$/u;
// Digits carry no question (5万 and 10万 ask the same thing): one placeholder.
const DIGITS = /[0-9]+(?:\.[0-9]+)?/g;

function compileSynonyms(): (text: string) => string {
  // Longest variant first, so 还不上钱 wins over 还不上.
  const variants = [...KNOWLEDGE_SYNONYMS].sort(
    ([a], [b]) => b.length - a.length,
  );
  const canonicalOf = new Map(variants);
  const escaped = variants.map(([variant]) =>
    variant.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
  );
  const pattern = new RegExp(escaped.join('|'), 'g');
  return (text) => text.replace(pattern, (hit) => canonicalOf.get(hit) ?? hit);
}

/**
 * The tokenizer of the knowledge base: the NLU's normaliser (width, case,
 * traditional → simplified, typos), synonyms to one canonical word
 * (下款 → 放款, 还不上 → 逾期), then jieba words without stop words plus the
 * character pairs of the content characters, which keep a typo or an odd
 * segmentation from losing the whole word.
 *
 * @example
 * tokenize('怎么还不上了'); // ['w:逾期', 'c:逾期', …]
 */
export function createTokenizer(
  segment: Segment,
  toSimplified: ToSimplified,
): Tokenize {
  const canonicalize = compileSynonyms();
  return (text) => {
    const normal = canonicalize(normalizeText(text, toSimplified));
    const folded = normal.replace(DIGITS, '0');
    const terms: string[] = [];
    const content: string[] = [];
    for (const word of segment(folded)) {
      if (SKIP_TOKEN.test(word) || word.trim() === '') continue;
      if (STOP_WORDS.has(word)) continue;
      terms.push(`w:${word}`);
      content.push(...Array.from(word));
    }
    for (let start = 0; start + 1 < content.length; start += 1) {
      terms.push(`c:${content[start]}${content[start + 1]}`);
    }
    if (content.length === 1) terms.push(`c:${content[0]}`);
    return terms;
  };
}
