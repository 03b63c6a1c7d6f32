import { assert } from '../shared/assert.js';
import {
  KNOWLEDGE_ENTRIES_MAX,
  KNOWLEDGE_PHRASINGS_MAX,
  KNOWLEDGE_QUESTION_CHARS_MAX,
  RETRIEVE_TOP_K_MAX,
} from '../shared/limits.js';
import { buildBm25Index } from './index.js';
import { type Similarity, termSetSimilarity } from './similarity.js';
import type { TermWeight } from './term-weight.js';
import type { Tokenize } from './tokenize.js';

/** One FAQ entry: several phrasings of one question and its answer. */
export type KnowledgeEntry = {
  id: string;
  topic: string;
  questions: readonly string[];
  answer: string;
};

/** The answer to a question. */
export type KnowledgeAnswer = {
  entryId: string;
  answer: string;
  /** How well the question matches the entry, 0..1. */
  confidence: number;
  /** The FAQ phrasing closest to the question. */
  matched: string;
};

export type KnowledgeBase = {
  /** The best entry when its confidence reaches the threshold. */
  answer: (question: string) => KnowledgeAnswer | undefined;
  /** Up to `topK` entries, best first, whatever their confidence. */
  search: (question: string, topK: number) => KnowledgeAnswer[];
  /** The question-pair similarity with this knowledge base's weights. */
  similarity: Similarity;
  confidenceMin: number;
};

/** What the knowledge base reads text with. */
export type KnowledgeTools = { tokenize: Tokenize; weight: TermWeight };

/**
 * The confidence below which `answer` returns undefined. Calibrated on our
 * own content by `bench/knowledge-calibration.ts`: the threshold that best
 * separates leave-one-phrasing-out FAQ queries answered right from the
 * questions of content/knowledge/calibration/out-of-domain.yaml (91 % kept,
 * 95 % refused at the last calibration). Not tuned on any public data set.
 */
export const KNOWLEDGE_CONFIDENCE_MIN = 0.44;

// Confidence = half the closeness to the best phrasing, half the share of
// the question the entry's whole vocabulary (phrasings and answer) covers.
// The phrasing match alone misses a paraphrase that mixes the words of two
// phrasings; the coverage alone rewards long answers.
const PHRASING_SHARE = 0.5;

// A phrasing with its term set and squared weight norm, computed once at
// build time so that a query only weighs its own terms.
type Phrasing = { text: string; terms: ReadonlySet<string>; norm: number };
type Indexed = {
  /** Per entry: its phrasings, tokenised. */
  phrasings: Phrasing[][];
  /** Per entry: every term of its phrasings and answer. */
  vocabularies: Set<string>[];
  /** BM25 documents (phrasings and answers) and the entry of each. */
  documents: string[][];
  documentEntry: number[];
};

function squaredNorm(terms: ReadonlySet<string>, weight: TermWeight): number {
  let norm = 0;
  for (const term of terms) norm += weight(term) ** 2;
  return norm;
}

function indexEntries(
  entries: readonly KnowledgeEntry[],
  { tokenize, weight }: KnowledgeTools,
): Indexed {
  assert(entries.length > 0, 'a knowledge base needs at least one entry');
  assert(entries.length <= KNOWLEDGE_ENTRIES_MAX, 'too many knowledge entries');
  const ids = new Set<string>();
  const indexed: Indexed = {
    phrasings: [],
    vocabularies: [],
    documents: [],
    documentEntry: [],
  };
  entries.forEach((entry, index) => {
    assert(!ids.has(entry.id), () => `duplicate knowledge entry ${entry.id}`);
    ids.add(entry.id);
    assert(
      entry.questions.length > 0 &&
        entry.questions.length <= KNOWLEDGE_PHRASINGS_MAX,
      () => `entry ${entry.id} needs 1..${KNOWLEDGE_PHRASINGS_MAX} questions`,
    );
    const tokenized = entry.questions.map((text) => ({
      text,
      list: tokenize(text),
    }));
    // The answer is a document too: a question may use its words.
    const answerTerms = tokenize(entry.answer);
    for (const terms of [...tokenized.map((p) => p.list), answerTerms]) {
      indexed.documents.push(terms);
      indexed.documentEntry.push(index);
    }
    indexed.phrasings.push(
      tokenized.map(({ text, list }) => {
        const terms = new Set(list);
        return { text, terms, norm: squaredNorm(terms, weight) };
      }),
    );
    indexed.vocabularies.push(
      new Set([...tokenized.flatMap((p) => p.list), ...answerTerms]),
    );
  });
  return indexed;
}

// The question's terms with their squared weights, weighed once.
type Query = { weights: Map<string, number>; norm: number };

function weigh(terms: readonly string[], weight: TermWeight): Query {
  const weights = new Map<string, number>();
  let norm = 0;
  for (const term of terms) {
    if (weights.has(term)) continue;
    const squared = weight(term) ** 2;
    weights.set(term, squared);
    norm += squared;
  }
  return { weights, norm };
}

// Weighted cosine of the query and one phrasing (its norm precomputed).
function closenessTo(query: Query, phrasing: Phrasing): number {
  let shared = 0;
  for (const [term, squared] of query.weights) {
    if (phrasing.terms.has(term)) shared += squared;
  }
  if (shared === 0) return 0;
  return Math.min(1, shared / Math.sqrt(query.norm * phrasing.norm));
}

function match(
  entries: readonly KnowledgeEntry[],
  indexed: Indexed,
  query: Query,
  entryIndex: number,
): KnowledgeAnswer {
  const entry = entries[entryIndex];
  const phrasings = indexed.phrasings[entryIndex];
  const vocabulary = indexed.vocabularies[entryIndex];
  assert(entry && phrasings && vocabulary, 'candidate of an unknown entry');
  let closest = { text: entry.questions[0] ?? '', closeness: -1 };
  for (const phrasing of phrasings) {
    const closeness = closenessTo(query, phrasing);
    if (closeness > closest.closeness) {
      closest = { text: phrasing.text, closeness };
    }
  }
  let covered = 0;
  for (const [term, squared] of query.weights) {
    if (vocabulary.has(term)) covered += squared;
  }
  const coverage = query.norm === 0 ? 0 : covered / query.norm;
  return {
    entryId: entry.id,
    answer: entry.answer,
    confidence:
      PHRASING_SHARE * closest.closeness + (1 - PHRASING_SHARE) * coverage,
    matched: closest.text,
  };
}

/**
 * A knowledge base over `entries`: BM25 over the phrasings and answers
 * finds candidate entries, then a bounded 0..1 confidence ranks them, so
 * one threshold serves every question length (a BM25 score does not).
 *
 * @example
 * createKnowledgeBase(entries, tools).answer('多久能下款')?.entryId; // 'disbursement-time'
 */
export function createKnowledgeBase(
  entries: readonly KnowledgeEntry[],
  tools: KnowledgeTools,
  confidenceMin: number = KNOWLEDGE_CONFIDENCE_MIN,
): KnowledgeBase {
  assert(confidenceMin >= 0 && confidenceMin <= 1, 'confidenceMin is 0..1');
  const { tokenize, weight } = tools;
  const indexed = indexEntries(entries, tools);
  const index = buildBm25Index(indexed.documents);

  const search = (question: string, topK: number): KnowledgeAnswer[] => {
    assert(topK >= 1 && topK <= RETRIEVE_TOP_K_MAX, 'topK out of range');
    const terms = tokenize(question.slice(0, KNOWLEDGE_QUESTION_CHARS_MAX));
    if (terms.length === 0) return [];
    const candidates = new Set<number>();
    for (const hit of index.search(terms, RETRIEVE_TOP_K_MAX)) {
      const entryIndex = indexed.documentEntry[hit.document];
      assert(entryIndex !== undefined, 'index returned an unknown document');
      candidates.add(entryIndex);
    }
    const query = weigh(terms, weight);
    return [...candidates]
      .map((entryIndex) => match(entries, indexed, query, entryIndex))
      .sort((a, b) => b.confidence - a.confidence)
      .slice(0, topK);
  };

  return {
    answer: (question) => {
      const [top] = search(question, 1);
      return top !== undefined && top.confidence >= confidenceMin
        ? top
        : undefined;
    },
    search,
    similarity: (a, b) => termSetSimilarity(tokenize(a), tokenize(b), weight),
    confidenceMin,
  };
}
