import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { assert } from '../../../domain/shared/assert.js';
import { type CanonicalValue, canonicalJson } from '../canonical-json.js';
import type { Database } from '../schema.js';

// Idempotency keys for money-moving calls (SPEC capability 9). A key is
// stored with a hash of the request it first came with and the id of what
// that request created, in the same transaction as the work itself, so the
// key exists exactly when the work happened. Keys are kept: a payment retried
// a year later is still answered, never posted twice.

// Bound: keys are client-chosen tokens (UUIDs and the like).
export const IDEMPOTENCY_KEY_CHARS_MAX = 200;

export type IdempotencyLookup =
  | { readonly kind: 'unused' }
  | { readonly kind: 'replay'; readonly resultId: string }
  | { readonly kind: 'reused_with_other_request' };

export function assertIdempotencyKey(key: string): void {
  assert(
    key !== '' && key.length <= IDEMPOTENCY_KEY_CHARS_MAX,
    `idempotency key must be 1..${IDEMPOTENCY_KEY_CHARS_MAX} characters`,
  );
}

/** SHA-256 of the canonical request, so "the same request" means same bytes. */
export function requestHash(scope: string, request: CanonicalValue): string {
  const text = canonicalJson({ scope, request });
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export async function lookupIdempotencyKey(
  tx: Kysely<Database>,
  key: string,
  hash: string,
): Promise<IdempotencyLookup> {
  const found = await tx
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'result_id'])
    .where('key', '=', key)
    .executeTakeFirst();
  if (found === undefined) return { kind: 'unused' };
  if (found.request_hash !== hash) return { kind: 'reused_with_other_request' };
  return { kind: 'replay', resultId: found.result_id };
}

/**
 * Claims `key` for `resultId`; false when a concurrent call claimed it first.
 * On PostgreSQL the insert waits for that call's transaction: if it commits,
 * this insert does nothing; if it rolls back, this one claims the key.
 */
export async function claimIdempotencyKey(
  tx: Kysely<Database>,
  claim: {
    readonly key: string;
    readonly scope: string;
    readonly hash: string;
    readonly resultId: string;
    readonly at: string;
  },
): Promise<boolean> {
  const inserted = await tx
    .insertInto('idempotency_keys')
    .values({
      key: claim.key,
      scope: claim.scope,
      request_hash: claim.hash,
      result_id: claim.resultId,
      created_at: claim.at,
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return inserted.numInsertedOrUpdatedRows === 1n;
}
