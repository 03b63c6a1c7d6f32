// Proves the end-of-day batch (`loandesk eod`) on every dialect: on a small
// book of loans current, due in 3 days, due today, overdue 1, 8 (with a
// broken promise to pay), 35 and 95 days, every delinquency row equals what
// the domain functions (penaltyToDate, accruedInterestFen, the early-warning
// scorecard) say for the loan's schedule, payments, income and contacts —
// whether the row was written by the set-based path (loans current with
// nothing to do today) or through the domain in JavaScript (the others); the right reminders are queued; statuses
// move repaying → overdue; a second run changes nothing, and neither does
// recomputing the day from scratch; and a run killed (SIGKILL) after its
// first committed batch and rerun ends with exactly the rows of a clean run
// on an identical book, without duplicate reminders.
import { spawn } from 'node:child_process';
import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Repositories } from '../../src/adapters/db/repositories/index.js';
import type { Database } from '../../src/adapters/db/schema.js';
import { monthsBetween } from '../../src/app/collections/run-end-of-day.js';
import { idCheckCharacter } from '../../src/app/demo/synthetic-identity.js';
import {
  DEFAULT_SCORECARD,
  earlyWarningScore,
} from '../../src/domain/collections/early-warning.js';
import { accruedInterestFen } from '../../src/domain/collections/end-of-day.js';
import { allocatePayment } from '../../src/domain/loan/allocation/allocate-payment.js';
import { DEFAULT_ALLOCATION_POLICY } from '../../src/domain/loan/allocation/allocation-policy.js';
import {
  DEFAULT_PENALTY_POLICIES,
  penaltyToDate,
} from '../../src/domain/loan/delinquency/penalty-to-date.js';
import { buildSchedule } from '../../src/domain/loan/schedule/build-schedule.js';
import type { Schedule } from '../../src/domain/loan/schedule/types.js';
import { fen } from '../../src/domain/money/fen.js';
import {
  type CalendarDate,
  calendarDate,
} from '../../src/domain/shared/calendar-date.js';
import { runCli } from '../helpers/run-cli.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from './dialects.js';
import { AGENT, repositoriesFor, termsOf } from './fixtures.js';

const TEST_TIMEOUT_MS = 240_000;
const DAY = calendarDate('2026-11-20');

type Case = {
  readonly name: string;
  /** A failed call to the debtor five days before the business day. */
  readonly failedContact?: boolean;
  /** The loan falls due on this day of each month (start date's day). */
  readonly start: string;
  /** Installments paid in full, on their due dates. */
  readonly paid: number;
  readonly promise?: { readonly amountFen: bigint; readonly on: string };
};

const CASES: readonly Case[] = [
  { name: 'current', start: '2026-01-05', paid: 10, failedContact: true },
  { name: 'due_in_3', start: '2026-03-23', paid: 7 },
  { name: 'due_today', start: '2026-04-20', paid: 6 },
  { name: 'overdue_1', start: '2026-05-19', paid: 5 },
  {
    name: 'overdue_8_promise',
    start: '2026-03-12',
    paid: 7,
    promise: { amountFen: 50_000n, on: '2026-11-15' },
  },
  { name: 'overdue_35', start: '2026-02-16', paid: 7 },
  { name: 'overdue_95', start: '2026-01-17', paid: 6 },
];
// Plain current loans to make the crash test span several batches.
const FILLER_LOANS = 14;

type Seeded = {
  readonly name: string;
  readonly monthlyIncomeFen: bigint | undefined;
  readonly failedContacts: number;
  readonly loanId: string;
  readonly schedule: Schedule;
  readonly payments: { date: CalendarDate; amountFen: bigint }[];
};

function person(i: number) {
  const first17 = `11010119900101${String(100 + i).padStart(3, '0')}`;
  return {
    name: `测试客户${i}`,
    idNumber: `${first17}${idCheckCharacter(first17)}`,
    phone: `138${String(10_000_000 + i).slice(0, 8)}`,
    // Every other customer has a known income (debt-to-income band).
    ...(i % 2 === 0
      ? { monthlyIncomeFen: fen(500_000n + BigInt(i) * 10_000n) }
      : {}),
  };
}

async function seedBook(r: Repositories): Promise<Seeded[]> {
  const all: Case[] = [...CASES];
  for (let i = 0; i < FILLER_LOANS; i += 1)
    all.push({
      name: `filler_${i}`,
      // Next due in December: current, no reminder.
      start: `2026-11-0${1 + (i % 9)}`,
      paid: 0,
    });
  const seeded: Seeded[] = [];
  for (const [i, c] of all.entries()) {
    const customer = await r.customers.create(person(i), AGENT);
    if (!customer.ok) throw new Error('customer');
    const built = buildSchedule({
      ...termsOf(12_000n + BigInt(i) * 1_000n, 12),
      startDate: calendarDate(c.start),
    });
    if (!built.ok) throw new Error('schedule');
    const schedule = built.value;
    const loan = await r.loans.createFromSchedule(
      {
        loanNo: `L2026${String(i).padStart(4, '0')}`,
        customerId: customer.value.id,
        schedule,
      },
      AGENT,
    );
    const payments: Seeded['payments'] = [];
    for (const installment of schedule.installments.slice(0, c.paid)) {
      const balance = await r.loans.balance(loan.id);
      const allocated = allocatePayment(
        balance,
        installment.paymentFen,
        DEFAULT_ALLOCATION_POLICY,
      );
      if (!allocated.ok) throw new Error('allocation');
      const posted = await r.payments.post(
        {
          idempotencyKey: `pay-${loan.id}-${installment.n}`,
          loanId: loan.id,
          amountFen: installment.paymentFen,
          paidOn: installment.dueDate,
          channel: 'bank_transfer',
          allocations: allocated.value.allocations,
        },
        AGENT,
      );
      if (!posted.ok) throw new Error(posted.error.code);
      payments.push({
        date: installment.dueDate,
        amountFen: installment.paymentFen,
      });
    }
    if (c.failedContact === true) {
      await r.collections.logContact({
        customerId: customer.value.id,
        loanId: loan.id,
        channel: 'phone',
        target: 'debtor',
        outcome: 'no_answer',
        contactedAt: '2026-11-15T10:00:00+08:00',
      });
    }
    if (c.promise !== undefined) {
      await r.collections.recordPromise(
        {
          loanId: loan.id,
          amountFen: fen(c.promise.amountFen),
          promisedOn: calendarDate(c.promise.on),
        },
        AGENT,
      );
    }
    seeded.push({
      name: c.name,
      monthlyIncomeFen: person(i).monthlyIncomeFen,
      failedContacts: c.failedContact === true ? 1 : 0,
      loanId: loan.id,
      schedule,
      payments,
    });
  }
  return seeded;
}

function eod(t: TestDatabase, args: readonly string[] = []) {
  const result = runCli(['eod', '--date', DAY, ...args], '', {
    DATABASE_URL: t.url,
  });
  expect(result.stderr.replace(/npm warn.*\n/g, '')).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

async function table(db: Kysely<Database>, query: string) {
  const result = await sql.raw<Record<string, unknown>>(query).execute(db);
  return result.rows;
}

/** Everything the batch writes, minus the instants it was written at. */
async function snapshot(db: Kysely<Database>) {
  return {
    delinquency: await table(
      db,
      'SELECT loan_id, as_of, days_past_due, bucket, classification, overdue_installments, overdue_principal_fen, overdue_interest_fen, penalty_fen, fees_fen, total_overdue_fen, outstanding_principal_fen, accrued_interest_fen, next_due_date, next_due_fen, early_warning_score, early_warning_reasons, max_days_past_due, overdue_episodes FROM delinquency ORDER BY loan_id',
    ),
    reminders: await table(
      db,
      'SELECT id, loan_id, customer_id, kind, for_date, installment_n, due_date, amount_fen, days_past_due, bucket, status FROM reminders ORDER BY id',
    ),
    loans: await table(db, 'SELECT id, status, version FROM loans ORDER BY id'),
    installments: await table(
      db,
      'SELECT loan_id, n, penalty_fen, paid_penalty_fen FROM installments ORDER BY loan_id, n',
    ),
    promises: await table(
      db,
      'SELECT id, status FROM promises_to_pay ORDER BY id',
    ),
  };
}

for (const dialect of DIALECTS) {
  describe(`loandesk eod on ${dialect}`, { timeout: TEST_TIMEOUT_MS }, () => {
    let t: TestDatabase;
    let r: Repositories;
    let book: Seeded[];

    beforeEach(async () => {
      t = await openTestDatabase(dialect);
      r = repositoriesFor(t);
      book = await seedBook(r);
    });
    afterEach(async () => {
      await t.destroy();
    });

    it('writes each loan the domain answer, the reminders and the status changes', async () => {
      const summary = eod(t);
      expect(summary).toMatchObject({
        ok: true,
        already_completed: false,
        loans: book.length,
        overdue_loans: 4,
        transitions: 4,
        promises_broken: 1,
        errors: 0,
      });
      const rows = await table(t.db, 'SELECT * FROM delinquency');
      const byLoan = new Map(rows.map((row) => [row.loan_id, row]));
      expect(rows).toHaveLength(book.length);
      for (const loan of book) {
        const report = penaltyToDate(
          {
            installments: loan.schedule.installments,
            payments: loan.payments.map((p) => ({
              date: p.date,
              amountFen: fen(p.amountFen),
            })),
            asOf: DAY,
            rateAnnual: loan.schedule.terms.rateAnnual,
          },
          DEFAULT_PENALTY_POLICIES,
        );
        if (!report.ok) throw new Error(report.error.code);
        const d = report.value;
        const paidPrincipal = loan.schedule.installments
          .slice(0, loan.payments.length)
          .reduce((s, i) => s + i.principalFen, 0n);
        const next = loan.schedule.installments.find((i) => i.dueDate >= DAY);
        const previous = loan.schedule.installments.filter(
          (i) => i.dueDate < DAY,
        );
        const row = byLoan.get(loan.loanId);
        expect(row, loan.name).toMatchObject({
          as_of: DAY,
          days_past_due: BigInt(d.overdueDays),
          bucket: d.bucket,
          classification: d.classification,
          overdue_principal_fen: d.overduePrincipalFen,
          overdue_interest_fen: d.overdueInterestFen,
          penalty_fen: d.overduePenaltyFen,
          fees_fen: d.overdueFeeFen,
          total_overdue_fen:
            d.overduePrincipalFen +
            d.overdueInterestFen +
            d.overduePenaltyFen +
            d.overdueFeeFen,
          outstanding_principal_fen:
            loan.schedule.totalPrincipalFen - paidPrincipal,
          next_due_date: next?.dueDate ?? null,
          accrued_interest_fen:
            next === undefined
              ? 0n
              : accruedInterestFen(
                  {
                    startDate:
                      previous.at(-1)?.dueDate ?? loan.schedule.terms.startDate,
                    dueDate: next.dueDate,
                    interestFen: next.interestFen,
                  },
                  DAY,
                  'half_up',
                ),
        });
        // An early-warning score only for loans that are current, with the
        // domain scorecard's points and reasons.
        if (d.overdueDays > 0) {
          expect(row?.early_warning_score, loan.name).toBeNull();
        } else {
          const score = earlyWarningScore(
            {
              maxDaysPastDue: 0,
              overdueEpisodes: 0,
              partialPayments: 0,
              failedContacts: loan.failedContacts,
              debtToIncomeBp:
                loan.monthlyIncomeFen === undefined
                  ? undefined
                  : Number(
                      ((next?.paymentFen ?? 0n) * 10_000n) /
                        loan.monthlyIncomeFen,
                    ),
              monthsOnBook: monthsBetween(loan.schedule.terms.startDate, DAY),
            },
            DEFAULT_SCORECARD,
          );
          expect(row?.early_warning_score, loan.name).toBe(BigInt(score.score));
          expect(
            JSON.parse(String(row?.early_warning_reasons)),
            loan.name,
          ).toEqual(score.reasons);
        }
        // The penalty is posted into the ledger installment by installment.
        const ledger = await table(
          t.db,
          `SELECT n, penalty_fen FROM installments WHERE loan_id = '${loan.loanId}' ORDER BY n`,
        );
        expect(
          ledger.map((i) => i.penalty_fen),
          loan.name,
        ).toEqual(
          d.installments.map(
            (i) => i.penaltyInterestFen + i.compoundInterestFen + i.lateFeeFen,
          ),
        );
      }
      const dpd = (name: string) =>
        byLoan.get(book.find((l) => l.name === name)?.loanId)?.days_past_due;
      expect([
        dpd('current'),
        dpd('overdue_1'),
        dpd('overdue_8_promise'),
        dpd('overdue_35'),
        dpd('overdue_95'),
      ]).toEqual([0n, 1n, 8n, 35n, 95n]);

      const reminders = await table(
        t.db,
        'SELECT loan_id, kind, amount_fen, status FROM reminders ORDER BY loan_id, kind',
      );
      const named = reminders.map((x) => [
        book.find((l) => l.loanId === x.loan_id)?.name,
        x.kind,
        x.status,
      ]);
      expect(named.sort()).toEqual(
        [
          ['due_in_3', 'pre_due_3', 'pending'],
          ['due_today', 'due_day', 'pending'],
          ['overdue_1', 'overdue_m1', 'pending'],
          ['overdue_8_promise', 'overdue_m1', 'pending'],
          ['overdue_8_promise', 'promise_broken', 'pending'],
        ].sort(),
      );
      const statuses = await table(
        t.db,
        'SELECT id, status FROM loans ORDER BY id',
      );
      for (const s of statuses) {
        const name = book.find((l) => l.loanId === s.id)?.name ?? '';
        expect(s.status, name).toBe(
          name.startsWith('overdue') ? 'overdue' : 'repaying',
        );
      }
      expect(await table(t.db, 'SELECT status FROM promises_to_pay')).toEqual([
        { status: 'broken' },
      ]);
      const audit = await table(
        t.db,
        "SELECT details FROM audit_log WHERE action = 'eod.batch'",
      );
      expect(audit).toHaveLength(1);
      expect(JSON.parse(String(audit[0]?.details)).status_changes).toHaveLength(
        4,
      );
    });

    it('changes nothing when the same date runs again or is recomputed', async () => {
      eod(t);
      const first = await snapshot(t.db);
      const again = eod(t);
      expect(again).toMatchObject({ ok: true, already_completed: true });
      expect(await snapshot(t.db)).toEqual(first);
      // Recomputing the whole day from scratch gives the same rows too.
      await sql`DELETE FROM eod_runs`.execute(t.db);
      const recomputed = eod(t);
      expect(recomputed).toMatchObject({
        ok: true,
        already_completed: false,
        transitions: 0,
        reminders: 0,
        promises_broken: 0,
      });
      expect(await snapshot(t.db)).toEqual(first);
    });

    it('resumes after a SIGKILL and ends exactly like a clean run', async () => {
      const clean = await openTestDatabase(dialect);
      try {
        await seedBook(repositoriesFor(clean));
        eod(clean, ['--batch-size', '4']);

        const child = spawn(
          process.execPath,
          ['bin/loandesk.js', 'eod', '--date', DAY, '--batch-size', '4'],
          {
            env: {
              ...process.env,
              DATABASE_URL: t.url,
              LOANDESK_EOD_PAUSE_MS: '400',
            },
            stdio: 'ignore',
          },
        );
        const exited = new Promise((resolve) => child.on('exit', resolve));
        let committed = 0n;
        for (let i = 0; i < 600 && committed === 0n; i += 1) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          const rows = await table(t.db, 'SELECT batches FROM eod_runs');
          committed = (rows[0]?.batches as bigint | undefined) ?? 0n;
        }
        child.kill('SIGKILL');
        await exited;
        const killed = await table(t.db, 'SELECT status, loans FROM eod_runs');
        expect(killed[0]?.status).toBe('running');
        expect(killed[0]?.loans).toBeGreaterThan(0n);
        expect(killed[0]?.loans).toBeLessThan(BigInt(book.length));

        const resumed = eod(t, ['--batch-size', '4']);
        expect(resumed).toMatchObject({
          ok: true,
          resumed: true,
          loans: book.length,
        });
        expect(await snapshot(t.db)).toEqual(await snapshot(clean.db));
        const counts =
          'SELECT batches, loans, overdue_loans, transitions, reminders, promises_broken, promises_kept, errors, status FROM eod_runs';
        expect(await table(t.db, counts)).toEqual(
          await table(clean.db, counts),
        );
      } finally {
        await clean.destroy();
      }
    });
  });
}
