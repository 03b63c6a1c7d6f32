import type { TermWeight } from './term-weight.js';
import type { Tokenize } from './tokenize.js';

/** Two questions' closeness: 0 shares nothing, 1 the same terms. */
export type Similarity = (a: string, b: string) => number;

/**
 * Weighted cosine of two term sets (presence, not counts: a question that
 * says 逾期 twice asks nothing more). Symmetric and within 0..1.
 */
export function termSetSimilarity(
  a: readonly string[],
  b: readonly string[],
  weight: TermWeight,
): number {
  const setA = new Set(a);
  const setB = new Set(b);
  if (setA.size === 0 || setB.size === 0) return 0;
  let shared = 0;
  let normA = 0;
  let normB = 0;
  for (const term of setA) {
    const w = weight(term);
    normA += w * w;
    if (setB.has(term)) shared += w * w;
  }
  for (const term of setB) {
    const w = weight(term);
    normB += w * w;
  }
  if (shared === 0) return 0;
  return Math.min(1, shared / Math.sqrt(normA * normB));
}

/**
 * The share of a question's weight that a vocabulary covers, 0..1: how
 * much of what was asked an entry talks about at all.
 */
export function termCoverage(
  question: readonly string[],
  vocabulary: ReadonlySet<string>,
  weight: TermWeight,
): number {
  let covered = 0;
  let total = 0;
  for (const term of new Set(question)) {
    const w = weight(term);
    total += w * w;
    if (vocabulary.has(term)) covered += w * w;
  }
  return total === 0 ? 0 : covered / total;
}

/**
 * The question-pair similarity the benchmark scores: the same tokenizer and
 * weights as the knowledge base's phrasing match.
 *
 * @example
 * createSimilarity(tokenize, weight)('什么时候下款', '多久放款'); // ≈ 0.5
 */
export function createSimilarity(
  tokenize: Tokenize,
  weight: TermWeight,
): Similarity {
  return (a, b) => termSetSimilarity(tokenize(a), tokenize(b), weight);
}
