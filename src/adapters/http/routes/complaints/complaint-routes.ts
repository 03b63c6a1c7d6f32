import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import {
  assignComplaint,
  type ComplaintError,
  countdownOf,
  escalateComplaints,
  extendComplaint,
  openComplaint,
  resolveComplaint,
} from '../../../../app/complaints/handle-complaints.js';
import {
  ComplaintOutput,
  NewComplaintInput,
  OutboxMessageOutput,
  RunAtInput,
  TICKET_STATUS_VALUES,
} from '../../../../contracts/channels.js';
import { ErrorOutput } from '../../../../contracts/loan.js';
import { PAGE_SIZE_MAX } from '../../../../domain/shared/limits.js';
import {
  type ChannelRuntime,
  channelDeps,
} from '../../../channels/channel-runtime.js';
import type { ComplaintTicket } from '../../../db/repositories/complaint-repository.js';
import type { Repositories } from '../../../db/repositories/index.js';
import type { Database } from '../../../db/schema.js';
import { outboxView } from '../channels/channel-routes.js';

// The complaint desk API (complaint.handle): open from chat, phone or
// e-mail, list by deadline with a countdown, read with its notices, assign,
// extend once (CP-01), escalate (idempotent), resolve with the customer
// notified. Every change is written to the audit log in its transaction.

export type ComplaintRouteOptions = {
  readonly runtime: ChannelRuntime;
  readonly db: Kysely<Database>;
  readonly repositoriesOver: (db: Kysely<Database>) => Repositories;
  /** The current instant, ISO-8601 with an offset (tests pin it). */
  readonly now: () => string;
};

const ERROR_STATUS: Record<ComplaintError['code'], number> = {
  'complaint.not_found': 404,
  'complaint.unknown_category': 400,
  'complaint.customer_not_found': 404,
  'complaint.already_resolved': 409,
  'complaint.already_extended': 409,
  'complaint.extension_out_of_range': 400,
  'complaint.resolution_not_compliant': 422,
  'complaint.assignee_not_found': 404,
};

const ERROR_MESSAGE_ZH: Record<ComplaintError['code'], string> = {
  'complaint.not_found': '未找到该投诉工单。',
  'complaint.unknown_category': '投诉类别不存在，请从类别列表中选择。',
  'complaint.customer_not_found': '未找到该客户。',
  'complaint.already_resolved': '该投诉已办结，不能再修改。',
  'complaint.already_extended': '该投诉已延期过一次，不能再次延期。',
  'complaint.extension_out_of_range': '延期天数超出规定范围。',
  'complaint.resolution_not_compliant':
    '处理结果的表述未通过合规检查，请按提示修改后再提交。',
  'complaint.assignee_not_found': '未找到被指派的处理人。',
};

function sendError(reply: FastifyReply, error: ComplaintError) {
  const body: {
    error: { code: string; message: string };
    findings?: unknown[];
  } = {
    error: { code: error.code, message: ERROR_MESSAGE_ZH[error.code] },
  };
  if (error.code === 'complaint.resolution_not_compliant')
    body.findings = error.violations.map((v) => ({
      rule: v.rule,
      category: v.category,
      severity: v.severity,
      span: v.span,
      message: v.message,
      basis: v.basis,
      suggestion: v.suggestion,
    }));
  return reply.status(ERROR_STATUS[error.code]).send(body);
}

const ComplaintErrorOutput = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
  findings: Type.Optional(Type.Array(Type.Unknown())),
});

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

const NoticeCounts = Type.Object({
  sent: Type.Integer(),
  deferred: Type.Integer(),
  suppressed: Type.Integer(),
  retrying: Type.Integer(),
  failed: Type.Integer(),
});

export const complaintRoutes: FastifyPluginAsyncTypebox<
  ComplaintRouteOptions
> = async (app, options) => {
  const runtime = options.runtime;
  const deps = () => ({
    ...channelDeps(runtime, options.db, options.repositoriesOver),
    templates: runtime.templates,
    complaintPolicy: runtime.complaintPolicy,
  });
  const repos = options.repositoriesOver(options.db);
  const offset = runtime.config.utcOffsetMinutes;
  const view = (ticket: ComplaintTicket) => {
    const countdown = countdownOf(ticket, Date.parse(options.now()), offset);
    return {
      id: ticket.id,
      ticket_no: ticket.ticketNo,
      customer_id: ticket.customerId ?? null,
      conversation_id: ticket.conversationId ?? null,
      source: ticket.source ?? null,
      category: ticket.category ?? null,
      category_zh:
        runtime.complaintPolicy.categories.find((c) => c.id === ticket.category)
          ?.nameZh ?? null,
      complexity: ticket.complexity ?? null,
      status: ticket.status,
      summary: ticket.summary,
      assigned_user_id: ticket.assignedUserId ?? null,
      created_at: ticket.createdAt,
      due_at: ticket.dueAt,
      decision_date: countdown.decisionDate,
      minutes_left: countdown.minutesLeft,
      days_left: countdown.daysLeft,
      overdue: countdown.overdue,
      escalation_level: ticket.escalationLevel,
      escalated_at: ticket.escalatedAt ?? null,
      extension_days: ticket.extensionDays,
      extension_reason: ticket.extensionReason ?? null,
      resolution: ticket.resolution ?? null,
      resolved_at: ticket.resolvedAt ?? null,
    };
  };
  const actorOf = (request: { principal?: { username: string } | undefined }) =>
    request.principal?.username ?? 'unknown';
  const withNotices = <
    T extends { ticket: ComplaintTicket; notices: Record<string, number> },
  >(
    result: T,
  ) => ({
    ticket: view(result.ticket),
    notices: {
      sent: result.notices.sent ?? 0,
      deferred: result.notices.deferred ?? 0,
      suppressed: result.notices.suppressed ?? 0,
      retrying: result.notices.retrying ?? 0,
      failed: result.notices.failed ?? 0,
    },
  });
  const TicketWithNotices = Type.Object({
    ticket: ComplaintOutput,
    notices: NoticeCounts,
  });
  const refusals = {
    400: ComplaintErrorOutput,
    401: ErrorOutput,
    403: ErrorOutput,
    404: ComplaintErrorOutput,
    409: ComplaintErrorOutput,
    422: ComplaintErrorOutput,
  };

  app.get(
    '/complaints/categories',
    {
      preHandler: app.requirePermission('complaint.handle'),
      schema: {
        tags: ['complaints'],
        summary: '投诉类别及处理时限',
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.String(),
              name_zh: Type.String(),
              decision_days_simple: Type.Integer(),
              decision_days_complex: Type.Integer(),
            }),
          ),
        },
      },
    },
    async () =>
      runtime.complaintPolicy.categories.map((c) => ({
        id: c.id,
        name_zh: c.nameZh,
        decision_days_simple: Math.min(
          runtime.complaintPolicy.decisionDays.simple,
          c.decisionDaysMax ?? Number.MAX_SAFE_INTEGER,
        ),
        decision_days_complex: Math.min(
          runtime.complaintPolicy.decisionDays.complex,
          c.decisionDaysMax ?? Number.MAX_SAFE_INTEGER,
        ),
      })),
  );

  app.post(
    '/complaints',
    {
      preHandler: app.requirePermission('complaint.handle'),
      schema: {
        tags: ['complaints'],
        summary: '登记投诉（来自在线客服、电话或邮件）',
        body: NewComplaintInput,
        response: { 201: TicketWithNotices, ...refusals },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const result = await openComplaint(
        deps(),
        {
          ...(body.customer_id === undefined
            ? {}
            : { customerId: body.customer_id }),
          ...(body.conversation_id === undefined
            ? {}
            : { conversationId: body.conversation_id }),
          source: body.source,
          category: body.category,
          complexity: body.complexity ?? 'simple',
          summary: body.summary,
        },
        actorOf(request),
        options.now(),
      );
      if (!result.ok) return sendError(reply, result.error);
      return reply.status(201).send(withNotices(result.value));
    },
  );

  app.get(
    '/complaints',
    {
      preHandler: app.requirePermission('complaint.handle'),
      schema: {
        tags: ['complaints'],
        summary: '投诉列表（按处理时限排序，含倒计时）',
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union(TICKET_STATUS_VALUES.map((s) => Type.Literal(s))),
          ),
          assigned_user_id: Type.Optional(Type.String({ maxLength: 64 })),
          limit: Type.Optional(
            Type.Integer({ minimum: 1, maximum: PAGE_SIZE_MAX }),
          ),
        }),
        response: {
          200: Type.Array(ComplaintOutput),
          401: ErrorOutput,
          403: ErrorOutput,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const tickets = await repos.complaints.list({
        statuses: q.status === undefined ? ['open', 'in_progress'] : [q.status],
        ...(q.assigned_user_id === undefined
          ? {}
          : { assignedUserId: q.assigned_user_id }),
        limit: q.limit ?? 100,
      });
      return tickets.filter((t) => t.ticketType === 'complaint').map(view);
    },
  );

  app.get(
    '/complaints/:id',
    {
      preHandler: app.requirePermission('complaint.handle'),
      schema: {
        tags: ['complaints'],
        summary: '投诉详情及发给客户的通知',
        params: IdParams,
        response: {
          200: Type.Object({
            ticket: ComplaintOutput,
            notices: Type.Array(OutboxMessageOutput),
          }),
          ...refusals,
        },
      },
    },
    async (request, reply) => {
      const ticket = await repos.complaints.findById(request.params.id);
      if (ticket === undefined)
        return sendError(reply, { code: 'complaint.not_found' });
      const notices = await repos.channels.listMessages({
        sourceId: ticket.id,
        limit: 50,
      });
      return { ticket: view(ticket), notices: notices.map(outboxView) };
    },
  );

  app.post(
    '/complaints/:id/assign',
    {
      preHandler: app.requirePermission('complaint.handle'),
      schema: {
        tags: ['complaints'],
        summary: '指派处理人',
        params: IdParams,
        body: Type.Object(
          { user_id: Type.String({ minLength: 1, maxLength: 64 }) },
          { additionalProperties: false },
        ),
        response: { 200: ComplaintOutput, ...refusals },
      },
    },
    async (request, reply) => {
      const result = await assignComplaint(
        deps(),
        request.params.id,
        request.body.user_id,
        actorOf(request),
      );
      if (!result.ok) return sendError(reply, result.error);
      return view(result.value);
    },
  );

  app.post(
    '/complaints/:id/extend',
    {
      preHandler: app.requirePermission('complaint.handle'),
      schema: {
        tags: ['complaints'],
        summary: '延长处理期限（须经批准并告知客户）',
        params: IdParams,
        body: Type.Object(
          {
            days: Type.Integer({ minimum: 1, maximum: 120 }),
            reason: Type.String({ minLength: 2, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: TicketWithNotices, ...refusals },
      },
    },
    async (request, reply) => {
      const result = await extendComplaint(
        deps(),
        request.params.id,
        request.body.days,
        request.body.reason,
        actorOf(request),
        options.now(),
      );
      if (!result.ok) return sendError(reply, result.error);
      return withNotices(result.value);
    },
  );

  app.post(
    '/complaints/:id/resolve',
    {
      preHandler: app.requirePermission('complaint.handle'),
      schema: {
        tags: ['complaints'],
        summary: '办结投诉并通知客户',
        params: IdParams,
        body: Type.Object(
          { resolution: Type.String({ minLength: 2, maxLength: 500 }) },
          { additionalProperties: false },
        ),
        response: { 200: TicketWithNotices, ...refusals },
      },
    },
    async (request, reply) => {
      const result = await resolveComplaint(
        deps(),
        request.params.id,
        request.body.resolution,
        actorOf(request),
        options.now(),
      );
      if (!result.ok) return sendError(reply, result.error);
      return withNotices(result.value);
    },
  );

  app.post(
    '/complaints/escalate',
    {
      preHandler: app.requirePermission('complaint.handle'),
      schema: {
        tags: ['complaints'],
        summary: '按处理时限升级临期投诉（可重复执行）',
        body: RunAtInput,
        response: {
          200: Type.Object({
            checked: Type.Integer(),
            escalated: Type.Array(
              Type.Object({
                id: Type.String(),
                ticket_no: Type.String(),
                level: Type.Integer(),
                due_at: Type.String(),
              }),
            ),
          }),
          401: ErrorOutput,
          403: ErrorOutput,
        },
      },
    },
    async (request) => {
      const summary = await escalateComplaints(
        deps(),
        actorOf(request),
        request.body?.now ?? options.now(),
      );
      return {
        checked: summary.checked,
        escalated: summary.escalated.map((e) => ({
          id: e.id,
          ticket_no: e.ticketNo,
          level: e.level,
          due_at: e.dueAt,
        })),
      };
    },
  );
};
