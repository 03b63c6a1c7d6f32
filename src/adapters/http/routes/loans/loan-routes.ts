import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { ErrorOutput } from '../../../../contracts/loan.js';
import { formatFen } from '../../../../contracts/money.js';
import { allocatePayment } from '../../../../domain/loan/allocation/allocate-payment.js';
import { DEFAULT_ALLOCATION_POLICY } from '../../../../domain/loan/allocation/allocation-policy.js';
import { type Fen, fen } from '../../../../domain/money/fen.js';
import { formatRate } from '../../../../domain/money/rate.js';
import type { CalendarDate } from '../../../../domain/shared/calendar-date.js';
import type { Repositories } from '../../../db/repositories/index.js';
import type { LedgerInstallment } from '../../../db/repositories/loan-repository.js';
import type {
  Payment,
  PaymentChannel,
} from '../../../db/repositories/payment-ledger.js';
import type { Database } from '../../../db/schema.js';
import { readDate, readYuan } from '../../../wire/schedule-codec.js';
import { renderSettlementCertificate } from './settlement-certificate.js';

// A loan's ledger view and repayments. A repayment is allocated by the
// waterfall (oldest installment first: fee, penalty, interest, principal)
// and posted under the caller's Idempotency-Key: a retry moves no money.

const Money = Type.String();
const LedgerRow = Type.Object({
  n: Type.Integer(),
  due_date: Type.String(),
  payment: Money,
  principal: Money,
  interest: Money,
  fee: Money,
  penalty: Money,
  paid: Money,
  outstanding: Money,
});
const LoanOutput = Type.Object({
  loan_no: Type.String(),
  customer_id: Type.String(),
  status: Type.String(),
  principal: Money,
  rate_annual: Type.String(),
  term_months: Type.Integer(),
  method: Type.String(),
  start_date: Type.String(),
  outstanding: Money,
  installments: Type.Array(LedgerRow),
});

const CHANNELS: readonly PaymentChannel[] = [
  'bank_transfer',
  'card',
  'alipay',
  'wechat',
  'counter',
  'other',
];

export function owed(row: LedgerInstallment) {
  return {
    principalFen: fen(row.principalFen - row.paidPrincipalFen),
    interestFen: fen(row.interestFen - row.paidInterestFen),
    feeFen: fen(row.feeFen - row.paidFeeFen),
    penaltyFen: fen(row.penaltyFen - row.paidPenaltyFen),
  };
}

export function rowView(row: LedgerInstallment) {
  const o = owed(row);
  const paid =
    row.paidPrincipalFen +
    row.paidInterestFen +
    row.paidFeeFen +
    row.paidPenaltyFen;
  return {
    n: row.n,
    due_date: row.dueDate,
    payment: formatFen(row.paymentFen),
    principal: formatFen(row.principalFen),
    interest: formatFen(row.interestFen),
    fee: formatFen(row.feeFen),
    penalty: formatFen(row.penaltyFen),
    paid: formatFen(paid),
    outstanding: formatFen(
      o.principalFen + o.interestFen + o.feeFen + o.penaltyFen,
    ),
  };
}

export type LoanRouteOptions = {
  readonly repositories: Repositories;
  readonly db: Kysely<Database>;
  readonly repositoriesOver: (db: Kysely<Database>) => Repositories;
  /** Serialises payments on one loan (SELECT … FOR UPDATE on PostgreSQL). */
  readonly lockLoan: (tx: Kysely<Database>, loanId: string) => Promise<void>;
  readonly today: () => CalendarDate;
  /** The lender's name on documents (结清证明). */
  readonly institutionZh: string;
};

export const loanRoutes: FastifyPluginAsyncTypebox<LoanRouteOptions> = async (
  app,
  options,
) => {
  const repos = options.repositories;
  app.get(
    '/loans/:loanNo',
    {
      preHandler: app.requirePermission('loan.read'),
      schema: {
        tags: ['loans'],
        summary: '贷款与还款计划（账本）',
        params: Type.Object({ loanNo: Type.String({ maxLength: 40 }) }),
        response: {
          200: LoanOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
        },
      },
    },
    async (request, reply) => {
      const loan = await repos.loans.findByLoanNo(request.params.loanNo);
      if (loan === undefined)
        return reply.status(404).send({
          error: { code: 'loan.not_found', message: '未找到该贷款。' },
        });
      const rows = await repos.loans.schedule(loan.id);
      const outstanding = rows.reduce((sum, row) => {
        const o = owed(row);
        return sum + o.principalFen + o.interestFen + o.feeFen + o.penaltyFen;
      }, 0n);
      return {
        loan_no: loan.loanNo,
        customer_id: loan.customerId,
        status: loan.status,
        principal: formatFen(loan.principalFen),
        rate_annual: formatRate(loan.rateAnnual, 6),
        term_months: loan.termMonths,
        method: loan.method,
        start_date: loan.startDate,
        outstanding: formatFen(outstanding),
        installments: rows.map(rowView),
      };
    },
  );

  app.get(
    '/loans/:loanNo/settlement-certificate',
    {
      preHandler: app.requirePermission('loan.read'),
      schema: {
        tags: ['loans'],
        summary: '结清证明（可打印的 HTML）',
        params: Type.Object({ loanNo: Type.String({ maxLength: 40 }) }),
      },
    },
    async (request, reply) => {
      const loan = await repos.loans.findByLoanNo(request.params.loanNo);
      if (loan === undefined)
        return reply.status(404).send({
          error: { code: 'loan.not_found', message: '未找到该贷款。' },
        });
      if (loan.status !== 'settled' || loan.closedOn === undefined) {
        return reply.status(409).send({
          error: {
            code: 'loan.not_settled',
            message: '该贷款尚未结清，暂不能开具结清证明。',
          },
        });
      }
      // The borrower's name is needed in full: the read is audited.
      const customer = await repos.customers.readUnmasked(loan.customerId, {
        actor: request.principal?.username ?? 'unknown',
        reason: `开具结清证明 ${loan.loanNo}`,
      });
      if (customer === undefined)
        return reply.status(404).send({
          error: { code: 'customer.not_found', message: '未找到该客户。' },
        });
      const payments = await repos.payments.listByLoan(loan.id);
      const product =
        loan.productId === undefined
          ? undefined
          : await repos.products.findById(loan.productId);
      const html = renderSettlementCertificate({
        institutionZh: options.institutionZh,
        borrowerName: customer.name,
        idNumber: customer.idNumber,
        loanNo: loan.loanNo,
        productZh: product?.name ?? '个人贷款',
        principalFen: loan.principalFen,
        startDate: loan.startDate,
        settledOn: loan.closedOn,
        totalRepaidFen: payments.reduce((sum, p) => sum + p.amountFen, 0n),
        issuedOn: options.today(),
        certificateNo: `JQ-${loan.loanNo}`,
      });
      return reply.type('text/html; charset=utf-8').send(html);
    },
  );

  app.post(
    '/loans/:loanNo/payments',
    {
      preHandler: app.requirePermission('payment.post'),
      schema: {
        tags: ['loans'],
        summary: '入账一笔还款（按瀑布顺序分配；须带 Idempotency-Key）',
        params: Type.Object({ loanNo: Type.String({ maxLength: 40 }) }),
        headers: Type.Object({
          'idempotency-key': Type.String({ minLength: 8, maxLength: 200 }),
        }),
        body: Type.Object({
          amount: Type.Union([Type.String(), Type.Number()]),
          paid_on: Type.Optional(Type.String()),
          channel: Type.Optional(Type.String()),
        }),
        response: {
          200: PaymentOutput,
          400: ErrorOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
          409: ErrorOutput,
        },
      },
    },
    async (request, reply) => {
      const amountFen = readYuan(request.body.amount, 'amount');
      const paidOn =
        request.body.paid_on === undefined
          ? options.today()
          : readDate(request.body.paid_on, 'paid_on');
      const channel = (request.body.channel ??
        'bank_transfer') as PaymentChannel;
      if (!CHANNELS.includes(channel)) {
        return reply.status(400).send({
          error: {
            code: 'input.invalid',
            field: 'channel',
            message: `channel: must be one of ${CHANNELS.join(' | ')}`,
          },
        });
      }
      const outcome = await postRepayment(options, {
        key: request.headers['idempotency-key'],
        loanNo: request.params.loanNo,
        amountFen,
        paidOn,
        channel,
        actor: request.principal?.username ?? 'unknown',
      });
      if (outcome.kind === 'not_found')
        return reply.status(404).send({
          error: { code: 'loan.not_found', message: '未找到该贷款。' },
        });
      if (outcome.kind === 'conflict')
        return reply.status(409).send({
          error: {
            code: 'idempotency.key_reused',
            message: 'Idempotency-Key 已用于另一笔请求。',
          },
        });
      if (outcome.kind === 'refused')
        return reply.status(400).send({
          error: {
            code: outcome.code,
            field: 'amount',
            message: outcome.message,
          },
        });
      const payment = outcome.payment;
      return {
        payment_id: payment.id,
        amount: formatFen(payment.amountFen),
        replayed: outcome.replayed,
        allocations: payment.allocations.map((row) => ({
          n: row.n,
          principal: formatFen(row.principalFen),
          interest: formatFen(row.interestFen),
          fee: formatFen(row.feeFen),
          penalty: formatFen(row.penaltyFen),
        })),
      };
    },
  );
};

const PaymentOutput = Type.Object({
  payment_id: Type.String(),
  amount: Money,
  replayed: Type.Boolean(),
  allocations: Type.Array(
    Type.Object({
      n: Type.Integer(),
      principal: Money,
      interest: Money,
      fee: Money,
      penalty: Money,
    }),
  ),
});

type RepaymentOutcome =
  | {
      readonly kind: 'posted';
      readonly payment: Payment;
      readonly replayed: boolean;
    }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'conflict' }
  | {
      readonly kind: 'refused';
      readonly code: string;
      readonly message: string;
    };

/**
 * One transaction: the key check, the ledger read (the loan locked), the
 * allocation and the posting see and write one consistent state; a retry
 * with the same key returns the first payment and moves no money.
 */
async function postRepayment(
  options: LoanRouteOptions,
  input: {
    key: string;
    loanNo: string;
    amountFen: Fen;
    paidOn: CalendarDate;
    channel: PaymentChannel;
    actor: string;
  },
): Promise<RepaymentOutcome> {
  return options.db
    .transaction()
    .execute(async (tx): Promise<RepaymentOutcome> => {
      const repos = options.repositoriesOver(tx);
      const loan = await repos.loans.findByLoanNo(input.loanNo);
      const earlier = await tx
        .selectFrom('idempotency_keys')
        .select(['scope', 'result_id'])
        .where('key', '=', input.key)
        .executeTakeFirst();
      if (earlier !== undefined) {
        const payment =
          earlier.scope === 'payment.post'
            ? await repos.payments.findById(earlier.result_id)
            : undefined;
        if (
          payment === undefined ||
          loan === undefined ||
          payment.loanId !== loan.id ||
          payment.amountFen !== input.amountFen
        )
          return { kind: 'conflict' };
        return { kind: 'posted', payment, replayed: true };
      }
      if (loan === undefined) return { kind: 'not_found' };
      await options.lockLoan(tx, loan.id);
      const allocated = allocatePayment(
        await repos.loans.balance(loan.id),
        input.amountFen,
        DEFAULT_ALLOCATION_POLICY,
      );
      if (!allocated.ok)
        return {
          kind: 'refused',
          code: allocated.error.code,
          message: `amount: ${allocated.error.code}`,
        };
      if (allocated.value.remainderFen > 0n) {
        return {
          kind: 'refused',
          code: 'payment.overpayment',
          message: `amount: exceeds what is owed by ${formatFen(allocated.value.remainderFen)}; settle with a payoff or refund the difference`,
        };
      }
      const allocations = allocated.value.allocations.filter(
        (row) =>
          row.principalFen + row.interestFen + row.feeFen + row.penaltyFen > 0n,
      );
      const posted = await repos.payments.post(
        {
          idempotencyKey: input.key,
          loanId: loan.id,
          amountFen: input.amountFen,
          paidOn: input.paidOn,
          channel: input.channel,
          allocations,
        },
        input.actor,
      );
      if (!posted.ok)
        return {
          kind: 'refused',
          code: posted.error.code,
          message: posted.error.code,
        };
      return {
        kind: 'posted',
        payment: posted.value.payment,
        replayed: posted.value.replayed,
      };
    });
}
