import { assert } from '../../domain/shared/assert.js';

// Canonical JSON for hashing: object keys sorted by code unit, no spaces,
// bigint written as a decimal string, undefined properties dropped. Two equal
// values always give the same text, which the audit chain's hashes rely on.

export type CanonicalValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | undefined
  | readonly CanonicalValue[]
  | { readonly [key: string]: CanonicalValue };

// Bound: audit details are small facts, not documents.
const DEPTH_MAX = 16;

function write(value: CanonicalValue, depth: number): string {
  assert(depth <= DEPTH_MAX, 'canonicalJson: nested too deeply');
  if (value === null) return 'null';
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (typeof value === 'number') {
    assert(Number.isFinite(value), 'canonicalJson: non-finite number');
    return JSON.stringify(value);
  }
  if (typeof value === 'string' || typeof value === 'boolean') {
    return JSON.stringify(value);
  }
  assert(value !== undefined, 'canonicalJson: undefined at top level');
  if (Array.isArray(value)) {
    const items = value as readonly CanonicalValue[];
    return `[${items.map((v) => write(v === undefined ? null : v, depth + 1)).join(',')}]`;
  }
  const record = value as { readonly [key: string]: CanonicalValue };
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  const body = keys.map(
    (k) => `${JSON.stringify(k)}:${write(record[k], depth + 1)}`,
  );
  return `{${body.join(',')}}`;
}

export function canonicalJson(value: CanonicalValue): string {
  return write(value, 0);
}
