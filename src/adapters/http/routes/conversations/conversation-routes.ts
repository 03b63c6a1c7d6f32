import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type {} from '@fastify/websocket';
import { Type } from '@sinclair/typebox';
import {
  AgentReplyInput,
  AgentReplyOutput,
  ComplianceCheckInput,
  ComplianceCheckOutput,
  ComplianceRefusal,
  ConversationDetail,
  ConversationStatusSchema,
  ConversationSummary,
  SuggestionsOutput,
} from '../../../../contracts/chat.js';
import { ErrorOutput } from '../../../../contracts/loan.js';
import {
  maskMobile,
  maskName,
} from '../../../../domain/compliance/pii-mask.js';
import { can } from '../../../../domain/security/permissions.js';
import { assert } from '../../../../domain/shared/assert.js';
import { type ChatService, toWireMessage } from '../../../chat/chat-service.js';
import { handoffReasonZh } from '../../../chat/reply-library.js';
import type {
  Conversation,
  Message,
} from '../../../db/repositories/conversation-repository.js';
import type { Repositories } from '../../../db/repositories/index.js';
import type { Principal } from '../../plugins/auth.js';
import { sendChatError } from '../chat/chat-errors.js';
import { InboxFeed } from './inbox-feed.js';

// The agents' side: the inbox of conversations (waiting for a human first),
// one conversation with its history, take-over, replies that pass the
// compliance engine first, close, the composer's live check and suggested
// replies. Customers appear masked (王*明, 138****1111).

export type ConversationRouteOptions = {
  readonly chat: ChatService;
  readonly repositories: Repositories;
};

const Params = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
});
const INBOX_LIMIT_DEFAULT = 50;
const INBOX_LIMIT_MAX = 200;
// How often an open inbox socket re-checks its session (logout, disabled
// user, changed roles close it).
const INBOX_SESSION_CHECK_MS = 60_000;

// A cookie-authenticated WebSocket must come from the workspace's own page:
// a browser sends the cookie on a cross-site upgrade too (CSWSH).
function sameOrigin(origin: string | undefined, host: string | undefined) {
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

function agentOf(principal: Principal | undefined) {
  // requirePermission ran first: there is a principal.
  assert(principal !== undefined, 'conversation route without principal');
  return { userId: principal.userId, username: principal.username };
}

export const conversationRoutes: FastifyPluginAsyncTypebox<
  ConversationRouteOptions
> = async (app, options) => {
  const { chat, repositories } = options;

  const summarise = async (
    conversation: Conversation,
    lastMessage: Message | undefined,
  ) => {
    const customer =
      conversation.customerId === undefined
        ? undefined
        : await repositories.customers.findById(conversation.customerId);
    const session = await repositories.conversations.findSession(
      conversation.id,
    );
    return {
      id: conversation.id,
      status: conversation.status,
      channel: conversation.channel,
      verified: conversation.verifiedAt !== undefined,
      customer:
        customer === undefined
          ? null
          : {
              id: customer.id,
              name: maskName(customer.name),
              phone: maskMobile(customer.phone),
            },
      lastMessage:
        lastMessage === undefined ? null : toWireMessage(lastMessage),
      handoffReason: conversation.handoffReason ?? null,
      handoffReasonZh: handoffReasonZh(conversation.handoffReason),
      waitingSince:
        conversation.status === 'waiting_agent'
          ? (conversation.handedOffAt ?? null)
          : null,
      assignedUserId: conversation.assignedUserId ?? null,
      lastIntent: conversation.lastIntent ?? null,
      rating: session?.ratingScore ?? null,
      createdAt: conversation.createdAt,
      updatedAt: conversation.updatedAt,
    };
  };

  const notFound = {
    error: { code: 'conversation.not_found', message: '未找到该会话。' },
  };

  app.get(
    '/conversations',
    {
      preHandler: app.requirePermission('conversation.read'),
      schema: {
        tags: ['conversations'],
        summary: '会话列表（默认：等待人工接入）',
        querystring: Type.Object({
          status: Type.Optional(ConversationStatusSchema),
          limit: Type.Optional(
            Type.Integer({ minimum: 1, maximum: INBOX_LIMIT_MAX }),
          ),
        }),
        response: {
          200: Type.Object({ conversations: Type.Array(ConversationSummary) }),
          400: ErrorOutput,
          401: ErrorOutput,
          403: ErrorOutput,
        },
      },
    },
    async (request) => {
      const entries = await repositories.conversations.listInbox(
        request.query.status ?? 'waiting_agent',
        request.query.limit ?? INBOX_LIMIT_DEFAULT,
      );
      const conversations = [];
      for (const entry of entries)
        conversations.push(
          await summarise(entry.conversation, entry.lastMessage),
        );
      return { conversations };
    },
  );

  app.get(
    '/conversations/:id',
    {
      preHandler: app.requirePermission('conversation.read'),
      schema: {
        tags: ['conversations'],
        summary: '会话详情与消息记录',
        params: Params,
        response: {
          200: ConversationDetail,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
        },
      },
    },
    async (request, reply) => {
      const conversation = await repositories.conversations.findById(
        request.params.id,
      );
      if (conversation === undefined) return reply.status(404).send(notFound);
      const history = await chat.history(conversation.id);
      const summary = await summarise(conversation, undefined);
      const last = history.messages.at(-1);
      return {
        ...summary,
        lastMessage: last ?? null,
        messages: history.messages,
      };
    },
  );

  app.post(
    '/conversations/:id/take-over',
    {
      preHandler: app.requirePermission('conversation.take_over'),
      schema: {
        tags: ['conversations'],
        summary: '人工接入（机器人停止答复）',
        params: Params,
        response: {
          200: ConversationSummary,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
          409: ErrorOutput,
        },
      },
    },
    async (request, reply) => {
      const taken = await chat.takeOver(
        request.params.id,
        agentOf(request.principal),
      );
      if (!taken.ok) return sendChatError(reply, taken.error);
      const [last] = await repositories.conversations.listRecentMessages(
        request.params.id,
        1,
      );
      return summarise(taken.value, last);
    },
  );

  app.post(
    '/conversations/:id/messages',
    {
      preHandler: app.requirePermission('conversation.reply'),
      schema: {
        tags: ['conversations'],
        summary: '客服回复（先经合规审查：拦截 422，提示需确认 409）',
        params: Params,
        body: AgentReplyInput,
        response: {
          200: AgentReplyOutput,
          400: ErrorOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
          409: Type.Union([ComplianceRefusal, ErrorOutput]),
          422: ComplianceRefusal,
        },
      },
    },
    async (request, reply) => {
      const sent = await chat.agentReply(
        request.params.id,
        agentOf(request.principal),
        request.body.text,
        request.body.acknowledgeWarnings === true,
      );
      if (!sent.ok) return sendChatError(reply, sent.error);
      return sent.value;
    },
  );

  app.post(
    '/conversations/:id/close',
    {
      preHandler: app.requirePermission('conversation.reply'),
      schema: {
        tags: ['conversations'],
        summary: '结束会话',
        params: Params,
        response: {
          200: ConversationSummary,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
          409: ErrorOutput,
        },
      },
    },
    async (request, reply) => {
      const closed = await chat.close(request.params.id);
      if (!closed.ok) return sendChatError(reply, closed.error);
      const [last] = await repositories.conversations.listRecentMessages(
        request.params.id,
        1,
      );
      return summarise(closed.value, last);
    },
  );

  app.get(
    '/conversations/:id/suggestions',
    {
      preHandler: app.requirePermission('conversation.reply'),
      schema: {
        tags: ['conversations'],
        summary: '推荐回复（知识库与话术库，均已通过合规审查）',
        params: Params,
        response: {
          200: SuggestionsOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
        },
      },
    },
    async (request, reply) => {
      const conversation = await repositories.conversations.findById(
        request.params.id,
      );
      if (conversation === undefined) return reply.status(404).send(notFound);
      return chat.suggestions(conversation);
    },
  );

  const feed = new InboxFeed(
    chat.hub,
    async (id) => {
      const conversation = await repositories.conversations.findById(id);
      if (conversation === undefined) return undefined;
      const [last] = await repositories.conversations.listRecentMessages(id, 1);
      return summarise(conversation, last);
    },
    (error) =>
      app.log.error(
        { err: { message: (error as Error).message } },
        'inbox feed failed',
      ),
  );

  app.get(
    '/conversations/ws',
    {
      websocket: true,
      preHandler: [
        async (request, reply) => {
          if (!sameOrigin(request.headers.origin, request.headers.host))
            return reply.status(403).send({
              error: { code: 'auth.forbidden', message: '来源不被允许。' },
            });
        },
        app.requirePermission('conversation.read'),
      ],
      schema: {
        tags: ['conversations'],
        summary:
          'WebSocket：会话列表变化推送（新转人工、新消息、结束）；服务端推送 conversation / resync',
        response: { 401: ErrorOutput, 403: ErrorOutput },
      },
    },
    (socket, request) => {
      const principal = request.principal;
      assert(principal !== undefined, 'inbox socket without principal');
      const remove = feed.add((event) => {
        if (socket.readyState === socket.OPEN)
          socket.send(JSON.stringify(event));
      });
      if (remove === undefined) {
        socket.close(1013, 'too many connections');
        return;
      }
      const expiresAt = Date.parse(principal.expiresAt);
      const timer = setInterval(() => {
        void (async () => {
          const live =
            Date.now() < expiresAt
              ? await repositories.users.sessionPrincipal(
                  principal.userId,
                  principal.tokenId,
                  principal.issuedAtMs,
                )
              : undefined;
          if (live === undefined || !can(live.roles, 'conversation.read'))
            socket.close(1008, 'session ended');
        })().catch(() => socket.close(1011, 'session check failed'));
      }, INBOX_SESSION_CHECK_MS);
      timer.unref();
      socket.on('close', () => {
        clearInterval(timer);
        remove();
      });
      // The inbox socket only listens; anything sent to it is ignored.
      socket.on('message', () => undefined);
    },
  );

  app.post(
    '/compliance/check',
    {
      preHandler: app.requirePermission('compliance.check'),
      schema: {
        tags: ['compliance'],
        summary: '合规实时检查（客服/催收撰写框）',
        body: ComplianceCheckInput,
        response: {
          200: ComplianceCheckOutput,
          400: ErrorOutput,
          401: ErrorOutput,
          403: ErrorOutput,
        },
      },
    },
    async (request) =>
      chat.check(
        request.body.text,
        request.body.role ?? 'agent',
        request.body.recipient ?? 'customer',
      ),
  );
};
