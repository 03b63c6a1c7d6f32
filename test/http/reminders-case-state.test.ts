// Proves through the HTTP API on every dialect that the reminder dispatcher
// gives the contact policy the debtor's real collection-case state
// (spec/regulations.md COL-13): once a negotiator signs a 个性化分期 plan
// (over HTTP, booking the new schedule), the collection reminders of that
// loan are refused with rule COL-13 and its reason and never queued or
// sent, while a plain due-date reminder still goes out; when the loan falls
// overdue under the plan (breach), collection reminders go out again.
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ChannelRuntime,
  createChannelRuntime,
} from '../../src/adapters/channels/channel-runtime.js';
import { DIALECTS, testCipher } from '../db/dialects.js';
import { seedLoan, WANG } from '../db/fixtures.js';
import { insertReminder } from '../helpers/channels.js';
import { openStoreApp, type StoreApp } from './store-app.js';

type OutboxRow = {
  status: string;
  rule: string | null;
  reason: string | null;
  body: string;
  source_id: string;
};
type PlanJson = { kind: string; terms: Record<string, unknown> };

describe.each(DIALECTS)('reminders and the case state on %s', (dialect) => {
  let store: StoreApp | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('refuses collection reminders of a loan under a kept plan (COL-13) and resumes on breach', async () => {
    let runtime: ChannelRuntime | undefined;
    const s = await openStoreApp(dialect, {}, (database) => {
      runtime = createChannelRuntime({
        db: database.db,
        cipher: testCipher(),
        env: {},
      });
      return { channels: runtime, now: () => '2026-12-10T09:00:00+08:00' };
    });
    store = s;
    const { customerId, loan } = await seedLoan(s.repos, 'L202612501', WANG);
    const world = { database: s.database, customerId, loanId: loan.id };
    const api = async (
      role: 'negotiator' | 'supervisor',
      method: 'GET' | 'POST',
      url: string,
      payload?: Record<string, unknown>,
      headers: Record<string, string> = {},
    ) =>
      s.app.inject({
        method,
        url: `/api/v1${url}`,
        headers: { ...s.as(role), ...headers },
        ...(payload === undefined ? {} : { payload }),
      });
    const dispatch = async (now: string) => {
      const response = await api('supervisor', 'POST', '/reminders/dispatch', {
        now,
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as Record<string, number>;
    };
    const outboxOf = async (reminderId: string) => {
      const response = await api('supervisor', 'GET', '/outbox');
      expect(response.statusCode, response.body).toBe(200);
      return (response.json() as OutboxRow[]).filter(
        (row) => row.source_id === reminderId,
      );
    };

    // A negotiator signs a plan: the loan is `restructured` under it.
    const assigned = await api(
      'supervisor',
      'POST',
      '/collections/assignments',
      {
        loan_no: 'L202612501',
        username: 'negotiator',
      },
    );
    expect(assigned.statusCode, assigned.body).toBeLessThan(300);
    const priced = await api(
      'negotiator',
      'GET',
      '/loans/L202612501/negotiation/plans?income=9000&expenses=4000',
    );
    expect(priced.statusCode, priced.body).toBe(200);
    const plan = (priced.json() as { plans: PlanJson[] }).plans.find(
      (p) => p.kind === 'reamortize',
    );
    if (plan === undefined) throw new Error('no reamortize plan');
    const signed = await api(
      'negotiator',
      'POST',
      '/loans/L202612501/negotiation/agreements',
      { terms: plan.terms, income: 9000, expenses: 4000 },
      { 'idempotency-key': `case-state-${dialect}` },
    );
    expect(signed.statusCode, signed.body).toBe(201);

    const collection = await insertReminder(world, {
      kind: 'overdue_m1',
      forDate: '2026-12-10',
      dueDate: '2026-12-05',
      amountFen: 120_000n,
      daysPastDue: 5,
    });
    const dueDay = await insertReminder(world, {
      kind: 'due_day',
      forDate: '2026-12-10',
      amountFen: 98_765n,
    });
    const summary = await dispatch('2026-12-10T09:00:00+08:00');
    expect(summary).toMatchObject({ reminders: 2, suppressed: 2, sent: 2 });
    const refused = await outboxOf(collection);
    expect(refused.length).toBe(2);
    for (const row of refused) {
      expect(row.status).toBe('suppressed');
      expect(row.rule).toBe('COL-13');
      expect(row.reason).toBe('客户已签署并正常履行个性化还款协议，暂停催收。');
    }
    expect((await outboxOf(dueDay)).map((row) => row.status)).toEqual([
      'sent',
      'sent',
    ]);
    const sms = await s.database.db
      .selectFrom('sms_outbox')
      .select('body')
      .execute();
    expect(sms).toHaveLength(1);
    expect(sms[0]?.body).toContain('987.65');
    expect(sms[0]?.body).not.toContain('逾期');

    // A plan installment is missed: the batch moves the loan to overdue,
    // the plan is in breach and collection reminders go out again.
    const missed = await s.repos.loans.transition(
      loan.id,
      { type: 'miss_payment' },
      { actor: 'system:eod', reason: '协商分期首期未按时还款' },
    );
    expect(missed.ok).toBe(true);
    const again = await insertReminder(world, {
      kind: 'overdue_m1',
      forDate: '2026-12-11',
      dueDate: '2026-12-05',
      amountFen: 120_000n,
      daysPastDue: 6,
    });
    await dispatch('2026-12-11T09:00:00+08:00');
    expect((await outboxOf(again)).map((row) => row.status)).toEqual([
      'sent',
      'sent',
    ]);
  });
});
