import { isValidIdNumber } from './id-number.js';
import type { Reading } from './text-span.js';

// Mainland mobile numbers: 11 digits starting 13-19 (MIIT numbering plan).
const PHONE_PATTERN =
  /(?<![0-9])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![0-9])/g;
const ID_NUMBER_PATTERN = /(?<![0-9])(\d{17}[\dxX])(?![0-9a-z])/g;
// Our own numbering: loans L + yyyymm + 3 digits (L202601001), applications
// AP + yyyymmdd + 4 digits (AP202611050018); a few digits of slack either way
// so that a near-miss still reaches the record lookup, which rejects it.
const LOAN_NO_PATTERN = /(?<![a-z0-9])(ap\d{10,14}|l\d{7,11})(?![0-9])/gi;

/** The first ID number in the text whose check character is valid. */
export function readIdNumber(text: string): Reading<string> | undefined {
  for (const match of text.matchAll(ID_NUMBER_PATTERN)) {
    const candidate = (match[1] ?? '').toUpperCase();
    if (isValidIdNumber(candidate)) {
      const start = match.index;
      return { value: candidate, span: { start, end: start + 18 } };
    }
  }
  return undefined;
}

/** The first mainland mobile number, digits only. */
export function readPhone(text: string): Reading<string> | undefined {
  for (const match of text.matchAll(PHONE_PATTERN)) {
    const value = `${match[1]}${match[2]}${match[3]}`;
    const start = match.index;
    return { value, span: { start, end: start + match[0].length } };
  }
  return undefined;
}

/** The first loan or application number, upper-case. */
export function readLoanNo(text: string): Reading<string> | undefined {
  for (const match of text.matchAll(LOAN_NO_PATTERN)) {
    const start = match.index;
    const value = (match[1] ?? '').toUpperCase();
    return { value, span: { start, end: start + value.length } };
  }
  return undefined;
}
