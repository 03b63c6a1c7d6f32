// Proves the store-backed API through Fastify's inject on every dialect
// (SQLite always, PostgreSQL forced in CI): login and roles, masked customers
// with audited unmasked reads, the loan ledger, and repayments that are
// allocated by the waterfall and idempotent under retries.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories } from '../../src/adapters/db/repositories/index.js';
import { SYSTEM_DEPS } from '../../src/adapters/db/repositories/repository-context.js';
import { buildApp } from '../../src/adapters/http/build-app.js';
import { hashPassword } from '../../src/adapters/security/passwords.js';
import { createTokenSigner } from '../../src/adapters/security/session-token.js';
import { buildSchedule } from '../../src/domain/loan/schedule/build-schedule.js';
import { fen } from '../../src/domain/money/fen.js';
import { parseRate } from '../../src/domain/money/rate.js';
import type { Role } from '../../src/domain/security/permissions.js';
import { calendarDate } from '../../src/domain/shared/calendar-date.js';
import {
  DIALECTS,
  openTestDatabase,
  TEST_SECRET_KEY,
  type TestDatabase,
  testCipher,
} from '../db/dialects.js';
import { scheduleOf } from '../db/fixtures.js';

const PASSWORD = 'correct horse battery';

describe.each(DIALECTS)('store-backed API on %s', (dialect) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let customerId = '';
  let repos: ReturnType<typeof createRepositories>;
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    const cipher = testCipher();
    const repositories = createRepositories(database.db, SYSTEM_DEPS, cipher);
    repos = repositories;
    const passwordHash = await hashPassword(PASSWORD);
    for (const role of ['agent', 'collector', 'supervisor'] as const) {
      await repositories.users.create(
        { username: role, displayName: role, passwordHash, roles: [role] },
        'test',
      );
    }
    const customer = await repositories.customers.create(
      { name: '王小明', idNumber: '11010519900307451X', phone: '13800001111' },
      'test',
    );
    if (!customer.ok) throw new Error(customer.error.code);
    customerId = customer.value.id;
    const schedule = scheduleOf(50_000n, 12);
    await repositories.loans.createFromSchedule(
      { loanNo: 'L202601001', customerId, schedule },
      'test',
    );
    app = await buildApp({
      store: {
        handle: { db: database.db, dialect, location: 'test' },
        repositories,
        repositoriesOver: (db) => createRepositories(db, SYSTEM_DEPS, cipher),
        signer: createTokenSigner(TEST_SECRET_KEY),
      },
      webRoot: '/nonexistent',
    });
    for (const role of ['agent', 'collector', 'supervisor'] as const) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: role, password: PASSWORD },
      });
      tokens.set(role, (response.json() as { token: string }).token);
    }
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await database?.destroy();
  });

  const as = (role: Role) => ({
    authorization: `Bearer ${tokens.get(role) ?? ''}`,
  });

  it('logs in with a session cookie and refuses a wrong password with the same answer as an unknown user', async () => {
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'agent', password: PASSWORD },
    });
    expect(ok.statusCode).toBe(200);
    expect(String(ok.headers['set-cookie'])).toMatch(
      /loandesk_session=.*HttpOnly.*SameSite=Strict/i,
    );
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'agent', password: 'nope' },
    });
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'nobody', password: 'nope' },
    });
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(wrong.json()).toEqual(unknown.json());
    const me = await app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: as('agent'),
    });
    expect(me.json()).toMatchObject({ username: 'agent', roles: ['agent'] });
  });

  it('refuses a request without a session and a forged token', async () => {
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/api/v1/customers/${customerId}`,
        })
      ).statusCode,
    ).toBe(401);
    const forged = `${(tokens.get('agent') ?? '').split('.')[0]}.AAAA`;
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/api/v1/customers/${customerId}`,
          headers: { authorization: `Bearer ${forged}` },
        })
      ).statusCode,
    ).toBe(401);
  });

  it('shows customers masked by default', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/customers/${customerId}`,
      headers: as('agent'),
    });
    expect(response.statusCode).toBe(200);
    const body = response.json() as {
      name: string;
      id_number: string;
      phone: string;
      masked: boolean;
    };
    expect(body.masked).toBe(true);
    expect(body.phone).toBe('138****1111');
    expect(body.id_number).not.toContain('19900307');
    expect(body.name).not.toBe('王小明');
  });

  it('refuses an agent the full ID number and audits the attempt', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/customers/${customerId}?unmasked=true&reason=check`,
      headers: as('agent'),
    });
    expect(response.statusCode).toBe(403);
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('action', '=', 'customer.pii_read_refused')
      .execute();
    expect(audit).toEqual([
      { action: 'customer.pii_read_refused', actor: 'agent' },
    ]);
  });

  it('gives a supervisor the full data only with a reason, and audits the read', async () => {
    const noReason = await app.inject({
      method: 'GET',
      url: `/api/v1/customers/${customerId}?unmasked=true`,
      headers: as('supervisor'),
    });
    expect(noReason.statusCode).toBe(400);
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/customers/${customerId}?unmasked=true&reason=${encodeURIComponent('投诉核实')}`,
      headers: as('supervisor'),
    });
    expect(response.json()).toMatchObject({
      id_number: '11010519900307451X',
      phone: '13800001111',
      masked: false,
    });
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['actor'])
      .where('action', '=', 'customer.pii_read')
      .execute();
    expect(audit).toEqual([{ actor: 'supervisor' }]);
  });

  it('shows the loan ledger (to a collector once the case is assigned)', async () => {
    const read = () =>
      app.inject({
        method: 'GET',
        url: '/api/v1/loans/L202601001',
        headers: as('collector'),
      });
    expect((await read()).statusCode).toBe(403);
    const loan0 = await repos.loans.findByLoanNo('L202601001');
    const collector = await repos.users.findByUsername('collector');
    if (loan0 === undefined || collector === undefined) throw new Error('seed');
    await repos.collectionWork.assign(loan0.id, collector.id, 'supervisor');
    const response = await read();
    expect(response.statusCode).toBe(200);
    const loan = response.json() as {
      installments: { payment: string }[];
      outstanding: string;
      rate_annual: string;
    };
    expect(loan.installments).toHaveLength(12);
    expect(loan.rate_annual).toBe('0.072800');
  });

  it('posts a repayment by the waterfall, once per Idempotency-Key', async () => {
    const url = '/api/v1/loans/L202601001/payments';
    expect(
      (
        await app.inject({
          method: 'POST',
          url,
          headers: { ...as('agent'), 'idempotency-key': 'pay-0001-abc' },
          payload: { amount: '100.00' },
        })
      ).statusCode,
    ).toBe(403);
    const missingKey = await app.inject({
      method: 'POST',
      url,
      headers: as('supervisor'),
      payload: { amount: '100.00' },
    });
    expect(missingKey.statusCode).toBe(400);
    expect(missingKey.json()).toMatchObject({
      error: { field: 'idempotency-key' },
    });
    const first = await app.inject({
      method: 'POST',
      url,
      headers: { ...as('supervisor'), 'idempotency-key': 'pay-0001-abc' },
      payload: { amount: '5000.00', paid_on: '2026-02-10' },
    });
    expect(first.statusCode).toBe(200);
    const paid = first.json() as {
      payment_id: string;
      replayed: boolean;
      allocations: { n: number; interest: string; principal: string }[];
    };
    // 50000 × 0.0728 / 12 = 303.33 interest on the first installment, then principal.
    expect(paid.allocations[0]).toMatchObject({ n: 1, interest: '303.33' });
    expect(paid.allocations.length).toBeGreaterThan(1);
    const retry = await app.inject({
      method: 'POST',
      url,
      headers: { ...as('supervisor'), 'idempotency-key': 'pay-0001-abc' },
      payload: { amount: '5000.00', paid_on: '2026-02-10' },
    });
    expect(retry.json()).toMatchObject({
      payment_id: paid.payment_id,
      replayed: true,
    });
    const payments = await database.db
      .selectFrom('payments')
      .select('id')
      .execute();
    expect(payments).toHaveLength(1);
    const conflict = await app.inject({
      method: 'POST',
      url,
      headers: { ...as('supervisor'), 'idempotency-key': 'pay-0001-abc' },
      payload: { amount: '10.00' },
    });
    expect(conflict.statusCode).toBe(409);
    const over = await app.inject({
      method: 'POST',
      url,
      headers: { ...as('supervisor'), 'idempotency-key': 'pay-0002-abc' },
      payload: { amount: '999999.00' },
    });
    expect(over.statusCode).toBe(400);
    expect(over.json()).toMatchObject({
      error: { code: 'payment.overpayment' },
    });
  });

  it('issues a printable settlement certificate only for a settled loan', async () => {
    const rate = parseRate('0.06');
    if (rate === undefined) throw new Error('rate');
    const schedule = buildSchedule({
      principalFen: fen(100_000n),
      rateAnnual: rate,
      termMonths: 1,
      method: 'bullet',
      startDate: calendarDate('2026-01-10'),
      dayCount: '30/360',
      rounding: 'half_up',
      paymentMultipleFen: fen(1n),
      interestOnlyPeriods: 0,
      fees: [],
      prepayments: [],
    });
    if (!schedule.ok) throw new Error('schedule');
    const loan = await repos.loans.createFromSchedule(
      { loanNo: 'L202601002', customerId, schedule: schedule.value },
      'test',
    );
    const url = '/api/v1/loans/L202601002/settlement-certificate';
    expect(
      (await app.inject({ method: 'GET', url, headers: as('agent') }))
        .statusCode,
    ).toBe(409);
    const total = schedule.value.totalPaidFen;
    const paid = await app.inject({
      method: 'POST',
      url: '/api/v1/loans/L202601002/payments',
      headers: { ...as('supervisor'), 'idempotency-key': 'settle-0001-abc' },
      payload: {
        amount: `${total / 100n}.${String(total % 100n).padStart(2, '0')}`,
        paid_on: '2026-02-10',
      },
    });
    expect(paid.statusCode).toBe(200);
    const settled = await repos.loans.transition(
      loan.id,
      { type: 'settle' },
      { actor: 'test', reason: '按期结清' },
    );
    expect(settled.ok).toBe(true);
    const response = await app.inject({
      method: 'GET',
      url,
      headers: as('agent'),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.body).toContain('结清证明');
    expect(response.body).toContain('王小明');
    expect(response.body).toContain('L202601002');
    expect(response.body).not.toContain('11010519900307451X');
    const audit = await database.db
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'customer.pii_read')
      .where('actor', '=', 'agent')
      .execute();
    expect(audit).toHaveLength(1);
  });
});
