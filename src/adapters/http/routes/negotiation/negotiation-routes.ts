import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { loadNegotiationCase } from '../../../../app/negotiation/plans-for-loan.js';
import { ErrorOutput } from '../../../../contracts/loan.js';
import { formatFen } from '../../../../contracts/money.js';
import type { Fen } from '../../../../domain/money/fen.js';
import {
  buildPlan,
  type NegotiatedPlan,
  negotiate,
  type PlanTerms,
} from '../../../../domain/negotiation/plans.js';
import type { CalendarDate } from '../../../../domain/shared/calendar-date.js';
import {
  claimIdempotencyKey,
  lookupIdempotencyKey,
  requestHash,
} from '../../../db/repositories/idempotency-repository.js';
import type { Repositories } from '../../../db/repositories/index.js';
import type { Agreement } from '../../../db/repositories/negotiation-repository.js';
import type { Database } from '../../../db/schema.js';
import { negotiationPolicyInForce } from '../../../negotiation/negotiation-policy.js';
import {
  formatBalance,
  formatPlan,
  formatTerms,
  parsePlanTerms,
  readBudget,
  termsKey,
} from '../../../wire/negotiation-codec.js';
import { renderAgreement } from './agreement-document.js';

// 协商还款 API: the ranked plans for a stored loan; a supervisor's approval
// of terms outside the policy; signing, which books the plan's schedule
// through the loan repository (restructure) in one transaction under an
// Idempotency-Key, audited; and the printable agreement.

export type NegotiationRouteOptions = {
  readonly repositories: Repositories;
  readonly db: Kysely<Database>;
  readonly repositoriesOver: (db: Kysely<Database>) => Repositories;
  readonly lockLoan: (tx: Kysely<Database>, loanId: string) => Promise<void>;
  readonly today: () => CalendarDate;
  readonly institutionZh: string;
};

const Yuan = Type.Union([Type.String(), Type.Number()]);
const TermsInput = Type.Object({
  kind: Type.String({ maxLength: 20 }),
  months: Type.Union([Type.Integer(), Type.String({ maxLength: 3 })]),
  penalty_waiver: Type.Optional(Yuan),
  interest_waiver: Type.Optional(Yuan),
  discount: Type.Optional(Yuan),
});
const Params = Type.Object({ loanNo: Type.String({ maxLength: 40 }) });

const Money = Type.String();
const PlanOutput = Type.Object({
  kind: Type.String(),
  months: Type.Integer(),
  first_payment: Money,
  monthly_payment: Money,
  total_paid: Money,
  waived: Money,
  share_of_disposable_income: Type.Union([Type.String(), Type.Null()]),
  recovery_value: Money,
  within_policy: Type.Boolean(),
  rank: Type.Integer(),
  due_at_signing: Money,
  completion_likelihood: Type.String(),
  policy_breaches: Type.Array(Type.String()),
  terms: Type.Object({
    kind: Type.String(),
    months: Type.Integer(),
    penalty_waiver: Type.String(),
    interest_waiver: Type.String(),
    discount: Type.String(),
  }),
});
const PlansOutput = Type.Object({
  loan_no: Type.String(),
  status: Type.String(),
  /** The negotiation policy version the plans were priced under. */
  policy_version: Type.Integer(),
  balance: Type.Object({
    principal: Money,
    interest: Money,
    penalty: Money,
    fees: Money,
    total: Money,
  }),
  plans: Type.Array(PlanOutput),
});
const AgreementOutput = Type.Object({
  agreement_no: Type.String(),
  loan_no: Type.String(),
  kind: Type.String(),
  months: Type.Integer(),
  waived: Money,
  due_at_signing: Money,
  total_paid: Money,
  within_policy: Type.Boolean(),
  approval_id: Type.Union([Type.String(), Type.Null()]),
  schedule_version: Type.Integer(),
  signed_on: Type.String(),
  document_url: Type.String(),
  replayed: Type.Boolean(),
});

const NOT_FOUND = {
  error: { code: 'loan.not_found', message: '未找到该贷款。' },
} as const;

type SignOutcome =
  | { kind: 'signed'; agreement: Agreement; replayed: boolean }
  | { kind: 'not_found' }
  | { kind: 'refused'; status: 400 | 403 | 409; code: string; message: string };

function agreementView(
  agreement: Agreement,
  loanNo: string,
  replayed: boolean,
) {
  return {
    agreement_no: agreement.agreementNo,
    loan_no: loanNo,
    kind: agreement.kind,
    months: agreement.months,
    waived: formatFen(agreement.waivedFen),
    due_at_signing: formatFen(agreement.dueAtSigningFen),
    total_paid: formatFen(agreement.totalPaidFen),
    within_policy: agreement.withinPolicy,
    approval_id: agreement.approvalId ?? null,
    schedule_version: agreement.scheduleVersion,
    signed_on: agreement.signedOn,
    document_url: `/api/v1/loans/${encodeURIComponent(loanNo)}/negotiation/agreements/${encodeURIComponent(agreement.agreementNo)}`,
    replayed,
  };
}

export const negotiationRoutes: FastifyPluginAsyncTypebox<
  NegotiationRouteOptions
> = async (app, options) => {
  const repos = options.repositories;

  async function budgetFor(
    customerId: string,
    income: unknown,
    expenses: unknown,
  ): Promise<{ monthlyIncomeFen: Fen; monthlyExpensesFen: Fen }> {
    const recorded =
      income === undefined
        ? (await repos.customers.findById(customerId))?.monthlyIncomeFen
        : undefined;
    return readBudget({
      monthly_income_yuan:
        income ?? (recorded === undefined ? undefined : formatFen(recorded)),
      monthly_essential_expenses_yuan: expenses,
    });
  }

  app.get(
    '/loans/:loanNo/negotiation/plans',
    {
      preHandler: app.requirePermission('negotiation.plan'),
      schema: {
        tags: ['negotiation'],
        summary: '协商还款方案（按回收价值排序；政策外方案须主管审批）',
        params: Params,
        querystring: Type.Object({
          income: Type.Optional(Type.String({ maxLength: 20 })),
          expenses: Type.String({ maxLength: 20 }),
        }),
        response: {
          200: PlansOutput,
          400: ErrorOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
        },
      },
    },
    async (request, reply) => {
      const loan = await repos.loans.findByLoanNo(request.params.loanNo);
      if (loan === undefined) return reply.status(404).send(NOT_FOUND);
      const budget = await budgetFor(
        loan.customerId,
        request.query.income,
        request.query.expenses,
      );
      const found = await loadNegotiationCase(repos.loans, {
        loanNo: loan.loanNo,
        ...budget,
        today: options.today(),
      });
      if (found === undefined) return reply.status(404).send(NOT_FOUND);
      const inForce = await negotiationPolicyInForce(repos);
      return {
        loan_no: loan.loanNo,
        status: loan.status,
        policy_version: inForce.version,
        balance: formatBalance(found.case.debt),
        plans: negotiate(found.case, inForce.policy).map(formatPlan),
      };
    },
  );

  app.post(
    '/loans/:loanNo/negotiation/approvals',
    {
      preHandler: app.requirePermission('negotiation.approve'),
      schema: {
        tags: ['negotiation'],
        summary: '主管审批政策外的方案条件',
        params: Params,
        body: Type.Object({
          terms: TermsInput,
          reason: Type.String({ minLength: 1, maxLength: 500 }),
        }),
        response: {
          201: Type.Object({
            approval_id: Type.String(),
            terms: Type.Unknown(),
            approved_by: Type.String(),
          }),
          400: ErrorOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
        },
      },
    },
    async (request, reply) => {
      const loan = await repos.loans.findByLoanNo(request.params.loanNo);
      if (loan === undefined) return reply.status(404).send(NOT_FOUND);
      const terms = parsePlanTerms(request.body.terms);
      const actor = request.principal?.username ?? 'unknown';
      const approval = await repos.negotiations.approve(
        {
          loanId: loan.id,
          terms: termsKey(terms),
          reason: request.body.reason,
        },
        actor,
      );
      return reply.status(201).send({
        approval_id: approval.id,
        terms: formatTerms(terms),
        approved_by: approval.approvedBy,
      });
    },
  );

  app.post(
    '/loans/:loanNo/negotiation/agreements',
    {
      preHandler: app.requirePermission('negotiation.sign'),
      schema: {
        tags: ['negotiation'],
        summary:
          '签署协商还款协议：由贷款核算引擎生成新还款计划并入账（须带 Idempotency-Key）',
        params: Params,
        headers: Type.Object({
          'idempotency-key': Type.String({ minLength: 8, maxLength: 200 }),
        }),
        body: Type.Object({
          terms: TermsInput,
          income: Type.Optional(Yuan),
          expenses: Yuan,
          approval_id: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        response: {
          200: AgreementOutput,
          201: AgreementOutput,
          400: ErrorOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
          409: ErrorOutput,
        },
      },
    },
    async (request, reply) => {
      const terms = parsePlanTerms(request.body.terms);
      const loan = await repos.loans.findByLoanNo(request.params.loanNo);
      if (loan === undefined) return reply.status(404).send(NOT_FOUND);
      const budget = await budgetFor(
        loan.customerId,
        request.body.income,
        request.body.expenses,
      );
      const outcome = await signAgreement(options, {
        key: request.headers['idempotency-key'],
        loanNo: loan.loanNo,
        terms,
        budget,
        approvalId: request.body.approval_id,
        actor: request.principal?.username ?? 'unknown',
      });
      if (outcome.kind === 'not_found')
        return reply.status(404).send(NOT_FOUND);
      if (outcome.kind === 'refused')
        return reply.status(outcome.status).send({
          error: { code: outcome.code, message: outcome.message },
        });
      return reply
        .status(outcome.replayed ? 200 : 201)
        .send(agreementView(outcome.agreement, loan.loanNo, outcome.replayed));
    },
  );

  app.get(
    '/loans/:loanNo/negotiation/agreements/:agreementNo',
    {
      preHandler: app.requirePermission('negotiation.plan'),
      schema: {
        tags: ['negotiation'],
        summary: '协商还款协议（可打印的 HTML）',
        params: Type.Object({
          loanNo: Type.String({ maxLength: 40 }),
          agreementNo: Type.String({ maxLength: 80 }),
        }),
      },
    },
    async (request, reply) => {
      const loan = await repos.loans.findByLoanNo(request.params.loanNo);
      const agreement = await repos.negotiations.findAgreement(
        request.params.agreementNo,
      );
      if (loan === undefined || agreement?.loanId !== loan.id)
        return reply.status(404).send({
          error: {
            code: 'negotiation.agreement_not_found',
            message: '未找到该协议。',
          },
        });
      // The borrower's full name belongs on the agreement: the read is audited.
      const customer = await repos.customers.readUnmasked(loan.customerId, {
        actor: request.principal?.username ?? 'unknown',
        reason: `打印协商还款协议 ${agreement.agreementNo}`,
      });
      if (customer === undefined)
        return reply.status(404).send({
          error: { code: 'customer.not_found', message: '未找到该客户。' },
        });
      // A restructured loan cannot be restructured again (lifecycle), so the
      // current schedule is the agreement's.
      const installments = await repos.loans.schedule(loan.id);
      return reply.type('text/html; charset=utf-8').send(
        renderAgreement({
          institutionZh: options.institutionZh,
          borrowerName: customer.name,
          idNumber: customer.idNumber,
          loanNo: loan.loanNo,
          agreement,
          installments,
        }),
      );
    },
  );
};

const SIGN_SCOPE = 'negotiation.sign';

/**
 * One transaction: the key check, the ledger read (loan locked), the plan
 * rebuilt by the loan engine from the stored balance, the approval check for
 * terms outside the policy, the restructuring (new schedule version) and the
 * agreement with its audit entry. A retry with the same key replays.
 */
async function signAgreement(
  options: NegotiationRouteOptions,
  input: {
    key: string;
    loanNo: string;
    terms: PlanTerms;
    budget: { monthlyIncomeFen: Fen; monthlyExpensesFen: Fen };
    approvalId: string | undefined;
    actor: string;
  },
): Promise<SignOutcome> {
  const hash = requestHash(SIGN_SCOPE, {
    loan_no: input.loanNo,
    terms: formatTerms(input.terms),
    approval_id: input.approvalId ?? null,
  });
  return options.db.transaction().execute(async (tx): Promise<SignOutcome> => {
    const repos = options.repositoriesOver(tx);
    const earlier = await lookupIdempotencyKey(tx, input.key, hash);
    if (earlier.kind === 'reused_with_other_request')
      return {
        kind: 'refused',
        status: 409,
        code: 'idempotency.key_reused',
        message: 'Idempotency-Key 已用于另一笔请求。',
      };
    if (earlier.kind === 'replay') {
      const agreement = await repos.negotiations.findAgreementById(
        earlier.resultId,
      );
      if (agreement === undefined) return { kind: 'not_found' };
      return { kind: 'signed', agreement, replayed: true };
    }
    const stored = await repos.loans.findByLoanNo(input.loanNo);
    if (stored === undefined) return { kind: 'not_found' };
    await options.lockLoan(tx, stored.id);
    const today = options.today();
    const found = await loadNegotiationCase(repos.loans, {
      loanNo: input.loanNo,
      ...input.budget,
      today,
    });
    if (found === undefined) return { kind: 'not_found' };
    const { policy } = await negotiationPolicyInForce(repos);
    const built = buildPlan(found.case, input.terms, policy);
    if (!built.ok)
      return {
        kind: 'refused',
        status: 400,
        code: built.error.code,
        message: `terms: ${built.error.detail}`,
      };
    const plan: NegotiatedPlan = built.value;
    // The ledger books schedules, not amounts due at signing: an extension
    // is signed once the arrears it would collect at signing are paid, so
    // that no owed interest, fee or penalty leaves the ledger.
    if (plan.dueAtSigningFen > 0n)
      return {
        kind: 'refused',
        status: 409,
        code: 'negotiation.arrears_first',
        message: `该方案须在签约时支付欠息、费用及罚息共 ${formatFen(plan.dueAtSigningFen)} 元：请客户先通过官方渠道还款入账，再签署协议。`,
      };
    let approvalId: string | undefined;
    if (!plan.withinPolicy) {
      const refusal = await checkApproval(repos, {
        approvalId: input.approvalId,
        loanId: stored.id,
        terms: input.terms,
        breaches: plan.policyBreaches,
      });
      if (refusal !== undefined) return refusal;
      approvalId = input.approvalId;
    }
    const agreementNo = `XY${today.replaceAll('-', '')}-${stored.loanNo}-${stored.scheduleVersion + 1}`;
    const restructured = await repos.loans.restructure(
      stored.id,
      plan.schedule,
      {
        actor: input.actor,
        reason: `协商还款协议 ${agreementNo}`,
      },
    );
    if (!restructured.ok)
      return {
        kind: 'refused',
        status: 409,
        code: restructured.error.code,
        message: '该贷款当前状态不能签署协商还款协议（例如已重组或已结清）。',
      };
    const agreement = await repos.negotiations.recordAgreement(
      {
        agreementNo,
        loanId: stored.id,
        kind: plan.kind,
        months: plan.months,
        terms: termsKey(input.terms),
        debt: found.case.debt,
        waivedFen: plan.waivedFen,
        dueAtSigningFen: plan.dueAtSigningFen,
        totalPaidFen: plan.totalPaidFen,
        withinPolicy: plan.withinPolicy,
        approvalId,
        scheduleVersion: restructured.value.scheduleVersion,
        signedOn: today,
        signedBy: input.actor,
      },
      input.actor,
    );
    if (approvalId !== undefined)
      await repos.negotiations.consumeApproval(approvalId, agreement.id);
    const claimed = await claimIdempotencyKey(tx, {
      key: input.key,
      scope: SIGN_SCOPE,
      hash,
      resultId: agreement.id,
      at: agreement.createdAt,
    });
    if (!claimed) throw new Error('negotiation.sign: idempotency key raced');
    return { kind: 'signed', agreement, replayed: false };
  });
}

async function checkApproval(
  repos: Repositories,
  input: {
    approvalId: string | undefined;
    loanId: string;
    terms: PlanTerms;
    breaches: readonly string[];
  },
): Promise<SignOutcome | undefined> {
  if (input.approvalId === undefined)
    return {
      kind: 'refused',
      status: 403,
      code: 'negotiation.approval_required',
      message: `该方案超出协商政策（${input.breaches.join('、')}），须经主管审批后方可签署。`,
    };
  const approval = await repos.negotiations.findApproval(input.approvalId);
  if (
    approval === undefined ||
    approval.loanId !== input.loanId ||
    approval.terms !== termsKey(input.terms) ||
    approval.agreementId !== undefined
  )
    return {
      kind: 'refused',
      status: 409,
      code: 'negotiation.approval_invalid',
      message: '审批记录与本贷款或方案条件不符，或已被使用。',
    };
  return undefined;
}
