import { detectPii, type PiiHit } from './pii-detect.js';

// The masks used wherever LoanDesk prints or logs people's data. Basis:
// PII-01 (minimum necessary), PII-04 (de-identification), JR/T 0171-2020
// display masking as summarised in spec/regulations.md §6.6.

function digitsOnly(value: string): string {
  return value.replace(/[^0-9Xx]/g, '');
}

/**
 * Masks a resident ID: first 3 and last 4 kept.
 * @example maskIdNumber('11010519491231002X') === '110***********002X'
 */
export function maskIdNumber(value: string): string {
  const digits = digitsOnly(value).toUpperCase();
  if (digits.length < 8) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

/**
 * Masks an ID number down to its tail, for spoken or customer-facing text.
 * @example maskIdNumberTail('11010519491231002X') === '尾号002X'
 */
export function maskIdNumberTail(value: string): string {
  return `尾号${digitsOnly(value).toUpperCase().slice(-4)}`;
}

/**
 * Masks a mainland mobile number: first 3 and last 4 kept.
 * @example maskMobile('13812341111') === '138****1111'
 */
export function maskMobile(value: string): string {
  let digits = digitsOnly(value);
  if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
  if (digits.length < 8) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

/**
 * Masks a bank card to its last four digits.
 * @example maskBankCard('6222021234567890123') === '尾号0123'
 */
export function maskBankCard(value: string): string {
  return `尾号${digitsOnly(value).slice(-4)}`;
}

/**
 * Masks a Chinese personal name: the surname and, for three or more
 * characters, the last character are kept.
 * @example maskName('王小明') === '王*明'
 */
export function maskName(value: string): string {
  const chars = [...value.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/**
 * Masks an e-mail address: the first character of the local part is kept.
 * @example maskEmail('wang.ming@example.com') === 'w***@example.com'
 */
export function maskEmail(value: string): string {
  const at = value.indexOf('@');
  if (at <= 0) return '***';
  return `${value.charAt(0)}***${value.slice(at)}`;
}

/**
 * Masks an address to its first few characters (district level).
 * @example maskAddress('朝阳区幸福路8号3栋') === '朝阳区***'
 */
export function maskAddress(value: string): string {
  const chars = [...value];
  return `${chars.slice(0, Math.min(3, chars.length - 1)).join('')}***`;
}

function maskHit(hit: PiiHit): string {
  switch (hit.kind) {
    case 'id_number':
      return maskIdNumber(hit.value);
    case 'bank_card':
      return maskBankCard(hit.value);
    case 'mobile':
      return maskMobile(hit.value);
    case 'email':
      return maskEmail(hit.value);
    case 'name':
      return maskName(hit.value);
    case 'address':
      return maskAddress(hit.value);
  }
}

/**
 * Replaces every PII item found in a text by its mask; use it before any
 * text about a person is logged or shown to someone not entitled to it.
 * @example maskPii('卡号6222021234567890123') === '卡号尾号0123'
 */
export function maskPii(text: string): string {
  const hits = detectPii(text);
  if (hits.length === 0) return text;
  let out = '';
  let cursor = 0;
  for (const hit of hits) {
    if (hit.span[0] < cursor) continue;
    out += text.slice(cursor, hit.span[0]) + maskHit(hit);
    cursor = hit.span[1];
  }
  return out + text.slice(cursor);
}
