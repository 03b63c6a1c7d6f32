// The context of a hit decides whether it is the sender's own assertion:
// negated (我们无法保证…), quoted (您说的"包过"), framed as a fraud warning
// (凡是…都是诈骗), or hedged (可能、争取). See spec/redline-examples.md §5.
//
// Everything here works on the engine's reused buffers (normalised code
// units, occurrence lists in typed arrays): the engine checks 100,000
// messages a second and allocates per message only what it returns.

/** Clause ends: negation and reported-speech scopes stop here. */
const CLAUSE_ENDS = '，,：:；;。！？!?\n\r…';
/** Sentence ends: hedges and warning frames reach this far. */
const SENTENCE_ENDS = '；;。！？!?\n\r';
const QUOTE_PAIRS: Record<string, string> = {
  '\u201c': '\u201d',
  '\u2018': '\u2019',
  '「': '」',
  '『': '』',
  '"': '"',
  "'": "'",
};
/** An unclosed quote within this many characters is an apostrophe or a typo. */
const QUOTE_CHARS_MAX = 60;

/** The end of an occurrence list. */
export const NONE = -1;

/**
 * Occurrences of pack terms in one message: occurrence o spans
 * [start[o], end[o]) of the normalised text, and next[o] is the following
 * occurrence of the same list (NONE at the end). Callers pass a list as
 * its first occurrence (the engine keeps the heads).
 */
export type Occurrences = {
  start: Int32Array;
  end: Int32Array;
  next: Int32Array;
};

/** Clause and sentence ids per normalised character, and the quoted mask. */
export type Scopes = {
  clauseOf: Int32Array;
  sentenceOf: Int32Array;
  /** 1 where the character sits inside quotation marks (when hasQuote). */
  quoted: Uint8Array;
  hasQuote: boolean;
};

const CLAUSE_END = 1;
const SENTENCE_END = 2;
const QUOTE = 4;
const CHAR_FLAGS = buildCharFlags();
/** The closing quote of each opening quote code unit, or 0. */
const CLOSING_QUOTE = buildClosingQuotes();

function buildCharFlags(): Uint8Array {
  const flags = new Uint8Array(65536);
  const mark = (chars: Iterable<string>, flag: number): void => {
    for (const char of chars) {
      const code = char.charCodeAt(0);
      flags[code] = (flags[code] ?? 0) | flag;
    }
  };
  mark(CLAUSE_ENDS, CLAUSE_END);
  mark(SENTENCE_ENDS, SENTENCE_END);
  mark(Object.keys(QUOTE_PAIRS), QUOTE);
  return flags;
}

function buildClosingQuotes(): Uint16Array {
  const closing = new Uint16Array(65536);
  for (const [open, close] of Object.entries(QUOTE_PAIRS)) {
    closing[open.charCodeAt(0)] = close.charCodeAt(0);
  }
  return closing;
}

/** Scopes buffers for texts of up to `capacity` characters. */
export function allocateScopes(capacity: number): Scopes {
  return {
    clauseOf: new Int32Array(capacity),
    sentenceOf: new Int32Array(capacity),
    quoted: new Uint8Array(capacity),
    hasQuote: false,
  };
}

/**
 * Computes clause and sentence ids and the quoted mask of the first `length`
 * code units of `codes` into `scopes` (at least `length` long).
 */
export function computeScopes(
  scopes: Scopes,
  codes: Uint16Array,
  length: number,
): void {
  const { clauseOf, sentenceOf } = scopes;
  let clause = 0;
  let sentence = 0;
  let hasQuote = false;
  for (let index = 0; index < length; index += 1) {
    const flags = CHAR_FLAGS[codes[index] ?? 0] ?? 0;
    clauseOf[index] = clause;
    sentenceOf[index] = sentence;
    if (flags === 0) continue;
    if ((flags & CLAUSE_END) !== 0) clause += 1;
    if ((flags & SENTENCE_END) !== 0) sentence += 1;
    if ((flags & QUOTE) !== 0) hasQuote = true;
  }
  scopes.hasQuote = hasQuote;
  if (hasQuote) markQuoted(scopes.quoted, codes, length);
}

function markQuoted(mask: Uint8Array, codes: Uint16Array, length: number) {
  mask.fill(0, 0, length);
  let index = 0;
  while (index < length) {
    const close = CLOSING_QUOTE[codes[index] ?? 0] ?? 0;
    if (close === 0) {
      index += 1;
      continue;
    }
    // The first closing mark, if it comes within QUOTE_CHARS_MAX.
    const last = Math.min(length - 1, index + QUOTE_CHARS_MAX);
    let end = index + 1;
    while (end <= last && codes[end] !== close) end += 1;
    if (end > last) {
      index += 1;
      continue;
    }
    mask.fill(1, index + 1, end);
    index = end + 1;
  }
}

/** Every character of [start, end) sits inside quotation marks. */
export function isQuoted(scopes: Scopes, start: number, end: number): boolean {
  if (!scopes.hasQuote) return false;
  for (let index = start; index < end; index += 1) {
    if (scopes.quoted[index] !== 1) return false;
  }
  return true;
}

export function sameSentence(scopes: Scopes, a: number, b: number): boolean {
  return scopes.sentenceOf[a] === scopes.sentenceOf[b];
}

/**
 * True when occurrence o lies inside an occurrence of the `exceptions` list
 * (不会想 is no negator, 诈骗罪 frames nothing).
 */
function isExcepted(
  found: Occurrences,
  o: number,
  exceptions: number,
): boolean {
  for (let ex = exceptions; ex !== NONE; ex = found.next[ex] ?? NONE) {
    if (
      (found.start[ex] ?? 0) <= (found.start[o] ?? 0) &&
      (found.end[ex] ?? 0) >= (found.end[o] ?? 0)
    ) {
      return true;
    }
  }
  return false;
}

/**
 * A marker of list `markers` (minus those inside an `exceptions` occurrence;
 * NONE for no exceptions) that precedes [start, …) in its clause, within
 * reach characters.
 */
export function precededInClause(
  scopes: Scopes,
  found: Occurrences,
  markers: number,
  exceptions: number,
  start: number,
  reachChars: number,
): boolean {
  for (let o = markers; o !== NONE; o = found.next[o] ?? NONE) {
    const markerEnd = found.end[o] ?? 0;
    if (markerEnd > start) continue;
    if (start - markerEnd > reachChars) continue;
    if (scopes.clauseOf[found.start[o] ?? 0] !== scopes.clauseOf[start]) {
      continue;
    }
    if (!isExcepted(found, o, exceptions)) return true;
  }
  return false;
}

/** A marker that follows the hit in its clause (是不存在的, 是假的). */
export function followedInClause(
  scopes: Scopes,
  found: Occurrences,
  markers: number,
  end: number,
): boolean {
  for (let o = markers; o !== NONE; o = found.next[o] ?? NONE) {
    const markerStart = found.start[o] ?? 0;
    if (markerStart < end) continue;
    if (scopes.clauseOf[markerStart] === scopes.clauseOf[end - 1]) return true;
  }
  return false;
}

/**
 * A marker (minus excepted ones) within `distance` sentences of the hit
 * [start, end), markers overlapping the hit excluded.
 */
export function nearSentence(
  scopes: Scopes,
  found: Occurrences,
  markers: number,
  exceptions: number,
  start: number,
  end: number,
  distance: number,
): boolean {
  const sentence = scopes.sentenceOf[start] ?? 0;
  for (let o = markers; o !== NONE; o = found.next[o] ?? NONE) {
    const markerStart = found.start[o] ?? 0;
    if (markerStart < end && (found.end[o] ?? 0) > start) continue;
    const other = scopes.sentenceOf[markerStart] ?? 0;
    if (Math.abs(other - sentence) > distance) continue;
    if (!isExcepted(found, o, exceptions)) return true;
  }
  return false;
}

/** A marker in the sentence of the hit [start, end), the hit excluded. */
export function inSentence(
  scopes: Scopes,
  found: Occurrences,
  markers: number,
  start: number,
  end: number,
): boolean {
  for (let o = markers; o !== NONE; o = found.next[o] ?? NONE) {
    const markerStart = found.start[o] ?? 0;
    if (markerStart < end && (found.end[o] ?? 0) > start) continue;
    if (sameSentence(scopes, markerStart, start)) return true;
  }
  return false;
}

/** A marker anywhere in the sentence of `at`, overlapping ones included. */
export function anyInSentence(
  scopes: Scopes,
  found: Occurrences,
  markers: number,
  at: number,
): boolean {
  for (let o = markers; o !== NONE; o = found.next[o] ?? NONE) {
    if (sameSentence(scopes, found.start[o] ?? 0, at)) return true;
  }
  return false;
}

/** An occurrence of the list in the same clause/sentence as `at`. */
export function inSameScope(
  ids: Int32Array,
  found: Occurrences,
  list: number,
  at: number,
): boolean {
  for (let o = list; o !== NONE; o = found.next[o] ?? NONE) {
    if (ids[found.start[o] ?? 0] === ids[at]) return true;
  }
  return false;
}
