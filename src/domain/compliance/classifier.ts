import { assert } from '../shared/assert.js';
import { CATEGORIES, type Category } from './types.js';

// A naive Bayes backstop over character bigrams and trigrams, trained on the
// labelled sets in content/compliance/dev-set/ (train-classifier.ts). The
// lexicon misses paraphrases it has never seen (first-run recall on fresh
// held-out sets was 51–63 %, BENCHMARKS.md); the classifier catches many of
// them from shared wording. It only ever adds a warning, and only when no rule
// fired, so it cannot block a compliant message. Basis: spec/regulations.md
// §7.1 step 5 (a classifier for what the lexicon misses).

export const CLASSIFIER_CLASSES = ['compliant', ...CATEGORIES] as const;
export type ClassifierClass = (typeof CLASSIFIER_CLASSES)[number];

export type ClassifierModel = {
  /** Messages per class, in CLASSIFIER_CLASSES order. */
  classCounts: readonly number[];
  /** Per gram, its count in each class (CLASSIFIER_CLASSES order). */
  gramCounts: ReadonlyMap<string, readonly number[]>;
  /** Log-odds (violation vs compliant) above which a message is flagged. */
  thresholdLogOdds: number;
};

export type Classification = {
  /** log P(violation | text) − log P(compliant | text), up to a constant. */
  logOdds: number;
  category: Category;
};

const SMOOTHING = 0.5;
/** Characters that carry no wording: punctuation and quotes. */
const SKIPPED = new Set(
  [...'，。！？、；：“”‘’「」『』"\'（）(),.!?;:…—'].map((char) =>
    char.charCodeAt(0),
  ),
);

/**
 * The distinct bigrams and trigrams of a normalised text, never across
 * punctuation — so the engine's matcher, which scans the normalised text with
 * punctuation in place, finds exactly these grams.
 */
export function gramsOf(normalizedText: string): Set<string> {
  const grams = new Set<string>();
  let runStart = 0;
  for (let index = 0; index <= normalizedText.length; index += 1) {
    const atEnd =
      index === normalizedText.length ||
      SKIPPED.has(normalizedText.charCodeAt(index));
    if (!atEnd) continue;
    for (let start = runStart; start + 2 <= index; start += 1) {
      grams.add(normalizedText.slice(start, start + 2));
      if (start + 3 <= index) grams.add(normalizedText.slice(start, start + 3));
    }
    runStart = index + 1;
  }
  return grams;
}

export type CompiledClassifier = {
  /** The classification when the message is flagged, else undefined. */
  classify: (normalizedText: string) => Classification | undefined;
  /**
   * The same decision from gram indices the engine's matcher found (the
   * first `count` of them; all by default).
   */
  classifyGrams: (
    gramIndices: ArrayLike<number>,
    count?: number,
  ) => Classification | undefined;
  /** Every gram the model knows; index i has weight weights[i]. */
  gramKeys: readonly string[];
  /** The same grams by their code units, for the engine's hot path. */
  gramTable: GramTable;
  thresholdLogOdds: number;
};

/**
 * The model's bigrams and trigrams keyed by their UTF-16 code units: the
 * engine looks up each bigram and trigram of a message (one hash probe each)
 * instead of carrying thousands of grams in its automaton.
 */
export type GramTable = {
  /** Index in gramKeys of the bigram (a, b), or -1. */
  bigram: (a: number, b: number) => number;
  /** Index in gramKeys of the trigram (a, b, c), or -1. */
  trigram: (a: number, b: number, c: number) => number;
};

const ABSENT = -1;
const STARTS_BIGRAM = 1;
const STARTS_TRIGRAM = 2;

/** Open addressing from 32-bit keys to non-negative values. */
type IntMap = { keys: Uint32Array; values: Int32Array; mask: number };

function intMap(entries: readonly (readonly [number, number])[]): IntMap {
  let size = 16;
  while (size < entries.length * 2) size *= 2;
  const map: IntMap = {
    keys: new Uint32Array(size),
    values: new Int32Array(size).fill(ABSENT),
    mask: size - 1,
  };
  for (const [key, value] of entries) {
    let slot = hashSlot(key, map.mask);
    while (map.values[slot] !== ABSENT && map.keys[slot] !== key) {
      slot = (slot + 1) & map.mask;
    }
    map.keys[slot] = key;
    map.values[slot] = value;
  }
  return map;
}

function hashSlot(key: number, mask: number): number {
  return (Math.imul(key, 0x9e3779b1) >>> 12) & mask;
}

function lookup(map: IntMap, key: number): number {
  let slot = hashSlot(key, map.mask);
  for (;;) {
    const value = map.values[slot] ?? ABSENT;
    if (value === ABSENT || map.keys[slot] === key) return value;
    slot = (slot + 1) & map.mask;
  }
}

function pairKey(a: number, b: number): number {
  return ((a << 16) | b) >>> 0;
}

function buildGramTable(gramKeys: readonly string[]): GramTable {
  const starts = new Uint8Array(65536);
  const bigrams: [number, number][] = [];
  const prefixes = new Map<number, number>();
  const trigrams: [number, number][] = [];
  gramKeys.forEach((gram, index) => {
    const a = gram.charCodeAt(0);
    const b = gram.charCodeAt(1);
    if (gram.length === 2) {
      starts[a] = (starts[a] ?? 0) | STARTS_BIGRAM;
      bigrams.push([pairKey(a, b), index]);
      return;
    }
    assert(gram.length === 3, () => `gram "${gram}" has 2 or 3 characters`);
    starts[a] = (starts[a] ?? 0) | STARTS_TRIGRAM;
    const prefix = pairKey(a, b);
    let id = prefixes.get(prefix);
    if (id === undefined) {
      id = prefixes.size;
      prefixes.set(prefix, id);
    }
    trigrams.push([pairKey(id, gram.charCodeAt(2)), index]);
  });
  assert(prefixes.size < 65536, 'trigram prefixes fit in 16 bits');
  const bigramMap = intMap(bigrams);
  const prefixMap = intMap([...prefixes]);
  const trigramMap = intMap(trigrams);
  return {
    bigram: (a, b) =>
      ((starts[a] ?? 0) & STARTS_BIGRAM) === 0
        ? ABSENT
        : lookup(bigramMap, pairKey(a, b)),
    trigram: (a, b, c) => {
      if (((starts[a] ?? 0) & STARTS_TRIGRAM) === 0) return ABSENT;
      const id = lookup(prefixMap, pairKey(a, b));
      return id === ABSENT ? ABSENT : lookup(trigramMap, pairKey(id, c));
    },
  };
}

type Table = {
  rows: Map<string, Float64Array>;
  priors: Float64Array;
};

/** Multinomial naive Bayes tables with add-half smoothing. */
function table(
  classCounts: readonly number[],
  gramCounts: ReadonlyMap<string, readonly number[]>,
): Table {
  const classes = classCounts.length;
  const totals = new Float64Array(classes);
  for (const counts of gramCounts.values()) {
    counts.forEach((count, index) => {
      totals[index] = (totals[index] ?? 0) + count;
    });
  }
  const denominators = Array.from(totals, (total) =>
    Math.log(total + SMOOTHING * gramCounts.size),
  );
  const rows = new Map<string, Float64Array>();
  for (const [gram, counts] of gramCounts) {
    rows.set(
      gram,
      Float64Array.from(
        counts,
        (count, index) =>
          Math.log(count + SMOOTHING) - (denominators[index] ?? 0),
      ),
    );
  }
  const messages = classCounts.reduce((sum, count) => sum + count, 0);
  return {
    rows,
    priors: Float64Array.from(classCounts, (count) =>
      Math.log((count + 1) / (messages + classes)),
    ),
  };
}

function pooled(counts: readonly number[]): number[] {
  const violations = counts.slice(1).reduce((sum, count) => sum + count, 0);
  return [counts[0] ?? 0, violations];
}

/**
 * Compiles the model: a two-class table (compliant vs any violation) decides,
 * folded into one weight per gram; a thirteen-class table names the likeliest
 * category, computed only for flagged messages.
 * @example compileClassifier(model).classify('你这种老赖').category
 */
export function compileClassifier(model: ClassifierModel): CompiledClassifier {
  assert(
    model.classCounts.length === CLASSIFIER_CLASSES.length,
    'one count per class',
  );
  const pooledCounts = new Map<string, number[]>();
  for (const [gram, counts] of model.gramCounts) {
    pooledCounts.set(gram, pooled(counts));
  }
  const binary = table(pooled(model.classCounts), pooledCounts);
  const gramKeys = [...binary.rows.keys()];
  const index = new Map(gramKeys.map((gram, position) => [gram, position]));
  const weights = Float64Array.from(gramKeys, (gram) => {
    const row = binary.rows.get(gram);
    return (row?.[1] ?? 0) - (row?.[0] ?? 0);
  });
  const prior = (binary.priors[1] ?? 0) - (binary.priors[0] ?? 0);
  const multi = table(model.classCounts, model.gramCounts);
  const multiRows = gramKeys.map((gram) => multi.rows.get(gram));
  const thresholdLogOdds = model.thresholdLogOdds;
  const classifyGrams = (
    gramIndices: ArrayLike<number>,
    count: number = gramIndices.length,
  ): Classification | undefined => {
    // No known wording at all: no evidence either way.
    if (count === 0) return undefined;
    let logOdds = prior;
    for (let at = 0; at < count; at += 1) {
      logOdds += weights[gramIndices[at] ?? 0] ?? 0;
    }
    if (logOdds <= thresholdLogOdds) return undefined;
    const totals = Float64Array.from(multi.priors);
    for (let at = 0; at < count; at += 1) {
      const row = multiRows[gramIndices[at] ?? 0];
      if (row === undefined) continue;
      for (let column = 0; column < totals.length; column += 1) {
        totals[column] = (totals[column] ?? 0) + (row[column] ?? 0);
      }
    }
    return { logOdds, category: bestCategory(totals) };
  };
  const classify = (normalizedText: string): Classification | undefined => {
    const positions: number[] = [];
    for (const gram of gramsOf(normalizedText)) {
      const position = index.get(gram);
      if (position !== undefined) positions.push(position);
    }
    return classifyGrams(positions);
  };
  return {
    classify,
    classifyGrams,
    gramKeys,
    gramTable: buildGramTable(gramKeys),
    thresholdLogOdds,
  };
}

function bestCategory(totals: Float64Array): Category {
  let best = 1;
  for (let index = 2; index < totals.length; index += 1) {
    if ((totals[index] ?? 0) > (totals[best] ?? 0)) best = index;
  }
  const category = CATEGORIES[best - 1];
  assert(category !== undefined, 'the best class is a category');
  return category;
}
