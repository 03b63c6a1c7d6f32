import { assert } from '../shared/assert.js';

/**
 * An amount of Chinese yuan in fen (0.01 yuan), as a branded bigint.
 *
 * @example
 * const p = fen(100_000_00n); // 100000.00 yuan
 */
export type Fen = bigint & { readonly __unit: 'fen' };

// Bound: 10^15 fen = 10 trillion yuan. It is far below int64 (9.2 × 10^18), so
// a sum of a few thousand bounded amounts still fits a BIGINT column, and far
// above any single loan book this product serves. Every amount that goes to
// storage is checked against it.
export const FEN_MAX = 10n ** 15n;

export const ZERO_FEN = 0n as Fen;

/** Brands a bigint as fen after checking it is within ±FEN_MAX. */
export function fen(value: bigint): Fen {
  assert(
    value <= FEN_MAX && value >= -FEN_MAX,
    () => `fen out of range: ${value}`,
  );
  return value as Fen;
}

export function addFen(a: Fen, b: Fen): Fen {
  return fen(a + b);
}

export function subFen(a: Fen, b: Fen): Fen {
  return fen(a - b);
}

export function minFen(a: Fen, b: Fen): Fen {
  return a < b ? a : b;
}

export function maxFen(a: Fen, b: Fen): Fen {
  return a > b ? a : b;
}

export function sumFen(values: readonly Fen[]): Fen {
  let total = 0n;
  for (const value of values) total += value;
  return fen(total);
}
