import { assert } from '../shared/assert.js';

/** How much one index term counts (`w:` word or `c:` character pair). */
export type TermWeight = (term: string) => number;

/** Inverse document frequencies of a general Chinese corpus, by word. */
export type IdfTable = {
  idfOf: ReadonlyMap<string, number>;
  /** What a word missing from the table weighs: the median, as jieba does. */
  idfUnknown: number;
};

/**
 * Parses jieba's `idf.txt` (`word idf` per line; the adapter passes the
 * bytes of `@node-rs/jieba/dict.js`'s `idf`). About 270,000 words.
 */
export function parseIdfTable(bytes: Uint8Array): IdfTable {
  const idfOf = new Map<string, number>();
  for (const line of new TextDecoder().decode(bytes).split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const idf = Number(line.slice(space + 1));
    if (Number.isFinite(idf) && idf > 0) idfOf.set(line.slice(0, space), idf);
  }
  assert(idfOf.size > 0, 'the IDF table is empty');
  const sorted = Float64Array.from(idfOf.values()).sort();
  const idfUnknown = sorted[Math.floor(sorted.length / 2)] ?? 1;
  return { idfOf, idfUnknown };
}

// A character pair backs up a word (a typo, an odd cut): it counts half the
// mean of its two characters, so it never outweighs the words themselves.
const CHAR_PAIR_SHARE = 0.5;

/**
 * Term weights from a general corpus rather than from the FAQ itself: in a
 * small FAQ the topic words (投诉, 征信) are frequent because each topic has
 * several phrasings, so an FAQ-only IDF ranks 准备 above 投诉. The general
 * IDF ranks them as a reader would.
 */
export function createGeneralTermWeight(table: IdfTable): TermWeight {
  const word = (text: string): number =>
    table.idfOf.get(text) ?? table.idfUnknown;
  return (term) => {
    const text = term.slice(2);
    if (term.startsWith('w:')) return word(text);
    const chars = Array.from(text);
    const total = chars.reduce((sum, char) => sum + word(char), 0);
    return (CHAR_PAIR_SHARE * total) / Math.max(chars.length, 1);
  };
}

/** Equal weights: a word 1, a character pair 0.5 (tests, fallbacks). */
export const uniformTermWeight: TermWeight = (term) =>
  term.startsWith('w:') ? 1 : CHAR_PAIR_SHARE;
