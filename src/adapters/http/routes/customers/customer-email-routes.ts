import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { ErrorOutput } from '../../../../contracts/loan.js';
import { maskEmail } from '../../../../domain/compliance/pii-mask.js';
import { can } from '../../../../domain/security/permissions.js';
import { appendAudit } from '../../../db/repositories/audit-repository.js';
import type { Repositories } from '../../../db/repositories/index.js';
import type { Database } from '../../../db/schema.js';
import { HttpRefusal } from '../../refusal.js';

// A customer's e-mail address for reminders and notices (客户电子邮箱):
// stored encrypted (customer_channels.email_enc, like every PII column),
// shown masked (w***@example.com) unless a role that needs it asks with a
// reason, changed or removed with a reason by staff who maintain customer
// contacts. Every read in full and every change is audited in the same
// transaction, with masked addresses only — the log never holds PII.

export type CustomerEmailRouteOptions = {
  readonly repositories: Repositories;
  readonly db: Kysely<Database>;
  readonly repositoriesOver: (db: Kysely<Database>) => Repositories;
  readonly now: () => string;
};

// RFC 5321 limits: 64 for the local part, 254 in all. A pragmatic shape
// check (one @, a dotted domain, no spaces); delivery proves the rest.
const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;
const EMAIL_LENGTH_MAX = 254;

const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });
const Reason = Type.String({ minLength: 2, maxLength: 200 });
const EmailOutput = Type.Object({
  customer_id: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  email_enabled: Type.Boolean(),
  masked: Type.Boolean(),
});

function readEmail(value: string): string {
  const email = value.trim();
  if (email.length > EMAIL_LENGTH_MAX || !EMAIL_PATTERN.test(email))
    throw new HttpRefusal(
      400,
      'input.invalid',
      'email: 须为有效的电子邮箱地址，如 name@example.com',
      'email',
    );
  return email;
}

const LOGIN = { error: { code: 'auth.required', message: '请先登录。' } };

const maskedOrNull = (email: string | undefined) =>
  email === undefined ? null : maskEmail(email);

export const customerEmailRoutes: FastifyPluginAsyncTypebox<
  CustomerEmailRouteOptions
> = async (app, options) => {
  const repos = options.repositories;

  async function customerOr404(id: string): Promise<void> {
    if ((await repos.customers.findById(id)) === undefined)
      throw new HttpRefusal(404, 'customer.not_found', '未找到该客户。');
  }

  app.get(
    '/customers/:id/email',
    {
      preHandler: app.requirePermission('customer.read_masked'),
      schema: {
        tags: ['customers'],
        summary: '客户电子邮箱（默认脱敏；查看完整地址须有权限并填写事由）',
        params: Params,
        querystring: Type.Object({
          unmasked: Type.Optional(Type.Boolean()),
          reason: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: {
          200: EmailOutput,
          400: ErrorOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
        },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      await customerOr404(id);
      const settings = await repos.channels.settings(id);
      if (request.query.unmasked !== true)
        return {
          customer_id: id,
          email: maskedOrNull(settings.email),
          email_enabled: settings.emailEnabled,
          masked: true,
        };
      const principal = request.principal;
      if (principal === undefined) return reply.status(401).send(LOGIN);
      const reason = request.query.reason?.trim() ?? '';
      const missing = !can(principal.roles, 'customer.read_unmasked')
        ? 'role'
        : reason.length < 2
          ? 'reason'
          : undefined;
      if (missing !== undefined) {
        // A refused attempt is audited too: the log shows who tried.
        await appendAudit(
          options.db,
          {
            actor: principal.username,
            action: 'customer.pii_read_refused',
            subjectType: 'customer',
            subjectId: id,
            details: { field: 'email', missing },
          },
          options.now(),
        );
        return missing === 'role'
          ? reply.status(403).send({
              error: {
                code: 'auth.forbidden',
                message: '当前角色无权查看完整邮箱地址。',
              },
            })
          : reply.status(400).send({
              error: {
                code: 'input.invalid',
                field: 'reason',
                message: 'reason: 查看完整信息须填写事由',
              },
            });
      }
      return options.db.transaction().execute(async (tx) => {
        const email = (await options.repositoriesOver(tx).channels.settings(id))
          .email;
        await appendAudit(
          tx,
          {
            actor: principal.username,
            action: 'customer.pii_read',
            subjectType: 'customer',
            subjectId: id,
            details: { field: 'email', reason },
          },
          options.now(),
        );
        return {
          customer_id: id,
          email: email ?? null,
          email_enabled: settings.emailEnabled,
          masked: false,
        };
      });
    },
  );

  /** Sets (or, with `email` undefined, removes) the address, audited. */
  async function change(
    id: string,
    email: string | undefined,
    reason: string,
    actor: string,
  ) {
    await customerOr404(id);
    return options.db.transaction().execute(async (tx) => {
      const channels = options.repositoriesOver(tx).channels;
      const before = await channels.settings(id);
      await channels.saveSettings(id, {
        ...before,
        email,
        // A new address is used at once; removing it stops e-mail.
        emailEnabled: email !== undefined,
      });
      await appendAudit(
        tx,
        {
          actor,
          action:
            email === undefined
              ? 'customer.email_remove'
              : 'customer.email_update',
          subjectType: 'customer',
          subjectId: id,
          details: {
            reason,
            from: maskedOrNull(before.email),
            to: maskedOrNull(email),
          },
        },
        options.now(),
      );
      return {
        customer_id: id,
        email: maskedOrNull(email),
        email_enabled: email !== undefined,
        masked: true,
      };
    });
  }

  app.put(
    '/customers/:id/email',
    {
      preHandler: app.requirePermission('customer.update_contact'),
      schema: {
        tags: ['customers'],
        summary: '设置或更改客户电子邮箱（加密保存，须填写事由，记录审计）',
        params: Params,
        body: Type.Object(
          {
            email: Type.String({ minLength: 3, maxLength: EMAIL_LENGTH_MAX }),
            reason: Reason,
          },
          { additionalProperties: false },
        ),
        response: {
          200: EmailOutput,
          400: ErrorOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
        },
      },
    },
    async (request) =>
      change(
        request.params.id,
        readEmail(request.body.email),
        request.body.reason.trim(),
        request.principal?.username ?? 'unknown',
      ),
  );

  app.delete(
    '/customers/:id/email',
    {
      preHandler: app.requirePermission('customer.update_contact'),
      schema: {
        tags: ['customers'],
        summary: '删除客户电子邮箱（须填写事由，记录审计）',
        params: Params,
        querystring: Type.Object({ reason: Reason }),
        response: {
          200: EmailOutput,
          400: ErrorOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
        },
      },
    },
    async (request) =>
      change(
        request.params.id,
        undefined,
        request.query.reason.trim(),
        request.principal?.username ?? 'unknown',
      ),
  );
};
