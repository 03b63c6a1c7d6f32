// Proves money moves exactly once: a payment updates the installments it was
// allocated to; the same idempotency key twice (in sequence or concurrently)
// yields one payment; a reused key with a different request is refused; a
// reversal undoes its payment; and a write that fails half-way rolls back the
// payment, its key, the installments and the audit entry together.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/adapters/db/repositories/audit-repository.js';
import type { Repositories } from '../../src/adapters/db/repositories/index.js';
import type { PostPaymentInput } from '../../src/adapters/db/repositories/payment-repository.js';
import { allocatePayment } from '../../src/domain/loan/allocation/allocate-payment.js';
import { DEFAULT_ALLOCATION_POLICY } from '../../src/domain/loan/allocation/allocation-policy.js';
import { fen } from '../../src/domain/money/fen.js';
import { calendarDate } from '../../src/domain/shared/calendar-date.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from './dialects.js';
import { AGENT, repositoriesFor, seedLoan } from './fixtures.js';

for (const dialect of DIALECTS) {
  describe(`payments on ${dialect}`, () => {
    let t: TestDatabase;
    let r: Repositories;
    let loanId: string;
    let firstInstallment: {
      n: number;
      principalFen: bigint;
      interestFen: bigint;
    };

    beforeEach(async () => {
      t = await openTestDatabase(dialect);
      r = repositoriesFor(t);
      const seeded = await seedLoan(r);
      loanId = seeded.loan.id;
      const first = seeded.schedule.installments[0];
      if (first === undefined) throw new Error('no installment');
      firstInstallment = first;
    });
    afterEach(async () => {
      await t.destroy();
    });

    function firstPeriodPayment(key: string): PostPaymentInput {
      const { n, principalFen, interestFen } = firstInstallment;
      return {
        idempotencyKey: key,
        loanId,
        amountFen: fen(principalFen + interestFen),
        paidOn: calendarDate('2026-02-10'),
        channel: 'bank_transfer',
        allocations: [
          {
            n,
            feeFen: fen(0n),
            penaltyFen: fen(0n),
            interestFen: fen(interestFen),
            principalFen: fen(principalFen),
          },
        ],
      };
    }

    it('posts a payment onto the installment it was allocated to', async () => {
      const posted = await r.payments.post(firstPeriodPayment('k-1'), AGENT);
      expect(posted.ok && posted.value.replayed).toBe(false);
      const [first, second] = await r.loans.schedule(loanId);
      expect(first?.paidPrincipalFen).toBe(firstInstallment.principalFen);
      expect(first?.paidInterestFen).toBe(firstInstallment.interestFen);
      expect(second?.paidPrincipalFen).toBe(0n);
      expect(await r.payments.listByLoan(loanId)).toHaveLength(1);
    });

    it('answers a retry with the same key from the first payment, moving no money', async () => {
      const first = await r.payments.post(firstPeriodPayment('k-2'), AGENT);
      const again = await r.payments.post(firstPeriodPayment('k-2'), AGENT);
      expect(again.ok && again.value.replayed).toBe(true);
      expect(again.ok && first.ok && again.value.payment).toEqual(
        first.ok && first.value.payment,
      );
      expect(await r.payments.listByLoan(loanId)).toHaveLength(1);
      const [installment] = await r.loans.schedule(loanId);
      expect(installment?.paidPrincipalFen).toBe(firstInstallment.principalFen);
    });

    it('records one payment when the same key arrives concurrently', async () => {
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          r.payments.post(firstPeriodPayment('k-3'), AGENT),
        ),
      );
      expect(results.every((x) => x.ok)).toBe(true);
      expect(results.filter((x) => x.ok && !x.value.replayed)).toHaveLength(1);
      expect(await r.payments.listByLoan(loanId)).toHaveLength(1);
      const [installment] = await r.loans.schedule(loanId);
      expect(installment?.paidPrincipalFen).toBe(firstInstallment.principalFen);
    });

    it('refuses a key reused for a different request', async () => {
      await r.payments.post(firstPeriodPayment('k-4'), AGENT);
      const other = await r.payments.post(
        { ...firstPeriodPayment('k-4'), channel: 'alipay' },
        AGENT,
      );
      expect(other).toEqual({
        ok: false,
        error: { code: 'idempotency.key_reused', idempotencyKey: 'k-4' },
      });
    });

    it('refuses a payment on an unknown loan without claiming the key', async () => {
      const missing = await r.payments.post(
        { ...firstPeriodPayment('k-5'), loanId: 'loan_none' },
        AGENT,
      );
      expect(missing).toEqual({
        ok: false,
        error: { code: 'payment.loan_not_found', loanId: 'loan_none' },
      });
      const retried = await r.payments.post(firstPeriodPayment('k-5'), AGENT);
      expect(retried.ok && retried.value.replayed).toBe(false);
    });

    it('reverses a payment once and restores the installment', async () => {
      const posted = await r.payments.post(firstPeriodPayment('k-6'), AGENT);
      if (!posted.ok) throw new Error('post failed');
      const reversal = await r.payments.reverse(
        {
          idempotencyKey: 'k-6r',
          paymentId: posted.value.payment.id,
          reason: '银行退票',
        },
        AGENT,
      );
      expect(reversal.ok && reversal.value.payment.amountFen).toBe(
        -posted.value.payment.amountFen,
      );
      const [installment] = await r.loans.schedule(loanId);
      expect(installment?.paidPrincipalFen).toBe(0n);
      expect(installment?.paidInterestFen).toBe(0n);
      const twice = await r.payments.reverse(
        {
          idempotencyKey: 'k-6s',
          paymentId: posted.value.payment.id,
          reason: '重复',
        },
        AGENT,
      );
      expect(twice).toEqual({
        ok: false,
        error: {
          code: 'payment.already_reversed',
          paymentId: posted.value.payment.id,
        },
      });
    });

    it('rolls back everything when a payment overpays an installment', async () => {
      const good = firstPeriodPayment('k-7');
      const first = good.allocations[0];
      if (first === undefined) throw new Error('no allocation');
      const overpaid: PostPaymentInput = {
        ...good,
        amountFen: fen(good.amountFen + 1n),
        allocations: [{ ...first, principalFen: fen(first.principalFen + 1n) }],
      };
      const auditBefore = await verifyAuditChain(t.db);
      // The allocation is our own waterfall's output, so an impossible one is
      // an assertion (a programmer error) — and the transaction rolls back.
      await expect(r.payments.post(overpaid, AGENT)).rejects.toThrow(
        'out of range',
      );
      expect(await r.payments.listByLoan(loanId)).toEqual([]);
      const [installment] = await r.loans.schedule(loanId);
      expect(installment?.paidPrincipalFen).toBe(0n);
      expect(await verifyAuditChain(t.db)).toEqual(auditBefore);
      // The key was not kept: the corrected request goes through under it.
      const retried = await r.payments.post(
        { ...good, idempotencyKey: 'k-7' },
        AGENT,
      );
      expect(retried.ok && retried.value.replayed).toBe(false);
    });

    it('stores what the waterfall allocated, so the balance read back is its balance after', async () => {
      // Two and a half installments' worth, through the real waterfall.
      const before = await r.loans.balance(loanId);
      const amountFen = fen((firstInstallment.principalFen * 5n) / 2n);
      const allocated = allocatePayment(
        before,
        amountFen,
        DEFAULT_ALLOCATION_POLICY,
      );
      if (!allocated.ok) throw new Error(allocated.error.code);
      expect(allocated.value.remainderFen).toBe(0n);
      const posted = await r.payments.post(
        {
          idempotencyKey: 'k-9',
          loanId,
          amountFen: allocated.value.appliedFen,
          paidOn: calendarDate('2026-04-10'),
          channel: 'counter',
          allocations: allocated.value.allocations,
        },
        AGENT,
      );
      expect(posted.ok).toBe(true);
      expect(await r.loans.balance(loanId)).toEqual(allocated.value.balance);
    });

    it('refuses a payment on a settled loan', async () => {
      await r.loans.transition(
        loanId,
        { type: 'settle' },
        { actor: AGENT, reason: '提前结清' },
      );
      const refused = await r.payments.post(firstPeriodPayment('k-8'), AGENT);
      expect(refused).toEqual({
        ok: false,
        error: { code: 'payment.loan_not_open', loanId, status: 'settled' },
      });
    });
  });
}
