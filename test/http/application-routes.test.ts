// Proves the application lifecycle over HTTP on every dialect, route by
// route: the happy path from submission to disbursement (the loan and its
// schedule booked by the engine), bad input answered 400 with the field
// named, the wrong role answered 403, invalid transitions answered 409 with
// a zh-CN message, and every step audited with who and why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditForSubject } from '../../src/adapters/db/repositories/audit-repository.js';
import { fen } from '../../src/domain/money/fen.js';
import type { Role } from '../../src/domain/security/permissions.js';
import { DIALECTS } from '../db/dialects.js';
import { rateOf } from '../db/fixtures.js';
import { type ErrorJson, openStoreApp, type StoreApp } from './store-app.js';

type AppJson = {
  id: string;
  app_no: string;
  status: string;
  status_zh: string;
  allowed_events: string[];
  decision_reasons: string[];
  approved_rate_annual: string | null;
  scorecard: {
    decision: string;
    total_points: number;
    knock_outs: string[];
    items: { factor: string; points: number; reason: string }[];
    new_installment: string;
  } | null;
};

const GOOD_FACTS = {
  reason: '征信报告已核验',
  existing_monthly_debt: '800.00',
  current_overdue: '0',
  overdue_count_24m: 0,
  hard_inquiries_6m: 1,
  employment: 'salaried',
  tenure_months: 48,
  risk_signals: [],
};

describe.each(DIALECTS)('application routes on %s', (dialect) => {
  let s: StoreApp;
  let customerId = '';
  let productId = '';

  beforeAll(async () => {
    s = await openStoreApp(dialect);
    const customer = await s.repos.customers.create(
      {
        name: '赵丽',
        idNumber: '11010519900307451X',
        phone: '13800001111',
        monthlyIncomeFen: fen(15_000_00n),
      },
      'test',
    );
    if (!customer.ok) throw new Error(customer.error.code);
    customerId = customer.value.id;
    const product = await s.repos.products.create({
      code: 'XFD-01',
      name: '个人消费贷',
      methods: ['equal_installment', 'equal_principal'],
      rateAnnualMin: rateOf('0.0365'),
      rateAnnualMax: rateOf('0.18'),
      amountFenMin: fen(1_000_00n),
      amountFenMax: fen(200_000_00n),
      termMonthsMin: 3,
      termMonthsMax: 36,
      prepaymentFee: {
        kind: 'share_of_prepaid',
        shareOfPrincipal: rateOf('0.01'),
        freeAfterMonths: 12,
      },
    });
    productId = product.id;
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  const post = (role: Role, url: string, payload: object, extra = {}) =>
    s.app.inject({
      method: 'POST',
      url: `/api/v1${url}`,
      headers: { ...s.as(role), ...extra },
      payload,
    });
  const get = (role: Role, url: string) =>
    s.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: s.as(role) });

  async function submit(amount = '12000.00'): Promise<AppJson> {
    const response = await post('agent', '/applications', {
      customer_id: customerId,
      product_id: productId,
      amount,
      term_months: 12,
      purpose: '装修',
    });
    expect(response.statusCode).toBe(201);
    return response.json() as AppJson;
  }

  async function toAssessment(id: string): Promise<void> {
    for (const action of ['start', 'accept'])
      expect(
        (
          await post('agent', `/applications/${id}/materials-review`, {
            action,
            reason: '身份证、收入证明齐全',
          })
        ).statusCode,
      ).toBe(200);
  }

  it('submits an application as an agent', async () => {
    const created = await submit();
    expect(created).toMatchObject({
      status: 'submitted',
      status_zh: '已提交',
      allowed_events: ['start_materials_review'],
    });
    expect(created.app_no).toMatch(/^AP\d{14}$/);
  });

  it('refuses a submission with the field named, and a collector', async () => {
    const outside = await post('agent', '/applications', {
      customer_id: customerId,
      product_id: productId,
      amount: '999.99',
      term_months: 12,
    });
    expect(outside.statusCode).toBe(400);
    expect((outside.json() as ErrorJson).error).toMatchObject({
      code: 'application.amount_outside_product',
      field: 'amount',
    });
    const noCustomer = await post('agent', '/applications', {
      customer_id: 'cust_none',
      product_id: productId,
      amount: '5000',
      term_months: 12,
    });
    expect((noCustomer.json() as ErrorJson).error.field).toBe('customer_id');
    const noTerm = await post('agent', '/applications', {
      customer_id: customerId,
      product_id: productId,
      amount: '5000',
    });
    expect(noTerm.statusCode).toBe(400);
    expect((noTerm.json() as ErrorJson).error.field).toBe('term_months');
    const term = await post('agent', '/applications', {
      customer_id: customerId,
      product_id: productId,
      amount: '5000',
      term_months: 48,
    });
    expect((term.json() as ErrorJson).error).toMatchObject({
      code: 'application.term_outside_product',
      field: 'term_months',
    });
    const collector = await post('collector', '/applications', {
      customer_id: customerId,
      product_id: productId,
      amount: '5000',
      term_months: 12,
    });
    expect(collector.statusCode).toBe(403);
  });

  it('lists and shows applications to agents, not to collectors', async () => {
    const created = await submit();
    const list = await get('agent', `/applications?customer_id=${customerId}`);
    expect(list.statusCode).toBe(200);
    expect((list.json() as AppJson[]).map((a) => a.id)).toContain(created.id);
    const submitted = await get(
      'supervisor',
      '/applications?status=submitted&limit=1',
    );
    expect(submitted.json()).toHaveLength(1);
    const badStatus = await get('agent', '/applications?status=bogus');
    expect(badStatus.statusCode).toBe(400);
    expect((badStatus.json() as ErrorJson).error.field).toBe('status');
    const badLimit = await get('agent', '/applications?limit=100000');
    expect((badLimit.json() as ErrorJson).error.field).toBe('limit');
    expect((await get('collector', '/applications')).statusCode).toBe(403);
    const one = await get('agent', `/applications/${created.id}`);
    expect(one.json()).toMatchObject({ id: created.id, status: 'submitted' });
    const missing = await get('agent', '/applications/app_none');
    expect(missing.statusCode).toBe(404);
    expect((missing.json() as ErrorJson).error.code).toBe(
      'application.not_found',
    );
    const tooLong = await get('agent', `/applications/${'x'.repeat(65)}`);
    expect((tooLong.json() as ErrorJson).error.field).toBe('id');
    expect(
      (await get('collector', `/applications/${created.id}`)).statusCode,
    ).toBe(403);
  });

  it('reviews materials and refuses an invalid transition with 409 in Chinese', async () => {
    const { id } = await submit();
    const early = await post('agent', `/applications/${id}/materials-review`, {
      action: 'accept',
      reason: '材料齐全',
    });
    expect(early.statusCode).toBe(409);
    expect((early.json() as ErrorJson).error).toEqual({
      code: 'lifecycle.transition_not_allowed',
      message:
        '当前状态（已提交）不能执行“材料审核通过”；可执行：“开始材料审核”。',
    });
    const bad = await post('agent', `/applications/${id}/materials-review`, {
      action: 'approve',
      reason: 'x',
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as ErrorJson).error.field).toBe('action');
    const noReason = await post(
      'agent',
      `/applications/${id}/materials-review`,
      {
        action: 'start',
      },
    );
    expect((noReason.json() as ErrorJson).error.field).toBe('reason');
    const collector = await post(
      'collector',
      `/applications/${id}/materials-review`,
      {
        action: 'start',
        reason: 'x',
      },
    );
    expect(collector.statusCode).toBe(403);
    const started = await post(
      'agent',
      `/applications/${id}/materials-review`,
      {
        action: 'start',
        reason: '开始审核',
      },
    );
    expect(started.json()).toMatchObject({ status: 'materials_review' });
    const back = await post('agent', `/applications/${id}/materials-review`, {
      action: 'request_more',
      reason: '缺少收入证明',
    });
    expect(back.json()).toMatchObject({ status: 'submitted' });
  });

  it('assesses credit with the scorecard, stores it, and approves within the product band', async () => {
    const { id } = await submit();
    const tooEarly = await post(
      'supervisor',
      `/applications/${id}/assessment`,
      GOOD_FACTS,
    );
    expect(tooEarly.statusCode).toBe(409);
    expect((tooEarly.json() as ErrorJson).error.code).toBe(
      'application.not_in_assessment',
    );
    await toAssessment(id);
    const agent = await post(
      'agent',
      `/applications/${id}/assessment`,
      GOOD_FACTS,
    );
    expect(agent.statusCode).toBe(403);
    const bad = await post('supervisor', `/applications/${id}/assessment`, {
      ...GOOD_FACTS,
      employment: 'astronaut',
    });
    expect((bad.json() as ErrorJson).error.field).toBe('employment');
    const badMoney = await post(
      'supervisor',
      `/applications/${id}/assessment`,
      {
        ...GOOD_FACTS,
        existing_monthly_debt: '1.234',
      },
    );
    expect((badMoney.json() as ErrorJson).error.field).toBe(
      'existing_monthly_debt',
    );
    const noApproval = await post(
      'supervisor',
      `/applications/${id}/approval`,
      {
        reason: '同意',
        rate_annual: '0.072',
        method: 'equal_installment',
      },
    );
    expect((noApproval.json() as ErrorJson).error.code).toBe(
      'application.not_assessed',
    );
    const assessed = await post(
      'supervisor',
      `/applications/${id}/assessment`,
      GOOD_FACTS,
    );
    expect(assessed.statusCode).toBe(200);
    const card = (assessed.json() as AppJson).scorecard;
    expect(card?.decision).toBe('approve');
    // 12,000 over 12 months at the product's 18 % ceiling: 1,100.19 a month.
    expect(card?.new_installment).toBe('1100.19');
    expect(card?.items.map((i) => i.factor)).toEqual([
      'monthly_income',
      'debt_to_income',
      'overdue_count_24m',
      'hard_inquiries_6m',
      'employment',
      'tenure',
    ]);
    expect(card?.items[0]?.reason).toContain('月收入 15,000.00 元');
    expect((assessed.json() as AppJson).status).toBe('credit_assessment');
    const outside = await post('supervisor', `/applications/${id}/approval`, {
      reason: '同意',
      rate_annual: '0.25',
      method: 'equal_installment',
    });
    expect((outside.json() as ErrorJson).error).toMatchObject({
      code: 'application.rate_outside_product',
      field: 'rate_annual',
    });
    const method = await post('supervisor', `/applications/${id}/approval`, {
      reason: '同意',
      rate_annual: '0.072',
      method: 'bullet',
    });
    expect((method.json() as ErrorJson).error.field).toBe('method');
    expect(
      (
        await post('agent', `/applications/${id}/approval`, {
          reason: '同意',
          rate_annual: '0.072',
          method: 'equal_installment',
        })
      ).statusCode,
    ).toBe(403);
    const approved = await post('supervisor', `/applications/${id}/approval`, {
      reason: '评分 93 分，同意',
      rate_annual: '0.072',
      method: 'equal_installment',
    });
    expect(approved.json()).toMatchObject({
      status: 'approved',
      approved_rate_annual: '0.072000',
    });
  });

  it('refers a middling score to manual review and refuses approval against a knock-out', async () => {
    const middling = await submit();
    await toAssessment(middling.id);
    const referred = await post(
      'supervisor',
      `/applications/${middling.id}/assessment`,
      {
        ...GOOD_FACTS,
        monthly_income: '4000',
        existing_monthly_debt: '300',
        overdue_count_24m: 2,
        employment: 'freelance',
        tenure_months: 12,
      },
    );
    expect(referred.json()).toMatchObject({
      status: 'manual_review',
      scorecard: { decision: 'manual_review' },
    });
    const knocked = await submit();
    await toAssessment(knocked.id);
    const overdue = await post(
      'supervisor',
      `/applications/${knocked.id}/assessment`,
      {
        ...GOOD_FACTS,
        current_overdue: '350.00',
      },
    );
    expect((overdue.json() as AppJson).scorecard).toMatchObject({
      decision: 'reject',
      knock_outs: ['current_overdue'],
    });
    const refused = await post(
      'supervisor',
      `/applications/${knocked.id}/approval`,
      {
        reason: '同意',
        rate_annual: '0.072',
        method: 'equal_installment',
      },
    );
    expect(refused.statusCode).toBe(409);
    expect((refused.json() as ErrorJson).error.code).toBe(
      'application.scorecard_rejects',
    );
    const empty = await post(
      'supervisor',
      `/applications/${knocked.id}/rejection`,
      {
        reasons: [],
      },
    );
    expect((empty.json() as ErrorJson).error.field).toBe('reasons');
    expect(
      (
        await post('agent', `/applications/${knocked.id}/rejection`, {
          reasons: ['征信当前逾期'],
        })
      ).statusCode,
    ).toBe(403);
    const rejected = await post(
      'supervisor',
      `/applications/${knocked.id}/rejection`,
      {
        reasons: ['征信报告显示当前逾期 350.00 元'],
      },
    );
    expect(rejected.json()).toMatchObject({
      status: 'rejected',
      decision_reasons: ['征信报告显示当前逾期 350.00 元'],
      allowed_events: [],
    });
  });

  it('signs the contract and disburses once per Idempotency-Key, booking the loan from the engine', async () => {
    const { id, app_no } = await submit('12000');
    await toAssessment(id);
    await post('supervisor', `/applications/${id}/assessment`, GOOD_FACTS);
    await post('supervisor', `/applications/${id}/approval`, {
      reason: '同意',
      rate_annual: '0.0728',
      method: 'equal_installment',
    });
    const noReason = await post('agent', `/applications/${id}/contract`, {});
    expect((noReason.json() as ErrorJson).error.field).toBe('reason');
    expect(
      (
        await post('collector', `/applications/${id}/contract`, {
          reason: '签约',
        })
      ).statusCode,
    ).toBe(403);
    const signed = await post('agent', `/applications/${id}/contract`, {
      reason: '客户已面签借款合同',
    });
    expect(signed.json()).toMatchObject({ status: 'contracted' });
    const url = `/applications/${id}/disbursement`;
    const body = { reason: '放款至本人账户', start_date: '2026-01-10' };
    expect(
      (await post('agent', url, body, { 'idempotency-key': 'disb-0001-abc' }))
        .statusCode,
    ).toBe(403);
    const noKey = await post('supervisor', url, body);
    expect((noKey.json() as ErrorJson).error.field).toBe('idempotency-key');
    const badDate = await post(
      'supervisor',
      url,
      { ...body, start_date: '2026-13-01' },
      {
        'idempotency-key': 'disb-0001-abc',
      },
    );
    expect((badDate.json() as ErrorJson).error.field).toBe('start_date');
    const first = await post('supervisor', url, body, {
      'idempotency-key': 'disb-0001-abc',
    });
    expect(first.statusCode).toBe(200);
    const loanNo = `LN${app_no.slice(2)}`;
    expect(first.json()).toMatchObject({
      loan_no: loanNo,
      status: 'repaying',
      principal: '12000.00',
      rate_annual: '0.072800',
      replayed: false,
    });
    const retry = await post('supervisor', url, body, {
      'idempotency-key': 'disb-0001-abc',
    });
    expect(retry.json()).toMatchObject({ loan_no: loanNo, replayed: true });
    const again = await post('supervisor', url, body, {
      'idempotency-key': 'disb-0002-abc',
    });
    expect(again.statusCode).toBe(409);
    const loan = await get('agent', `/loans/${loanNo}`);
    const ledger = loan.json() as { installments: { payment: string }[] };
    expect(ledger.installments).toHaveLength(12);
    // The engine's 12,000 at 7.28 % over 12 months: 1,039.87 a month.
    expect(ledger.installments[0]?.payment).toBe('1039.87');
    // The contract carries the product's early-repayment fee: 1 % of the
    // 12,000 repaid ahead of every due date, within the first 12 months.
    const payoff = await get(
      'agent',
      `/loans/${loanNo}/payoff?date=2026-01-20`,
    );
    expect(payoff.json()).toMatchObject({
      principal: '12000.00',
      prepayment_fee: '120.00',
      prepayment_fee_terms:
        '贷款发放满 12 个月后提前还款不收取违约金；未满 12 个月的，按提前归还本金的 1% 收取违约金。',
    });
    const audit = await listAuditForSubject(s.database.db, 'application', id);
    expect(
      audit.map((e) => [
        e.action,
        e.actor,
        (e.details as { reason?: string }).reason ?? null,
      ]),
    ).toEqual([
      ['application.submit', 'agent', null],
      ['application.start_materials_review', 'agent', '身份证、收入证明齐全'],
      ['application.accept_materials', 'agent', '身份证、收入证明齐全'],
      ['application.assess', 'supervisor', '征信报告已核验'],
      ['application.approve', 'supervisor', '同意'],
      ['application.sign_contract', 'agent', '客户已面签借款合同'],
      ['application.disburse', 'supervisor', '放款至本人账户'],
    ]);
  });
});
