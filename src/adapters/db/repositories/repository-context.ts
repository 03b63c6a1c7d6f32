import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { type Fen, fen } from '../../../domain/money/fen.js';
import {
  compareRate,
  formatRate,
  parseRate,
  type Rate,
} from '../../../domain/money/rate.js';
import { assert } from '../../../domain/shared/assert.js';
import type { Database } from '../schema.js';

// What every repository needs besides the database: a clock and an id
// source, injected so tests (and the dialect-parity suite) are deterministic.

/** Id prefixes (STYLE §5): the type of a row is readable from its id. */
export type IdPrefix =
  | 'cust'
  | 'ec'
  | 'prod'
  | 'app'
  | 'loan'
  | 'pay'
  | 'user'
  | 'team'
  | 'contact'
  | 'ptp'
  | 'conv'
  | 'msg'
  | 'tkt'
  | 'agr'
  | 'apv'
  | 'omsg'
  | 'qa'
  | 'trn'
  | 'quiz';

export type RepositoryDeps = {
  /** The current instant as ISO-8601 UTC text. */
  readonly now: () => string;
  readonly newId: (prefix: IdPrefix) => string;
};

export const SYSTEM_DEPS: RepositoryDeps = {
  now: () => new Date().toISOString(),
  newId: (prefix) => `${prefix}_${randomUUID().replaceAll('-', '')}`,
};

/** Deterministic deps for tests: a fixed clock that ticks 1 s per call. */
export function sequentialDeps(startIso: string): RepositoryDeps {
  let tick = 0;
  const counters = new Map<IdPrefix, number>();
  const start = Date.parse(startIso);
  assert(Number.isFinite(start), `sequentialDeps: bad instant ${startIso}`);
  return {
    now: () => new Date(start + 1000 * tick++).toISOString(),
    newId: (prefix) => {
      const next = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, next);
      return `${prefix}_${String(next).padStart(6, '0')}`;
    },
  };
}

/**
 * Runs `work` in a transaction, or directly when `db` already is one, so a
 * repository call composes into a caller's larger transaction.
 */
export async function inTransaction<T>(
  db: Kysely<Database>,
  work: (tx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().execute((tx: Transaction<Database>) => work(tx));
}

/** A small integer column (count, term, sequence) as a number. */
export function toCount(value: bigint | number, max: number): number {
  const n = typeof value === 'bigint' ? Number(value) : value;
  assert(
    Number.isSafeInteger(n) && n >= 0 && n <= max,
    `toCount: ${value} outside 0..${max}`,
  );
  return n;
}

/** A money column as Fen (asserts the FEN_MAX bound). */
export function toFen(value: bigint): Fen {
  assert(typeof value === 'bigint', 'toFen: column is not bigint');
  return fen(value);
}

export function toFenOrUndefined(value: bigint | null): Fen | undefined {
  return value === null ? undefined : toFen(value);
}

/** `null` from the database as `undefined` in domain objects. */
export function optional<T>(value: T | null): T | undefined {
  return value === null ? undefined : value;
}

export function parseJsonArrayOfStrings(text: string | null): string[] {
  if (text === null) return [];
  const parsed: unknown = JSON.parse(text);
  assert(
    Array.isArray(parsed) && parsed.every((x) => typeof x === 'string'),
    'parseJsonArrayOfStrings: not an array of strings',
  );
  return parsed;
}

/** Kysely's "no rows" → an assertion failure with a named subject. */
export function assertFound<T>(value: T | undefined, what: string): T {
  assert(value !== undefined, `${what} not found`);
  return value;
}

// Rates are stored as exact decimal strings with up to 12 places (the
// precision parseRate accepts), so a stored rate reads back identical.
const RATE_PLACES = 12;

export function rateText(r: Rate): string {
  const text = formatRate(r, RATE_PLACES).replace(/\.?0+$/, '');
  const back = parseRate(text);
  assert(
    back !== undefined && compareRate(back, r) === 0,
    'rateText: rate is not a terminating decimal within 12 places',
  );
  return text;
}

export function readRate(text: string): Rate {
  const r = parseRate(text);
  assert(r !== undefined, `readRate: stored rate ${text}`);
  return r;
}
