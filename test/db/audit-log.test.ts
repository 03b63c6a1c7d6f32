// Proves the audit log is an unbroken hash chain and that editing, deleting
// or truncating entries through plain SQL is detected, on every dialect.
// How: append entries through the repository, tamper with raw SQL the way
// an attacker with database access would, then run the verifier.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appendAudit,
  listAuditForSubject,
  verifyAuditChain,
} from '../../src/adapters/db/repositories/audit-repository.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from './dialects.js';

for (const dialect of DIALECTS) {
  describe(`audit log on ${dialect}`, () => {
    let t: TestDatabase;
    beforeEach(async () => {
      t = await openTestDatabase(dialect);
    });
    afterEach(async () => {
      await t.destroy();
    });

    async function appendFive(): Promise<void> {
      for (let i = 1; i <= 5; i += 1) {
        await appendAudit(
          t.db,
          {
            actor: 'user_000001',
            action: 'loan.miss_payment',
            subjectType: 'loan',
            subjectId: `loan_00000${i}`,
            details: {
              from: 'repaying',
              to: 'overdue',
              amount_fen: 1234n * BigInt(i),
            },
          },
          `2026-11-20T08:00:0${i}.000Z`,
        );
      }
    }

    it('verifies an empty log as intact', async () => {
      expect(await verifyAuditChain(t.db)).toEqual({
        intact: true,
        entries: 0,
        headHash: '0'.repeat(64),
      });
    });

    it('links each entry to the hash of the one before', async () => {
      await appendFive();
      const first = await listAuditForSubject(t.db, 'loan', 'loan_000001');
      const second = await listAuditForSubject(t.db, 'loan', 'loan_000002');
      expect(first[0]?.seq).toBe(1);
      expect(first[0]?.prevHash).toBe('0'.repeat(64));
      expect(second[0]?.prevHash).toBe(first[0]?.hash);
      expect(second[0]?.details).toEqual({
        amount_fen: '2468',
        from: 'repaying',
        to: 'overdue',
      });
      const verdict = await verifyAuditChain(t.db);
      expect(verdict.intact && verdict.entries).toBe(5);
    });

    it('reports an edited entry as the first broken one', async () => {
      await appendFive();
      await sql`update audit_log set actor = 'someone_else' where seq = 3`.execute(
        t.db,
      );
      expect(await verifyAuditChain(t.db)).toEqual({
        intact: false,
        entries: 2,
        brokenSeq: 3,
        reason: 'hash_mismatch',
      });
    });

    it('reports a deleted entry as a gap', async () => {
      await appendFive();
      await sql`delete from audit_log where seq = 2`.execute(t.db);
      expect(await verifyAuditChain(t.db)).toMatchObject({
        intact: false,
        brokenSeq: 2,
        reason: 'seq_gap',
      });
    });

    it('reports an entry whose hash was recomputed after an edit', async () => {
      await appendFive();
      // The attacker fixes entry 4's own hash; entry 5 still points at the old one.
      await sql`update audit_log set hash = ${'f'.repeat(64)} where seq = 4`.execute(
        t.db,
      );
      expect(await verifyAuditChain(t.db)).toMatchObject({
        intact: false,
        brokenSeq: 4,
        reason: 'hash_mismatch',
      });
    });

    it('reports entries removed from the end against the head', async () => {
      await appendFive();
      await sql`delete from audit_log where seq >= 4`.execute(t.db);
      expect(await verifyAuditChain(t.db)).toEqual({
        intact: false,
        entries: 3,
        brokenSeq: 4,
        reason: 'head_mismatch',
      });
    });

    it('keeps one chain when appends run concurrently', async () => {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          appendAudit(
            t.db,
            {
              actor: 'system:eod',
              action: 'loan.miss_payment',
              subjectType: 'loan',
              subjectId: `loan_${i}`,
              details: {},
            },
            '2026-11-20T00:00:00.000Z',
          ),
        ),
      );
      expect(await verifyAuditChain(t.db)).toMatchObject({
        intact: true,
        entries: 20,
      });
    });
  });
}
