// Proves GET /api/v1/dashboard on every dialect: the figures a supervisor
// sees are aggregated from the store as it stands — conversations per China
// business day with the bot's containment and the hand-off reasons, overdue
// loans by bucket read from the ledger (installments against payments booked
// so far) when no end-of-day batch has run, roll rates from each loan's
// bucket 30 days ago to today, the promise-kept rate and complaint
// deadlines. How: a small book whose dates are placed relative to today, so
// every expected figure follows from the data written here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../../src/adapters/clock/today.js';
import type { DashboardOutput } from '../../src/contracts/dashboard.js';
import { formatFen } from '../../src/contracts/money.js';
import { buildSchedule } from '../../src/domain/loan/schedule/build-schedule.js';
import type { Schedule } from '../../src/domain/loan/schedule/types.js';
import { fen } from '../../src/domain/money/fen.js';
import {
  addDays,
  addMonths,
  type CalendarDate,
} from '../../src/domain/shared/calendar-date.js';
import { DIALECTS } from '../db/dialects.js';
import { LI, termsOf, WANG } from '../db/fixtures.js';
import { openStoreApp, type StoreApp } from './store-app.js';

function scheduleFrom(start: CalendarDate): Schedule {
  const built = buildSchedule({ ...termsOf(12_000n, 12), startDate: start });
  if (!built.ok) throw new Error('schedule refused');
  return built.value;
}

describe.each(DIALECTS)('supervisor dashboard on %s', (dialect) => {
  let store: StoreApp;
  const today = todayInChina();
  // Loan A: two installments due (35+ days and 5+ days ago), none paid —
  // M1 thirty days ago, M2 today. Loan B: the two due installments paid on
  // time — current then and now. Loan C: started 10 days ago, nothing due.
  const startA = addDays(addMonths(today, -2), -5);
  const startB = addMonths(today, -2);
  let overdueA = 0n;

  beforeAll(async () => {
    store = await openStoreApp(dialect);
    const repos = store.repos;
    const wang = await repos.customers.create(WANG, 'test');
    const li = await repos.customers.create(LI, 'test');
    if (!wang.ok || !li.ok) throw new Error('customers refused');
    const scheduleA = scheduleFrom(startA);
    const loanA = await repos.loans.createFromSchedule(
      { loanNo: 'LA', customerId: wang.value.id, schedule: scheduleA },
      'test',
    );
    for (const period of scheduleA.installments.slice(0, 2))
      overdueA += period.paymentFen;
    const scheduleB = scheduleFrom(startB);
    await repos.loans.createFromSchedule(
      { loanNo: 'LB', customerId: li.value.id, schedule: scheduleB },
      'test',
    );
    await repos.loans.createFromSchedule(
      {
        loanNo: 'LC',
        customerId: li.value.id,
        schedule: scheduleFrom(addDays(today, -10)),
      },
      'test',
    );
    for (const [index, period] of scheduleB.installments
      .slice(0, 2)
      .entries()) {
      const paid = await store.app.inject({
        method: 'POST',
        url: '/api/v1/loans/LB/payments',
        headers: {
          ...store.as('supervisor'),
          'idempotency-key': `dashboard-test-${index}`,
        },
        payload: {
          amount: formatFen(period.paymentFen),
          paid_on: period.dueDate,
        },
      });
      if (paid.statusCode !== 200) throw new Error(paid.body);
    }
    // Three conversations today: one the bot solved, two handed off.
    const contained = await repos.conversations.open('web');
    await repos.conversations.appendMessage({
      conversationId: contained.id,
      sender: 'bot',
      body: '您好',
      actions: [],
    });
    for (const reason of ['customer_request', 'complaint']) {
      const conversation = await repos.conversations.open('web');
      await repos.conversations.appendMessage({
        conversationId: conversation.id,
        sender: 'bot',
        body: '正在为您转接人工客服',
        actions: [{ type: 'handoff', reason }],
      });
      await repos.conversations.handOff(conversation.id, reason);
    }
    const kept = await repos.collections.recordPromise(
      { loanId: loanA.id, amountFen: fen(10_000n), promisedOn: today },
      'test',
    );
    const broken = await repos.collections.recordPromise(
      { loanId: loanA.id, amountFen: fen(20_000n), promisedOn: today },
      'test',
    );
    await repos.collections.recordPromise(
      { loanId: loanA.id, amountFen: fen(30_000n), promisedOn: today },
      'test',
    );
    await repos.collections.resolvePromise(kept.id, 'kept', 'test');
    await repos.collections.resolvePromise(broken.id, 'broken', 'test');
    const hour = 3_600_000;
    for (const [index, hoursFromNow] of [-5, 30, 300].entries())
      await repos.complaints.openTicket({
        ticketNo: `T${index}`,
        customerId: wang.value.id,
        ticketType: 'service',
        summary: '投诉处理时效',
        dueAt: new Date(Date.now() + hoursFromNow * hour).toISOString(),
      });
  }, 120_000);

  afterAll(async () => {
    await store?.close();
  });

  const get = (role: 'agent' | 'supervisor' | 'nobody', query = '') =>
    store.app.inject({
      method: 'GET',
      url: `/api/v1/dashboard${query}`,
      headers: store.as(role),
    });

  it('aggregates conversations, overdue buckets, roll rates, promises and complaints', async () => {
    const response = await get('supervisor', '?days=7');
    expect(response.statusCode).toBe(200);
    const body = response.json() as DashboardOutput;
    expect(body.as_of).toBe(today);
    expect(body.conversations_per_day).toHaveLength(7);
    expect(body.conversations_per_day.at(-1)).toEqual({
      date: today,
      total: 3,
      handed_off: 2,
    });
    expect(body.containment).toEqual({
      conversations: 3,
      contained: 1,
      rate: '0.3333',
    });
    expect(body.handoff_reasons).toEqual([
      { reason: 'complaint', count: 1 },
      { reason: 'customer_request', count: 1 },
    ]);
    expect(body.overdue_by_bucket.source).toBe('ledger');
    expect(
      body.overdue_by_bucket.buckets.filter((bucket) => bucket.loans > 0),
    ).toEqual([{ bucket: 'M2', loans: 1, amount: formatFen(overdueA) }]);
    const rates = new Map(body.roll_rates.rates.map((r) => [r.from, r]));
    expect(rates.get('M1')).toMatchObject({
      loans: 1,
      rolled: 1,
      rate: '1.0000',
    });
    expect(rates.get('M0')).toMatchObject({
      loans: 1,
      rolled: 0,
      rate: '0.0000',
    });
    expect(rates.get('M3')).toMatchObject({ loans: 0, rate: null });
    expect(body.promises).toEqual({
      kept: 1,
      broken: 1,
      pending: 1,
      kept_rate: '0.5000',
    });
    expect(body.complaints).toMatchObject({
      open: 3,
      overdue: 1,
      due_within_72h: 1,
    });
    expect(body.complaints.upcoming.map((t) => t.ticket_no)).toEqual([
      'T0',
      'T1',
      'T2',
    ]);
    expect(body.complaints.upcoming[0]?.hours_left).toBeLessThan(0);
  });

  it('is for supervisors: an agent is refused, a visitor must sign in', async () => {
    expect((await get('agent')).statusCode).toBe(403);
    expect((await get('nobody')).statusCode).toBe(401);
  });

  it('names the field of a window out of range', async () => {
    const response = await get('supervisor', '?days=500');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { field: 'days' } });
  });
});
