// Proves the customer 360 (GET /api/v1/customers/:id/overview) on every
// dialect: identity and emergency contacts masked, each loan's schedule with
// its overdue state and next installment taken from the ledger, payments,
// promises, contacts, complaint tickets and the bot's risk/fraud signals —
// and no full phone or ID number anywhere in the answer. How: a customer
// whose loan started two months and five days ago with the first
// installment paid, so the second is overdue by a few days and the third is
// next; every expected figure comes from the schedule written here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../../src/adapters/clock/today.js';
import type { CustomerOverview } from '../../src/contracts/customer-overview.js';
import { formatFen } from '../../src/contracts/money.js';
import { buildSchedule } from '../../src/domain/loan/schedule/build-schedule.js';
import type { Schedule } from '../../src/domain/loan/schedule/types.js';
import { fen } from '../../src/domain/money/fen.js';
import {
  addDays,
  addMonths,
  daysBetween,
} from '../../src/domain/shared/calendar-date.js';
import { DIALECTS } from '../db/dialects.js';
import { termsOf, WANG } from '../db/fixtures.js';
import { openStoreApp, type StoreApp } from './store-app.js';

describe.each(DIALECTS)('customer 360 on %s', (dialect) => {
  let store: StoreApp;
  let customerId = '';
  let schedule: Schedule;
  const today = todayInChina();
  const start = addDays(addMonths(today, -2), -5);

  beforeAll(async () => {
    store = await openStoreApp(dialect);
    const repos = store.repos;
    const customer = await repos.customers.create(WANG, 'test');
    if (!customer.ok) throw new Error('customer refused');
    customerId = customer.value.id;
    await repos.customers.addEmergencyContact({
      customerId,
      name: '王大伟',
      phone: '13911112222',
      relation: 'parent',
    });
    const built = buildSchedule({ ...termsOf(24_000n, 12), startDate: start });
    if (!built.ok) throw new Error('schedule refused');
    schedule = built.value;
    const loan = await repos.loans.createFromSchedule(
      { loanNo: 'L360', customerId, schedule },
      'test',
    );
    const first = schedule.installments[0];
    if (first === undefined) throw new Error('no installment');
    const paid = await store.app.inject({
      method: 'POST',
      url: '/api/v1/loans/L360/payments',
      headers: { ...store.as('supervisor'), 'idempotency-key': 'overview-1' },
      payload: { amount: formatFen(first.paymentFen), paid_on: first.dueDate },
    });
    if (paid.statusCode !== 200) throw new Error(paid.body);
    await repos.collections.recordPromise(
      { loanId: loan.id, amountFen: fen(50_000n), promisedOn: today },
      'test',
    );
    await repos.collections.logContact({
      customerId,
      loanId: loan.id,
      channel: 'phone',
      target: 'debtor',
      outcome: 'no_answer',
      contactedAt: `${today}T10:00:00+08:00`,
    });
    await repos.complaints.openTicket({
      ticketNo: 'TK1',
      customerId,
      ticketType: 'collection_conduct',
      summary: '客户反映催收来电频繁',
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const conversation = await repos.conversations.open('web', customerId);
    await repos.conversations.appendMessage({
      conversationId: conversation.id,
      sender: 'bot',
      body: '请注意防范诈骗',
      actions: [
        { type: 'warn_fraud', signal: 'fee_before_loan' },
        { type: 'flag_risk', signal: 'job_loss' },
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await store?.close();
  });

  const get = (id: string, role: 'agent' | 'nobody' = 'agent') =>
    store.app.inject({
      method: 'GET',
      url: `/api/v1/customers/${id}/overview`,
      headers: store.as(role),
    });

  it('shows the masked identity, the loan with its overdue state and the customer record', async () => {
    const response = await get(customerId);
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain(WANG.phone);
    expect(response.body).not.toContain(WANG.idNumber);
    expect(response.body).not.toContain('13911112222');
    const body = response.json() as CustomerOverview;
    expect(body.customer).toMatchObject({
      name: '王*明',
      phone: '138****1111',
      masked: true,
    });
    expect(body.emergency_contacts).toEqual([
      {
        id: expect.any(String),
        name: '王*伟',
        phone: '139****2222',
        relation: 'parent',
      },
    ]);
    const [second, third] = schedule.installments.slice(1, 3);
    if (second === undefined || third === undefined) throw new Error('short');
    const loan = body.loans[0];
    expect(loan?.overdue).toEqual({
      days_past_due: daysBetween(second.dueDate, today),
      bucket: 'M1',
      amount: formatFen(second.paymentFen),
      installments: 1,
    });
    expect(loan?.next_due).toEqual({
      n: 3,
      due_date: third.dueDate,
      amount: formatFen(third.paymentFen),
    });
    expect(loan?.installments).toHaveLength(12);
    expect(loan?.installments[0]?.outstanding).toBe('0.00');
    expect(body.payments).toHaveLength(1);
    expect(body.payments[0]).toMatchObject({
      loan_no: 'L360',
      kind: 'repayment',
    });
    expect(body.promises).toEqual([
      expect.objectContaining({ amount: '500.00', status: 'pending' }),
    ]);
    expect(body.contacts[0]).toMatchObject({ outcome: 'no_answer' });
    expect(body.tickets.map((t) => t.ticket_no)).toEqual(['TK1']);
    expect(body.flags.map((f) => `${f.kind}:${f.signal}`).sort()).toEqual([
      'fraud:fee_before_loan',
      'risk:job_loss',
    ]);
  });

  it('answers 404 for an unknown customer and 401 without a session', async () => {
    expect((await get('cust_nope')).statusCode).toBe(404);
    expect((await get(customerId, 'nobody')).statusCode).toBe(401);
  });
});
