import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { assert } from '../../../domain/shared/assert.js';
import { type CanonicalValue, canonicalJson } from '../canonical-json.js';
import type { AuditLogRow, Database } from '../schema.js';
import { inTransaction, toCount } from './repository-context.js';

// The append-only, tamper-evident audit log (SPEC capability 9). Each entry's
// hash is SHA-256 over the previous entry's hash and the entry's canonical
// content, so editing, deleting or reordering any entry breaks every later
// link, and `verifyAuditChain` names the first broken one. The chain proves
// integrity against edits through SQL; an attacker who rewrites the whole
// chain after the edit is caught only by comparing the head hash with a copy
// kept elsewhere, which is why `loandesk audit verify` prints it.

export const AUDIT_GENESIS_HASH = '0'.repeat(64);
// Bound: the audit log of one installation for decades fits well below this.
export const AUDIT_SEQ_MAX = Number.MAX_SAFE_INTEGER;
const VERIFY_PAGE_ROWS = 1_000;

/** Who did it: a user id, or `system:<job>` for batch work. */
export type AuditEntryInput = {
  readonly actor: string;
  /** `<context>.<verb>`, e.g. `application.approve`, `customer.pii_read`. */
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string;
  /** Facts, never PII: ids, statuses, reasons, amounts. */
  readonly details: { readonly [key: string]: CanonicalValue };
};

export type AuditEntry = {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly details: unknown;
  readonly prevHash: string;
  readonly hash: string;
};

export type AuditBreakReason =
  | 'seq_gap' // an entry is missing or was reordered
  | 'prev_hash_mismatch' // the link to the previous entry is broken
  | 'hash_mismatch' // the entry's content was edited
  | 'head_mismatch'; // entries were removed from the end

export type AuditVerification =
  | {
      readonly intact: true;
      readonly entries: number;
      readonly headHash: string;
    }
  | {
      readonly intact: false;
      readonly entries: number;
      readonly brokenSeq: number;
      readonly reason: AuditBreakReason;
    };

/** The hash of an entry given its predecessor's hash. */
export function auditEntryHash(
  prevHash: string,
  entry: Omit<AuditLogRow, 'prev_hash' | 'hash'>,
): string {
  const content = canonicalJson({
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    subject_type: entry.subject_type,
    subject_id: entry.subject_id,
    details: entry.details,
  });
  return createHash('sha256')
    .update(`${prevHash}\n${content}`, 'utf8')
    .digest('hex');
}

function toEntry(row: AuditLogRow): AuditEntry {
  return {
    seq: toCount(row.seq, AUDIT_SEQ_MAX),
    at: row.at,
    actor: row.actor,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    details: JSON.parse(row.details),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Appends one entry, inside the caller's transaction when there is one. The
 * head row is updated first: on PostgreSQL that row lock orders concurrent
 * appenders, so the chain never forks.
 */
export async function appendAudit(
  db: Kysely<Database>,
  input: AuditEntryInput,
  at: string,
): Promise<AuditEntry> {
  assert(input.actor !== '' && input.action !== '', 'appendAudit: empty');
  return inTransaction(db, async (tx) => {
    const head = await tx
      .updateTable('audit_head')
      .set((eb) => ({ seq: eb('seq', '+', 1n) }))
      .where('id', '=', 1n)
      .returning(['seq', 'hash'])
      .executeTakeFirstOrThrow();
    const base = {
      seq: head.seq,
      at,
      actor: input.actor,
      action: input.action,
      subject_type: input.subjectType,
      subject_id: input.subjectId,
      details: canonicalJson(input.details),
    };
    const hash = auditEntryHash(head.hash, base);
    const row: AuditLogRow = { ...base, prev_hash: head.hash, hash };
    await tx.insertInto('audit_log').values(row).execute();
    await tx
      .updateTable('audit_head')
      .set({ hash })
      .where('id', '=', 1n)
      .execute();
    return toEntry(row);
  });
}

/** Entries about one subject, oldest first. */
export async function listAuditForSubject(
  db: Kysely<Database>,
  subjectType: string,
  subjectId: string,
): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .orderBy('seq')
    .execute();
  return rows.map(toEntry);
}

function checkRow(
  row: AuditLogRow,
  expectedSeq: bigint,
  expectedPrev: string,
): AuditBreakReason | undefined {
  if (row.seq !== expectedSeq) return 'seq_gap';
  if (row.prev_hash !== expectedPrev) return 'prev_hash_mismatch';
  if (auditEntryHash(row.prev_hash, row) !== row.hash) return 'hash_mismatch';
  return undefined;
}

/** Walks the whole chain in pages and reports the first broken entry. */
export async function verifyAuditChain(
  db: Kysely<Database>,
): Promise<AuditVerification> {
  let expectedSeq = 1n;
  let expectedPrev = AUDIT_GENESIS_HASH;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(VERIFY_PAGE_ROWS)
      .execute();
    for (const row of rows) {
      const reason = checkRow(row, expectedSeq, expectedPrev);
      const entries = Number(expectedSeq - 1n);
      if (reason !== undefined) {
        const brokenSeq = reason === 'seq_gap' ? expectedSeq : row.seq;
        return { intact: false, entries, brokenSeq: Number(brokenSeq), reason };
      }
      expectedSeq += 1n;
      expectedPrev = row.hash;
    }
    if (rows.length < VERIFY_PAGE_ROWS) break;
  }
  const head = await db
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1n)
    .executeTakeFirstOrThrow();
  const entries = Number(expectedSeq - 1n);
  if (head.seq !== expectedSeq - 1n || head.hash !== expectedPrev) {
    return {
      intact: false,
      entries,
      brokenSeq: Number(expectedSeq),
      reason: 'head_mismatch',
    };
  }
  return { intact: true, entries, headHash: expectedPrev };
}
