import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorOutput } from '../../../../contracts/loan.js';
import { can } from '../../../../domain/security/permissions.js';
import type { Repositories } from '../../../db/repositories/index.js';
import {
  negotiationPolicyInForce,
  type PolicyInForce,
  policyBody,
  policyJson,
  readPolicyFields,
  shippedPolicyVersion,
} from '../../../negotiation/negotiation-policy.js';
import { HttpRefusal } from '../../refusal.js';

// 协商政策 API: the negotiation limits in force (max installments, waivers,
// minimum first payment, settlement discount, recovery discount rate) for
// negotiators, supervisors and administrators; administrators store a new
// version with a reason (optimistic on the version they edited), audited
// with who, why, before and after. Plans and signing use the version in
// force from the next request on.

export type PolicyRouteOptions = { readonly repositories: Repositories };

const Share = Type.String({ maxLength: 20 });
const PolicyFields = Type.Object(
  {
    max_months: Type.Integer(),
    max_penalty_waiver: Share,
    max_interest_waiver: Share,
    min_first_payment_yuan: Share,
    settlement_discount_max: Share,
    discount_rate_annual: Share,
  },
  { additionalProperties: false },
);
const PolicyOutput = Type.Object({
  version: Type.Integer(),
  source: Type.Union([Type.Literal('file'), Type.Literal('database')]),
  policy: PolicyFields,
  saved_by: Type.Union([Type.String(), Type.Null()]),
  saved_at: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
});
const PolicyInput = Type.Object(
  {
    /** The version the administrator edited (optimistic concurrency). */
    base_version: Type.Integer({ minimum: 0 }),
    reason: Type.String({ minLength: 2, maxLength: 500 }),
    policy: Type.Object(
      {
        max_months: Type.Union([Type.Integer(), Share]),
        max_penalty_waiver: Type.Union([Share, Type.Number()]),
        max_interest_waiver: Type.Union([Share, Type.Number()]),
        min_first_payment_yuan: Type.Union([Share, Type.Number()]),
        settlement_discount_max: Type.Union([Share, Type.Number()]),
        discount_rate_annual: Type.Union([Share, Type.Number()]),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

function output(inForce: PolicyInForce) {
  return {
    version: inForce.version,
    source: inForce.source,
    policy: policyJson(inForce.policy),
    saved_by: inForce.saved?.by ?? null,
    saved_at: inForce.saved?.at ?? null,
    reason: inForce.saved?.reason ?? null,
  };
}

export const negotiationPolicyRoutes: FastifyPluginAsyncTypebox<
  PolicyRouteOptions
> = async (app, options) => {
  const repos = options.repositories;

  app.get(
    '/negotiation/policy',
    {
      // Negotiators and supervisors read the limits they negotiate within;
      // administrators, who change them, read them too.
      preHandler: async (request, reply) => {
        const principal = request.principal;
        if (principal === undefined)
          return reply.status(401).send({
            error: { code: 'auth.required', message: '请先登录。' },
          });
        if (
          !can(principal.roles, 'negotiation.plan') &&
          !can(principal.roles, 'policy.manage')
        )
          return reply.status(403).send({
            error: { code: 'auth.forbidden', message: '无权执行此操作。' },
          });
      },
      schema: {
        tags: ['negotiation'],
        summary: '现行协商还款政策（版本、来源、各项限额）',
        response: { 200: PolicyOutput, 401: ErrorOutput, 403: ErrorOutput },
      },
    },
    async () => output(await negotiationPolicyInForce(repos)),
  );

  app.put(
    '/negotiation/policy',
    {
      preHandler: app.requirePermission('policy.manage'),
      schema: {
        tags: ['negotiation'],
        summary: '管理员保存新版协商还款政策（须说明原因；记录审计）',
        body: PolicyInput,
        response: {
          200: PolicyOutput,
          400: ErrorOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          409: ErrorOutput,
        },
      },
    },
    async (request) => {
      const body = request.body;
      const policy = readPolicyFields(body.policy);
      const current = await negotiationPolicyInForce(repos);
      if (body.base_version !== current.version)
        throw new HttpRefusal(
          409,
          'negotiation.policy_conflict',
          `政策已被修改为第 ${current.version} 版，请刷新后在最新版本上修改。`,
          'base_version',
        );
      const version = Math.max(current.version, shippedPolicyVersion()) + 1;
      const saved = await repos.negotiations.savePolicy(
        {
          version,
          body: policyBody(policy),
          reason: body.reason,
          createdBy: `user:${request.principal?.username ?? '?'}`,
        },
        {
          before: policyJson(current.policy),
          after: policyJson(policy),
        },
      );
      if (!saved)
        throw new HttpRefusal(
          409,
          'negotiation.policy_conflict',
          '政策刚被他人修改，请刷新后重试。',
          'base_version',
        );
      return output(await negotiationPolicyInForce(repos));
    },
  );
};
