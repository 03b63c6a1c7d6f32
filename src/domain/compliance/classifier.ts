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
 * engine looks up the grams of a message (about one hash probe per
 * character) instead of carrying thousands of grams in its automaton.
 */
export type GramTable = {
  /**
   * Writes to `out` the index in gramKeys of every known gram of
   * codes[0, length), each once, in the order an automaton would report
   * them: by end position, the trigram before the bigram ending there.
   * A gram g counts as already written when seen[g] === stamp (the caller's
   * per-message mark, so nothing is cleared); `out` holds at least
   * 2 × length entries. Returns how many were written.
   */
  collect: (
    codes: Uint16Array,
    length: number,
    seen: Int32Array,
    stamp: number,
    out: Int32Array,
  ) => number;
};

const ABSENT = -1;

function pairKey(a: number, b: number): number {
  return ((a << 16) | b) >>> 0;
}

function hashSlot(key: number, mask: number): number {
  return (Math.imul(key, 0x9e3779b1) >>> 12) & mask;
}

/** Open addressing: a free slot has keys[slot] === FREE_KEY. */
type Probe = { keys: Uint32Array; mask: number };

/** 0 is the key of pair (0, 0), which no gram of normalised text starts with. */
const FREE_KEY = 0;

function probeTable(size: number): Probe {
  let capacity = 16;
  while (capacity < size * 2) capacity *= 2;
  return { keys: new Uint32Array(capacity), mask: capacity - 1 };
}

/** The slot of `key`, claimed for it if absent. */
function claim(table: Probe, key: number): number {
  let slot = hashSlot(key, table.mask);
  while (table.keys[slot] !== FREE_KEY && table.keys[slot] !== key) {
    slot = (slot + 1) & table.mask;
  }
  table.keys[slot] = key;
  return slot;
}

function buildGramTable(gramKeys: readonly string[]): GramTable {
  // Pairs (a, b): the bigram ab and the id of ab as a trigram prefix.
  const pairCount = new Set(gramKeys.map((gram) => gram.slice(0, 2))).size;
  const pairs = probeTable(pairCount);
  const bigramOf = new Int32Array(pairs.keys.length).fill(ABSENT);
  const prefixOf = new Int32Array(pairs.keys.length).fill(ABSENT);
  const trigramKeys: [number, number][] = [];
  let prefixes = 0;
  gramKeys.forEach((gram, index) => {
    assert(
      gram.length === 2 || gram.length === 3,
      () => `gram "${gram}" has 2 or 3 characters`,
    );
    const key = pairKey(gram.charCodeAt(0), gram.charCodeAt(1));
    assert(key !== FREE_KEY, 'no gram starts with two NUL characters');
    const slot = claim(pairs, key);
    if (gram.length === 2) {
      bigramOf[slot] = index;
      return;
    }
    if (prefixOf[slot] === ABSENT) {
      prefixOf[slot] = prefixes;
      prefixes += 1;
    }
    trigramKeys.push([
      // Prefix ids start at 1 so that no trigram key is FREE_KEY.
      pairKey((prefixOf[slot] ?? 0) + 1, gram.charCodeAt(2)),
      index,
    ]);
  });
  assert(prefixes < 65535, 'trigram prefixes fit in 16 bits');
  const trigrams = probeTable(trigramKeys.length);
  const trigramOf = new Int32Array(trigrams.keys.length).fill(ABSENT);
  for (const [key, index] of trigramKeys) {
    trigramOf[claim(trigrams, key)] = index;
  }
  const pairKeys = pairs.keys;
  const pairMask = pairs.mask;
  const trigramKeysBySlot = trigrams.keys;
  const trigramMask = trigrams.mask;
  /** The slot of pair (a, b), or ABSENT. */
  const pairSlot = (a: number, b: number): number => {
    const key = pairKey(a, b);
    let slot = hashSlot(key, pairMask);
    for (;;) {
      const at = pairKeys[slot] ?? FREE_KEY;
      if (at === key) return slot;
      if (at === FREE_KEY) return ABSENT;
      slot = (slot + 1) & pairMask;
    }
  };
  const trigram = (prefix: number, c: number): number => {
    const key = pairKey(prefix + 1, c);
    let slot = hashSlot(key, trigramMask);
    for (;;) {
      const at = trigramKeysBySlot[slot] ?? FREE_KEY;
      if (at === key) return trigramOf[slot] ?? ABSENT;
      if (at === FREE_KEY) return ABSENT;
      slot = (slot + 1) & trigramMask;
    }
  };
  const collect = (
    codes: Uint16Array,
    length: number,
    seen: Int32Array,
    stamp: number,
    out: Int32Array,
  ): number => {
    let count = 0;
    // The prefix id of the pair that ended one character earlier.
    let previousPrefix = ABSENT;
    for (let end = 2; end <= length; end += 1) {
      const slot = pairSlot(codes[end - 2] ?? 0, codes[end - 1] ?? 0);
      if (previousPrefix !== ABSENT) {
        const gram = trigram(previousPrefix, codes[end - 1] ?? 0);
        if (gram !== ABSENT && seen[gram] !== stamp) {
          seen[gram] = stamp;
          out[count] = gram;
          count += 1;
        }
      }
      if (slot === ABSENT) {
        previousPrefix = ABSENT;
        continue;
      }
      const gram = bigramOf[slot] ?? ABSENT;
      if (gram !== ABSENT && seen[gram] !== stamp) {
        seen[gram] = stamp;
        out[count] = gram;
        count += 1;
      }
      previousPrefix = prefixOf[slot] ?? ABSENT;
    }
    return count;
  };
  return { collect };
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
