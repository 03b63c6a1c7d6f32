import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { dispatchReminders } from '../../../../app/channels/dispatch-reminders.js';
import {
  DispatchSummaryOutput,
  InboxMessageOutput,
  MESSAGE_STATUS_VALUES,
  OutboxMessageOutput,
  ReminderOutput,
  RunAtInput,
} from '../../../../contracts/channels.js';
import { ErrorOutput } from '../../../../contracts/loan.js';
import { formatFen } from '../../../../contracts/money.js';
import { MESSAGE_CHANNELS } from '../../../../domain/channels/template.js';
import { PAGE_SIZE_MAX } from '../../../../domain/shared/limits.js';
import {
  type ChannelRuntime,
  channelDeps,
} from '../../../channels/channel-runtime.js';
import type { OutboundMessage } from '../../../db/repositories/channel-repository.js';
import type { Repositories } from '../../../db/repositories/index.js';
import type { Database } from '../../../db/schema.js';
import { InputError } from '../../../wire/input-error.js';

// Reminders and the outbox: trigger a dispatcher run, list reminders and
// every outbound message with its delivery state (recipients masked), and a
// customer's in-app inbox.

export type ChannelRouteOptions = {
  readonly runtime: ChannelRuntime;
  readonly db: Kysely<Database>;
  readonly repositoriesOver: (db: Kysely<Database>) => Repositories;
  /** The current instant, ISO-8601 (tests pin it). */
  readonly now: () => string;
};

export function outboxView(message: OutboundMessage) {
  return {
    id: message.id,
    source_type: message.sourceType,
    source_id: message.sourceId,
    customer_id: message.customerId,
    channel: message.channel,
    template_id: message.templateId,
    recipient: message.recipientMasked,
    subject: message.subject ?? null,
    body: message.body,
    status: message.status,
    rule: message.statusRule ?? null,
    reason: message.statusReason ?? null,
    not_before: message.notBefore,
    attempts: message.attempts,
    sent_at: message.sentAt ?? null,
    created_at: message.createdAt,
  };
}

export const channelRoutes: FastifyPluginAsyncTypebox<
  ChannelRouteOptions
> = async (app, options) => {
  const deps = () =>
    channelDeps(options.runtime, options.db, options.repositoriesOver);
  const repos = options.repositoriesOver(options.db);

  app.post(
    '/reminders/dispatch',
    {
      preHandler: app.requirePermission('reminder.dispatch'),
      schema: {
        tags: ['reminders'],
        summary: '执行一次提醒发送（渲染、合规与联络策略检查、投递）',
        body: RunAtInput,
        response: {
          200: DispatchSummaryOutput,
          400: ErrorOutput,
          401: ErrorOutput,
          403: ErrorOutput,
        },
      },
    },
    async (request) => {
      const now = request.body?.now ?? options.now();
      if (Number.isNaN(Date.parse(now)))
        throw new InputError('now: 不是有效的时间');
      const summary = await dispatchReminders(
        { ...deps(), templates: options.runtime.templates },
        now,
      );
      await deps().transaction(async (_, audit) => {
        await audit({
          actor: request.principal?.username ?? 'unknown',
          action: 'reminders.dispatch',
          subjectType: 'reminders',
          subjectId: now,
          details: { ...summary },
        });
      });
      return {
        reminders: summary.reminders,
        reminders_without_channel: summary.remindersWithoutChannel,
        messages_planned: summary.messagesPlanned,
        queued: summary.queued,
        deferred: summary.deferred,
        suppressed: summary.suppressed,
        sent: summary.sent,
        retrying: summary.retrying,
        failed: summary.failed,
        uncertain: summary.uncertain,
        recovered: summary.recovered,
      };
    },
  );

  app.get(
    '/reminders',
    {
      preHandler: app.requirePermission('outbox.read'),
      schema: {
        tags: ['reminders'],
        summary: '提醒列表（日终批处理生成）',
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union(
              ['pending', 'dispatched', 'suppressed'].map((s) =>
                Type.Literal(s),
              ),
            ),
          ),
          for_date: Type.Optional(
            Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
          ),
          limit: Type.Optional(
            Type.Integer({ minimum: 1, maximum: PAGE_SIZE_MAX }),
          ),
        }),
        response: {
          200: Type.Array(ReminderOutput),
          401: ErrorOutput,
          403: ErrorOutput,
        },
      },
    },
    async (request) => {
      const reminders = await repos.channels.listReminders({
        ...(request.query.status === undefined
          ? {}
          : { status: request.query.status }),
        ...(request.query.for_date === undefined
          ? {}
          : { forDate: request.query.for_date }),
        limit: request.query.limit ?? 100,
      });
      return reminders.map((r) => ({
        id: r.id,
        loan_id: r.loanId,
        customer_id: r.customerId,
        kind: r.kind,
        for_date: r.forDate,
        installment_n: r.installmentN,
        due_date: r.dueDate,
        amount: formatFen(r.amountFen),
        days_past_due: r.daysPastDue,
        bucket: r.bucket,
        status: r.status,
        status_reason: r.statusReason ?? null,
      }));
    },
  );

  app.get(
    '/outbox',
    {
      preHandler: app.requirePermission('outbox.read'),
      schema: {
        tags: ['reminders'],
        summary: '外发消息（短信、邮件、站内信）及投递状态，收件人已脱敏',
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union(MESSAGE_STATUS_VALUES.map((s) => Type.Literal(s))),
          ),
          channel: Type.Optional(
            Type.Union(MESSAGE_CHANNELS.map((c) => Type.Literal(c))),
          ),
          customer_id: Type.Optional(Type.String({ maxLength: 64 })),
          source_id: Type.Optional(Type.String({ maxLength: 64 })),
          limit: Type.Optional(
            Type.Integer({ minimum: 1, maximum: PAGE_SIZE_MAX }),
          ),
        }),
        response: {
          200: Type.Array(OutboxMessageOutput),
          401: ErrorOutput,
          403: ErrorOutput,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const messages = await repos.channels.listMessages({
        ...(q.status === undefined ? {} : { statuses: [q.status] }),
        ...(q.channel === undefined ? {} : { channel: q.channel }),
        ...(q.customer_id === undefined ? {} : { customerId: q.customer_id }),
        ...(q.source_id === undefined ? {} : { sourceId: q.source_id }),
        limit: q.limit ?? 100,
      });
      return messages.map(outboxView);
    },
  );

  app.get(
    '/customers/:id/inbox',
    {
      preHandler: app.requirePermission('customer.read_masked'),
      schema: {
        tags: ['reminders'],
        summary: '客户的站内信（App/在线客服可读）',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: {
          200: Type.Array(InboxMessageOutput),
          401: ErrorOutput,
          403: ErrorOutput,
        },
      },
    },
    async (request) => {
      const inbox = await repos.channels.inbox(request.params.id, 100);
      return inbox.map((m) => ({
        message_id: m.messageId,
        title: m.title,
        body: m.body,
        created_at: m.createdAt,
        read_at: m.readAt ?? null,
      }));
    },
  );
};
