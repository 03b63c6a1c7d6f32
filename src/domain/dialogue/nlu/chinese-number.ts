// Reads the numbers borrowers type: Arabic (50000, 1.2), Chinese (五万, 一万五,
// 两千三百), mixed (3千5, 1万2, 1.5w, 5k). Slots are readings of the text, so
// plain `number` is right here; the ledger converts with the money codec.

const DIGITS: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  壹: 1,
  二: 2,
  贰: 2,
  两: 2,
  三: 3,
  叁: 3,
  四: 4,
  肆: 4,
  五: 5,
  伍: 5,
  六: 6,
  陆: 6,
  七: 7,
  柒: 7,
  八: 8,
  捌: 8,
  九: 9,
  玖: 9,
};

const SMALL_UNITS: Readonly<Record<string, number>> = {
  十: 10,
  拾: 10,
  百: 100,
  佰: 100,
  千: 1000,
  仟: 1000,
  k: 1000,
};

// Largest first: 2亿3000万 splits at 亿 before 万.
const BIG_UNITS: readonly (readonly [string, number])[] = [
  ['亿', 100_000_000],
  ['万', 10_000],
  ['w', 10_000],
];

/** Characters a number expression may contain (after half-width folding). */
export const NUMBER_CHARS =
  '0-9.零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万亿kw';

// Arabic digits, possibly with a decimal point, or one Chinese digit.
function readAtom(text: string, start: number): [number, number] | undefined {
  const arabic = /^\d+(?:\.\d+)?/.exec(text.slice(start));
  if (arabic !== null) return [Number(arabic[0]), start + arabic[0].length];
  const char = text[start];
  if (char !== undefined && DIGITS[char] !== undefined) {
    return [DIGITS[char], start + 1];
  }
  return undefined;
}

// A section below 10,000: 3千5 = 3500, 一百五 = 150, 十二 = 12, 2300 = 2300.
function readSection(text: string): number | undefined {
  if (text === '') return 0;
  let total = 0;
  let index = 0;
  let pending: number | undefined;
  let lastUnit = 0;
  while (index < text.length) {
    const char = text[index] ?? '';
    const unit = SMALL_UNITS[char];
    if (unit !== undefined) {
      // A bare 十 means one ten (十二 = 12).
      total += (pending ?? 1) * unit;
      pending = undefined;
      lastUnit = unit;
      index += 1;
      continue;
    }
    if (char === '零' || char === '〇') {
      index += 1;
      continue;
    }
    const atom = readAtom(text, index);
    if (atom === undefined || pending !== undefined) return undefined;
    [pending, index] = atom;
  }
  if (pending !== undefined) {
    // A trailing digit after a unit is one unit lower: 3千5 = 3500.
    const abbreviated = lastUnit >= 100 && pending < 10 && !text.includes('零');
    total += abbreviated ? (pending * lastUnit) / 10 : pending;
  }
  return total;
}

/**
 * The value of a number expression, or undefined when it is not one.
 *
 * @example
 * parseChineseNumber('1万2'); // 12000
 */
export function parseChineseNumber(text: string): number | undefined {
  const source = text.toLowerCase();
  if (source === '') return undefined;
  for (const [unitChar, unitValue] of BIG_UNITS) {
    const at = source.lastIndexOf(unitChar);
    if (at < 0) continue;
    const head = at === 0 ? 1 : parseChineseNumber(source.slice(0, at));
    const tailText = source.slice(at + 1);
    let tail = tailText === '' ? 0 : parseChineseNumber(tailText);
    if (head === undefined || tail === undefined) return undefined;
    // 1万2 = 12000 and 一万五 = 15000: a lone trailing digit is thousands.
    if (/^[0-9一二两三四五六七八九]$/.test(tailText)) {
      tail *= unitValue / 10;
    }
    return roundCents(head * unitValue + tail);
  }
  const value = readSection(source);
  return value === undefined ? undefined : roundCents(value);
}

// Decimal inputs such as 1.2w multiply to 12000.000000000002 in binary
// floating point; a typed amount never has more than two decimals.
function roundCents(value: number): number {
  return Math.round(value * 100) / 100;
}
