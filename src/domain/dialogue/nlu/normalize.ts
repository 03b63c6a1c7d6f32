import * as OpenCC from 'opencc-js/t2cn';
import { TYPO_REPLACEMENTS } from './typos.js';

/** Maps a string to simplified Chinese (OpenCC Taiwan → mainland tables). */
export type ToSimplified = (text: string) => string;

// Full-width ASCII (U+FF01..U+FF5E) sits exactly 0xFEE0 above its half-width
// twin; U+3000 is the ideographic space.
const FULL_WIDTH_FIRST = 0xff01;
const FULL_WIDTH_LAST = 0xff5e;
const FULL_WIDTH_OFFSET = 0xfee0;
const IDEOGRAPHIC_SPACE = 0x3000;

/** Full-width letters, digits and punctuation to their ASCII form. */
export function toHalfWidth(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= FULL_WIDTH_FIRST && code <= FULL_WIDTH_LAST) {
      out += String.fromCodePoint(code - FULL_WIDTH_OFFSET);
    } else if (code === IDEOGRAPHIC_SPACE) {
      out += ' ';
    } else {
      out += char;
    }
  }
  return out;
}

/** Replaces the typos and homophones of TYPO_REPLACEMENTS. */
export function fixTypos(text: string): string {
  let out = text;
  for (const [typo, canonical] of TYPO_REPLACEMENTS) {
    if (out.includes(typo)) out = out.replaceAll(typo, canonical);
  }
  return out;
}

/**
 * The OpenCC converter from traditional (Taiwan and Hong Kong usage) to
 * simplified mainland Chinese. Building it costs about 25 ms, so build once.
 */
export function createToSimplified(): ToSimplified {
  const fromTaiwan = OpenCC.Converter({ from: 'tw', to: 'cn' });
  const fromHongKong = OpenCC.Converter({ from: 'hk', to: 'cn' });
  return (text) => fromHongKong(fromTaiwan(text));
}

/**
 * Canonical text for every later step: half-width ASCII, lower-case Latin,
 * simplified characters, typos fixed, runs of spaces collapsed. Emoji and
 * repeated punctuation stay: they are emotion cues.
 *
 * @example
 * normalizeText('我想申請代款５萬！！', toSimplified); // '我想申请贷款5万!!'
 */
export function normalizeText(
  text: string,
  toSimplified: ToSimplified,
): string {
  const halfWidth = toHalfWidth(text).toLowerCase();
  const simplified = toSimplified(halfWidth);
  // Thousands separators (50,000) would split one amount into two numbers.
  const ungrouped = simplified.replace(/(\d),(?=\d{3}(?!\d))/g, '$1');
  return fixTypos(ungrouped).replace(/\s+/g, ' ').trim();
}
