// PII detection on the original text (spans are original offsets). Digit runs
// may contain the separators people use to group or dodge (138-1234-5678,
// 6222 0212 …) and full-width digits. Basis: PII-01, PII-02, PII-07;
// formats and checksums from spec/regulations.md §6.

export type PiiKind =
  | 'id_number'
  | 'bank_card'
  | 'mobile'
  | 'email'
  | 'name'
  | 'address';

export type PiiHit = {
  kind: PiiKind;
  /** [start, end) in UTF-16 code units of the original text. */
  span: [number, number];
  /** The digits (or text) as found, separators removed. */
  value: string;
  /** A checksum confirmed it (ID MOD 11-2, card Luhn). */
  checksumValid: boolean;
};

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';
const DIGIT_SEPARATORS = ' -\u00a0\u3000';
const CARD_CONTEXT = /卡号|银行卡|储蓄卡|信用卡|借记卡|账号|账户|卡/;

/** ISO 7064 MOD 11-2 check of an 18-character resident ID (GB 11643-1999). */
export function isValidIdNumber(value: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(value)) return false;
  let sum = 0;
  for (let index = 0; index < 17; index += 1) {
    sum += Number(value.charAt(index)) * (ID_WEIGHTS[index] ?? 0);
  }
  return ID_CHECK_CHARS.charAt(sum % 11) === value.charAt(17).toUpperCase();
}

/** Luhn (mod 10) check of a card number given as digits. */
export function isLuhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits.charAt(digits.length - 1 - index));
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

function hasIdShape(value: string): boolean {
  // Region code, then a birth date YYYYMMDD in 1800–2099.
  return /^[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]$/.test(
    value,
  );
}

function digitOf(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0xff10 && code <= 0xff19) return code - 0xff10;
  return -1;
}

type DigitRun = { digits: string; start: number; end: number };

function isAsciiLetter(code: number): boolean {
  return (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a;
}

/** Runs of digits with inner separators; a trailing X/x is kept for IDs. */
function digitRuns(text: string): DigitRun[] {
  const runs: DigitRun[] = [];
  let index = 0;
  while (index < text.length) {
    if (digitOf(text.charCodeAt(index)) < 0) {
      index += 1;
      continue;
    }
    const start = index;
    let digits = '';
    let end = index;
    while (index < text.length) {
      const code = text.charCodeAt(index);
      const digit = digitOf(code);
      if (digit >= 0) {
        digits += String(digit);
        index += 1;
        end = index;
      } else if (
        DIGIT_SEPARATORS.includes(text.charAt(index)) &&
        digitOf(text.charCodeAt(index + 1)) >= 0
      ) {
        index += 1;
      } else {
        break;
      }
    }
    const tail = text.charCodeAt(end);
    if ((tail === 0x58 || tail === 0x78) && digits.length === 17) {
      digits += 'X';
      end += 1;
      index = end;
    }
    // A run glued to letters is a code (order no. AB123…), not a number.
    const before = start > 0 ? text.charCodeAt(start - 1) : 0;
    const after = text.charCodeAt(end);
    if (!isAsciiLetter(before) && !isAsciiLetter(after)) {
      runs.push({ digits, start, end });
    }
  }
  return runs;
}

function classifyRun(run: DigitRun, text: string): PiiHit | undefined {
  const span: [number, number] = [run.start, run.end];
  let digits = run.digits;
  if (digits.length === 18 && hasIdShape(digits)) {
    return {
      kind: 'id_number',
      span,
      value: digits,
      checksumValid: isValidIdNumber(digits),
    };
  }
  if (
    digits.length === 15 &&
    /^[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}$/.test(digits)
  ) {
    // Legacy 15-digit ID (GB 11643-1989): no check digit, low confidence.
    return { kind: 'id_number', span, value: digits, checksumValid: false };
  }
  if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
  if (digits.length === 15 && digits.startsWith('0086'))
    digits = digits.slice(4);
  if (digits.length === 11 && /^1[3-9]/.test(digits)) {
    return { kind: 'mobile', span, value: digits, checksumValid: false };
  }
  if (run.digits.length >= 13 && run.digits.length <= 19) {
    const luhn = isLuhnValid(run.digits);
    const context = text.slice(Math.max(0, run.start - 12), run.start);
    const cardLike =
      luhn || run.digits.startsWith('62') || CARD_CONTEXT.test(context);
    if (cardLike) {
      return {
        kind: 'bank_card',
        span,
        value: run.digits,
        checksumValid: luhn,
      };
    }
  }
  return undefined;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const NAME_IN_CONTEXT =
  /(?:我叫|我的名字是|名字叫|姓名是|姓名[:：])\s*([\u4e00-\u9fa5]{2,4})/g;
const ADDRESS_IN_CONTEXT =
  /(?:住在|家住|住址是|住址[:：]|地址是|地址[:：]|现居)\s*([\u4e00-\u9fa5A-Za-z0-9\-号#]{2,40}?(?:路|街|道|巷|弄|号|小区|村|栋|幢|单元|室|楼|苑|园|组)[\u4e00-\u9fa5A-Za-z0-9\-号#]{0,12})/g;

function contextHits(text: string, pattern: RegExp, kind: PiiKind): PiiHit[] {
  const hits: PiiHit[] = [];
  pattern.lastIndex = 0;
  for (const match of text.matchAll(pattern)) {
    const value = match[1] ?? match[0];
    const start = (match.index ?? 0) + match[0].length - value.length;
    hits.push({
      kind,
      span: [start, start + value.length],
      value,
      checksumValid: false,
    });
  }
  return hits;
}

/**
 * Finds PII in a text: resident ID numbers, bank cards, mobile numbers,
 * e-mail addresses, and names and addresses introduced by context words.
 * @example detectPii('您的手机号13812345678')[0]?.kind === 'mobile'
 */
export function detectPii(text: string): PiiHit[] {
  const hits: PiiHit[] = [];
  for (const run of digitRuns(text)) {
    if (run.digits.length < 11) continue;
    const hit = classifyRun(run, text);
    if (hit !== undefined) hits.push(hit);
  }
  if (text.includes('@')) hits.push(...contextHits(text, EMAIL, 'email'));
  hits.push(...contextHits(text, NAME_IN_CONTEXT, 'name'));
  hits.push(...contextHits(text, ADDRESS_IN_CONTEXT, 'address'));
  return hits.sort((a, b) => a.span[0] - b.span[0]);
}

/**
 * The fewest decimal digits (ASCII or full width) a text needs before it can
 * hold a mobile, card or ID number: the engine skips detection below this.
 */
export const LONG_NUMBER_DIGITS_MIN = 11;

/** Cheap pre-check: can this text contain a long number at all? */
export function mayContainLongNumber(text: string): boolean {
  let digits = 0;
  for (let index = 0; index < text.length; index += 1) {
    if (digitOf(text.charCodeAt(index)) >= 0) {
      digits += 1;
      if (digits >= LONG_NUMBER_DIGITS_MIN) return true;
    }
  }
  return false;
}
