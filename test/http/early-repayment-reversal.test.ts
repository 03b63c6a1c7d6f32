// Proves the reversal of early repayments over HTTP, on every dialect: a
// partial prepayment's reversal brings back the schedule in force before it
// (as a new version, history kept) and refunds its fee line; a payoff's
// reversal restores the schedule and returns the settled loan to
// repaying; both are idempotent per key and audited with who and why; a
// later payment that still stands, or a restructuring since, blocks the
// reversal and the answer names it. Bad input names the field; wrong role
// 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditForSubject } from '../../src/adapters/db/repositories/audit-repository.js';
import { reamortize } from '../../src/domain/loan/restructuring/plans.js';
import { DEFAULT_RESTRUCTURING_POLICY } from '../../src/domain/loan/restructuring/policy.js';
import { buildSchedule } from '../../src/domain/loan/schedule/build-schedule.js';
import type { LoanTerms } from '../../src/domain/loan/schedule/types.js';
import { fen } from '../../src/domain/money/fen.js';
import type { Role } from '../../src/domain/security/permissions.js';
import { calendarDate } from '../../src/domain/shared/calendar-date.js';
import { DIALECTS } from '../db/dialects.js';
import { rateOf, termsOf } from '../db/fixtures.js';
import {
  type ErrorJson,
  openStoreApp,
  type StoreApp,
  yuan,
} from './store-app.js';

type LedgerJson = {
  status: string;
  outstanding: string;
  installments: {
    n: number;
    due_date: string;
    payment: string;
    principal: string;
    interest: string;
    outstanding: string;
  }[];
};
type ReversalJson = {
  reversal: { payment_id: string; kind: string; amount: string };
  replayed: boolean;
  loan: { status: string; schedule_version: number };
};

describe.each(DIALECTS)('reversal of early repayments on %s', (dialect) => {
  let s: StoreApp;
  let customerId = '';

  beforeAll(async () => {
    s = await openStoreApp(dialect);
    const customer = await s.repos.customers.create(
      { name: '孙丽', idNumber: '110105199204174528', phone: '13800004444' },
      'test',
    );
    if (!customer.ok) throw new Error(customer.error.code);
    customerId = customer.value.id;
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  let keySeq = 0;
  const key = () => ({ 'idempotency-key': `rev-key-${++keySeq}-abcdef` });
  const post = (role: Role, url: string, payload: object, extra = {}) =>
    s.app.inject({
      method: 'POST',
      url: `/api/v1${url}`,
      headers: { ...s.as(role), ...extra },
      payload,
    });
  const get = (role: Role, url: string) =>
    s.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: s.as(role) });
  const ledger = async (loanNo: string) =>
    (await get('supervisor', `/loans/${loanNo}`)).json() as LedgerJson;
  const rows = async (loanNo: string) =>
    (await ledger(loanNo)).installments.map((i) => [
      i.n,
      i.due_date,
      i.payment,
      i.outstanding,
    ]);

  async function book(loanNo: string, terms: Partial<LoanTerms> = {}) {
    const built = buildSchedule({ ...termsOf(12_000n, 12), ...terms });
    if (!built.ok) throw new Error('schedule');
    return s.repos.loans.createFromSchedule(
      {
        loanNo,
        customerId,
        schedule: built.value,
        prepaymentFee: {
          kind: 'share_of_prepaid',
          shareOfPrincipal: rateOf('0.01'),
          freeAfterMonths: 12,
        },
      },
      'test',
    );
  }
  async function repayInstallments(loanNo: string, from: number, to: number) {
    const ids: string[] = [];
    for (const row of (await ledger(loanNo)).installments.slice(from, to)) {
      const paid = await post(
        'supervisor',
        `/loans/${loanNo}/payments`,
        { amount: row.payment, paid_on: row.due_date },
        key(),
      );
      expect(paid.statusCode).toBe(200);
      ids.push((paid.json() as { payment_id: string }).payment_id);
    }
    return ids;
  }
  async function prepay(loanNo: string, amount: string, paidOn: string) {
    const done = await post(
      'supervisor',
      `/loans/${loanNo}/prepayments`,
      { amount, mode: 'reduce_payment', paid_on: paidOn },
      key(),
    );
    expect(done.statusCode).toBe(200);
    return (done.json() as { payment: { payment_id: string; amount: string } })
      .payment;
  }
  const reverse = (loanNo: string, paymentId: string, extra: object = key()) =>
    post(
      'supervisor',
      `/loans/${loanNo}/payments/${paymentId}/reversal`,
      { reason: '客户撤回提前还款申请，资金原路退回' },
      extra,
    );

  it('reverses a partial prepayment: the schedule before it returns, the fee is refunded, once per key', async () => {
    const loan = await book('R-PREPAY');
    await repayInstallments('R-PREPAY', 0, 2);
    const before = await rows('R-PREPAY');
    const prepaid = await prepay('R-PREPAY', '3000', '2026-03-20');
    // 3,000 principal + 6.07 interest to date + 30.00 fee (1 %).
    expect(prepaid.amount).toBe('3036.07');
    expect(await rows('R-PREPAY')).not.toEqual(before);
    const url = `/loans/R-PREPAY/payments/${prepaid.payment_id}/reversal`;
    expect(
      (await post('negotiator', url, { reason: '撤回' }, key())).statusCode,
    ).toBe(403);
    const noKey = await post('supervisor', url, { reason: '撤回' });
    expect((noKey.json() as ErrorJson).error.field).toBe('idempotency-key');
    const noReason = await post('supervisor', url, {}, key());
    expect((noReason.json() as ErrorJson).error.field).toBe('reason');
    const k = key();
    const first = await reverse('R-PREPAY', prepaid.payment_id, k);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      reversal: {
        kind: 'reversal',
        amount: '-3036.07',
        reverses_payment_id: prepaid.payment_id,
      },
      replayed: false,
      loan: { status: 'repaying', schedule_version: 3 },
    });
    expect(await rows('R-PREPAY')).toEqual(before);
    const retry = await reverse('R-PREPAY', prepaid.payment_id, k);
    expect(retry.json()).toMatchObject({
      replayed: true,
      reversal: {
        payment_id: (first.json() as ReversalJson).reversal.payment_id,
      },
    });
    const again = await reverse('R-PREPAY', prepaid.payment_id);
    expect(again.statusCode).toBe(409);
    expect((again.json() as ErrorJson).error.code).toBe(
      'payment.already_reversed',
    );
    // The reversed prepayment no longer shapes the schedule: a new one
    // gives the engine's schedule for that one alone.
    await prepay('R-PREPAY', '1000', '2026-03-25');
    const engine = buildSchedule({
      ...termsOf(12_000n, 12),
      prepayments: [
        { afterPeriod: 2, amountFen: fen(1_000_00n), mode: 'reduce_payment' },
      ],
    });
    if (!engine.ok) throw new Error('engine');
    expect(
      (await ledger('R-PREPAY')).installments.map((i) => i.payment),
    ).toEqual(engine.value.installments.map((i) => yuan(i.paymentFen)));
    const audit = await listAuditForSubject(s.database.db, 'loan', loan.id);
    const reversal = audit.find((e) => e.action === 'payment.reverse');
    expect(reversal).toMatchObject({
      actor: 'supervisor',
      details: {
        reverses_payment_id: prepaid.payment_id,
        reverses_kind: 'prepayment',
        reason: '客户撤回提前还款申请，资金原路退回',
        restored_schedule_version: 1,
      },
    });
    expect(
      audit.some(
        (e) =>
          e.action === 'loan.reschedule' &&
          (e.details as { cause?: string }).cause === 'reversal',
      ),
    ).toBe(true);
  });

  it('refuses while a later payment stands on it, naming that payment; reversing that one first unblocks it', async () => {
    await book('R-LATER');
    await repayInstallments('R-LATER', 0, 2);
    const before = await rows('R-LATER');
    const prepaid = await prepay('R-LATER', '2000', '2026-03-20');
    const [third] = await repayInstallments('R-LATER', 2, 3);
    if (third === undefined) throw new Error('no repayment');
    const blocked = await reverse('R-LATER', prepaid.payment_id);
    expect(blocked.statusCode).toBe(409);
    const error = (blocked.json() as ErrorJson).error;
    expect(error.code).toBe('payment.later_movement');
    expect(error.message).toContain(third);
    const undone = await reverse('R-LATER', third);
    expect(undone.statusCode).toBe(200);
    const done = await reverse('R-LATER', prepaid.payment_id);
    expect(done.statusCode).toBe(200);
    expect(await rows('R-LATER')).toEqual(before);
  });

  it('reverses a payoff: the schedule before it returns and the settled loan is repaying again', async () => {
    await book('R-PAYOFF');
    await repayInstallments('R-PAYOFF', 0, 4);
    const before = await ledger('R-PAYOFF');
    const quote = (
      await get('agent', '/loans/R-PAYOFF/payoff?date=2026-05-20')
    ).json() as { total: string };
    const paid = await post(
      'supervisor',
      '/loans/R-PAYOFF/payoff',
      { amount: quote.total, paid_on: '2026-05-20' },
      key(),
    );
    expect(paid.json()).toMatchObject({ loan: { status: 'settled' } });
    const payoffId = (paid.json() as { payment: { payment_id: string } })
      .payment.payment_id;
    const done = await reverse('R-PAYOFF', payoffId);
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({
      reversal: { amount: `-${quote.total}` },
      loan: { status: 'repaying', schedule_version: 3 },
    });
    const after = await ledger('R-PAYOFF');
    expect(after.outstanding).toBe(before.outstanding);
    expect(after.installments).toEqual(before.installments);
    const certificate = await get(
      'agent',
      '/loans/R-PAYOFF/settlement-certificate',
    );
    expect((certificate.json() as ErrorJson).error.code).toBe(
      'loan.not_settled',
    );
    // Paying off again works on the restored schedule.
    const again = (
      await get('agent', '/loans/R-PAYOFF/payoff?date=2026-05-20')
    ).json() as { total: string };
    expect(again.total).toBe(quote.total);
  });

  it('reverses a payoff of a loan already past its last due date (no schedule version of its own)', async () => {
    await book('R-LATE', { startDate: calendarDate('2025-01-10') });
    const before = await ledger('R-LATE');
    const quote = (
      await get('agent', '/loans/R-LATE/payoff?date=2026-02-01')
    ).json() as { total: string };
    const paid = await post(
      'supervisor',
      '/loans/R-LATE/payoff',
      { amount: quote.total, paid_on: '2026-02-01' },
      key(),
    );
    expect(paid.json()).toMatchObject({
      loan: { status: 'settled', schedule_version: 1 },
    });
    const payoffId = (paid.json() as { payment: { payment_id: string } })
      .payment.payment_id;
    const done = await reverse('R-LATE', payoffId);
    expect(done.json()).toMatchObject({
      loan: { status: 'repaying', schedule_version: 1 },
    });
    expect(await ledger('R-LATE')).toEqual(before);
  });

  it('refuses when the schedule was replaced since (a restructuring)', async () => {
    const loan = await book('R-RESTR');
    await repayInstallments('R-RESTR', 0, 2);
    const prepaid = await prepay('R-RESTR', '2000', '2026-03-20');
    const plan = reamortize(
      {
        debt: {
          principalFen: fen(7_000_00n),
          interestFen: fen(0n),
          feeFen: fen(0n),
          penaltyFen: fen(0n),
        },
        months: 12,
        startDate: calendarDate('2026-04-01'),
        rounding: 'half_up',
        rateAnnual: rateOf('0.06'),
      },
      DEFAULT_RESTRUCTURING_POLICY,
    );
    if (!plan.ok) throw new Error(plan.error.code);
    const moved = await s.repos.loans.restructure(
      loan.id,
      plan.value.schedule,
      {
        actor: 'test',
        reason: '协商分期',
      },
    );
    if (!moved.ok) throw new Error(moved.error.code);
    const refused = await reverse('R-RESTR', prepaid.payment_id);
    expect(refused.statusCode).toBe(409);
    expect((refused.json() as ErrorJson).error.code).toBe(
      'payment.schedule_replaced',
    );
    const missing = await reverse('R-RESTR', 'pay_none');
    expect(missing.statusCode).toBe(404);
  });
});
