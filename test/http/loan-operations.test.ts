// Proves payment operations on stored loans over HTTP, on every dialect:
// reversal (idempotent, reopening a settled loan), the payoff quote and the
// payoff that settles the loan in one transaction, partial prepayment that
// writes the engine's new schedule as a new version (checked against the
// engine's own schedule for the same prepayments), and hand-made status
// changes checked against the ledger. Each route: happy path, bad input
// (400 with the field), wrong role (403), and the audit entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../../src/adapters/clock/today.js';
import { listAuditForSubject } from '../../src/adapters/db/repositories/audit-repository.js';
import { payoffQuote } from '../../src/domain/loan/early-repayment/payoff.js';
import { NO_PREPAYMENT_FEE } from '../../src/domain/loan/early-repayment/prepayment-fee.js';
import { buildSchedule } from '../../src/domain/loan/schedule/build-schedule.js';
import type { Prepayment } from '../../src/domain/loan/schedule/types.js';
import { fen } from '../../src/domain/money/fen.js';
import type { Role } from '../../src/domain/security/permissions.js';
import { calendarDate } from '../../src/domain/shared/calendar-date.js';
import { DIALECTS } from '../db/dialects.js';
import { scheduleOf, termsOf } from '../db/fixtures.js';
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

describe.each(DIALECTS)('loan operations on %s', (dialect) => {
  let s: StoreApp;
  let customerId = '';
  const monthly = scheduleOf(12_000n, 12).installments[0]?.paymentFen ?? 0n;

  beforeAll(async () => {
    s = await openStoreApp(dialect);
    const customer = await s.repos.customers.create(
      { name: '孙强', idNumber: '11010519900307451X', phone: '13800001111' },
      'test',
    );
    if (!customer.ok) throw new Error(customer.error.code);
    customerId = customer.value.id;
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  let keySeq = 0;
  const key = () => ({ 'idempotency-key': `test-key-${++keySeq}-abcdef` });
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

  async function book(loanNo: string, startDate = '2026-01-10') {
    const built = buildSchedule({
      ...termsOf(12_000n, 12),
      startDate: calendarDate(startDate),
    });
    if (!built.ok) throw new Error('schedule');
    return s.repos.loans.createFromSchedule(
      { loanNo, customerId, schedule: built.value },
      'test',
    );
  }
  async function repay(loanNo: string, amountFen: bigint, paidOn: string) {
    const response = await post(
      'supervisor',
      `/loans/${loanNo}/payments`,
      { amount: yuan(amountFen), paid_on: paidOn },
      key(),
    );
    expect(response.statusCode).toBe(200);
    return response.json() as { payment_id: string };
  }

  it('lists a loan’s payments to every role, and answers unknown loans and long numbers', async () => {
    await book('L-LIST');
    await repay('L-LIST', monthly, '2026-02-10');
    const list = await get('agent', '/loans/L-LIST/payments');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([
      expect.objectContaining({
        kind: 'repayment',
        amount: yuan(monthly),
        paid_on: '2026-02-10',
        reverses_payment_id: null,
      }),
    ]);
    expect((await get('agent', '/loans/L-NONE/payments')).statusCode).toBe(404);
    const long = await get('agent', `/loans/${'9'.repeat(41)}/payments`);
    expect((long.json() as ErrorJson).error.field).toBe('loanNo');
    const anonymous = await s.app.inject({
      method: 'GET',
      url: '/api/v1/loans/L-LIST/payments',
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('reverses a repayment once per key, undoing its allocation, and refuses what cannot be reversed', async () => {
    await book('L-REV');
    const paid = await repay('L-REV', monthly + 500_00n, '2026-02-10');
    const url = `/loans/L-REV/payments/${paid.payment_id}/reversal`;
    expect(
      (await post('agent', url, { reason: '错账' }, key())).statusCode,
    ).toBe(403);
    const noKey = await post('supervisor', url, { reason: '错账' });
    expect((noKey.json() as ErrorJson).error.field).toBe('idempotency-key');
    const noReason = await post('supervisor', url, {}, key());
    expect((noReason.json() as ErrorJson).error.field).toBe('reason');
    const k = key();
    const first = await post(
      'supervisor',
      url,
      { reason: '客户重复转账，原路退回' },
      k,
    );
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      reversal: {
        kind: 'reversal',
        amount: `-${yuan(monthly + 500_00n)}`,
        reverses_payment_id: paid.payment_id,
      },
      replayed: false,
      loan: { status: 'repaying' },
    });
    const retry = await post(
      'supervisor',
      url,
      { reason: '客户重复转账，原路退回' },
      k,
    );
    expect(retry.json()).toMatchObject({ replayed: true });
    const again = await post('supervisor', url, { reason: '再次冲正' }, key());
    expect(again.statusCode).toBe(409);
    expect((again.json() as ErrorJson).error.code).toBe(
      'payment.already_reversed',
    );
    const reversalId = (first.json() as { reversal: { payment_id: string } })
      .reversal.payment_id;
    const ofReversal = await post(
      'supervisor',
      `/loans/L-REV/payments/${reversalId}/reversal`,
      { reason: '冲正的冲正' },
      key(),
    );
    expect((ofReversal.json() as ErrorJson).error.code).toBe(
      'payment.not_reversible',
    );
    const missing = await post(
      'supervisor',
      '/loans/L-REV/payments/pay_none/reversal',
      { reason: 'x' },
      key(),
    );
    expect(missing.statusCode).toBe(404);
    const book2 = await ledger('L-REV');
    expect(book2.installments.every((i) => i.outstanding === i.payment)).toBe(
      true,
    );
    const audit = await listAuditForSubject(
      s.database.db,
      'loan',
      (await s.repos.loans.findByLoanNo('L-REV'))?.id ?? '',
    );
    expect(
      audit.filter((e) => e.action === 'payment.reverse').map((e) => e.actor),
    ).toEqual(['supervisor']);
  });

  it('reopens a settled loan when the payment that settled it is reversed', async () => {
    await book('L-REOPEN');
    const schedule = scheduleOf(12_000n, 12);
    const paid = await repay('L-REOPEN', schedule.totalPaidFen, '2026-02-10');
    const settled = await post('supervisor', '/loans/L-REOPEN/transitions', {
      event: 'settle',
      reason: '全部还清',
    });
    expect(settled.json()).toMatchObject({ status: 'settled' });
    const reversed = await post(
      'supervisor',
      `/loans/L-REOPEN/payments/${paid.payment_id}/reversal`,
      { reason: '银行退票' },
      key(),
    );
    expect(reversed.json()).toMatchObject({ loan: { status: 'repaying' } });
  });

  it('quotes a payoff for a date as the engine does, and refuses bad dates', async () => {
    await book('L-QUOTE');
    await repay('L-QUOTE', monthly * 4n, '2026-05-10');
    const response = await get(
      'agent',
      '/loans/L-QUOTE/payoff?date=2026-05-20',
    );
    expect(response.statusCode).toBe(200);
    const engine = payoffQuote(
      {
        schedule: scheduleOf(12_000n, 12),
        paidPeriods: 4,
        asOf: calendarDate('2026-05-20'),
      },
      { feePolicy: NO_PREPAYMENT_FEE },
    );
    if (!engine.ok) throw new Error('quote');
    expect(response.json()).toEqual({
      loan_no: 'L-QUOTE',
      as_of: '2026-05-20',
      principal: yuan(engine.value.principalFen),
      interest: yuan(engine.value.interestFen),
      accrued_interest: yuan(engine.value.accruedInterestFen),
      fee: '0.00',
      penalty: '0.00',
      prepayment_fee: '0.00',
      prepayment_fee_terms: '本合同提前还款不收取违约金。',
      total: yuan(engine.value.totalFen),
      interest_saved: yuan(engine.value.interestSavedFen),
    });
    const bad = await get('agent', '/loans/L-QUOTE/payoff?date=2026-02-30');
    expect((bad.json() as ErrorJson).error.field).toBe('date');
    const early = await get('agent', '/loans/L-QUOTE/payoff?date=2025-12-31');
    expect((early.json() as ErrorJson).error).toMatchObject({
      code: 'payoff.as_of_before_start',
      field: 'date',
    });
    expect((await get('agent', '/loans/L-NONE/payoff')).statusCode).toBe(404);
  });

  it('pays off a loan at the quoted amount in one transaction, settles it, and answers a retry from the key', async () => {
    await book('L-PAYOFF');
    await repay('L-PAYOFF', monthly * 4n, '2026-05-10');
    // Part of installment 5 paid early: it stays paid inside the payoff.
    await repay('L-PAYOFF', 200_00n, '2026-05-12');
    const quote = (
      await get('agent', '/loans/L-PAYOFF/payoff?date=2026-05-20')
    ).json() as {
      total: string;
    };
    const body = { amount: quote.total, paid_on: '2026-05-20' };
    expect(
      (await post('agent', '/loans/L-PAYOFF/payoff', body, key())).statusCode,
    ).toBe(403);
    expect(
      (await post('collector', '/loans/L-PAYOFF/payoff', body, key()))
        .statusCode,
    ).toBe(403);
    const wrong = await post(
      'supervisor',
      '/loans/L-PAYOFF/payoff',
      { ...body, amount: '100.00' },
      key(),
    );
    expect(wrong.statusCode).toBe(400);
    expect((wrong.json() as ErrorJson).error).toMatchObject({
      code: 'payoff.amount_mismatch',
      field: 'amount',
    });
    expect((wrong.json() as ErrorJson).error.message).toContain(quote.total);
    const noKey = await post('supervisor', '/loans/L-PAYOFF/payoff', body);
    expect((noKey.json() as ErrorJson).error.field).toBe('idempotency-key');
    const k = key();
    const done = await post('supervisor', '/loans/L-PAYOFF/payoff', body, k);
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({
      payment: { kind: 'payoff', amount: quote.total },
      replayed: false,
      loan: { status: 'settled', schedule_version: 2, allowed_events: [] },
    });
    const after = await ledger('L-PAYOFF');
    expect(after.outstanding).toBe('0.00');
    expect(after.installments.map((i) => i.n)).toEqual([1, 2, 3, 4, 5]);
    expect(after.installments[4]?.due_date).toBe('2026-05-20');
    const retry = await post('supervisor', '/loans/L-PAYOFF/payoff', body, k);
    expect(retry.json()).toMatchObject({
      replayed: true,
      payment: {
        payment_id: (done.json() as { payment: { payment_id: string } }).payment
          .payment_id,
      },
    });
    const payments = (
      await get('agent', '/loans/L-PAYOFF/payments')
    ).json() as unknown[];
    expect(payments).toHaveLength(3);
    const certificate = await get(
      'agent',
      '/loans/L-PAYOFF/settlement-certificate',
    );
    expect(certificate.statusCode).toBe(200);
    const closed = await get('agent', '/loans/L-PAYOFF/payoff?date=2026-05-21');
    expect((closed.json() as ErrorJson).error.code).toBe(
      'payment.loan_not_open',
    );
    const loanId = (await s.repos.loans.findByLoanNo('L-PAYOFF'))?.id ?? '';
    const audit = await listAuditForSubject(s.database.db, 'loan', loanId);
    expect(audit.slice(-3).map((e) => [e.action, e.actor])).toEqual([
      ['loan.reschedule', 'supervisor'],
      ['payment.payoff', 'supervisor'],
      ['loan.settle', 'supervisor'],
    ]);
  });

  it('prepays part of the principal into the engine’s new schedule, twice, and replays a retry', async () => {
    await book('L-PREPAY');
    await repay('L-PREPAY', monthly * 2n, '2026-03-10');
    const url = '/loans/L-PREPAY/prepayments';
    const body = {
      amount: '3000.00',
      mode: 'reduce_payment',
      paid_on: '2026-03-20',
    };
    expect((await post('agent', url, body, key())).statusCode).toBe(403);
    const badMode = await post(
      'supervisor',
      url,
      { ...body, mode: 'smaller' },
      key(),
    );
    expect((badMode.json() as ErrorJson).error.field).toBe('mode');
    const tooMuch = await post(
      'supervisor',
      url,
      { ...body, amount: '20000.00' },
      key(),
    );
    expect((tooMuch.json() as ErrorJson).error).toMatchObject({
      code: 'prepayment.amount_out_of_range',
      field: 'amount',
    });
    const k = key();
    const first = await post('supervisor', url, body, k);
    expect(first.statusCode).toBe(200);
    // 3,000 × 7.28 % × 10 days / 360 = 6.07 interest to date.
    expect(first.json()).toMatchObject({
      payment: { kind: 'prepayment', amount: '3006.07' },
      principal: '3000.00',
      interest_due_now: '6.07',
      periods_left: 10,
      replayed: false,
      loan: { schedule_version: 2 },
    });
    const retry = await post('supervisor', url, body, k);
    expect(retry.json()).toMatchObject({
      replayed: true,
      interest_saved: null,
      loan: { schedule_version: 2 },
    });
    const second = await post(
      'supervisor',
      url,
      { amount: '1000', mode: 'reduce_term', paid_on: '2026-04-10' },
      key(),
    );
    // Installment 3 falls due on 04-10: it is not paid, so this is refused.
    expect((second.json() as ErrorJson).error.code).toBe(
      'prepayment.loan_overdue',
    );
    const next = (await ledger('L-PREPAY')).installments[2]?.payment ?? '';
    const n3 = BigInt(next.replace('.', ''));
    await repay('L-PREPAY', n3, '2026-04-10');
    const third = await post(
      'supervisor',
      url,
      { amount: '1000', mode: 'reduce_term', paid_on: '2026-04-15' },
      key(),
    );
    expect(third.statusCode).toBe(200);
    expect(third.json()).toMatchObject({ loan: { schedule_version: 3 } });
    const prepayments: Prepayment[] = [
      { afterPeriod: 2, amountFen: fen(3_000_00n), mode: 'reduce_payment' },
      { afterPeriod: 3, amountFen: fen(1_000_00n), mode: 'reduce_term' },
    ];
    const engine = buildSchedule({ ...termsOf(12_000n, 12), prepayments });
    if (!engine.ok) throw new Error('engine');
    const stored = await ledger('L-PREPAY');
    expect(
      stored.installments.map((i) => [i.n, i.due_date, i.payment]),
    ).toEqual(
      engine.value.installments.map((i) => [
        i.n,
        i.dueDate,
        yuan(i.paymentFen),
      ]),
    );
    expect(engine.value.installments.length).toBeLessThan(12);
    const payments = (
      await get('agent', '/loans/L-PREPAY/payments')
    ).json() as { kind: string }[];
    expect(payments.map((p) => p.kind)).toEqual([
      'repayment',
      'prepayment',
      'repayment',
      'prepayment',
    ]);
  });

  it('lets a negotiator prepay only on a case assigned to them', async () => {
    const loan = await book('L-ASSIGNED');
    await repay('L-ASSIGNED', monthly, '2026-02-10');
    const body = { amount: '2000', mode: 'reduce_term', paid_on: '2026-02-15' };
    const unassigned = await post(
      'negotiator',
      '/loans/L-ASSIGNED/prepayments',
      body,
      key(),
    );
    expect(unassigned.statusCode).toBe(403);
    expect((unassigned.json() as ErrorJson).error.code).toBe(
      'collection.not_assigned',
    );
    await s.repos.collectionWork.assign(
      loan.id,
      s.userIds.get('negotiator') ?? '',
      'test',
    );
    const assigned = await post(
      'negotiator',
      '/loans/L-ASSIGNED/prepayments',
      body,
      key(),
    );
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json()).toMatchObject({
      principal: '2000.00',
      periods_left: expect.any(Number),
    });
  });

  it('refuses a prepayment before the first installment, with an installment part-paid, and on a settled loan', async () => {
    await book('L-EARLY');
    const early = await post(
      'supervisor',
      '/loans/L-EARLY/prepayments',
      { amount: '1000', mode: 'reduce_term', paid_on: '2026-01-20' },
      key(),
    );
    expect((early.json() as ErrorJson).error.code).toBe(
      'prepayment.before_first_installment',
    );
    await repay('L-EARLY', monthly + 100_00n, '2026-02-10');
    const partly = await post(
      'supervisor',
      '/loans/L-EARLY/prepayments',
      { amount: '1000', mode: 'reduce_term', paid_on: '2026-02-20' },
      key(),
    );
    expect(partly.statusCode).toBe(409);
    expect((partly.json() as ErrorJson).error.code).toBe(
      'prepayment.installment_partly_paid',
    );
  });

  it('changes a loan’s status only as the ledger allows, audited with the reason', async () => {
    await book('L-STATE');
    const url = '/loans/L-STATE/transitions';
    expect(
      (await post('collector', url, { event: 'miss_payment', reason: '逾期' }))
        .statusCode,
    ).toBe(403);
    const bad = await post('supervisor', url, {
      event: 'explode',
      reason: 'x',
    });
    expect((bad.json() as ErrorJson).error.field).toBe('event');
    const noReason = await post('supervisor', url, { event: 'miss_payment' });
    expect((noReason.json() as ErrorJson).error.field).toBe('reason');
    const cure = await post('supervisor', url, {
      event: 'cure',
      reason: '已还清',
    });
    expect((cure.json() as ErrorJson).error.code).toBe('loan.still_overdue');
    const settle = await post('supervisor', url, {
      event: 'settle',
      reason: '结清',
    });
    expect((settle.json() as ErrorJson).error.code).toBe(
      'loan.balance_outstanding',
    );
    for (const [event, status] of [
      ['miss_payment', 'overdue'],
      ['assign_collection', 'collection'],
      ['write_off', 'written_off'],
    ] as const) {
      const moved = await post('supervisor', url, {
        event,
        reason: `依规${event}`,
      });
      expect(moved.json()).toMatchObject({ status });
    }
    const terminal = await post('supervisor', url, {
      event: 'miss_payment',
      reason: '再次',
    });
    expect(terminal.statusCode).toBe(409);
    expect((terminal.json() as ErrorJson).error).toEqual({
      code: 'lifecycle.transition_not_allowed',
      message:
        '当前状态（已核销）不能执行“转入逾期”；该状态已终结，不能再变更。',
    });
    const loanId = (await s.repos.loans.findByLoanNo('L-STATE'))?.id ?? '';
    const audit = await listAuditForSubject(s.database.db, 'loan', loanId);
    expect(audit.at(-1)).toMatchObject({
      action: 'loan.write_off',
      actor: 'supervisor',
      details: {
        from: 'collection',
        to: 'written_off',
        reason: '依规write_off',
      },
    });
    await book('L-CURRENT', todayInChina());
    const current = await post('supervisor', '/loans/L-CURRENT/transitions', {
      event: 'miss_payment',
      reason: '逾期',
    });
    expect((current.json() as ErrorJson).error.code).toBe('loan.not_overdue');
  });
});
