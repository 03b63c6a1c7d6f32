import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type {} from '@fastify/websocket';
import { Type } from '@sinclair/typebox';
import {
  CHAT_TEXT_CHARS_MAX,
  type ChatClientEvent,
  type ChatServerEvent,
  ChatTurnInput,
  ChatTurnOutput,
  RatingInput,
  StartChatInput,
  StartChatOutput,
} from '../../../../contracts/chat.js';
import { ErrorOutput } from '../../../../contracts/loan.js';
import type { ChatListener } from '../../../chat/chat-hub.js';
import type { ChatService } from '../../../chat/chat-service.js';
import { sendChatError } from './chat-errors.js';

// The borrower's side of the chat: no login. A conversation is reachable
// only with its secret token (X-Chat-Token; `token` on the WebSocket URL),
// whose SHA-256 alone is stored. Rate-limited like every route, and opening
// conversations more tightly still.

export const CHAT_TOKEN_HEADER = 'x-chat-token';

export type ChatRouteOptions = {
  readonly chat: ChatService;
  /** New conversations per minute per client address. */
  readonly sessionsPerMinute: number;
  /** Pause between streamed chunks of a bot reply on the WebSocket. */
  readonly streamDelayMs: number;
};

const ConversationParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
});
const TokenHeaders = Type.Object({
  [CHAT_TOKEN_HEADER]: Type.Optional(Type.String({ maxLength: 128 })),
});

// Chunks of a streamed reply: a few characters at a time, as typed.
const DELTA_CHARS = 6;
// Bound: WebSocket frames a borrower may send (a turn is ≤ 500 chars).
const WS_FRAME_BYTES_MAX = 8_192;

function chunksOf(text: string): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += DELTA_CHARS)
    out.push(chars.slice(i, i + DELTA_CHARS).join(''));
  return out;
}

const pause = (ms: number) =>
  ms <= 0
    ? new Promise<void>((resolve) => setImmediate(resolve))
    : new Promise<void>((resolve) => setTimeout(resolve, ms));

function readClientEvent(data: unknown): ChatClientEvent | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(data));
  } catch {
    return '消息格式有误。';
  }
  const event = parsed as { type?: unknown; text?: unknown } | null;
  if (event?.type !== 'message') return '不支持的消息类型。';
  if (typeof event.text !== 'string' || event.text.trim() === '')
    return '请输入消息内容。';
  if (event.text.length > CHAT_TEXT_CHARS_MAX)
    return `消息不能超过${CHAT_TEXT_CHARS_MAX}个字。`;
  return { type: 'message', text: event.text };
}

export const chatRoutes: FastifyPluginAsyncTypebox<ChatRouteOptions> = async (
  app,
  options,
) => {
  const chat = options.chat;

  app.post(
    '/chat/sessions',
    {
      config: {
        rateLimit: { max: options.sessionsPerMinute, timeWindow: '1 minute' },
      },
      // The body is optional: a bare POST opens a web chat.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags: ['chat'],
        summary: '开始在线咨询（借款人，无需登录）',
        body: StartChatInput,
        response: { 201: StartChatOutput, 400: ErrorOutput, 429: ErrorOutput },
      },
    },
    async (_request, reply) => {
      const started = await chat.start('web');
      return reply.status(201).send(started);
    },
  );

  const authorize = async (id: string, token: string | undefined) =>
    chat.authorize(id, token);

  app.post(
    '/chat/sessions/:id/messages',
    {
      schema: {
        tags: ['chat'],
        summary: '借款人发送消息，机器人答复',
        params: ConversationParams,
        headers: TokenHeaders,
        body: ChatTurnInput,
        response: {
          200: ChatTurnOutput,
          400: ErrorOutput,
          401: ErrorOutput,
          404: ErrorOutput,
          409: ErrorOutput,
        },
      },
    },
    async (request, reply) => {
      // The token is checked inside the turn, with the one read of the
      // conversation the turn needs anyway.
      const turn = await chat.customerTurn(
        request.params.id,
        request.body.text,
        request.headers[CHAT_TOKEN_HEADER],
      );
      if (!turn.ok) return sendChatError(reply, turn.error);
      return turn.value;
    },
  );

  app.get(
    '/chat/sessions/:id/messages',
    {
      schema: {
        tags: ['chat'],
        summary: '会话记录（借款人）',
        params: ConversationParams,
        headers: TokenHeaders,
        response: {
          200: ChatTurnOutput,
          401: ErrorOutput,
          404: ErrorOutput,
        },
      },
    },
    async (request, reply) => {
      const access = await authorize(
        request.params.id,
        request.headers[CHAT_TOKEN_HEADER],
      );
      if (!access.ok) return sendChatError(reply, access.error);
      return chat.history(request.params.id);
    },
  );

  app.post(
    '/chat/sessions/:id/rating',
    {
      schema: {
        tags: ['chat'],
        summary: '满意度评价（1–5分）',
        params: ConversationParams,
        headers: TokenHeaders,
        body: RatingInput,
        response: {
          200: Type.Object({ ok: Type.Literal(true) }),
          400: ErrorOutput,
          401: ErrorOutput,
          404: ErrorOutput,
        },
      },
    },
    async (request, reply) => {
      const access = await authorize(
        request.params.id,
        request.headers[CHAT_TOKEN_HEADER],
      );
      if (!access.ok) return sendChatError(reply, access.error);
      await chat.rate(
        request.params.id,
        request.body.score,
        request.body.comment,
      );
      return { ok: true as const };
    },
  );

  app.get(
    '/chat/ws',
    {
      websocket: true,
      schema: {
        tags: ['chat'],
        summary:
          'WebSocket：客户端发送 {type:"message",text}；服务端推送 typing / delta / message / state',
        querystring: Type.Object({
          conversationId: Type.String({ minLength: 1, maxLength: 64 }),
          token: Type.String({ minLength: 1, maxLength: 128 }),
        }),
        response: { 401: ErrorOutput, 404: ErrorOutput },
      },
      // Refused before the upgrade: a wrong token never gets a socket.
      preHandler: async (request, reply) => {
        const query = request.query as {
          conversationId: string;
          token: string;
        };
        const access = await authorize(query.conversationId, query.token);
        if (!access.ok) return sendChatError(reply, access.error);
      },
    },
    (socket, request) => {
      const { conversationId } = request.query as { conversationId: string };
      const send = (event: ChatServerEvent) => {
        if (socket.readyState === socket.OPEN)
          socket.send(JSON.stringify(event));
      };
      const listener: ChatListener = send;
      const unsubscribe = chat.hub.subscribe(conversationId, listener);
      if (unsubscribe === undefined) {
        socket.close(1013, 'too many connections');
        return;
      }
      socket.on('close', unsubscribe);
      let queue = Promise.resolve();
      socket.on('message', (data, isBinary) => {
        const size = Array.isArray(data)
          ? data.reduce((n, b) => n + b.length, 0)
          : (data as Buffer | ArrayBuffer).byteLength;
        if (isBinary || size > WS_FRAME_BYTES_MAX) {
          send({ type: 'error', code: 'input.invalid', message: '消息过长。' });
          return;
        }
        const event = readClientEvent(data);
        if (typeof event === 'string') {
          send({ type: 'error', code: 'input.invalid', message: event });
          return;
        }
        queue = queue.then(async () => {
          send({ type: 'typing' });
          const turn = await chat.customerTurn(
            conversationId,
            event.text,
            null,
            listener,
          );
          if (!turn.ok) {
            send({
              type: 'error',
              code: turn.error.code,
              message: '消息未能发送。',
            });
            return;
          }
          for (const message of turn.value.messages) {
            if (message.sender === 'bot') {
              for (const text of chunksOf(message.text)) {
                send({ type: 'delta', messageId: message.id, text });
                await pause(options.streamDelayMs);
              }
            }
            send({ type: 'message', message });
          }
          send({ type: 'state', state: turn.value.state });
        });
        queue.catch((error: unknown) => {
          request.log.error(
            { err: { message: (error as Error).message } },
            'chat turn failed',
          );
          send({
            type: 'error',
            code: 'server.internal',
            message: '服务暂时不可用，请稍后再试。',
          });
          queue = Promise.resolve();
        });
      });
    },
  );
};
