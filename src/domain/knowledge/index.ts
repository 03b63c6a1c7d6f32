import { assert } from '../shared/assert.js';
import { RETRIEVE_TOP_K_MAX } from '../shared/limits.js';

// BM25 (Robertson and Zaragoza, "The Probabilistic Relevance Framework",
// 2009) over short documents: one document per FAQ phrasing. A hand-written
// inverted index rather than a search library: the corpus is a few thousand
// phrasings, the terms come from our own jieba tokenizer, and the whole index
// is two maps, which keeps a query well under a millisecond.

/** BM25 term-frequency saturation and length normalisation (usual values). */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

type Posting = { document: number; frequency: number };

/** A built BM25 index over tokenised documents. */
export type Bm25Index = {
  documentCount: number;
  /** Inverse document frequency of a term; 0 for a term no document has. */
  idf: (term: string) => number;
  /** The best documents for the query terms, best first, score > 0. */
  search: (terms: readonly string[], topK: number) => ScoredDocument[];
};

export type ScoredDocument = { document: number; score: number };

function countTerms(terms: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

function buildPostings(
  documents: readonly (readonly string[])[],
): Map<string, Posting[]> {
  const postings = new Map<string, Posting[]>();
  documents.forEach((terms, document) => {
    for (const [term, frequency] of countTerms(terms)) {
      const list = postings.get(term);
      if (list === undefined) postings.set(term, [{ document, frequency }]);
      else list.push({ document, frequency });
    }
  });
  return postings;
}

/**
 * Builds a BM25 index; document i is `documents[i]`, already tokenised.
 *
 * @example
 * buildBm25Index([['w:放款'], ['w:逾期']]).search(['w:逾期'], 1); // [{document: 1, …}]
 */
export function buildBm25Index(
  documents: readonly (readonly string[])[],
): Bm25Index {
  assert(documents.length > 0, 'a BM25 index needs at least one document');
  const postings = buildPostings(documents);
  const lengths = documents.map((terms) => Math.max(terms.length, 1));
  const lengthAverage =
    lengths.reduce((sum, length) => sum + length, 0) / lengths.length;
  const count = documents.length;
  // The "plus one" form of the IDF is never negative, so a term in most
  // documents still counts a little instead of lowering the score.
  const idfOf = new Map<string, number>();
  for (const [term, list] of postings) {
    idfOf.set(
      term,
      Math.log(1 + (count - list.length + 0.5) / (list.length + 0.5)),
    );
  }
  const idf = (term: string): number => idfOf.get(term) ?? 0;

  const search = (terms: readonly string[], topK: number): ScoredDocument[] => {
    assert(
      Number.isInteger(topK) && topK >= 1 && topK <= RETRIEVE_TOP_K_MAX,
      () => `topK must be 1..${RETRIEVE_TOP_K_MAX}`,
    );
    const scores = new Map<number, number>();
    for (const term of new Set(terms)) {
      const list = postings.get(term);
      if (list === undefined) continue;
      const weight = idf(term);
      for (const { document, frequency } of list) {
        const norm =
          1 - BM25_B + (BM25_B * (lengths[document] ?? 1)) / lengthAverage;
        const gain =
          (weight * frequency * (BM25_K1 + 1)) / (frequency + BM25_K1 * norm);
        scores.set(document, (scores.get(document) ?? 0) + gain);
      }
    }
    return [...scores]
      .map(([document, score]) => ({ document, score }))
      .sort((a, b) => b.score - a.score || a.document - b.document)
      .slice(0, topK);
  };
  return { documentCount: count, idf, search };
}
