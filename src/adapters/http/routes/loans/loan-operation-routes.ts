import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { ErrorOutput } from '../../../../contracts/loan.js';
import { formatFen } from '../../../../contracts/money.js';
import { describeFeeTermsZh } from '../../../../domain/loan/early-repayment/prepayment-fee.js';
import {
  type LoanEvent,
  loanEventsAllowed,
} from '../../../../domain/loan/lifecycle.js';
import { LOAN_STATUS_ZH } from '../../../../domain/loan/lifecycle-names.js';
import type { CalendarDate } from '../../../../domain/shared/calendar-date.js';
import { OVERDUE_DAYS_MAX } from '../../../../domain/shared/limits.js';
import type { Repositories } from '../../../db/repositories/index.js';
import type { Loan } from '../../../db/repositories/loan-repository.js';
import type {
  Payment,
  PaymentChannel,
  PaymentError,
} from '../../../db/repositories/payment-repository.js';
import { readDate, readYuan } from '../../../wire/schedule-codec.js';
import { HttpRefusal, lifecycleRefusal, notFound } from '../../refusal.js';
import {
  assertOpen,
  findLoanOrThrow,
  type LedgerContext,
  payOffStoredLoan,
  payoffRefusal,
  planPrepayment,
  prepayStoredLoan,
  reverseEarlyRepayment,
} from './early-repayment.js';
import { daysPastDue, outstandingFen, planPayoff } from './ledger-position.js';

// Payment operations on a stored loan: the payment list, reversal, payoff
// quote, early repayment (partial or full) and hand-made status changes.
// Money-moving routes need an Idempotency-Key; every change is audited
// with who and why.

const Money = Type.String();
const CHANNELS = [
  'bank_transfer',
  'card',
  'alipay',
  'wechat',
  'counter',
  'other',
] as const;
const Channel = Type.Union(CHANNELS.map((c) => Type.Literal(c)));
const LoanParams = Type.Object({ loanNo: Type.String({ maxLength: 40 }) });
const KeyHeader = Type.Object({
  'idempotency-key': Type.String({ minLength: 8, maxLength: 200 }),
});
const Reason = Type.String({ minLength: 1, maxLength: 500 });
const ERRORS = {
  400: ErrorOutput,
  401: ErrorOutput,
  403: ErrorOutput,
  404: ErrorOutput,
  409: ErrorOutput,
};
const PaymentRow = Type.Object({
  payment_id: Type.String(),
  kind: Type.String(),
  amount: Money,
  paid_on: Type.String(),
  channel: Type.String(),
  reverses_payment_id: Type.Union([Type.String(), Type.Null()]),
});
const LoanState = Type.Object({
  loan_no: Type.String(),
  status: Type.String(),
  status_zh: Type.String(),
  schedule_version: Type.Integer(),
  allowed_events: Type.Array(Type.String()),
});

function paymentRow(p: Payment) {
  return {
    payment_id: p.id,
    kind: p.kind,
    amount: formatFen(p.amountFen),
    paid_on: p.paidOn,
    channel: p.channel,
    reverses_payment_id: p.reversesPaymentId ?? null,
  };
}

function loanState(loan: Loan) {
  return {
    loan_no: loan.loanNo,
    status: loan.status,
    status_zh: LOAN_STATUS_ZH[loan.status],
    schedule_version: loan.scheduleVersion,
    allowed_events: loanEventsAllowed(loan.status).filter(
      (e) => e !== 'restructure' && e !== 'reopen',
    ),
  };
}

function actorOf(request: FastifyRequest): string {
  return request.principal?.username ?? 'unknown';
}

const REVERSAL_REFUSALS: Record<
  PaymentError['code'],
  { status: 400 | 404 | 409; message: string }
> = {
  'idempotency.key_reused': {
    status: 409,
    message: 'Idempotency-Key 已用于另一笔请求。',
  },
  'payment.loan_not_found': { status: 404, message: '未找到该贷款。' },
  'payment.loan_not_open': {
    status: 400,
    message: '该贷款已结清或已核销，不再受理还款。',
  },
  'payment.amount_not_positive': { status: 400, message: '金额须大于 0。' },
  'payment.not_found': { status: 404, message: '未找到该笔还款。' },
  'payment.not_reversible': {
    status: 409,
    message: '冲正记录本身不能再冲正。',
  },
  'payment.already_reversed': { status: 409, message: '该笔还款已冲正。' },
  'payment.schedule_replaced': {
    status: 409,
    message:
      '该笔还款之后还款计划已变更（重组或提前还款），不能直接冲正，请转人工处理。',
  },
};

export type LoanOperationOptions = LedgerContext & {
  readonly repositories: Repositories;
  readonly today: () => CalendarDate;
};

export const loanOperationRoutes: FastifyPluginAsyncTypebox<
  LoanOperationOptions
> = async (app, options) => {
  const repos = options.repositories;

  app.get(
    '/loans/:loanNo/payments',
    {
      preHandler: app.requirePermission('loan.read'),
      schema: {
        tags: ['loans'],
        summary: '还款流水（含冲正、提前还款）',
        params: LoanParams,
        response: { 200: Type.Array(PaymentRow), ...ERRORS },
      },
    },
    async (request) => {
      const loan = await findLoanOrThrow(repos, request.params.loanNo);
      return (await repos.payments.listByLoan(loan.id)).map(paymentRow);
    },
  );

  app.post(
    '/loans/:loanNo/payments/:paymentId/reversal',
    {
      preHandler: app.requirePermission('payment.reverse'),
      schema: {
        tags: ['loans'],
        summary:
          '冲正一笔还款、提前部分还款或提前结清（恢复此前的还款计划，已结清的贷款恢复还款中；须带 Idempotency-Key 与事由）',
        params: Type.Object({
          loanNo: Type.String({ maxLength: 40 }),
          paymentId: Type.String({ maxLength: 64 }),
        }),
        headers: KeyHeader,
        body: Type.Object({ reason: Reason }),
        response: {
          200: Type.Object({
            reversal: PaymentRow,
            replayed: Type.Boolean(),
            loan: LoanState,
          }),
          ...ERRORS,
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { reason } = request.body;
      const early = await repos.payments.findById(request.params.paymentId);
      if (early?.kind === 'prepayment' || early?.kind === 'payoff') {
        // The schedule before it comes back; a settled loan reopens.
        const done = await reverseEarlyRepayment(options, {
          loanNo: request.params.loanNo,
          paymentId: early.id,
          key: request.headers['idempotency-key'],
          reason,
          actor,
        });
        return {
          reversal: paymentRow(done.payment),
          replayed: done.replayed,
          loan: loanState(done.loan),
        };
      }
      return options.db.transaction().execute(async (tx) => {
        const r = options.repositoriesOver(tx);
        const loan = await findLoanOrThrow(r, request.params.loanNo);
        const original = await r.payments.findById(request.params.paymentId);
        if (original === undefined || original.loanId !== loan.id)
          throw notFound('payment.not_found', '未找到该笔还款。');
        await options.lockLoan(tx, loan.id);
        const reversed = await r.payments.reverse(
          {
            idempotencyKey: request.headers['idempotency-key'],
            paymentId: original.id,
            reason,
          },
          actor,
        );
        if (!reversed.ok) {
          const refusal = REVERSAL_REFUSALS[reversed.error.code];
          throw new HttpRefusal(
            refusal.status,
            reversed.error.code,
            refusal.message,
          );
        }
        let after = await r.loans.findById(loan.id);
        // A reversed payment can undo the one that settled the loan.
        if (!reversed.value.replayed && after?.status === 'settled') {
          const reopened = await r.loans.transition(
            loan.id,
            { type: 'reopen' },
            { actor, reason: `冲正还款 ${original.id}：${reason}` },
          );
          if (!reopened.ok) throw lifecycleRefusal(reopened.error);
          after = reopened.value;
        }
        if (after === undefined)
          throw notFound('loan.not_found', '未找到该贷款。');
        return {
          reversal: paymentRow(reversed.value.payment),
          replayed: reversed.value.replayed,
          loan: loanState(after),
        };
      });
    },
  );

  app.get(
    '/loans/:loanNo/payoff',
    {
      preHandler: app.requirePermission('loan.read'),
      schema: {
        tags: ['loans'],
        summary: '提前结清试算（指定日期的一次性结清金额）',
        params: LoanParams,
        querystring: Type.Object({ date: Type.Optional(Type.String()) }),
        response: {
          200: Type.Object({
            loan_no: Type.String(),
            as_of: Type.String(),
            principal: Money,
            interest: Money,
            accrued_interest: Money,
            fee: Money,
            penalty: Money,
            prepayment_fee: Money,
            prepayment_fee_terms: Type.String(),
            total: Money,
            interest_saved: Money,
          }),
          ...ERRORS,
        },
      },
    },
    async (request) => {
      const asOf =
        request.query.date === undefined
          ? options.today()
          : readDate(request.query.date, 'date');
      const loan = await findLoanOrThrow(repos, request.params.loanNo);
      assertOpen(loan);
      const plan = planPayoff(loan, await repos.loans.schedule(loan.id), asOf);
      if (!plan.ok) throw payoffRefusal(plan.error, 'date');
      const q = plan.value;
      return {
        loan_no: loan.loanNo,
        as_of: asOf,
        principal: formatFen(q.principalFen),
        interest: formatFen(q.interestFen),
        accrued_interest: formatFen(q.accruedInterestFen),
        fee: formatFen(q.feeFen),
        penalty: formatFen(q.penaltyFen),
        prepayment_fee: formatFen(q.prepaymentFeeFen),
        prepayment_fee_terms: describeFeeTermsZh(loan.prepaymentFee),
        total: formatFen(q.totalFen),
        interest_saved: formatFen(q.interestSavedFen),
      };
    },
  );

  app.get(
    '/loans/:loanNo/prepayments/quote',
    {
      preHandler: app.requirePermission('loan.read'),
      schema: {
        tags: ['loans'],
        summary:
          '提前部分还款试算：本金、应付利息、违约金（按合同约定）与还款后的月供/期数；不动账',
        params: LoanParams,
        querystring: Type.Object({
          amount: Type.String({ maxLength: 20 }),
          mode: Type.Union([
            Type.Literal('reduce_payment'),
            Type.Literal('reduce_term'),
          ]),
          date: Type.Optional(Type.String()),
        }),
        response: {
          200: Type.Object({
            loan_no: Type.String(),
            as_of: Type.String(),
            mode: Type.String(),
            principal: Money,
            interest_due_now: Money,
            prepayment_fee: Money,
            prepayment_fee_terms: Type.String(),
            total: Money,
            interest_saved: Money,
            next_installment: Type.Union([Money, Type.Null()]),
            periods_left: Type.Integer(),
          }),
          ...ERRORS,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const principalFen = readYuan(q.amount, 'amount');
      const asOf =
        q.date === undefined ? options.today() : readDate(q.date, 'date');
      const loan = await findLoanOrThrow(repos, request.params.loanNo);
      assertOpen(loan);
      const plan = await planPrepayment(options.db, repos, loan, {
        principalFen,
        mode: q.mode,
        paidOn: asOf,
      });
      const r = plan.result;
      const next = r.schedule.installments[plan.paidPeriods];
      return {
        loan_no: loan.loanNo,
        as_of: asOf,
        mode: q.mode,
        principal: formatFen(principalFen),
        interest_due_now: formatFen(r.interestDueNowFen),
        prepayment_fee: formatFen(r.prepaymentFeeFen),
        prepayment_fee_terms: describeFeeTermsZh(loan.prepaymentFee),
        total: formatFen(r.payNowFen),
        interest_saved: formatFen(r.interestSavedFen),
        next_installment:
          next === undefined ? null : formatFen(next.paymentFen),
        periods_left: r.periodsLeft,
      };
    },
  );

  app.post(
    '/loans/:loanNo/prepayments',
    {
      preHandler: app.requirePermission('loan.prepay'),
      schema: {
        tags: ['loans'],
        summary: '提前部分还款：减少月供或缩短期限（须带 Idempotency-Key）',
        params: LoanParams,
        headers: KeyHeader,
        body: Type.Object({
          amount: Type.Union([Type.String(), Type.Number()]),
          mode: Type.Union([
            Type.Literal('reduce_payment'),
            Type.Literal('reduce_term'),
          ]),
          paid_on: Type.Optional(Type.String()),
          channel: Type.Optional(Channel),
        }),
        response: {
          200: Type.Object({
            payment: PaymentRow,
            replayed: Type.Boolean(),
            principal: Money,
            interest_due_now: Money,
            prepayment_fee: Money,
            prepayment_fee_terms: Type.String(),
            interest_saved: Type.Union([Money, Type.Null()]),
            next_installment: Type.Union([Money, Type.Null()]),
            periods_left: Type.Integer(),
            loan: LoanState,
          }),
          ...ERRORS,
        },
      },
    },
    async (request) => {
      const b = request.body;
      const principalFen = readYuan(b.amount, 'amount');
      const paidOn =
        b.paid_on === undefined
          ? options.today()
          : readDate(b.paid_on, 'paid_on');
      const done = await prepayStoredLoan(options, {
        loanNo: request.params.loanNo,
        key: request.headers['idempotency-key'],
        principalFen,
        mode: b.mode,
        paidOn,
        channel: (b.channel ?? 'bank_transfer') as PaymentChannel,
        actor: actorOf(request),
      });
      const line = done.payment.allocations[0];
      const rows = await repos.loans.schedule(done.loan.id);
      const open = rows.filter(
        (r) =>
          r.paidPrincipalFen + r.paidInterestFen <
          r.principalFen + r.interestFen,
      );
      return {
        payment: paymentRow(done.payment),
        replayed: done.replayed,
        principal: formatFen(line?.principalFen ?? 0n),
        interest_due_now: formatFen(line?.interestFen ?? 0n),
        prepayment_fee: formatFen(line?.feeFen ?? 0n),
        prepayment_fee_terms: describeFeeTermsZh(done.loan.prepaymentFee),
        interest_saved:
          done.prepayment === undefined
            ? null
            : formatFen(done.prepayment.interestSavedFen),
        next_installment:
          open[0] === undefined ? null : formatFen(open[0].paymentFen),
        periods_left: open.length,
        loan: loanState(done.loan),
      };
    },
  );

  app.post(
    '/loans/:loanNo/payoff',
    {
      preHandler: app.requirePermission('loan.prepay'),
      schema: {
        tags: ['loans'],
        summary:
          '提前结清：按试算金额一次还清并结清贷款（须带 Idempotency-Key）',
        params: LoanParams,
        headers: KeyHeader,
        body: Type.Object({
          amount: Type.Union([Type.String(), Type.Number()]),
          paid_on: Type.Optional(Type.String()),
          channel: Type.Optional(Channel),
        }),
        response: {
          200: Type.Object({
            payment: PaymentRow,
            replayed: Type.Boolean(),
            loan: LoanState,
          }),
          ...ERRORS,
        },
      },
    },
    async (request) => {
      const b = request.body;
      const amountFen = readYuan(b.amount, 'amount');
      const paidOn =
        b.paid_on === undefined
          ? options.today()
          : readDate(b.paid_on, 'paid_on');
      const done = await payOffStoredLoan(options, {
        loanNo: request.params.loanNo,
        key: request.headers['idempotency-key'],
        amountFen,
        paidOn,
        channel: (b.channel ?? 'bank_transfer') as PaymentChannel,
        actor: actorOf(request),
      });
      return {
        payment: paymentRow(done.payment),
        replayed: done.replayed,
        loan: loanState(done.loan),
      };
    },
  );

  app.post(
    '/loans/:loanNo/transitions',
    {
      preHandler: app.requirePermission('loan.transition'),
      schema: {
        tags: ['loans'],
        summary:
          '贷款状态变更：转逾期、恢复正常、转催收、结清、核销（须写明事由）',
        params: LoanParams,
        body: Type.Object({
          event: Type.Union([
            Type.Literal('miss_payment'),
            Type.Literal('cure'),
            Type.Literal('assign_collection'),
            Type.Literal('settle'),
            Type.Literal('write_off'),
          ]),
          reason: Reason,
        }),
        response: { 200: LoanState, ...ERRORS },
      },
    },
    async (request) => {
      const loan = await findLoanOrThrow(repos, request.params.loanNo);
      const rows = await repos.loans.schedule(loan.id);
      const today = options.today();
      const overdueDays = Math.min(daysPastDue(rows, today), OVERDUE_DAYS_MAX);
      const type = request.body.event;
      // The ledger, not the caller, says whether the loan is overdue or paid.
      if (type === 'miss_payment' && overdueDays === 0)
        throw new HttpRefusal(
          409,
          'loan.not_overdue',
          '该贷款没有逾期未还的期次，不能转入逾期。',
        );
      if (type === 'cure' && overdueDays > 0)
        throw new HttpRefusal(
          409,
          'loan.still_overdue',
          `该贷款仍逾期 ${overdueDays} 天，还清逾期款项后才能恢复正常。`,
        );
      if (type === 'settle' && outstandingFen(rows) > 0n)
        throw new HttpRefusal(
          409,
          'loan.balance_outstanding',
          `该贷款尚欠 ${formatFen(outstandingFen(rows))} 元，不能结清；提前结清请使用提前结清功能。`,
        );
      const event: LoanEvent =
        type === 'write_off' ? { type, overdueDays } : { type };
      const moved = await repos.loans.transition(loan.id, event, {
        actor: actorOf(request),
        reason: request.body.reason,
      });
      if (!moved.ok) throw lifecycleRefusal(moved.error);
      return loanState(moved.value);
    },
  );
};
