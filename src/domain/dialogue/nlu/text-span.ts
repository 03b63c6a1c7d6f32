/** A half-open range [start, end) of UTF-16 code units in normalised text. */
export type TextSpan = { start: number; end: number };

/** A value read from the text together with where it was read. */
export type Reading<T> = { value: T; span: TextSpan };

// Filler that no parser reads, so a span consumed by one slot cannot feed
// another (the digits of a phone number are never an amount).
const MASK_CHAR = '_';

/** Replaces each span with filler, keeping every other offset unchanged. */
export function maskSpans(text: string, spans: readonly TextSpan[]): string {
  let out = text;
  for (const span of spans) {
    out =
      out.slice(0, span.start) +
      MASK_CHAR.repeat(span.end - span.start) +
      out.slice(span.end);
  }
  return out;
}
