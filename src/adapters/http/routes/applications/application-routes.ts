import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { ErrorOutput } from '../../../../contracts/loan.js';
import { formatFen } from '../../../../contracts/money.js';
import {
  EMPLOYMENT_TYPES,
  RISK_SIGNALS,
} from '../../../../domain/credit/scorecard-policy.js';
import {
  APPLICATION_STATUSES,
  type ApplicationEvent,
  type ApplicationStatus,
  applicationEventsAllowed,
  REJECTION_REASONS_MAX,
} from '../../../../domain/loan/lifecycle.js';
import { APPLICATION_STATUS_ZH } from '../../../../domain/loan/lifecycle-names.js';
import { REPAYMENT_METHODS } from '../../../../domain/loan/schedule/types.js';
import { compareRate, formatRate } from '../../../../domain/money/rate.js';
import type { CalendarDate } from '../../../../domain/shared/calendar-date.js';
import { PAGE_SIZE_MAX } from '../../../../domain/shared/limits.js';
import type { Application } from '../../../db/repositories/application-repository.js';
import type { Repositories } from '../../../db/repositories/index.js';
import type { Database } from '../../../db/schema.js';
import { readDate, readRate, readYuan } from '../../../wire/schedule-codec.js';
import {
  badInput,
  HttpRefusal,
  lifecycleRefusal,
  notFound,
} from '../../refusal.js';
import {
  assessApplication,
  disburseApplication,
  newAppNo,
} from './application-steps.js';

// Loan applications over HTTP (贷款申请): submit, materials review, credit
// assessment, approval or rejection, contract and disbursement. Each step is
// the state machine's event, taken by a role that holds the step's
// permission, and audited with who and why (the body's `reason`).

const Money = Type.String();
const ApplicationOutput = Type.Object({
  id: Type.String(),
  app_no: Type.String(),
  customer_id: Type.String(),
  product_id: Type.String(),
  amount: Money,
  term_months: Type.Integer(),
  purpose: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  status_zh: Type.String(),
  submitted_on: Type.String(),
  decision_reasons: Type.Array(Type.String()),
  scorecard: Type.Unknown(),
  approved_rate_annual: Type.Union([Type.String(), Type.Null()]),
  approved_method: Type.Union([Type.String(), Type.Null()]),
  allowed_events: Type.Array(Type.String()),
  version: Type.Integer(),
});
const Reason = Type.String({ minLength: 1, maxLength: 500 });
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const ERRORS = {
  400: ErrorOutput,
  401: ErrorOutput,
  403: ErrorOutput,
  404: ErrorOutput,
  409: ErrorOutput,
};

function view(a: Application): Static<typeof ApplicationOutput> {
  return {
    id: a.id,
    app_no: a.appNo,
    customer_id: a.customerId,
    product_id: a.productId,
    amount: formatFen(a.amountFen),
    term_months: a.termMonths,
    purpose: a.purpose ?? null,
    status: a.status,
    status_zh: APPLICATION_STATUS_ZH[a.status],
    submitted_on: a.submittedOn,
    decision_reasons: [...a.decisionReasons],
    scorecard: a.scorecard ?? null,
    approved_rate_annual:
      a.approvedRateAnnual === undefined
        ? null
        : formatRate(a.approvedRateAnnual, 6),
    approved_method: a.approvedMethod ?? null,
    allowed_events: [...applicationEventsAllowed(a.status)],
    version: a.version,
  };
}

function actorOf(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal === undefined)
    throw new HttpRefusal(400, 'auth.required', '请先登录。');
  return principal.username;
}

export type ApplicationRouteOptions = {
  readonly repositories: Repositories;
  readonly db: Kysely<Database>;
  readonly repositoriesOver: (db: Kysely<Database>) => Repositories;
  readonly today: () => CalendarDate;
};

export const applicationRoutes: FastifyPluginAsyncTypebox<
  ApplicationRouteOptions
> = async (app, options) => {
  const repos = options.repositories;
  const load = async (id: string) => {
    const found = await repos.applications.findById(id);
    if (found === undefined)
      throw notFound('application.not_found', '未找到该贷款申请。');
    return found;
  };
  const move = async (
    id: string,
    event: ApplicationEvent,
    who: { actor: string; reason: string },
  ) => {
    const moved = await repos.applications.transition(id, event, who);
    if (!moved.ok) throw lifecycleRefusal(moved.error);
    return view(moved.value);
  };

  app.post(
    '/applications',
    {
      preHandler: app.requirePermission('application.submit'),
      schema: {
        tags: ['applications'],
        summary: '提交贷款申请',
        body: Type.Object({
          customer_id: Type.String({ minLength: 1, maxLength: 64 }),
          product_id: Type.String({ minLength: 1, maxLength: 64 }),
          amount: Type.Union([Type.String(), Type.Number()]),
          term_months: Type.Integer({ minimum: 1, maximum: 360 }),
          purpose: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: { 201: ApplicationOutput, ...ERRORS },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const amountFen = readYuan(body.amount, 'amount');
      const customer = await repos.customers.findById(body.customer_id);
      if (customer === undefined) throw badInput('customer_id', '未找到该客户');
      const product = await repos.products.findById(body.product_id);
      if (product === undefined || product.status !== 'active')
        throw badInput('product_id', '未找到在售的该产品');
      if (amountFen < product.amountFenMin || amountFen > product.amountFenMax)
        throw badInput(
          'amount',
          `申请金额须在 ${formatFen(product.amountFenMin)} 至 ${formatFen(product.amountFenMax)} 元之间`,
          'application.amount_outside_product',
        );
      if (
        body.term_months < product.termMonthsMin ||
        body.term_months > product.termMonthsMax
      )
        throw badInput(
          'term_months',
          `期限须在 ${product.termMonthsMin} 至 ${product.termMonthsMax} 个月之间`,
          'application.term_outside_product',
        );
      const today = options.today();
      const created = await repos.applications.create(
        {
          appNo: newAppNo(today),
          customerId: customer.id,
          productId: product.id,
          amountFen,
          termMonths: body.term_months,
          ...(body.purpose === undefined ? {} : { purpose: body.purpose }),
          submittedOn: today,
        },
        actorOf(request),
      );
      return reply.status(201).send(view(created));
    },
  );

  app.get(
    '/applications',
    {
      preHandler: app.requirePermission('application.read'),
      schema: {
        tags: ['applications'],
        summary: '贷款申请列表（最新在前）',
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union(APPLICATION_STATUSES.map((s) => Type.Literal(s))),
          ),
          customer_id: Type.Optional(Type.String({ maxLength: 64 })),
          limit: Type.Optional(
            Type.Integer({ minimum: 1, maximum: PAGE_SIZE_MAX }),
          ),
          offset: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
        response: { 200: Type.Array(ApplicationOutput), ...ERRORS },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await repos.applications.list({
        ...(q.status === undefined
          ? {}
          : { status: q.status as ApplicationStatus }),
        ...(q.customer_id === undefined ? {} : { customerId: q.customer_id }),
        limit: q.limit ?? 50,
        offset: q.offset ?? 0,
      });
      return rows.map(view);
    },
  );

  app.get(
    '/applications/:id',
    {
      preHandler: app.requirePermission('application.read'),
      schema: {
        tags: ['applications'],
        summary: '贷款申请详情（含评分卡）',
        params: IdParams,
        response: { 200: ApplicationOutput, ...ERRORS },
      },
    },
    async (request) => view(await load(request.params.id)),
  );

  app.post(
    '/applications/:id/materials-review',
    {
      preHandler: app.requirePermission('application.review'),
      schema: {
        tags: ['applications'],
        summary: '材料审核：开始、通过或退回补充',
        params: IdParams,
        body: Type.Object({
          action: Type.Union([
            Type.Literal('start'),
            Type.Literal('accept'),
            Type.Literal('request_more'),
          ]),
          reason: Reason,
        }),
        response: { 200: ApplicationOutput, ...ERRORS },
      },
    },
    async (request) => {
      const type = (
        {
          start: 'start_materials_review',
          accept: 'accept_materials',
          request_more: 'request_materials',
        } as const
      )[request.body.action];
      return move(
        request.params.id,
        { type },
        { actor: actorOf(request), reason: request.body.reason },
      );
    },
  );

  app.post(
    '/applications/:id/assessment',
    {
      preHandler: app.requirePermission('application.decide'),
      schema: {
        tags: ['applications'],
        summary: '信用评估：按评分卡打分并留存（需人工复核时自动转入）',
        params: IdParams,
        body: Type.Object({
          reason: Reason,
          monthly_income: Type.Optional(
            Type.Union([Type.String(), Type.Number()]),
          ),
          existing_monthly_debt: Type.Union([Type.String(), Type.Number()]),
          current_overdue: Type.Union([Type.String(), Type.Number()]),
          overdue_count_24m: Type.Integer({ minimum: 0, maximum: 1000 }),
          hard_inquiries_6m: Type.Integer({ minimum: 0, maximum: 1000 }),
          employment: Type.Union(EMPLOYMENT_TYPES.map((e) => Type.Literal(e))),
          tenure_months: Type.Integer({ minimum: 0, maximum: 600 }),
          risk_signals: Type.Array(
            Type.Union(RISK_SIGNALS.map((s) => Type.Literal(s))),
            { maxItems: RISK_SIGNALS.length, uniqueItems: true },
          ),
        }),
        response: { 200: ApplicationOutput, ...ERRORS },
      },
    },
    async (request) => {
      const b = request.body;
      const assessed = await assessApplication(
        repos,
        await load(request.params.id),
        {
          monthlyIncomeFen:
            b.monthly_income === undefined
              ? undefined
              : readYuan(b.monthly_income, 'monthly_income'),
          existingMonthlyDebtFen: readYuan(
            b.existing_monthly_debt,
            'existing_monthly_debt',
          ),
          currentOverdueFen: readYuan(b.current_overdue, 'current_overdue'),
          overdueCount24Months: b.overdue_count_24m,
          hardInquiries6Months: b.hard_inquiries_6m,
          employment: b.employment,
          tenureMonths: b.tenure_months,
          riskSignals: b.risk_signals,
        },
        { actor: actorOf(request), reason: b.reason },
        options.today(),
      );
      return view(assessed);
    },
  );

  app.post(
    '/applications/:id/approval',
    {
      preHandler: app.requirePermission('application.decide'),
      schema: {
        tags: ['applications'],
        summary: '审批通过：确定利率（产品区间内）与还款方式',
        params: IdParams,
        body: Type.Object({
          reason: Reason,
          rate_annual: Type.Union([Type.String(), Type.Number()]),
          method: Type.Union(REPAYMENT_METHODS.map((m) => Type.Literal(m))),
        }),
        response: { 200: ApplicationOutput, ...ERRORS },
      },
    },
    async (request) => {
      const b = request.body;
      const application = await load(request.params.id);
      const rateAnnual = readRate(b.rate_annual, 'rate_annual');
      const product = await repos.products.findById(application.productId);
      if (product === undefined)
        throw notFound('application.not_found', '申请的产品已不存在。');
      if (
        compareRate(rateAnnual, product.rateAnnualMin) < 0 ||
        compareRate(rateAnnual, product.rateAnnualMax) > 0
      )
        throw badInput(
          'rate_annual',
          `利率须在产品区间 ${formatRate(product.rateAnnualMin, 4)} 至 ${formatRate(product.rateAnnualMax, 4)} 之间`,
          'application.rate_outside_product',
        );
      if (!product.methods.includes(b.method))
        throw badInput(
          'method',
          `该产品不提供此还款方式（可选：${product.methods.join('、')}）`,
          'application.method_not_offered',
        );
      const card = application.scorecard as { decision?: string } | undefined;
      if (card === undefined)
        throw new HttpRefusal(
          409,
          'application.not_assessed',
          '尚未完成信用评估，不能审批通过。',
        );
      if (card.decision === 'reject')
        throw new HttpRefusal(
          409,
          'application.scorecard_rejects',
          '评分卡结论为拒绝（含硬性拒绝项或分数不足），不能审批通过。',
        );
      const moved = await repos.applications.transition(
        application.id,
        { type: 'approve' },
        { actor: actorOf(request), reason: b.reason },
        undefined,
        { rateAnnual, method: b.method },
      );
      if (!moved.ok) throw lifecycleRefusal(moved.error);
      return view(moved.value);
    },
  );

  app.post(
    '/applications/:id/rejection',
    {
      preHandler: app.requirePermission('application.decide'),
      schema: {
        tags: ['applications'],
        summary: '审批拒绝：须列明拒绝理由',
        params: IdParams,
        body: Type.Object({
          reasons: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
            minItems: 1,
            maxItems: REJECTION_REASONS_MAX,
          }),
        }),
        response: { 200: ApplicationOutput, ...ERRORS },
      },
    },
    async (request) =>
      move(
        request.params.id,
        { type: 'reject', reasons: request.body.reasons },
        { actor: actorOf(request), reason: request.body.reasons.join('；') },
      ),
  );

  app.post(
    '/applications/:id/contract',
    {
      preHandler: app.requirePermission('application.review'),
      schema: {
        tags: ['applications'],
        summary: '签订借款合同',
        params: IdParams,
        body: Type.Object({ reason: Reason }),
        response: { 200: ApplicationOutput, ...ERRORS },
      },
    },
    async (request) =>
      move(
        request.params.id,
        { type: 'sign_contract' },
        { actor: actorOf(request), reason: request.body.reason },
      ),
  );

  app.post(
    '/applications/:id/disbursement',
    {
      preHandler: app.requirePermission('application.disburse'),
      schema: {
        tags: ['applications'],
        summary: '放款：生成贷款与还款计划（须带 Idempotency-Key）',
        params: IdParams,
        headers: Type.Object({
          'idempotency-key': Type.String({ minLength: 8, maxLength: 200 }),
        }),
        body: Type.Object({
          reason: Reason,
          start_date: Type.Optional(Type.String()),
        }),
        response: {
          200: Type.Object({
            loan_no: Type.String(),
            status: Type.String(),
            principal: Money,
            rate_annual: Type.String(),
            term_months: Type.Integer(),
            method: Type.String(),
            start_date: Type.String(),
            replayed: Type.Boolean(),
          }),
          ...ERRORS,
        },
      },
    },
    async (request) => {
      const b = request.body;
      const startDate =
        b.start_date === undefined
          ? options.today()
          : readDate(b.start_date, 'start_date');
      const { loan, replayed } = await disburseApplication(
        options.db,
        options.repositoriesOver,
        {
          applicationId: request.params.id,
          key: request.headers['idempotency-key'],
          startDate,
          who: { actor: actorOf(request), reason: b.reason },
        },
      );
      return {
        loan_no: loan.loanNo,
        status: loan.status,
        principal: formatFen(loan.principalFen),
        rate_annual: formatRate(loan.rateAnnual, 6),
        term_months: loan.termMonths,
        method: loan.method,
        start_date: loan.startDate,
        replayed,
      };
    },
  );
};
