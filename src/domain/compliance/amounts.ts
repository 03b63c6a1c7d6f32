// Amounts stated in a message, in exact fen, for grounding against the ledger
// (COL-07: no inflated debt amounts). Money is bigint fen, never a float.

export type StatedAmount = {
  fen: bigint;
  /** Half the unit of the last digit the sender wrote (3万 → ±5000 yuan). */
  toleranceFen: bigint;
  span: [number, number];
};

const DIGIT_AMOUNT =
  /(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*(万|千|w|k)?\s*(元|块|圆|rmb|RMB)?/g;
const CN_DIGITS: Record<string, bigint> = {
  零: 0n,
  一: 1n,
  二: 2n,
  两: 2n,
  三: 3n,
  四: 4n,
  五: 5n,
  六: 6n,
  七: 7n,
  八: 8n,
  九: 9n,
};
const CN_UNITS: Record<string, bigint> = { 十: 10n, 百: 100n, 千: 1000n };
const CN_AMOUNT = /([零一二两三四五六七八九十百千万]+)\s*(元|块)/g;

function multiplierOf(unit: string | undefined): bigint {
  if (unit === '万' || unit === 'w') return 10000n;
  if (unit === '千' || unit === 'k') return 1000n;
  return 1n;
}

function fromDigits(match: RegExpMatchArray): StatedAmount | undefined {
  const whole = (match[1] ?? '').replaceAll(',', '');
  const decimals = match[2] ?? '';
  const scale = match[3];
  const currency = match[4];
  // A bare number is not money: it needs 元/块 or a 万/千 scale.
  if (scale === undefined && currency === undefined) return undefined;
  const multiplier = multiplierOf(scale);
  const fenPerUnit = multiplier * 100n;
  const fractionFen =
    decimals === ''
      ? 0n
      : (fenPerUnit * BigInt(decimals.padEnd(2, '0'))) / 100n;
  const fen = BigInt(whole) * fenPerUnit + fractionFen;
  const lastDigitFen =
    decimals === '' ? fenPerUnit : fenPerUnit / 10n ** BigInt(decimals.length);
  const start = match.index ?? 0;
  return {
    fen,
    toleranceFen: lastDigitFen >= 100n ? lastDigitFen / 2n : 0n,
    span: [start, start + match[0].trimEnd().length],
  };
}

/** Parses 三万五千 / 两千 / 四万二 style numerals; undefined when unusual. */
export function parseChineseNumeral(text: string): bigint | undefined {
  let total = 0n;
  let section = 0n;
  let digit = -1n;
  for (const char of text) {
    const value = CN_DIGITS[char];
    if (value !== undefined) {
      digit = value;
      continue;
    }
    const unit = CN_UNITS[char];
    if (unit !== undefined) {
      section += (digit < 0n ? 1n : digit) * unit;
      digit = -1n;
      continue;
    }
    if (char === '万') {
      total = (section + (digit < 0n ? 0n : digit)) * 10000n;
      section = 0n;
      digit = -1n;
      continue;
    }
    return undefined;
  }
  return total + section + (digit < 0n ? 0n : digit);
}

/**
 * Finds money amounts (digits or Chinese numerals with 元/块/万) in a text.
 * @example statedAmounts('欠款42,315元')[0]?.fen === 4231500n
 */
export function statedAmounts(text: string): StatedAmount[] {
  const amounts: StatedAmount[] = [];
  for (const match of text.matchAll(DIGIT_AMOUNT)) {
    const amount = fromDigits(match);
    if (amount !== undefined) amounts.push(amount);
  }
  for (const match of text.matchAll(CN_AMOUNT)) {
    const yuan = parseChineseNumeral(match[1] ?? '');
    if (yuan === undefined || yuan === 0n) continue;
    const start = match.index ?? 0;
    amounts.push({
      fen: yuan * 100n,
      toleranceFen: 50n,
      span: [start, start + match[0].length],
    });
  }
  return amounts;
}

/** True when the stated amount equals one of the ledger amounts. */
export function isGrounded(
  amount: StatedAmount,
  factsFen: readonly bigint[],
): boolean {
  for (const fact of factsFen) {
    const difference =
      amount.fen > fact ? amount.fen - fact : fact - amount.fen;
    if (difference <= amount.toleranceFen) return true;
  }
  return false;
}
