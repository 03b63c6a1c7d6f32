// Proves early repayment follows the loan's contract over HTTP, on every
// dialect: the early-repayment fee of the contract (1 % of the principal
// repaid ahead of its due dates, free once the loan is 12 months old) is
// quoted with its terms in words, charged on a partial prepayment and
// posted through the waterfall on a payoff; the prepayment quote moves no
// money. Partial prepayment also works on loans with periodic fees and on
// restructured loans (the engine's terms kept at booking or restructuring):
// the stored schedule equals the engine's for the same terms and
// prepayments; a loan whose terms were never kept is refused with a
// precise code. Each route: bad input names the field, wrong role 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrepaymentFeeTerms } from '../../src/domain/loan/early-repayment/prepayment-fee.js';
import { reamortize } from '../../src/domain/loan/restructuring/plans.js';
import { DEFAULT_RESTRUCTURING_POLICY } from '../../src/domain/loan/restructuring/policy.js';
import { buildSchedule } from '../../src/domain/loan/schedule/build-schedule.js';
import type {
  LoanTerms,
  Prepayment,
  Schedule,
} from '../../src/domain/loan/schedule/types.js';
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

const ONE_PERCENT_FIRST_YEAR: PrepaymentFeeTerms = {
  kind: 'share_of_prepaid',
  shareOfPrincipal: rateOf('0.01'),
  freeAfterMonths: 12,
};

const fenOf = (yuanText: string) => BigInt(yuanText.replace('.', ''));

describe.each(DIALECTS)('early repayment by the contract on %s', (dialect) => {
  let s: StoreApp;
  let customerId = '';

  beforeAll(async () => {
    s = await openStoreApp(dialect);
    const customer = await s.repos.customers.create(
      { name: '钱进', idNumber: '110105198803074517', phone: '13800003333' },
      'test',
    );
    if (!customer.ok) throw new Error(customer.error.code);
    customerId = customer.value.id;
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  let keySeq = 0;
  const key = () => ({ 'idempotency-key': `terms-key-${++keySeq}-abcdef` });
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

  async function book(
    loanNo: string,
    prepaymentFee: PrepaymentFeeTerms,
    terms: Partial<LoanTerms> = {},
  ) {
    const built = buildSchedule({ ...termsOf(12_000n, 12), ...terms });
    if (!built.ok) throw new Error('schedule');
    return s.repos.loans.createFromSchedule(
      { loanNo, customerId, schedule: built.value, prepaymentFee },
      'test',
    );
  }
  async function repayInstallments(loanNo: string, count: number) {
    for (const row of (await ledger(loanNo)).installments.slice(0, count)) {
      const paid = await post(
        'supervisor',
        `/loans/${loanNo}/payments`,
        { amount: row.payment, paid_on: row.due_date },
        key(),
      );
      expect(paid.statusCode).toBe(200);
    }
  }

  it('quotes and charges the contract’s fee on a partial prepayment; the quote moves no money', async () => {
    await book('T-FEE', ONE_PERCENT_FIRST_YEAR);
    await repayInstallments('T-FEE', 2);
    const url =
      '/loans/T-FEE/prepayments/quote?amount=3000&mode=reduce_payment&date=2026-03-20';
    const quote = await get('agent', url);
    expect(quote.statusCode).toBe(200);
    // 3,000 × 1 % = 30.00; interest 3,000 × 7.28 % × 10 / 360 = 6.07.
    expect(quote.json()).toMatchObject({
      principal: '3000.00',
      interest_due_now: '6.07',
      prepayment_fee: '30.00',
      total: '3036.07',
      periods_left: 10,
      prepayment_fee_terms: expect.stringContaining('按提前归还本金的 1% 收取'),
    });
    expect((await ledger('T-FEE')).installments).toHaveLength(12);
    const badAmount = await get(
      'agent',
      '/loans/T-FEE/prepayments/quote?amount=lots&mode=reduce_term',
    );
    expect((badAmount.json() as ErrorJson).error.field).toBe('amount');
    const badMode = await get(
      'agent',
      '/loans/T-FEE/prepayments/quote?amount=100&mode=faster',
    );
    expect((badMode.json() as ErrorJson).error.field).toBe('mode');
    const anonymous = await s.app.inject({
      method: 'GET',
      url: `/api/v1${url}`,
    });
    expect(anonymous.statusCode).toBe(401);
    const body = {
      amount: '3000',
      mode: 'reduce_payment',
      paid_on: '2026-03-20',
    };
    expect(
      (await post('collector', '/loans/T-FEE/prepayments', body, key()))
        .statusCode,
    ).toBe(403);
    const done = await post(
      'supervisor',
      '/loans/T-FEE/prepayments',
      body,
      key(),
    );
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({
      payment: { kind: 'prepayment', amount: '3036.07' },
      principal: '3000.00',
      interest_due_now: '6.07',
      prepayment_fee: '30.00',
    });
  });

  it('adds the fee to a payoff within the first year and posts it through the waterfall; none once the loan is 12 months old', async () => {
    await book('T-PAYOFF', ONE_PERCENT_FIRST_YEAR);
    await repayInstallments('T-PAYOFF', 4);
    const before = await ledger('T-PAYOFF');
    // Principal falling due after 05-20 (installments 5 … 12) is repaid early.
    const early = before.installments
      .filter((i) => i.due_date > '2026-05-20')
      .reduce((sum, i) => sum + fenOf(i.principal), 0n);
    const feeFen = (early + 50n) / 100n;
    const quote = (
      await get('agent', '/loans/T-PAYOFF/payoff?date=2026-05-20')
    ).json() as { prepayment_fee: string; total: string; principal: string };
    expect(quote.prepayment_fee).toBe(yuan(feeFen));
    expect(quote.principal).toBe(yuan(early));
    const paid = await post(
      'supervisor',
      '/loans/T-PAYOFF/payoff',
      { amount: quote.total, paid_on: '2026-05-20' },
      key(),
    );
    expect(paid.statusCode).toBe(200);
    expect(paid.json()).toMatchObject({ loan: { status: 'settled' } });
    const after = await ledger('T-PAYOFF');
    const folded = after.installments.at(-1);
    expect(folded?.due_date).toBe('2026-05-20');
    expect(folded?.outstanding).toBe('0.00');
    // The folded row carries principal, interest to date and the fee, all paid.
    expect(
      fenOf(folded?.payment ?? '0') -
        fenOf(folded?.principal ?? '0') -
        fenOf(folded?.interest ?? '0'),
    ).toBe(feeFen);

    await book('T-YEAR', ONE_PERCENT_FIRST_YEAR);
    const lastDayOfFee = (
      await get('agent', '/loans/T-YEAR/payoff?date=2027-01-09')
    ).json() as { prepayment_fee: string };
    // On 2027-01-09 only installment 12 (due 2027-01-10) is not yet due.
    const last = (await ledger('T-YEAR')).installments.at(-1);
    expect(lastDayOfFee.prepayment_fee).toBe(
      yuan((fenOf(last?.principal ?? '0') + 50n) / 100n),
    );
    const free = (
      await get('agent', '/loans/T-YEAR/payoff?date=2027-01-10')
    ).json() as { prepayment_fee: string };
    expect(free.prepayment_fee).toBe('0.00');
  });

  it('charges no fee on a contract without one', async () => {
    await book('T-NOFEE', { kind: 'none' });
    const quote = (
      await get('agent', '/loans/T-NOFEE/payoff?date=2026-01-20')
    ).json() as { prepayment_fee: string; prepayment_fee_terms: string };
    expect(quote).toMatchObject({
      prepayment_fee: '0.00',
      prepayment_fee_terms: '本合同提前还款不收取违约金。',
    });
  });

  it('keeps the start date of the terms: a loan started 2026-01-31 is fee-free from 2027-01-31', async () => {
    await book('T-EOM', ONE_PERCENT_FIRST_YEAR, {
      startDate: calendarDate('2026-01-31'),
    });
    const on30 = (
      await get('agent', '/loans/T-EOM/payoff?date=2027-01-30')
    ).json() as { prepayment_fee: string };
    expect(on30.prepayment_fee).not.toBe('0.00');
    const on31 = (
      await get('agent', '/loans/T-EOM/payoff?date=2027-01-31')
    ).json() as { prepayment_fee: string };
    expect(on31.prepayment_fee).toBe('0.00');
  });

  const rowsOf = (schedule: Schedule) =>
    schedule.installments.map((i) => [
      i.n,
      i.dueDate,
      yuan(i.principalFen),
      yuan(i.interestFen),
      yuan(i.paymentFen),
    ]);
  const storedRows = async (loanNo: string) =>
    (await ledger(loanNo)).installments.map((i) => [
      i.n,
      i.due_date,
      i.principal,
      i.interest,
      i.payment,
    ]);

  it('prepays a loan with a periodic fee into the engine’s schedule for the same terms', async () => {
    const feeTerms: Partial<LoanTerms> = {
      fees: [{ kind: 'monthly_rate', rateOfPrincipal: rateOf('0.003') }],
    };
    await book('T-FEES', { kind: 'none' }, feeTerms);
    await repayInstallments('T-FEES', 2);
    const done = await post(
      'supervisor',
      '/loans/T-FEES/prepayments',
      { amount: '3000', mode: 'reduce_term', paid_on: '2026-03-20' },
      key(),
    );
    expect(done.statusCode).toBe(200);
    const prepayments: Prepayment[] = [
      { afterPeriod: 2, amountFen: fen(3_000_00n), mode: 'reduce_term' },
    ];
    const engine = buildSchedule({
      ...termsOf(12_000n, 12),
      ...feeTerms,
      prepayments,
    });
    if (!engine.ok) throw new Error('engine');
    expect(engine.value.installments.length).toBeLessThan(12);
    expect(await storedRows('T-FEES')).toEqual(rowsOf(engine.value));
    // The fee (0.3 % of 12,000 = 36.00 a month) stays on every row left.
    const last = (await ledger('T-FEES')).installments.at(-1);
    expect(
      fenOf(last?.payment ?? '0') -
        fenOf(last?.principal ?? '0') -
        fenOf(last?.interest ?? '0'),
    ).toBe(36_00n);
  });

  async function restructure(loanNo: string) {
    const loan = await s.repos.loans.findByLoanNo(loanNo);
    if (loan === undefined) throw new Error(loanNo);
    const plan = reamortize(
      {
        debt: {
          principalFen: fen(9_000_00n),
          interestFen: fen(120_00n),
          feeFen: fen(0n),
          penaltyFen: fen(30_00n),
        },
        months: 18,
        startDate: calendarDate('2026-03-01'),
        rounding: 'half_up',
        rateAnnual: rateOf('0.05'),
      },
      DEFAULT_RESTRUCTURING_POLICY,
    );
    if (!plan.ok) throw new Error(plan.error.code);
    const moved = await s.repos.loans.restructure(
      loan.id,
      plan.value.schedule,
      {
        actor: 'test',
        reason: '协商个性化分期18期',
      },
    );
    if (!moved.ok) throw new Error(moved.error.code);
    return plan.value.schedule;
  }

  it('prepays a restructured loan into the engine’s schedule for the restructuring’s terms, and quotes its payoff on them', async () => {
    await book('T-RESTR', { kind: 'none' });
    const restructured = await restructure('T-RESTR');
    expect(await storedRows('T-RESTR')).toEqual(rowsOf(restructured));
    await repayInstallments('T-RESTR', 1);
    const quote = await get(
      'agent',
      '/loans/T-RESTR/prepayments/quote?amount=2000&mode=reduce_payment&date=2026-04-01',
    );
    expect(quote.json()).toMatchObject({
      principal: '2000.00',
      periods_left: 17,
    });
    const done = await post(
      'negotiator',
      '/loans/T-RESTR/prepayments',
      { amount: '2000', mode: 'reduce_payment', paid_on: '2026-04-01' },
      key(),
    );
    // Negotiators prepay only on cases assigned to them.
    expect(done.statusCode).toBe(403);
    const byHand = await post(
      'supervisor',
      '/loans/T-RESTR/prepayments',
      { amount: '2000', mode: 'reduce_payment', paid_on: '2026-04-01' },
      key(),
    );
    expect(byHand.statusCode).toBe(200);
    expect(byHand.json()).toMatchObject({
      loan: { status: 'restructured' },
      periods_left: 17,
      next_installment: (quote.json() as { next_installment: string })
        .next_installment,
    });
    const engine = buildSchedule({
      ...restructured.terms,
      prepayments: [
        { afterPeriod: 1, amountFen: fen(2_000_00n), mode: 'reduce_payment' },
      ],
    });
    if (!engine.ok) throw new Error('engine');
    expect(await storedRows('T-RESTR')).toEqual(rowsOf(engine.value));
    const payoff = await get('agent', '/loans/T-RESTR/payoff?date=2026-04-16');
    // Accrued on the restructured balance at the restructuring's 5 %:
    // balance after the prepayment × 5 % × 15 / 360.
    const balance =
      (engine.value.installments[0]?.balanceFen ?? 0n) - 2_000_00n;
    const accrued = (balance * 5n * 15n * 2n + 36_000n) / (36_000n * 2n);
    expect(payoff.json()).toMatchObject({
      principal: yuan(balance),
      accrued_interest: yuan(accrued),
    });
  });

  it('refuses with a precise code a loan whose engine terms were never kept', async () => {
    const feeTerms: Partial<LoanTerms> = {
      fees: [{ kind: 'monthly_amount', amountFen: fen(20_00n) }],
    };
    const loan = await book('T-OLD', { kind: 'none' }, feeTerms);
    // As booked before loans.schedule_terms existed.
    await s.database.db
      .updateTable('loans')
      .set({ schedule_terms: null, schedule_terms_version: null })
      .where('id', '=', loan.id)
      .execute();
    await repayInstallments('T-OLD', 1);
    const refused = await post(
      'supervisor',
      '/loans/T-OLD/prepayments',
      { amount: '1000', mode: 'reduce_term', paid_on: '2026-02-20' },
      key(),
    );
    expect(refused.statusCode).toBe(409);
    expect((refused.json() as ErrorJson).error.code).toBe(
      'prepayment.terms_not_kept',
    );
    expect((await ledger('T-OLD')).installments).toHaveLength(12);
  });
});
