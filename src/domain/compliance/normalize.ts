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
  /**
   * Original offset (UTF-16) of each normalised character; every kept
   * character maps one-to-one, so its original end is start + 1.
   */
  starts: Int32Array;
};

/**
 * The normalised text as UTF-16 code units in buffers owned by the normaliser
 * and overwritten by its next `normalizeCodes` call: the engine's hot path
 * reads it in place instead of building a string and an offset array per
 * message.
 */
export type NormalizedCodes = {
  codes: Uint16Array;
  /** Original offset of each normalised character, as in `Normalized`. */
  starts: Int32Array;
  /** Number of normalised characters (the buffers may be longer). */
  length: number;
  /** Decimal digits (ASCII or full width) in the original text. */
  digits: number;
};

export type Normalizer = {
  normalize: (text: string) => Normalized;
  /** Normalises a pattern term the same way as message text. */
  normalizeTerm: (term: string) => string;
  /** Like `normalize`, into reused buffers (valid until the next call). */
  normalizeCodes: (text: string) => NormalizedCodes;
};

/**
 * Buffers up to this many characters are kept between calls; a longer text
 * (a pasted document) gets buffers of its own that are not retained.
 */
const RETAINED_CHARS_MAX = 16_384;

/**
 * Builds a normaliser from a single-character map (traditional → simplified
 * and look-alike glyphs).
 * @example createNormalizer(new Map([['過', '过']])).normalize('包過').text === '包过'
 */
export function createNormalizer(
  charMap: ReadonlyMap<string, string>,
): Normalizer {
  const table = buildCharTable(charMap);
  const classes = buildClassTable();
  const retained: NormalizedCodes = {
    codes: new Uint16Array(256),
    starts: new Int32Array(256),
    length: 0,
    digits: 0,
  };
  const normalizeCodes = (text: string): NormalizedCodes => {
    let out = retained;
    if (text.length > retained.codes.length) {
      const buffers = {
        codes: new Uint16Array(text.length),
        starts: new Int32Array(text.length),
        length: 0,
        digits: 0,
      };
      if (text.length <= RETAINED_CHARS_MAX) {
        retained.codes = buffers.codes;
        retained.starts = buffers.starts;
      } else {
        out = buffers;
      }
    }
    const counts = mapChars(text, table, classes, out.codes, out.starts);
    out.length = counts.length;
    out.digits = counts.digits;
    return out;
  };
  const normalize = (text: string): Normalized => {
    const codes = new Uint16Array(text.length);
    const starts = new Int32Array(text.length);
    const { length } = mapChars(text, table, classes, codes, starts);
    return {
      text: codesToString(codes, length),
      starts: starts.subarray(0, length),
    };
  };
  return {
    normalize,
    normalizeTerm: (term) => normalize(term).text,
    normalizeCodes,
  };
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
  // The heavy plus sign is written for 加 (➕薇 = 加微信).
  table[0x2795] = 0x52a0;
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

/** What mapChars wrote: normalised characters, and digits it read. */
type MapCounts = { length: number; digits: number };
const counts: MapCounts = { length: 0, digits: 0 };

/**
 * Writes the normalised code units and their original offsets into `out`
 * and `starts` (each at least text.length long). Returns how many, and how
 * many decimal digits (ASCII or full width) the original has, in a reused
 * object.
 */
function mapChars(
  text: string,
  table: Uint16Array,
  classes: Uint8Array,
  out: Uint16Array,
  starts: Int32Array,
): MapCounts {
  const length = text.length;
  let count = 0;
  let digits = 0;
  let previous = 0;
  for (let index = 0; index < length; index += 1) {
    const raw = text.charCodeAt(index);
    if (isDigit(raw) || (raw >= 0xff10 && raw <= 0xff19)) digits += 1;
    const code = table[raw] || raw;
    if (classes[code] === DROP) continue;
    // A full stop or comma between digits is part of a number (7.2%, 42,315).
    if (code === 0x2e || code === 0x2c) {
      const betweenDigits =
        isDigit(previous) && isDigit(text.charCodeAt(index + 1));
      if (code === 0x2c && betweenDigits) continue;
      if (code === 0x2e && !betweenDigits) continue;
    }
    out[count] = code;
    starts[count] = index;
    previous = code;
    count += 1;
  }
  counts.length = count;
  counts.digits = digits;
  return counts;
}

function codesToString(codes: Uint16Array, count: number): string {
  // Chunked: spreading a megabyte of codes would overflow the call stack.
  const chunkSize = 8192;
  const parts: string[] = [];
  for (let from = 0; from < count; from += chunkSize) {
    const to = Math.min(count, from + chunkSize);
    // apply() on a typed array avoids the iterator protocol of a spread.
    parts.push(
      String.fromCharCode.apply(
        null,
        codes.subarray(from, to) as unknown as number[],
      ),
    );
  }
  return parts.join('');
}

/** True when the character ends a clause (negation and quote scopes). */
export function isClauseBoundary(char: string): boolean {
  return char.length === 1 && BOUNDARY_CHARS.includes(char);
}
