// Completes the route-by-route cover of the customer and loan routes that
// store-routes.test.ts walks through (on every dialect): bad input answered
// 400 with the field named, unknown ids 404, no session 401, the wrong role
// 403, and every attempt at unmasked PII without the role or a reason
// refused and audited. Routes every role may use (loan.read) have no wrong
// role; for them the refusal without a session is shown instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/security/permissions.js';
import { DIALECTS } from '../db/dialects.js';
import { scheduleOf } from '../db/fixtures.js';
import { type ErrorJson, openStoreApp, type StoreApp } from './store-app.js';

describe.each(DIALECTS)('customer and loan routes on %s', (dialect) => {
  let s: StoreApp;
  let customerId = '';

  beforeAll(async () => {
    s = await openStoreApp(dialect);
    const customer = await s.repos.customers.create(
      { name: '周敏', idNumber: '11010519900307451X', phone: '13912345678' },
      'test',
    );
    if (!customer.ok) throw new Error(customer.error.code);
    customerId = customer.value.id;
    await s.repos.loans.createFromSchedule(
      { loanNo: 'L-ROUTES', customerId, schedule: scheduleOf(20_000n, 12) },
      'test',
    );
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  const get = (role: Role | undefined, url: string) =>
    s.app.inject({
      method: 'GET',
      url: `/api/v1${url}`,
      headers: role === undefined ? {} : s.as(role),
    });
  const refusals = () =>
    s.database.db
      .selectFrom('audit_log')
      .select(['actor', 'details'])
      .where('action', '=', 'customer.pii_read_refused')
      .orderBy('seq')
      .execute();

  it('answers a customer read with 404, a bad id or flag with the field, and no session with 401', async () => {
    expect((await get('agent', '/customers/cust_none')).statusCode).toBe(404);
    const long = await get('agent', `/customers/${'c'.repeat(65)}`);
    expect((long.json() as ErrorJson).error.field).toBe('id');
    const flag = await get(
      'agent',
      `/customers/${customerId}?unmasked=perhaps`,
    );
    expect(flag.statusCode).toBe(400);
    expect((flag.json() as ErrorJson).error.field).toBe('unmasked');
    expect((await get(undefined, `/customers/${customerId}`)).statusCode).toBe(
      401,
    );
  });

  it('refuses unmasked PII without the role or without a reason, and audits both refusals', async () => {
    const collector = await get(
      'agent',
      `/customers/${customerId}?unmasked=true&reason=核实`,
    );
    expect(collector.statusCode).toBe(403);
    expect(collector.body).not.toContain('13912345678');
    const noReason = await get(
      'admin',
      `/customers/${customerId}?unmasked=true`,
    );
    expect(noReason.statusCode).toBe(400);
    expect((noReason.json() as ErrorJson).error.field).toBe('reason');
    expect(noReason.body).not.toContain('13912345678');
    const rows = await refusals();
    expect(rows.map((r) => [r.actor, JSON.parse(r.details).missing])).toEqual([
      ['agent', 'role'],
      ['admin', 'reason'],
    ]);
    const granted = await get(
      'admin',
      `/customers/${customerId}?unmasked=true&reason=${encodeURIComponent('客户投诉核实身份')}`,
    );
    expect(granted.json()).toMatchObject({
      phone: '13912345678',
      masked: false,
    });
    const reads = await s.database.db
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'customer.pii_read')
      .execute();
    expect(reads).toEqual([{ actor: 'admin' }]);
  });

  it('lists a customer’s loans, masked of nothing secret, and refuses bad ids and no session', async () => {
    const loans = await get('agent', `/customers/${customerId}/loans`);
    expect(loans.json()).toEqual([
      expect.objectContaining({
        loan_no: 'L-ROUTES',
        principal: '20000.00',
        status: 'repaying',
      }),
    ]);
    expect((await get('agent', '/customers/cust_none/loans')).json()).toEqual(
      [],
    );
    const long = await get('agent', `/customers/${'c'.repeat(65)}/loans`);
    expect((long.json() as ErrorJson).error.field).toBe('id');
    expect(
      (await get(undefined, `/customers/${customerId}/loans`)).statusCode,
    ).toBe(401);
  });

  it('answers a loan read and a certificate with 404 for unknown loans and the field for bad numbers', async () => {
    expect((await get('agent', '/loans/L-NONE')).statusCode).toBe(404);
    const long = await get('agent', `/loans/${'9'.repeat(41)}`);
    expect((long.json() as ErrorJson).error.field).toBe('loanNo');
    expect((await get(undefined, '/loans/L-ROUTES')).statusCode).toBe(401);
    const certificate = await get(
      'agent',
      '/loans/L-NONE/settlement-certificate',
    );
    expect((certificate.json() as ErrorJson).error.code).toBe('loan.not_found');
    const notSettled = await get(
      'agent',
      '/loans/L-ROUTES/settlement-certificate',
    );
    expect((notSettled.json() as ErrorJson).error.code).toBe(
      'loan.not_settled',
    );
    expect(
      (await get(undefined, '/loans/L-ROUTES/settlement-certificate'))
        .statusCode,
    ).toBe(401);
  });

  it('refuses a repayment with a bad amount, channel or date with the field, an unknown loan, and a collector', async () => {
    const post = (role: Role, url: string, payload: object) =>
      s.app.inject({
        method: 'POST',
        url: `/api/v1${url}`,
        headers: { ...s.as(role), 'idempotency-key': `pay-${Math.random()}` },
        payload,
      });
    const amount = await post('supervisor', '/loans/L-ROUTES/payments', {
      amount: '12.345',
    });
    expect((amount.json() as ErrorJson).error).toMatchObject({
      field: 'amount',
    });
    const channel = await post('supervisor', '/loans/L-ROUTES/payments', {
      amount: '100',
      channel: 'pigeon',
    });
    expect((channel.json() as ErrorJson).error.field).toBe('channel');
    const date = await post('supervisor', '/loans/L-ROUTES/payments', {
      amount: '100',
      paid_on: '10/02/2026',
    });
    expect((date.json() as ErrorJson).error.field).toBe('paid_on');
    expect(
      (await post('supervisor', '/loans/L-NONE/payments', { amount: '100' }))
        .statusCode,
    ).toBe(404);
    expect(
      (await post('collector', '/loans/L-ROUTES/payments', { amount: '100' }))
        .statusCode,
    ).toBe(403);
    const ok = await post('supervisor', '/loans/L-ROUTES/payments', {
      amount: '100',
      channel: 'wechat',
    });
    expect(ok.statusCode).toBe(200);
  });

  it('logs out without a session as a no-op', async () => {
    const response = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
    });
    expect(response.json()).toEqual({ ok: true });
  });
});
