import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { caseScope } from '../../../domain/security/permissions.js';
import type { CollectionWorkRepository } from '../../db/repositories/collection-work-repository.js';

// 催收案件按分配查看: a collector or negotiator sees only the cases assigned
// to them. Enforced here, once, for every route under /customers/:id and
// /loans/:loanNo and /collections/cases/:loanNo (present and future), so the route files stay unaware of
// it; supervisors, agents and admins see every case.

const CUSTOMER_ROUTE = /^\/api\/v1\/customers\/:id(\/|$)/;
const LOAN_ROUTE = /^\/api\/v1\/(loans|collections\/cases)\/:loanNo(\/|$)/;

type Params = { readonly id?: string; readonly loanNo?: string };

async function allowed(
  request: FastifyRequest,
  work: CollectionWorkRepository,
  userId: string,
): Promise<boolean> {
  const url = request.routeOptions.url ?? '';
  const params = (request.params ?? {}) as Params;
  if (CUSTOMER_ROUTE.test(url) && params.id !== undefined)
    return work.isCustomerAssigned(params.id, userId);
  if (LOAN_ROUTE.test(url) && params.loanNo !== undefined)
    return work.isLoanNoAssigned(params.loanNo, userId);
  return true;
}

export const caseScopePlugin = fp(
  async (
    app: FastifyInstance,
    options: { readonly work: CollectionWorkRepository },
  ) => {
    app.addHook('preHandler', async (request, reply) => {
      const principal = request.principal;
      if (principal === undefined || caseScope(principal.roles) === 'all')
        return;
      if (await allowed(request, options.work, principal.userId)) return;
      return reply.status(403).send({
        error: {
          code: 'collection.not_assigned',
          message: '该案件未分配给您，无权查看或处理。',
        },
      });
    });
  },
);
