// The one money codec for the wire (server, CLI, web). Amounts travel as
// decimal strings of yuan with two places ("2992.60"); inside they are bigint
// fen. This module is pure and browser-safe: it imports nothing.

const YUAN_PATTERN = /^(-)?(\d{1,14})(?:\.(\d+))?$/;

/** Formats fen as a yuan decimal string with two places: 299260n → "2992.60". */
export function formatFen(amountFen: bigint): string {
  const negative = amountFen < 0n;
  const magnitude = negative ? -amountFen : amountFen;
  const yuan = magnitude / 100n;
  const cents = (magnitude % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${yuan}.${cents}`;
}

export type ParseYuanError =
  | 'money.not_a_number'
  | 'money.too_many_decimals'
  | 'money.out_of_range';

/**
 * Parses yuan given as a decimal string or a JSON number into fen, exactly.
 * A JSON number is read through its shortest decimal form (what the sender
 * wrote), never through binary arithmetic. More than two decimals is refused:
 * the API does not guess a rounding.
 */
export function parseYuanStrict(
  input: unknown,
): { ok: true; value: bigint } | { ok: false; error: ParseYuanError } {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input))
      return { ok: false, error: 'money.not_a_number' };
    text = String(input);
  } else if (typeof input === 'string') {
    text = input.trim();
  } else {
    return { ok: false, error: 'money.not_a_number' };
  }
  if (/e/i.test(text)) {
    return { ok: false, error: 'money.out_of_range' };
  }
  const match = YUAN_PATTERN.exec(text);
  if (match === null) return { ok: false, error: 'money.not_a_number' };
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  if (fraction.length > 2)
    return { ok: false, error: 'money.too_many_decimals' };
  const magnitude =
    BigInt(match[2] ?? '0') * 100n + BigInt(fraction.padEnd(2, '0'));
  // Bound: 10^15 fen, the ledger's FEN_MAX.
  if (magnitude > 10n ** 15n) return { ok: false, error: 'money.out_of_range' };
  return { ok: true, value: match[1] === '-' ? -magnitude : magnitude };
}

/**
 * Reads a rate given as a JSON number or a decimal string ("0.049") into its
 * exact decimal text, or undefined when it is not a plain non-negative decimal
 * (a percent sign, a fraction, an exponent).
 */
export function rateText(input: unknown): string | undefined {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) return undefined;
    text = String(input);
  } else if (typeof input === 'string') {
    text = input.trim();
  } else {
    return undefined;
  }
  return /^\d{1,6}(?:\.\d{1,12})?$/.test(text) ? text : undefined;
}
