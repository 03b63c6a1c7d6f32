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

/** The end of an occurrence list; as a list id, the empty list. */
export const NONE = -1;

/**
 * Occurrences of pack terms in one message: occurrence o spans
 * [start[o], end[o]) of the normalised text, and next[o] is the following
 * occurrence of the same list (NONE at the end).
 *
 * The context checks below take a list by its id, indexed: the occurrences
 * of list l are order[listFrom[l]] … order[listTo[l] - 1], in match order,
 * so their ends never decrease. A check looks only at the occurrences that
 * can lie in the hit's own clause, sentence or reach (binary search on the
 * ends, spanMax bounding how far a start lies before its end), so judging
 * a hit costs the size of its scope, not of the message.
 */
export type Occurrences = {
  start: Int32Array;
  end: Int32Array;
  next: Int32Array;
  order: Int32Array;
  listFrom: Int32Array;
  listTo: Int32Array;
  /** The longest occurrence of the message, in characters. */
  spanMax: number;
};

/** Clause and sentence ids per normalised character, and the quoted mask. */
export type Scopes = {
  clauseOf: Int32Array;
  sentenceOf: Int32Array;
  /** 1 where the character sits inside quotation marks (when hasQuote). */
  quoted: Uint8Array;
  hasQuote: boolean;
  /** Characters of the message (the buffers may be longer). */
  length: number;
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
    length: 0,
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
  scopes.length = length;
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

/** The first position whose scope id (ids ascend) is at least `id`. */
function firstWithId(ids: Int32Array, length: number, id: number): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((ids[middle] ?? 0) < id) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** First position of the scope (clause or sentence) holding `at`. */
export function scopeStart(scopes: Scopes, ids: Int32Array, at: number) {
  return firstWithId(ids, scopes.length, ids[at] ?? 0);
}

/** The position after the scope (clause or sentence) holding `at`. */
export function scopeEnd(scopes: Scopes, ids: Int32Array, at: number) {
  return firstWithId(ids, scopes.length, (ids[at] ?? 0) + 1);
}

/** The index (into order) of the list's first occurrence ending at `at` or later. */
function firstEndingFrom(found: Occurrences, list: number, at: number) {
  let low = found.listFrom[list] ?? 0;
  let high = found.listTo[list] ?? 0;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((found.end[found.order[middle] ?? 0] ?? 0) < at) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Calls visit with the list's occurrences starting in [from, to), in list
 * order (and perhaps a few others near them), until it returns true.
 */
export function someStartingIn(
  found: Occurrences,
  list: number,
  from: number,
  to: number,
  visit: (o: number) => boolean,
): boolean {
  if (list === NONE || from >= to) return false;
  const last = found.listTo[list] ?? 0;
  // start >= from implies end > from; end - spanMax >= to implies start >= to.
  const endLimit = to + found.spanMax;
  for (let at = firstEndingFrom(found, list, from + 1); at < last; at += 1) {
    const o = found.order[at] ?? 0;
    if ((found.end[o] ?? 0) >= endLimit) break;
    const start = found.start[o] ?? 0;
    if (start >= from && start < to && visit(o)) return true;
  }
  return false;
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
  if (exceptions === NONE) return false;
  const oStart = found.start[o] ?? 0;
  const oEnd = found.end[o] ?? 0;
  const last = found.listTo[exceptions] ?? 0;
  // An enclosing occurrence ends in [oEnd, oStart + spanMax].
  for (let at = firstEndingFrom(found, exceptions, oEnd); at < last; at += 1) {
    const ex = found.order[at] ?? 0;
    if ((found.end[ex] ?? 0) > oStart + found.spanMax) break;
    if ((found.start[ex] ?? 0) <= oStart) return true;
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
  if (markers === NONE) return false;
  const last = found.listTo[markers] ?? 0;
  const from = firstEndingFrom(found, markers, start - reachChars);
  for (let at = from; at < last; at += 1) {
    const o = found.order[at] ?? 0;
    if ((found.end[o] ?? 0) > start) break;
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
  const to = scopeEnd(scopes, scopes.clauseOf, end - 1);
  return someStartingIn(found, markers, end, to, () => true);
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
  const { sentenceOf, length } = scopes;
  const sentence = sentenceOf[start] ?? 0;
  const from = firstWithId(sentenceOf, length, sentence - distance);
  const to = firstWithId(sentenceOf, length, sentence + distance + 1);
  return someStartingIn(found, markers, from, to, (o) => {
    const overlaps = (found.start[o] ?? 0) < end && (found.end[o] ?? 0) > start;
    return !overlaps && !isExcepted(found, o, exceptions);
  });
}

/** A marker in the sentence of the hit [start, end), the hit excluded. */
export function inSentence(
  scopes: Scopes,
  found: Occurrences,
  markers: number,
  start: number,
  end: number,
): boolean {
  const from = scopeStart(scopes, scopes.sentenceOf, start);
  const to = scopeEnd(scopes, scopes.sentenceOf, start);
  return someStartingIn(
    found,
    markers,
    from,
    to,
    (o) => !((found.start[o] ?? 0) < end && (found.end[o] ?? 0) > start),
  );
}

/** A marker anywhere in the sentence of `at`, overlapping ones included. */
export function anyInSentence(
  scopes: Scopes,
  found: Occurrences,
  markers: number,
  at: number,
): boolean {
  return inSameScope(scopes, scopes.sentenceOf, found, markers, at);
}

/** An occurrence of the list in the same clause/sentence (ids) as `at`. */
export function inSameScope(
  scopes: Scopes,
  ids: Int32Array,
  found: Occurrences,
  list: number,
  at: number,
): boolean {
  const from = scopeStart(scopes, ids, at);
  const to = scopeEnd(scopes, ids, at);
  return someStartingIn(found, list, from, to, () => true);
}
