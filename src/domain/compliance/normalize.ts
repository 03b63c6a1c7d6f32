import { AhoCorasick } from '@monyone/aho-corasick/fast';
import { assert } from '../shared/assert.js';

// Normalisation defeats filter-dodging spellings (包 过, 包-过, 包過, １００％,
// fa院) while keeping, for every normalised character, the span it came from in
// the original text, so that a violation's span points at what the sender
// typed. Order (spec/redline-examples.md §4): full→half width, traditional →
// simplified, drop zero-width and separator characters, then aliases.

/** Per-character class of the normalised alphabet. */
const KEEP = 0;
const DROP = 1;
const BOUNDARY = 2;

/** Characters that end a clause: negation and quotation scopes stop here. */
const BOUNDARY_CHARS = '，。；！？,;!?\n\r…：:';
/** Separators people insert to split a watched word; dropped everywhere. */
const FILLER_CHARS =
  ' \t\u00a0\u3000\u200b\u200c\u200d\u2060\ufeff\u00ad-_·•*/\\|~^`#@$&=+<>[]{}()（）【】〔〕~～—–－＿｜丶ˉ¯';

export type Normalized = {
  /** The normalised text that rules match against. */
  text: string;
  /** Original start offset (UTF-16) of each normalised character. */
  starts: Int32Array;
  /** Original end offset (exclusive) of each normalised character. */
  ends: Int32Array;
};

export type Normalizer = {
  normalize: (text: string) => Normalized;
  /** Normalises a pattern term the same way as message text. */
  normalizeTerm: (term: string) => string;
};

/**
 * Builds a normaliser from a single-character map (traditional → simplified
 * and look-alike glyphs) and an alias table (evasive spellings → canonical).
 * @example createNormalizer(new Map([['過', '过']]), new Map()).normalize('包過')
 */
export function createNormalizer(
  charMap: ReadonlyMap<string, string>,
  aliases: ReadonlyMap<string, string>,
): Normalizer {
  const table = buildCharTable(charMap);
  const classes = buildClassTable();
  const base = (text: string): Normalized => mapChars(text, table, classes);
  const aliasEntries = new Map<string, string>();
  for (const [from, to] of aliases) {
    aliasEntries.set(base(from).text, base(to).text);
  }
  const aliasMatcher =
    aliasEntries.size > 0 ? new AhoCorasick([...aliasEntries.keys()]) : null;
  const normalize = (text: string): Normalized => {
    const mapped = base(text);
    if (aliasMatcher === null) return mapped;
    return applyAliases(mapped, aliasMatcher, aliasEntries);
  };
  return { normalize, normalizeTerm: (term) => normalize(term).text };
}

function buildCharTable(charMap: ReadonlyMap<string, string>): Uint16Array {
  const table = new Uint16Array(65536);
  for (let code = 0xff01; code <= 0xff5e; code += 1)
    table[code] = code - 0xfee0;
  for (let code = 0x41; code <= 0x5a; code += 1) table[code] = code + 0x20;
  for (const [from, to] of charMap) {
    // Only single BMP characters map one-to-one; longer entries are aliases.
    if (from.length !== 1 || to.length !== 1) continue;
    table[from.charCodeAt(0)] = to.charCodeAt(0);
  }
  // Upper-case full-width letters map twice: to ASCII, then to lower case.
  for (let code = 0xff21; code <= 0xff3a; code += 1)
    table[code] = code - 0xfec0;
  return table;
}

function buildClassTable(): Uint8Array {
  const classes = new Uint8Array(65536);
  for (const char of FILLER_CHARS) classes[char.charCodeAt(0)] = DROP;
  for (const char of BOUNDARY_CHARS) classes[char.charCodeAt(0)] = BOUNDARY;
  // Surrogates are emoji and rare ideographs inserted as filler.
  for (let code = 0xd800; code <= 0xdfff; code += 1) classes[code] = DROP;
  // Variation selectors and combining marks carry no meaning for matching.
  for (let code = 0xfe00; code <= 0xfe0f; code += 1) classes[code] = DROP;
  for (let code = 0x0300; code <= 0x036f; code += 1) classes[code] = DROP;
  // Dingbats and symbols (✅ ❤ ★) are decoration used to split words.
  for (let code = 0x2600; code <= 0x27bf; code += 1) classes[code] = DROP;
  // Except the heavy plus sign, which people write for 加 (➕薇).
  classes[0x2795] = KEEP;
  return classes;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function mapChars(
  text: string,
  table: Uint16Array,
  classes: Uint8Array,
): Normalized {
  const length = text.length;
  const out = new Uint16Array(length);
  const starts = new Int32Array(length);
  const ends = new Int32Array(length);
  let count = 0;
  for (let index = 0; index < length; index += 1) {
    const raw = text.charCodeAt(index);
    const mapped = table[raw];
    const code = mapped === undefined || mapped === 0 ? raw : mapped;
    const kind = classes[code];
    if (kind === DROP) continue;
    // A full stop or comma between digits is part of a number (7.2%, 42,315).
    if (code === 0x2e || code === 0x2c || code === 0xff0c) {
      const previous = count > 0 ? (out[count - 1] ?? 0) : 0;
      const next = text.charCodeAt(index + 1);
      if (isDigit(previous) && isDigit(next)) {
        if (code === 0x2e) {
          out[count] = code;
          starts[count] = index;
          ends[count] = index + 1;
          count += 1;
        }
        continue;
      }
      if (code === 0x2e) continue;
    }
    out[count] = code === 0x2795 ? 0x52a0 : code;
    starts[count] = index;
    ends[count] = index + 1;
    count += 1;
  }
  return {
    text: codesToString(out, count),
    starts: starts.subarray(0, count),
    ends: ends.subarray(0, count),
  };
}

function codesToString(codes: Uint16Array, count: number): string {
  // Chunked: spreading a megabyte of codes would overflow the call stack.
  const chunkSize = 8192;
  if (count <= chunkSize) {
    return String.fromCharCode(...codes.subarray(0, count));
  }
  const parts: string[] = [];
  for (let from = 0; from < count; from += chunkSize) {
    const to = Math.min(count, from + chunkSize);
    parts.push(String.fromCharCode(...codes.subarray(from, to)));
  }
  return parts.join('');
}

function applyAliases(
  mapped: Normalized,
  matcher: AhoCorasick,
  entries: ReadonlyMap<string, string>,
): Normalized {
  const matches = matcher.matchInText(mapped.text);
  if (matches.length === 0) return mapped;
  // Leftmost-longest, non-overlapping replacements.
  matches.sort((a, b) => a.begin - b.begin || b.end - a.end);
  const parts: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let cursor = 0;
  const copy = (from: number, to: number): void => {
    for (let index = from; index < to; index += 1) {
      parts.push(mapped.text.charAt(index));
      starts.push(mapped.starts[index] ?? 0);
      ends.push(mapped.ends[index] ?? 0);
    }
  };
  for (const match of matches) {
    if (match.begin < cursor) continue;
    const canonical = entries.get(match.keyword);
    assert(canonical !== undefined, 'alias match has a canonical form');
    copy(cursor, match.begin);
    const spanStart = mapped.starts[match.begin] ?? 0;
    const spanEnd = mapped.ends[match.end - 1] ?? spanStart;
    for (const char of canonical) {
      parts.push(char);
      starts.push(spanStart);
      ends.push(spanEnd);
    }
    cursor = match.end;
  }
  copy(cursor, mapped.text.length);
  return {
    text: parts.join(''),
    starts: Int32Array.from(starts),
    ends: Int32Array.from(ends),
  };
}

/** True when the character ends a clause (negation and quote scopes). */
export function isClauseBoundary(char: string): boolean {
  return char.length === 1 && BOUNDARY_CHARS.includes(char);
}
