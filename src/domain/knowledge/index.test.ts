// Proves the BM25 index on hand-made documents: rarer shared terms score
// higher, shorter documents win ties of term frequency, top-k is bounded,
// and a query with no known term finds nothing.
import { describe, expect, it } from 'vitest';
import { AssertionError } from '../shared/assert.js';
import { RETRIEVE_TOP_K_MAX } from '../shared/limits.js';
import { buildBm25Index } from './index.js';

const documents = [
  ['w:怎么', 'w:还款'],
  ['w:怎么', 'w:征信'],
  ['w:怎么', 'w:还款', 'w:提前', 'w:违约金', 'w:多少'],
  ['w:怎么', 'w:放款'],
];

describe('BM25 index', () => {
  it('ranks the document sharing the rarer term first', () => {
    const index = buildBm25Index(documents);
    const [best] = index.search(['w:怎么', 'w:征信'], 4);
    expect(best?.document).toBe(1);
  });

  it('prefers the shorter of two documents with the same match', () => {
    const index = buildBm25Index(documents);
    const ranked = index.search(['w:还款'], 4).map((hit) => hit.document);
    expect(ranked).toEqual([0, 2]);
  });

  it('weighs a term found everywhere less than a rare one', () => {
    const index = buildBm25Index(documents);
    expect(index.idf('w:怎么')).toBeLessThan(index.idf('w:征信'));
    expect(index.idf('w:怎么')).toBeGreaterThan(0);
  });

  it('returns at most topK documents', () => {
    const index = buildBm25Index(documents);
    expect(index.search(['w:怎么'], 2)).toHaveLength(2);
  });

  it('finds nothing for unknown terms', () => {
    const index = buildBm25Index(documents);
    expect(index.search(['w:天气'], 3)).toEqual([]);
    expect(index.idf('w:天气')).toBe(0);
  });

  it('asserts topK within its bound', () => {
    const index = buildBm25Index(documents);
    expect(() => index.search(['w:怎么'], RETRIEVE_TOP_K_MAX + 1)).toThrow(
      AssertionError,
    );
    expect(() => index.search(['w:怎么'], 0)).toThrow(AssertionError);
  });
});
