// Proves `loandesk negotiate --loan L --income … --expenses …` against a
// stored loan on every dialect: the CLI is spawned with DATABASE_URL, reads
// the balance from the ledger (after a payment), and prints the ranked plans
// as a zh-CN table; `--json` gives the same plans the domain computes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repositories } from '../../src/adapters/db/repositories/index.js';
import { fen } from '../../src/domain/money/fen.js';
import { caseFromLedger } from '../../src/domain/negotiation/ledger-case.js';
import {
  DEFAULT_NEGOTIATION_POLICY,
  negotiate,
} from '../../src/domain/negotiation/plans.js';
import { calendarDate } from '../../src/domain/shared/calendar-date.js';
import { runCli } from '../helpers/run-cli.js';
import {
  DIALECTS,
  openTestDatabase,
  TEST_SECRET_KEY,
  type TestDatabase,
} from './dialects.js';
import { repositoriesFor, seedLoan } from './fixtures.js';

const TODAY = '2026-11-20';

for (const dialect of DIALECTS) {
  describe(`loandesk negotiate --loan on ${dialect}`, {
    timeout: 120_000,
  }, () => {
    let t: TestDatabase;
    let r: Repositories;
    beforeAll(async () => {
      t = await openTestDatabase(dialect);
      r = repositoriesFor(t);
      const { loan } = await seedLoan(r);
      // Two installments paid through the waterfall, the rest unpaid.
      const balance = await r.loans.balance(loan.id);
      const [first, second] = balance.installments;
      if (first === undefined || second === undefined) throw new Error('seed');
      const amount =
        first.principalFen +
        first.interestFen +
        second.principalFen +
        second.interestFen;
      const posted = await r.payments.post(
        {
          idempotencyKey: 'neg-store-0001',
          loanId: loan.id,
          amountFen: fen(amount),
          paidOn: calendarDate('2026-03-10'),
          channel: 'bank_transfer',
          allocations: [
            {
              n: 1,
              principalFen: first.principalFen,
              interestFen: first.interestFen,
              feeFen: fen(0n),
              penaltyFen: fen(0n),
            },
            {
              n: 2,
              principalFen: second.principalFen,
              interestFen: second.interestFen,
              feeFen: fen(0n),
              penaltyFen: fen(0n),
            },
          ],
        },
        'test',
      );
      if (!posted.ok) throw new Error(posted.error.code);
    }, 60_000);
    afterAll(async () => {
      await t?.destroy();
    });

    const run = (args: readonly string[]) =>
      runCli(
        [
          'negotiate',
          '--loan',
          'L202601001',
          '--income',
          '8000',
          '--expenses',
          '5000',
          '--today',
          TODAY,
          ...args,
        ],
        '',
        {
          DATABASE_URL: t.url,
          LOANDESK_SECRET_KEY: TEST_SECRET_KEY.toString('hex'),
        },
      );

    it('prices the plans from the ledger, as the domain does', async () => {
      const result = run(['--json']);
      expect(result.status).toBe(0);
      const out = JSON.parse(result.stdout) as {
        balance: { principal: string };
        plans: { kind: string; total_paid: string; rank: number }[];
      };
      const loan = await r.loans.findByLoanNo('L202601001');
      if (loan === undefined) throw new Error('loan');
      const expected = negotiate(
        caseFromLedger({
          terms: loan,
          balance: await r.loans.balance(loan.id),
          monthlyIncomeFen: fen(800_000n),
          monthlyExpensesFen: fen(500_000n),
          today: calendarDate(TODAY),
        }),
        DEFAULT_NEGOTIATION_POLICY,
      );
      expect(out.plans.map((p) => [p.kind, p.rank])).toEqual(
        expected.map((p) => [p.kind, p.rank]),
      );
      expect(out.plans.map((p) => p.total_paid.replace('.', ''))).toEqual(
        expected.map((p) => p.totalPaidFen.toString()),
      );
      // 12 000 lent, two installments' principal repaid.
      expect(Number(out.balance.principal)).toBeLessThan(12_000);
    });

    it('prints a zh-CN table for a person and refuses an unknown loan', () => {
      const table = run([]);
      expect(table.status).toBe(0);
      expect(table.stdout).toContain('贷款 L202601001');
      expect(table.stdout).toContain('个性化分期');
      expect(table.stdout).toContain('回收价值');
      const unknown = runCli(
        [
          'negotiate',
          '--loan',
          'L999',
          '--income',
          '8000',
          '--expenses',
          '5000',
        ],
        '',
        {
          DATABASE_URL: t.url,
          LOANDESK_SECRET_KEY: TEST_SECRET_KEY.toString('hex'),
        },
      );
      expect(unknown.status).not.toBe(0);
      expect(unknown.stderr).toContain('L999');
    });
  });
}
