// The context of a hit decides whether it is the sender's own assertion:
// negated (我们无法保证…), quoted (您说的"包过"), framed as a fraud warning
// (凡是…都是诈骗), or hedged (可能、争取). See spec/redline-examples.md §5.

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

export type Range = { start: number; end: number };

export type Scopes = {
  clauseOf: Int32Array;
  sentenceOf: Int32Array;
  /** 1 where the character sits inside quotation marks. */
  quoted: Uint8Array | null;
};

const CLAUSE_END = 1;
const SENTENCE_END = 2;
const QUOTE = 4;
const CHAR_FLAGS = buildCharFlags();

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

/** Computes clause and sentence ids and the quoted mask of a text. */
export function computeScopes(text: string): Scopes {
  const length = text.length;
  const clauseOf = new Int32Array(length);
  const sentenceOf = new Int32Array(length);
  let clause = 0;
  let sentence = 0;
  let hasQuote = false;
  for (let index = 0; index < length; index += 1) {
    const flags = CHAR_FLAGS[text.charCodeAt(index)] ?? 0;
    clauseOf[index] = clause;
    sentenceOf[index] = sentence;
    if (flags === 0) continue;
    if ((flags & CLAUSE_END) !== 0) clause += 1;
    if ((flags & SENTENCE_END) !== 0) sentence += 1;
    if ((flags & QUOTE) !== 0) hasQuote = true;
  }
  return { clauseOf, sentenceOf, quoted: hasQuote ? quoteMask(text) : null };
}

function quoteMask(text: string): Uint8Array {
  const mask = new Uint8Array(text.length);
  let index = 0;
  while (index < text.length) {
    const close = QUOTE_PAIRS[text.charAt(index)];
    if (close === undefined) {
      index += 1;
      continue;
    }
    // An unclosed quote within 60 characters is an apostrophe or a typo.
    const end = text.indexOf(close, index + 1);
    if (end < 0 || end - index > 60) {
      index += 1;
      continue;
    }
    mask.fill(1, index + 1, end);
    index = end + 1;
  }
  return mask;
}

export function isQuoted(scopes: Scopes, hit: Range): boolean {
  if (scopes.quoted === null) return false;
  for (let index = hit.start; index < hit.end; index += 1) {
    if (scopes.quoted[index] !== 1) return false;
  }
  return true;
}

export function sameClause(scopes: Scopes, a: number, b: number): boolean {
  return scopes.clauseOf[a] === scopes.clauseOf[b];
}

export function sameSentence(scopes: Scopes, a: number, b: number): boolean {
  return scopes.sentenceOf[a] === scopes.sentenceOf[b];
}

/** A marker that precedes the hit in its clause, within reach characters. */
export function precededInClause(
  scopes: Scopes,
  markers: readonly Range[],
  hit: Range,
  reachChars: number,
): boolean {
  for (const marker of markers) {
    if (marker.end > hit.start) continue;
    if (hit.start - marker.end > reachChars) continue;
    if (sameClause(scopes, marker.start, hit.start)) return true;
  }
  return false;
}

/** A marker that follows the hit in its clause (是不存在的, 是假的). */
export function followedInClause(
  scopes: Scopes,
  markers: readonly Range[],
  hit: Range,
): boolean {
  for (const marker of markers) {
    if (marker.start < hit.end) continue;
    if (sameClause(scopes, marker.start, hit.end - 1)) return true;
  }
  return false;
}

/** A marker anywhere in the hit's sentence, hit itself excluded. */
/** A marker within `distance` sentences of the hit, hit itself excluded. */
export function nearSentence(
  scopes: Scopes,
  markers: readonly Range[],
  hit: Range,
  distance: number,
): boolean {
  const sentence = scopes.sentenceOf[hit.start] ?? 0;
  for (const marker of markers) {
    if (marker.start < hit.end && marker.end > hit.start) continue;
    const other = scopes.sentenceOf[marker.start] ?? 0;
    if (Math.abs(other - sentence) <= distance) return true;
  }
  return false;
}

export function inSentence(
  scopes: Scopes,
  markers: readonly Range[],
  hit: Range,
): boolean {
  for (const marker of markers) {
    if (marker.start < hit.end && marker.end > hit.start) continue;
    if (sameSentence(scopes, marker.start, hit.start)) return true;
  }
  return false;
}
