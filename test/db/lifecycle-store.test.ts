// Proves the stored lifecycle follows the state machine and audits every
// step: transitions are persisted with who and why in the audit log, refused
// transitions change nothing, and disbursement (application → loan with its
// schedule) is one transaction that rolls back as a whole.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  listAuditForSubject,
  verifyAuditChain,
} from '../../src/adapters/db/repositories/audit-repository.js';
import {
  createRepositories,
  type Repositories,
} from '../../src/adapters/db/repositories/index.js';
import { sequentialDeps } from '../../src/adapters/db/repositories/repository-context.js';
import { fen } from '../../src/domain/money/fen.js';
import { assert } from '../../src/domain/shared/assert.js';
import { calendarDate } from '../../src/domain/shared/calendar-date.js';
import {
  DIALECTS,
  openTestDatabase,
  type TestDatabase,
  testCipher,
} from './dialects.js';
import {
  AGENT,
  LI,
  repositoriesFor,
  scheduleOf,
  seedLoan,
  WANG,
} from './fixtures.js';

for (const dialect of DIALECTS) {
  describe(`stored lifecycle on ${dialect}`, () => {
    let t: TestDatabase;
    let r: Repositories;
    beforeEach(async () => {
      t = await openTestDatabase(dialect);
      r = repositoriesFor(t);
    });
    afterEach(async () => {
      await t.destroy();
    });

    async function submitApplication(): Promise<{
      appId: string;
      customerId: string;
      productId: string;
    }> {
      const customer = await r.customers.create(WANG, AGENT);
      assert(customer.ok, 'customer');
      const product = await r.products.create({
        code: 'XFD',
        name: '个人消费贷',
        methods: ['equal_installment'],
        rateAnnualMin: { numerator: 365n, denominator: 10_000n },
        rateAnnualMax: { numerator: 9n, denominator: 50n },
        amountFenMin: fen(1_000_00n),
        amountFenMax: fen(200_000_00n),
        termMonthsMin: 3,
        termMonthsMax: 36,
      });
      const app = await r.applications.create(
        {
          appNo: 'AP202611050018',
          customerId: customer.value.id,
          productId: product.id,
          amountFen: fen(12_000_00n),
          termMonths: 12,
          submittedOn: calendarDate('2026-11-05'),
        },
        'user_borrower_portal',
      );
      return {
        appId: app.id,
        customerId: customer.value.id,
        productId: product.id,
      };
    }

    it('walks an application to rejection and audits each step with who and why', async () => {
      const { appId } = await submitApplication();
      const steps = [
        { event: { type: 'start_materials_review' }, to: 'materials_review' },
        { event: { type: 'accept_materials' }, to: 'credit_assessment' },
        { event: { type: 'refer_to_manual_review' }, to: 'manual_review' },
        {
          event: { type: 'reject', reasons: ['负债收入比 68%，高于 55% 上限'] },
          to: 'rejected',
        },
      ] as const;
      for (const step of steps) {
        const moved = await r.applications.transition(appId, step.event, {
          actor: 'user_reviewer',
          reason: '审核',
        });
        expect(moved.ok && moved.value.status).toBe(step.to);
      }
      const stored = await r.applications.findById(appId);
      expect(stored).toMatchObject({
        status: 'rejected',
        version: 5,
        decisionReasons: ['负债收入比 68%，高于 55% 上限'],
      });
      const audit = await listAuditForSubject(t.db, 'application', appId);
      expect(audit.map((e) => [e.action, e.actor])).toEqual([
        ['application.submit', 'user_borrower_portal'],
        ['application.start_materials_review', 'user_reviewer'],
        ['application.accept_materials', 'user_reviewer'],
        ['application.refer_to_manual_review', 'user_reviewer'],
        ['application.reject', 'user_reviewer'],
      ]);
      expect(audit[4]?.details).toEqual({
        from: 'manual_review',
        to: 'rejected',
        reason: '审核',
        reasons: ['负债收入比 68%，高于 55% 上限'],
      });
    });

    it('refuses a transition the machine forbids and writes nothing', async () => {
      const { appId } = await submitApplication();
      const before = await verifyAuditChain(t.db);
      const refused = await r.applications.transition(
        appId,
        { type: 'disburse' },
        { actor: AGENT, reason: '放款' },
      );
      expect(refused).toEqual({
        ok: false,
        error: {
          code: 'lifecycle.transition_not_allowed',
          machine: 'application',
          from: 'submitted',
          event: 'disburse',
          allowedEvents: ['start_materials_review'],
        },
      });
      expect((await r.applications.findById(appId))?.status).toBe('submitted');
      expect(await verifyAuditChain(t.db)).toEqual(before);
    });

    it('disburses in one transaction: the application and the new loan move together', async () => {
      const { appId, customerId, productId } = await submitApplication();
      for (const type of [
        'start_materials_review',
        'accept_materials',
        'approve',
        'sign_contract',
      ] as const) {
        await r.applications.transition(
          appId,
          { type },
          { actor: AGENT, reason: '流程' },
        );
      }
      const deps = sequentialDeps('2026-11-21T00:00:00.000Z');
      const loan = await t.db.transaction().execute(async (tx) => {
        const inTx = createRepositories(tx, deps, testCipher());
        const moved = await inTx.applications.transition(
          appId,
          { type: 'disburse' },
          { actor: AGENT, reason: '放款' },
        );
        assert(moved.ok, 'disburse');
        return inTx.loans.createFromSchedule(
          {
            loanNo: 'L202611210001',
            customerId,
            applicationId: appId,
            productId,
            schedule: scheduleOf(12_000n, 12),
          },
          AGENT,
        );
      });
      expect((await r.applications.findById(appId))?.status).toBe('disbursed');
      expect(await r.loans.findById(loan.id)).toMatchObject({
        status: 'repaying',
        applicationId: appId,
        scheduleVersion: 1,
      });
      expect(await r.loans.schedule(loan.id)).toHaveLength(12);
    });

    it('rolls the application back when booking the loan fails', async () => {
      const { appId, customerId } = await submitApplication();
      for (const type of [
        'start_materials_review',
        'accept_materials',
        'approve',
        'sign_contract',
      ] as const) {
        await r.applications.transition(
          appId,
          { type },
          { actor: AGENT, reason: '流程' },
        );
      }
      await seedLoan(r, 'L-TAKEN', LI);
      const auditBefore = await verifyAuditChain(t.db);
      const attempt = t.db.transaction().execute(async (tx) => {
        const inTx = createRepositories(
          tx,
          sequentialDeps('2026-11-21T00:00:00.000Z'),
          testCipher(),
        );
        await inTx.applications.transition(
          appId,
          { type: 'disburse' },
          { actor: AGENT, reason: '放款' },
        );
        // The loan number is already taken: the unique constraint throws.
        return inTx.loans.createFromSchedule(
          {
            loanNo: 'L-TAKEN',
            customerId,
            applicationId: appId,
            schedule: scheduleOf(12_000n, 12),
          },
          AGENT,
        );
      });
      await expect(attempt).rejects.toThrow();
      expect((await r.applications.findById(appId))?.status).toBe('contracted');
      expect(await verifyAuditChain(t.db)).toEqual(auditBefore);
    });

    it('moves a loan through overdue, collection and restructuring to settled', async () => {
      const evening = sequentialDeps('2026-11-20T20:00:00.000Z');
      r = createRepositories(t.db, evening, testCipher());
      const { loan } = await seedLoan(r);
      const who = { actor: 'user_collector', reason: '系统日终' };
      expect(
        (await r.loans.transition(loan.id, { type: 'miss_payment' }, who)).ok,
      ).toBe(true);
      expect(
        (await r.loans.transition(loan.id, { type: 'assign_collection' }, who))
          .ok,
      ).toBe(true);
      const restructured = await r.loans.restructure(
        loan.id,
        scheduleOf(11_000n, 24),
        who,
      );
      expect(restructured.ok && restructured.value).toMatchObject({
        status: 'restructured',
        scheduleVersion: 2,
      });
      const current = await r.loans.schedule(loan.id);
      expect(current).toHaveLength(24);
      expect(current.every((i) => i.scheduleVersion === 2)).toBe(true);
      const settled = await r.loans.transition(
        loan.id,
        { type: 'settle' },
        who,
      );
      // 20:00 UTC is already the next day in China, the business day.
      expect(settled.ok && settled.value.closedOn).toBe('2026-11-21');
      const early = await r.loans.transition(
        loan.id,
        { type: 'write_off', overdueDays: 120 },
        who,
      );
      expect(!early.ok && early.error.code).toBe(
        'lifecycle.transition_not_allowed',
      );
      const audit = await listAuditForSubject(t.db, 'loan', loan.id);
      expect(audit.map((e) => e.action)).toEqual([
        'loan.disburse',
        'loan.miss_payment',
        'loan.assign_collection',
        'loan.restructure',
        'loan.settle',
      ]);
    });

    it('applies exactly one of two concurrent transitions of one loan', async () => {
      const { loan } = await seedLoan(r);
      const who = { actor: 'system:eod', reason: '日终' };
      const results = await Promise.all([
        r.loans.transition(loan.id, { type: 'miss_payment' }, who),
        r.loans.transition(loan.id, { type: 'miss_payment' }, who),
      ]);
      expect(results.filter((x) => x.ok)).toHaveLength(1);
      const loser = results.find((x) => !x.ok);
      // PostgreSQL: the second UPDATE waits, then finds the version moved on.
      // SQLite: writers are serialised, so the second sees the new status.
      expect(!loser?.ok && loser?.error.code).toMatch(
        /^(loan\.concurrent_update|lifecycle\.transition_not_allowed)$/,
      );
      expect((await r.loans.findById(loan.id))?.version).toBe(2);
      const audit = await listAuditForSubject(t.db, 'loan', loan.id);
      expect(audit.map((e) => e.action)).toEqual([
        'loan.disburse',
        'loan.miss_payment',
      ]);
    });

    it('reports a missing application or loan as not found', async () => {
      const who = { actor: AGENT, reason: '测试' };
      expect(
        await r.applications.transition('app_none', { type: 'approve' }, who),
      ).toEqual({
        ok: false,
        error: { code: 'application.not_found', applicationId: 'app_none' },
      });
      expect(
        await r.loans.transition('loan_none', { type: 'cure' }, who),
      ).toEqual({
        ok: false,
        error: { code: 'loan.not_found', loanId: 'loan_none' },
      });
    });
  });
}
