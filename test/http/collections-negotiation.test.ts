// Proves the collections work API and negotiation end to end through
// Fastify's inject on every dialect: a collector sees only the cases a
// supervisor assigned (403 otherwise, also on customers and loans), a call
// at 22:00 is refused with the contact policy's reason, a promise to pay is
// made and kept by a payment, a plan is priced, signed and booked as the
// loan's new schedule (idempotently), and a plan outside the policy needs a
// supervisor's approval before it can be signed.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../../src/adapters/clock/today.js';
import type { Repositories } from '../../src/adapters/db/repositories/index.js';
import type { Role } from '../../src/domain/security/permissions.js';
import {
  addDays,
  type CalendarDate,
} from '../../src/domain/shared/calendar-date.js';
import { DIALECTS, type TestDatabase } from '../db/dialects.js';
import { LI, scheduleOf, WANG } from '../db/fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { openStoreApp, type StoreApp } from './store-app.js';

type Json = Record<string, unknown>;
type PlanJson = {
  kind: string;
  months: number;
  monthly_payment: string;
  first_payment: string;
  total_paid: string;
  due_at_signing: string;
  within_policy: boolean;
  terms: Json;
};

const toFen = (text: unknown) => BigInt(String(text).replace('.', ''));

describe.each(DIALECTS)('collections and negotiation API on %s', (dialect) => {
  let store: StoreApp;
  let database: TestDatabase;
  let app: FastifyInstance;
  let repos: Repositories;
  const customers = { a: '', b: '' };
  let emergencyContactId = '';

  beforeAll(async () => {
    store = await openStoreApp(dialect);
    ({ database, app, repos } = store);
    const loans: [
      string,
      typeof WANG | typeof LI,
      'a' | 'b',
      string,
      number,
    ][] = [
      ['L202601001', WANG, 'a', 'M2', 45],
      ['L202601002', LI, 'b', 'M1', 12],
    ];
    for (const [loanNo, person, key, bucket, dpd] of loans) {
      const customer = await repos.customers.create(person, 'test');
      if (!customer.ok) throw new Error(customer.error.code);
      customers[key] = customer.value.id;
      const loan = await repos.loans.createFromSchedule(
        {
          loanNo,
          customerId: customer.value.id,
          schedule: scheduleOf(50_000n, 12),
        },
        'test',
      );
      // What the end-of-day batch leaves for the queues.
      await database.db
        .insertInto('delinquency')
        .values({
          loan_id: loan.id,
          as_of: todayInChina(),
          days_past_due: BigInt(dpd),
          bucket,
          classification: 'special_mention',
          overdue_installments: 1n,
          overdue_principal_fen: 400_000n,
          overdue_interest_fen: 30_000n,
          penalty_fen: 1_000n,
          fees_fen: 0n,
          total_overdue_fen: 431_000n,
          outstanding_principal_fen: 4_000_000n,
          accrued_interest_fen: 0n,
          next_due_date: null,
          next_due_fen: null,
          early_warning_score: null,
          early_warning_reasons: null,
          updated_at: new Date().toISOString(),
          max_days_past_due: BigInt(dpd),
          overdue_episodes: 1n,
        })
        .execute();
    }
    const contact = await repos.customers.addEmergencyContact({
      customerId: customers.a,
      name: '王大明',
      phone: '13700003333',
      relation: 'parent',
    });
    emergencyContactId = contact.id;
  }, 60_000);

  afterAll(async () => {
    await store?.close();
  });

  const as = (role: Role) => store.as(role);
  const get = (role: Role, url: string) =>
    app.inject({ method: 'GET', url: `/api/v1${url}`, headers: as(role) });
  const post = (
    role: Role,
    url: string,
    payload: Json,
    headers: Record<string, string> = {},
  ) =>
    app.inject({
      method: 'POST',
      url: `/api/v1${url}`,
      headers: { ...as(role), ...headers },
      payload,
    });

  it('shows a collector only the cases a supervisor assigned', async () => {
    expect((await get('collector', '/loans/L202601001')).statusCode).toBe(403);
    expect(
      (
        await post('collector', '/collections/assignments', {
          loan_no: 'L202601001',
          username: 'collector',
        })
      ).statusCode,
    ).toBe(403);
    const assigned = await post('supervisor', '/collections/assignments', {
      loan_no: 'L202601001',
      username: 'collector',
    });
    expect(assigned.statusCode).toBe(201);
    expect(assigned.json()).toMatchObject({ created: true });
    expect((await get('collector', '/loans/L202601001')).statusCode).toBe(200);
    const other = await get('collector', '/loans/L202601002');
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({
      error: { code: 'collection.not_assigned' },
    });
    expect(
      (await get('collector', `/customers/${customers.a}`)).statusCode,
    ).toBe(200);
    expect(
      (await get('collector', `/customers/${customers.b}`)).statusCode,
    ).toBe(403);
    expect(
      (await get('negotiator', `/customers/${customers.a}`)).statusCode,
    ).toBe(403);
    const cases = (await get('collector', '/collections/cases')).json() as {
      cases: Json[];
    };
    expect(cases.cases.map((c) => c.loan_no)).toEqual(['L202601001']);
    expect(cases.cases[0]).toMatchObject({
      bucket: 'M2',
      strategy: 'negotiation',
      customer_name: '王*明',
      assignees: ['collector'],
    });
    const mine = (await get('collector', '/collections/queues')).json() as {
      queues: Json[];
    };
    expect(mine.queues).toEqual([
      expect.objectContaining({
        bucket: 'M2',
        cases: 1,
        total_overdue: '4310.00',
      }),
    ]);
    const all = (await get('supervisor', '/collections/queues')).json() as {
      queues: Json[];
    };
    expect(all.queues.map((q) => [q.bucket, q.strategy, q.cases])).toEqual([
      ['M1', 'reminders_calls', 1],
      ['M2', 'negotiation', 1],
    ]);
  });

  it('refuses a 22:00 call with the contact policy’s reason and logs a 10:00 one', async () => {
    const url = '/collections/cases/L202601001/contacts';
    const late = await post('collector', url, {
      channel: 'call',
      recipient: 'debtor',
      outcome: 'connected',
      at: '2026-11-20T22:00:00+08:00',
    });
    expect(late.statusCode).toBe(422);
    const refusal = late.json() as { error: Json };
    expect(refusal.error).toMatchObject({
      code: 'contact.refused',
      rule: 'COL-01',
    });
    expect(String(refusal.error.message)).toMatch(/22:00/);
    const morning = await post('collector', url, {
      channel: 'call',
      recipient: 'debtor',
      outcome: 'no_answer',
      result_code: 'none',
      note: '客户未接听，手机13800001111',
      at: '2026-11-20T10:00:00+08:00',
    });
    expect(morning.statusCode).toBe(201);
    expect(morning.json()).toMatchObject({
      outcome: 'no_answer',
      result_zh: '无结果',
    });
    expect(String((morning.json() as Json).note)).not.toContain('13800001111');
    // The debtor is reachable: the emergency contact may not be called yet.
    const third = await post('collector', url, {
      channel: 'call',
      recipient: 'emergency_contact',
      emergency_contact_id: emergencyContactId,
      outcome: 'connected',
      at: '2026-11-20T10:30:00+08:00',
    });
    expect(third.statusCode).toBe(422);
    expect(third.json()).toMatchObject({ error: { rule: 'COL-04' } });
    const stranger = await post('collector', url, {
      channel: 'call',
      recipient: 'emergency_contact',
      emergency_contact_id: 'ec_unknown',
      outcome: 'connected',
      at: '2026-11-20T10:30:00+08:00',
    });
    expect(stranger.statusCode).toBe(400);
  });

  it('records a promise to pay and marks it kept once a payment covers it', async () => {
    const today = todayInChina();
    const url = '/collections/cases/L202601001/promises';
    const made = await post('collector', url, {
      amount: '800.00',
      promised_on: addDays(today, 3),
    });
    expect(made.statusCode).toBe(201);
    expect(made.json()).toMatchObject({ status: 'pending', amount: '800.00' });
    const tooLate = await post('collector', url, {
      amount: '800.00',
      promised_on: addDays(today, 90),
    });
    expect(tooLate.statusCode).toBe(400);
    const before = (await get('collector', url)).json() as { promises: Json[] };
    expect(before.promises.map((p) => p.status)).toEqual(['pending']);
    const paid = await post(
      'supervisor',
      '/loans/L202601001/payments',
      { amount: '800.00' },
      { 'idempotency-key': `ptp-payment-${dialect}` },
    );
    expect(paid.statusCode).toBe(200);
    const after = (await get('collector', url)).json() as { promises: Json[] };
    expect(after.promises.map((p) => p.status)).toEqual(['kept']);
  });

  it('prices plans, signs one and books the engine’s schedule as the new ledger', async () => {
    await post('supervisor', '/collections/assignments', {
      loan_no: 'L202601001',
      username: 'negotiator',
    });
    const priced = await get(
      'negotiator',
      '/loans/L202601001/negotiation/plans?income=9000&expenses=4000',
    );
    expect(priced.statusCode).toBe(200);
    const body = priced.json() as { balance: Json; plans: PlanJson[] };
    expect(body.plans.map((p) => p.kind).sort()).toEqual([
      'extension',
      'reamortize',
      'settlement',
      'stop_interest',
      'waiver',
    ]);
    const extension = body.plans.find((p) => p.kind === 'extension');
    if (extension === undefined) throw new Error('no extension plan');
    expect(toFen(extension.due_at_signing)).toBeGreaterThan(0n);
    const arrears = await post(
      'negotiator',
      '/loans/L202601001/negotiation/agreements',
      { terms: extension.terms, income: 9000, expenses: 4000 },
      { 'idempotency-key': `sign-${dialect}-ext` },
    );
    expect(arrears.statusCode).toBe(409);
    expect(arrears.json()).toMatchObject({
      error: { code: 'negotiation.arrears_first' },
    });
    const plan = body.plans.find((p) => p.kind === 'reamortize');
    if (plan === undefined) throw new Error('no reamortize plan');
    expect(plan.within_policy).toBe(true);
    const key = { 'idempotency-key': `sign-${dialect}-1` };
    const signRequest = { terms: plan.terms, income: 9000, expenses: 4000 };
    expect(
      (
        await post(
          'collector',
          '/loans/L202601001/negotiation/agreements',
          signRequest,
          key,
        )
      ).statusCode,
    ).toBe(403);
    const signed = await post(
      'negotiator',
      '/loans/L202601001/negotiation/agreements',
      signRequest,
      key,
    );
    expect(signed.statusCode).toBe(201);
    const agreement = signed.json() as Json;
    expect(agreement).toMatchObject({
      kind: 'reamortize',
      months: plan.months,
      total_paid: plan.total_paid,
      within_policy: true,
      schedule_version: 2,
      replayed: false,
    });
    const ledger = (await get('negotiator', '/loans/L202601001')).json() as {
      status: string;
      installments: { payment: string; paid: string; due_date: string }[];
    };
    expect(ledger.status).toBe('restructured');
    expect(ledger.installments).toHaveLength(plan.months);
    expect(ledger.installments[0]?.payment).toBe(plan.first_payment);
    expect(ledger.installments[0]?.paid).toBe('0.00');
    const scheduled = ledger.installments.reduce(
      (sum, row) => sum + toFen(row.payment),
      0n,
    );
    expect(scheduled).toBe(toFen(plan.total_paid) - toFen(plan.due_at_signing));
    const replay = await post(
      'negotiator',
      '/loans/L202601001/negotiation/agreements',
      signRequest,
      key,
    );
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({
      agreement_no: agreement.agreement_no,
      replayed: true,
    });
    const document = await app.inject({
      method: 'GET',
      url: String(agreement.document_url),
      headers: as('negotiator'),
    });
    expect(document.statusCode).toBe(200);
    expect(document.body).toContain('协商还款协议');
    expect(document.body).toContain('王小明');
    expect(document.body).toContain(plan.monthly_payment);
    // A kept plan pauses collection (COL-13); a missed plan installment is
    // caught by the end-of-day batch like any other.
    const firstDue = ledger.installments[0]?.due_date;
    if (firstDue === undefined) throw new Error('no installment');
    const paused = await post(
      'collector',
      '/collections/cases/L202601001/contacts',
      {
        channel: 'call',
        recipient: 'debtor',
        outcome: 'connected',
        at: '2026-11-21T10:00:00+08:00',
      },
    );
    expect(paused.json()).toMatchObject({ error: { rule: 'COL-13' } });
    const batch = runCli(
      ['eod', '--date', addDays(firstDue as CalendarDate, 3)],
      '',
      { DATABASE_URL: database.url },
    );
    expect(batch.status).toBe(0);
    const missed = (
      await get('negotiator', '/loans/L202601001')
    ).json() as Json;
    expect(missed.status).toBe('overdue');
    const resumed = await post(
      'collector',
      '/collections/cases/L202601001/contacts',
      {
        channel: 'call',
        recipient: 'debtor',
        outcome: 'connected',
        at: `${addDays(firstDue as CalendarDate, 3)}T10:00:00+08:00`,
      },
    );
    expect(resumed.statusCode).toBe(201);
  }, 120_000);

  it('refuses a plan outside the policy until a supervisor approves it', async () => {
    await post('supervisor', '/collections/assignments', {
      loan_no: 'L202601002',
      username: 'negotiator',
    });
    const terms = {
      kind: 'waiver',
      months: 12,
      penalty_waiver: 1,
      interest_waiver: 1,
    };
    const url = '/loans/L202601002/negotiation/agreements';
    const refused = await post(
      'negotiator',
      url,
      { terms, expenses: 4000, income: 9000 },
      { 'idempotency-key': `sign-${dialect}-2` },
    );
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({
      error: { code: 'negotiation.approval_required' },
    });
    const unchanged = (await get('negotiator', '/loans/L202601002')).json() as {
      status: string;
      installments: unknown[];
    };
    expect(unchanged.status).not.toBe('restructured');
    expect(unchanged.installments).toHaveLength(12);
    expect(
      (
        await post('negotiator', '/loans/L202601002/negotiation/approvals', {
          terms,
          reason: '客户失业',
        })
      ).statusCode,
    ).toBe(403);
    const approval = await post(
      'supervisor',
      '/loans/L202601002/negotiation/approvals',
      { terms, reason: '客户失业，家庭困难，同意全额减免利息' },
    );
    expect(approval.statusCode).toBe(201);
    const approvalId = String((approval.json() as Json).approval_id);
    const otherTerms = await post(
      'negotiator',
      url,
      {
        terms: { ...terms, months: 24 },
        expenses: 4000,
        income: 9000,
        approval_id: approvalId,
      },
      { 'idempotency-key': `sign-${dialect}-3` },
    );
    expect(otherTerms.statusCode).toBe(409);
    const signed = await post(
      'negotiator',
      url,
      { terms, expenses: 4000, income: 9000, approval_id: approvalId },
      { 'idempotency-key': `sign-${dialect}-4` },
    );
    expect(signed.statusCode).toBe(201);
    expect(signed.json()).toMatchObject({
      kind: 'waiver',
      within_policy: false,
      approval_id: approvalId,
    });
    expect((await get('negotiator', '/loans/L202601002')).json()).toMatchObject(
      { status: 'restructured' },
    );
  });
});
