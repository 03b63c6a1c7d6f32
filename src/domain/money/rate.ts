import { assert } from '../shared/assert.js';

/**
 * A rate as an exact ratio: `numerator / denominator`, with a positive
 * denominator that is a power of ten when parsed from a decimal string.
 * Derived rates (monthly = annual / 12, daily = annual / 360) are never
 * materialised as rounded decimals: callers multiply by the numerator and
 * divide by the denominator last.
 *
 * @example
 * const r = parseRate('0.049'); // { numerator: 49n, denominator: 1000n }
 */
export type Rate = {
  readonly numerator: bigint;
  readonly denominator: bigint;
};

const RATE_PATTERN = /^(\d{1,6})(?:\.(\d{1,12}))?$/;

/** Parses a non-negative decimal string such as "0.049" exactly. */
export function parseRate(text: string): Rate | undefined {
  const match = RATE_PATTERN.exec(text);
  if (match === null) return undefined;
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  const denominator = 10n ** BigInt(fraction.length);
  return normalizeRate({
    numerator: BigInt(whole + fraction),
    denominator,
  });
}

export function rate(numerator: bigint, denominator: bigint): Rate {
  assert(denominator > 0n, 'rate: denominator must be positive');
  return normalizeRate({ numerator, denominator });
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function normalizeRate(r: Rate): Rate {
  if (r.numerator === 0n) return { numerator: 0n, denominator: 1n };
  const divisor = gcd(r.numerator, r.denominator);
  return {
    numerator: r.numerator / divisor,
    denominator: r.denominator / divisor,
  };
}

export function multiplyRate(a: Rate, b: Rate): Rate {
  return rate(a.numerator * b.numerator, a.denominator * b.denominator);
}

export function isZeroRate(r: Rate): boolean {
  return r.numerator === 0n;
}

export function compareRate(a: Rate, b: Rate): -1 | 0 | 1 {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

/** Formats a rate as a decimal string with `places` digits, rounded half-up. */
export function formatRate(r: Rate, places: number): string {
  assert(places >= 0 && places <= 12, 'formatRate: places out of range');
  assert(r.numerator >= 0n, 'formatRate: negative rate');
  const scale = 10n ** BigInt(places);
  const scaled =
    (r.numerator * scale * 2n + r.denominator) / (2n * r.denominator);
  const text = scaled.toString().padStart(places + 1, '0');
  if (places === 0) return text;
  return `${text.slice(0, -places)}.${text.slice(-places)}`;
}
