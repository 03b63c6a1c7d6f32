// Mainland resident identity numbers (GB 11643-1999): 17 digits and a check
// character computed with ISO 7064 MOD 11-2.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
const ID_NUMBER_PATTERN = /^\d{17}[\dX]$/;

/** The check character for the first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let index = 0; index < WEIGHTS.length; index += 1) {
    sum += Number(first17[index]) * (WEIGHTS[index] ?? 0);
  }
  return CHECK_CHARS[sum % 11] ?? '';
}

/**
 * True when `text` is an 18-character ID number whose check character
 * matches (ISO 7064 MOD 11-2). The birth date is not checked here.
 *
 * @example
 * isValidIdNumber('11010519491231002X'); // true
 */
export function isValidIdNumber(text: string): boolean {
  const upper = text.toUpperCase();
  if (!ID_NUMBER_PATTERN.test(upper)) return false;
  return idNumberCheckChar(upper.slice(0, 17)) === upper[17];
}
