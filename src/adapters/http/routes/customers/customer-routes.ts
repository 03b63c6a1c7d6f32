import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { ErrorOutput } from '../../../../contracts/loan.js';
import { formatFen } from '../../../../contracts/money.js';
import {
  maskIdNumber,
  maskMobile,
  maskName,
} from '../../../../domain/compliance/pii-mask.js';
import { formatRate } from '../../../../domain/money/rate.js';
import { can } from '../../../../domain/security/permissions.js';
import { appendAudit } from '../../../db/repositories/audit-repository.js';
import type { Customer } from '../../../db/repositories/customer-repository.js';
import type { Repositories } from '../../../db/repositories/index.js';
import type { Database } from '../../../db/schema.js';

// Customers as agents see them: masked by default (王*明, 138****1111,
// 110***…1234). A role that needs the full data asks for it with a reason;
// every such read is written to the tamper-evident audit log first.

const CustomerOutput = Type.Object({
  id: Type.String(),
  name: Type.String(),
  id_number: Type.String(),
  phone: Type.String(),
  monthly_income: Type.Union([Type.String(), Type.Null()]),
  masked: Type.Boolean(),
});

const LoanSummary = Type.Object({
  loan_no: Type.String(),
  status: Type.String(),
  principal: Type.String(),
  rate_annual: Type.String(),
  term_months: Type.Integer(),
  method: Type.String(),
  start_date: Type.String(),
});

export function customerView(customer: Customer, masked: boolean) {
  return {
    id: customer.id,
    name: masked ? maskName(customer.name) : customer.name,
    id_number: masked ? maskIdNumber(customer.idNumber) : customer.idNumber,
    phone: masked ? maskMobile(customer.phone) : customer.phone,
    monthly_income:
      customer.monthlyIncomeFen === undefined
        ? null
        : formatFen(customer.monthlyIncomeFen),
    masked,
  };
}

export type CustomerRouteOptions = {
  readonly repositories: Repositories;
  readonly db: Kysely<Database>;
  readonly now: () => string;
};

export const customerRoutes: FastifyPluginAsyncTypebox<
  CustomerRouteOptions
> = async (app, options) => {
  const repos = options.repositories;
  app.get(
    '/customers/:id',
    {
      preHandler: app.requirePermission('customer.read_masked'),
      schema: {
        tags: ['customers'],
        summary: '客户信息（默认脱敏）',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        querystring: Type.Object({
          unmasked: Type.Optional(Type.Boolean()),
          reason: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: {
          200: CustomerOutput,
          400: ErrorOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
        },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (principal === undefined)
        return reply
          .status(401)
          .send({ error: { code: 'auth.required', message: '请先登录。' } });
      const customer = await repos.customers.findById(request.params.id);
      if (customer === undefined)
        return reply.status(404).send({
          error: { code: 'customer.not_found', message: '未找到该客户。' },
        });
      if (request.query.unmasked !== true) return customerView(customer, true);
      // A refused attempt is audited too, whether the role or the reason
      // was missing: the log shows who tried to see what.
      const refused = (why: 'role' | 'reason') =>
        appendAudit(
          options.db,
          {
            actor: principal.username,
            action: 'customer.pii_read_refused',
            subjectType: 'customer',
            subjectId: customer.id,
            details: { roles: [...principal.roles], missing: why },
          },
          options.now(),
        );
      if (!can(principal.roles, 'customer.read_unmasked')) {
        await refused('role');
        return reply.status(403).send({
          error: {
            code: 'auth.forbidden',
            message: '当前角色无权查看完整身份信息。',
          },
        });
      }
      const reason = request.query.reason?.trim() ?? '';
      if (reason === '') {
        await refused('reason');
        return reply.status(400).send({
          error: {
            code: 'input.invalid',
            field: 'reason',
            message: 'reason: 查看完整信息须填写事由',
          },
        });
      }
      // The repository writes the audit entry in the same transaction as
      // the read: no audit, no data.
      const unmasked = await repos.customers.readUnmasked(customer.id, {
        actor: principal.username,
        reason,
      });
      if (unmasked === undefined)
        return reply.status(404).send({
          error: { code: 'customer.not_found', message: '未找到该客户。' },
        });
      return customerView(unmasked, false);
    },
  );

  app.get(
    '/customers/:id/loans',
    {
      preHandler: app.requirePermission('loan.read'),
      schema: {
        tags: ['customers'],
        summary: '客户名下贷款',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: {
          200: Type.Array(LoanSummary),
          401: ErrorOutput,
          403: ErrorOutput,
        },
      },
    },
    async (request) => {
      const loans = await repos.loans.listByCustomer(request.params.id);
      return loans.map((loan) => ({
        loan_no: loan.loanNo,
        status: loan.status,
        principal: formatFen(loan.principalFen),
        rate_annual: formatRate(loan.rateAnnual, 6),
        term_months: loan.termMonths,
        method: loan.method,
        start_date: loan.startDate,
      }));
    },
  );
};
