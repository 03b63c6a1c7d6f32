// The borrower chat and the agents' conversation API against the real store
// on every dialect: identity verified through the blind indexes, the next
// installment read from the stored schedule, dialogue state that survives a
// rebuilt app, hand-off → inbox → take-over → replies gated by the
// compliance engine and pushed to the borrower over a real WebSocket.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ConversationParts } from '../../src/adapters/chat/chat-service.js';
import { loadConversationParts } from '../../src/adapters/chat/default-parts.js';
import { todayInChina } from '../../src/adapters/clock/today.js';
import {
  createRepositories,
  type Repositories,
} from '../../src/adapters/db/repositories/index.js';
import { SYSTEM_DEPS } from '../../src/adapters/db/repositories/repository-context.js';
import { buildApp } from '../../src/adapters/http/build-app.js';
import { createTokenSigner } from '../../src/adapters/security/session-token.js';
import { formatFen } from '../../src/contracts/money.js';
import { buildSchedule } from '../../src/domain/loan/schedule/build-schedule.js';
import { fen } from '../../src/domain/money/fen.js';
import type { Role } from '../../src/domain/security/permissions.js';
import { addDays, addMonths } from '../../src/domain/shared/calendar-date.js';
import {
  DIALECTS,
  TEST_SECRET_KEY,
  type TestDatabase,
  testCipher,
} from '../db/dialects.js';
import { rateOf, WANG } from '../db/fixtures.js';
import { openStoreApp, type StoreApp } from './store-app.js';

type Turn = {
  messages: { id: string; sender: string; text: string; seq: number }[];
  state: { verified: boolean; handedOff: boolean; status: string };
};

let parts: ConversationParts;
beforeAll(() => {
  parts = loadConversationParts();
}, 120_000);

describe.each(DIALECTS)('borrower chat and agent inbox on %s', (dialect) => {
  let store: StoreApp;
  let database: TestDatabase;
  let repos: Repositories;
  let app: FastifyInstance;
  let nextInstallmentFen = 0n;

  // The same database under a second app, as after a server restart.
  const rebuild = () =>
    buildApp({
      store: {
        handle: { db: database.db, dialect, location: 'test' },
        repositories: repos,
        repositoriesOver: (db) =>
          createRepositories(db, SYSTEM_DEPS, testCipher()),
        signer: createTokenSigner(TEST_SECRET_KEY),
      },
      webRoot: '/nonexistent',
      conversation: parts,
    });

  beforeAll(async () => {
    store = await openStoreApp(dialect, {
      conversation: parts,
      chatStreamDelayMs: 0,
    });
    ({ app, database, repos } = store);
    const customer = await repos.customers.create(WANG, 'test');
    if (!customer.ok) throw new Error(customer.error.code);
    // Equal principal: every installment differs. Two are paid; the third
    // falls due in the coming weeks.
    const today = todayInChina();
    const built = buildSchedule({
      principalFen: fen(36_000_00n),
      rateAnnual: rateOf('0.0728'),
      termMonths: 12,
      method: 'equal_principal',
      startDate: addDays(addMonths(today, -2), 5),
      dayCount: '30/360',
      rounding: 'half_up',
      paymentMultipleFen: fen(1n),
      interestOnlyPeriods: 0,
      fees: [],
      prepayments: [],
    });
    if (!built.ok) throw new Error('schedule');
    const loan = await repos.loans.createFromSchedule(
      {
        loanNo: 'L202609001',
        customerId: customer.value.id,
        schedule: built.value,
      },
      'test',
    );
    for (const row of built.value.installments.slice(0, 2)) {
      const paid = await repos.payments.post(
        {
          idempotencyKey: `test:${row.n}`,
          loanId: loan.id,
          amountFen: row.paymentFen,
          paidOn: row.dueDate,
          channel: 'card',
          allocations: [
            {
              n: row.n,
              feeFen: row.feeFen,
              penaltyFen: fen(0n),
              interestFen: row.interestFen,
              principalFen: row.principalFen,
            },
          ],
        },
        'test',
      );
      if (!paid.ok) throw new Error('payment');
    }
    const ledger = await repos.loans.schedule(loan.id);
    nextInstallmentFen = ledger[2]?.paymentFen ?? 0n;
    expect(ledger[2]?.paymentFen).not.toBe(ledger[3]?.paymentFen);
  }, 120_000);

  afterAll(async () => {
    await store?.close();
  });

  const as = (role: Role) => store.as(role);

  async function start(on: FastifyInstance = app) {
    const response = await on.inject({
      method: 'POST',
      url: '/api/v1/chat/sessions',
      payload: { channel: 'web' },
    });
    expect(response.statusCode).toBe(201);
    return response.json() as {
      conversationId: string;
      token: string;
      messages: { sender: string; text: string; quickReplies?: string[] }[];
    };
  }

  async function say(
    session: { conversationId: string; token: string },
    text: string,
    on: FastifyInstance = app,
  ): Promise<Turn> {
    const response = await on.inject({
      method: 'POST',
      url: `/api/v1/chat/sessions/${session.conversationId}/messages`,
      headers: { 'x-chat-token': session.token },
      payload: { text },
    });
    expect(response.statusCode).toBe(200);
    return response.json() as Turn;
  }

  const botText = (turn: Turn) =>
    turn.messages
      .filter((m) => m.sender === 'bot')
      .map((m) => m.text)
      .join('');

  it('verifies the borrower against the store and answers the next installment from the stored schedule; the state survives a rebuilt app', async () => {
    const session = await start();
    expect(session.token.length).toBeGreaterThanOrEqual(40);
    expect(session.messages[0]?.sender).toBe('bot');
    expect(session.messages[0]?.quickReplies?.length).toBeGreaterThan(0);

    const asked = await say(session, '我下一期要还多少钱');
    expect(asked.state.verified).toBe(false);
    expect(botText(asked)).not.toContain(formatFen(fen(nextInstallmentFen)));

    const verified = await say(
      session,
      `我叫${WANG.name}，手机号${WANG.phone}`,
    );
    expect(verified.state.verified).toBe(true);

    const answer = await say(session, '下一期还多少');
    expect(botText(answer)).toContain(formatFen(fen(nextInstallmentFen)));

    // A new app (as after a restart) over the same database.
    const rebuilt = await rebuild();
    try {
      const again = await say(session, '下一期还多少', rebuilt);
      expect(again.state.verified).toBe(true);
      expect(botText(again)).toContain(formatFen(fen(nextInstallmentFen)));
    } finally {
      await rebuilt.close();
    }

    // At rest: the phone number the borrower typed is masked in the row,
    // its original only encrypted.
    const rows = await database.db
      .selectFrom('messages')
      .select(['body', 'body_enc'])
      .where('conversation_id', '=', session.conversationId)
      .execute();
    for (const row of rows) {
      expect(row.body).not.toContain(WANG.phone);
      expect(row.body).not.toContain(WANG.idNumber);
      expect(row.body_enc ?? '').not.toContain(WANG.phone);
    }
    expect(rows.some((row) => row.body.includes('138****1111'))).toBe(true);
    expect(rows.filter((row) => row.body_enc !== null)).toHaveLength(1);
    const sessionRow = await database.db
      .selectFrom('chat_sessions')
      .selectAll()
      .where('conversation_id', '=', session.conversationId)
      .executeTakeFirstOrThrow();
    expect(sessionRow.token_hash).not.toContain(session.token);
    expect(JSON.stringify(sessionRow)).not.toContain(session.token);
  });

  it('does not leak the full ID number the borrower typed', async () => {
    const session = await start();
    const turn = await say(session, `我的身份证号是${WANG.idNumber}`);
    expect(JSON.stringify(turn)).not.toContain(WANG.idNumber);
    const rows = await database.db
      .selectFrom('messages')
      .select('body')
      .where('conversation_id', '=', session.conversationId)
      .execute();
    expect(rows.map((r) => r.body).join('')).not.toContain(WANG.idNumber);
  });

  it('hands off to the inbox; an agent takes over, a violating draft is refused with its rule, a compliant one reaches the borrower over the WebSocket', async () => {
    const session = await start();
    await say(session, `我是${WANG.name}，手机号${WANG.phone}`);
    const handed = await say(session, '我要转人工客服');
    expect(handed.state).toMatchObject({
      handedOff: true,
      status: 'waiting_agent',
    });

    const forbidden = await app.inject({
      method: 'GET',
      url: '/api/v1/conversations?status=waiting_agent',
      headers: as('collector'),
    });
    expect(forbidden.statusCode).toBe(403);
    const inbox = await app.inject({
      method: 'GET',
      url: '/api/v1/conversations?status=waiting_agent',
      headers: as('agent'),
    });
    expect(inbox.statusCode).toBe(200);
    const listed = (
      inbox.json() as {
        conversations: {
          id: string;
          handoffReason: string;
          waitingSince: string | null;
          customer: { name: string; phone: string } | null;
          lastMessage: { text: string } | null;
        }[];
      }
    ).conversations.find((c) => c.id === session.conversationId);
    expect(listed).toMatchObject({
      handoffReason: 'customer_request',
      customer: { name: '王*明', phone: '138****1111' },
    });
    expect(listed?.waitingSince).not.toBeNull();
    expect(JSON.stringify(inbox.json())).not.toContain(WANG.phone);

    const taken = await app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${session.conversationId}/take-over`,
      headers: as('agent'),
    });
    expect(taken.statusCode).toBe(200);
    expect(taken.json()).toMatchObject({ status: 'agent' });

    // The bot is silent while an agent owns the conversation.
    const waiting = await say(session, '人呢？');
    expect(waiting.messages.map((m) => m.sender)).toEqual(['customer']);

    const suggestions = await app.inject({
      method: 'GET',
      url: `/api/v1/conversations/${session.conversationId}/suggestions`,
      headers: as('agent'),
    });
    expect(suggestions.statusCode).toBe(200);
    const suggested = suggestions.json() as {
      suggestions: { text: string; verdict: string }[];
    };
    expect(suggested.suggestions.length).toBeGreaterThan(0);
    for (const s of suggested.suggestions) expect(s.verdict).toBe('pass');

    const blocked = await app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${session.conversationId}/messages`,
      headers: as('agent'),
      payload: { text: '您放心，保证百分之百能下款' },
    });
    expect(blocked.statusCode).toBe(422);
    const refusal = blocked.json() as {
      code: string;
      verdict: string;
      findings: {
        ruleId: string;
        span: [number, number];
        legalBasis: string;
      }[];
    };
    expect(refusal).toMatchObject({
      code: 'compliance.blocked',
      verdict: 'block',
    });
    expect(refusal.findings.map((f) => f.ruleId)).toContain(
      'promise_approval.guaranteed',
    );
    expect(refusal.findings[0]?.legalBasis).not.toBe('');
    // The refusal is counted on the supervisor dashboard, by category.
    const dashboard = await app.inject({
      url: '/api/v1/dashboard',
      headers: as('supervisor'),
    });
    expect(dashboard.statusCode).toBe(200);
    expect(
      (
        dashboard.json() as {
          compliance_blocks: { category: string; count: number }[];
        }
      ).compliance_blocks,
    ).toContainEqual({ category: 'promise_approval', count: 1 });

    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const socket = new WebSocket(
      `${address.replace('http', 'ws')}/api/v1/chat/ws?conversationId=${session.conversationId}&token=${encodeURIComponent(session.token)}`,
    );
    const received: {
      type: string;
      message?: { sender: string; text: string };
    }[] = [];
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const agentMessage = new Promise<void>((resolve) => {
      socket.on('message', (data) => {
        const event = JSON.parse(String(data)) as (typeof received)[number];
        received.push(event);
        if (event.type === 'message' && event.message?.sender === 'agent')
          resolve();
      });
    });
    const text = '您好，我是人工客服，您的问题我来为您处理。';
    const sent = await app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${session.conversationId}/messages`,
      headers: as('agent'),
      payload: { text },
    });
    expect(sent.statusCode).toBe(200);
    await agentMessage;
    expect(received.at(-1)?.message?.text).toBe(text);
    socket.close();

    const collectorReply = await app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${session.conversationId}/messages`,
      headers: as('collector'),
      payload: { text },
    });
    expect(collectorReply.statusCode).toBe(403);

    const closed = await app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${session.conversationId}/close`,
      headers: as('agent'),
    });
    expect(closed.json()).toMatchObject({ status: 'closed' });
    const rated = await app.inject({
      method: 'POST',
      url: `/api/v1/chat/sessions/${session.conversationId}/rating`,
      headers: { 'x-chat-token': session.token },
      payload: { score: 5, comment: '很满意' },
    });
    expect(rated.statusCode).toBe(200);
    const detail = await app.inject({
      method: 'GET',
      url: `/api/v1/conversations/${session.conversationId}`,
      headers: as('agent'),
    });
    expect(detail.json()).toMatchObject({ status: 'closed', rating: 5 });
  });

  it('streams the bot reply over the WebSocket: typing, deltas, the message', async () => {
    const session = await start();
    const address = app.server.listening
      ? `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
      : await app.listen({ port: 0, host: '127.0.0.1' });
    const socket = new WebSocket(
      `${address.replace('http', 'ws')}/api/v1/chat/ws?conversationId=${session.conversationId}&token=${encodeURIComponent(session.token)}`,
    );
    const events: {
      type: string;
      text?: string;
      messageId?: string;
      message?: { id: string; sender: string; text: string };
    }[] = [];
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const done = new Promise<void>((resolve) => {
      socket.on('message', (data) => {
        const event = JSON.parse(String(data)) as (typeof events)[number];
        events.push(event);
        if (event.type === 'state') resolve();
      });
    });
    socket.send(
      JSON.stringify({ type: 'message', text: '你们的贷款利率是多少' }),
    );
    await done;
    socket.close();
    expect(events[0]?.type).toBe('typing');
    const bot = events.find(
      (e) => e.type === 'message' && e.message?.sender === 'bot',
    )?.message;
    expect(bot).toBeDefined();
    const deltas = events.filter(
      (e) => e.type === 'delta' && e.messageId === bot?.id,
    );
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((d) => d.text).join('')).toBe(bot?.text);
  });

  it('answers concurrent borrowers, each turn committed with its own messages in order', async () => {
    const sessions = await Promise.all(
      Array.from({ length: 12 }, () => start()),
    );
    const turns = await Promise.all(
      sessions.flatMap((session) => [
        say(session, '你们的贷款利率是多少'),
        say(session, '申请需要什么材料'),
      ]),
    );
    expect(turns).toHaveLength(24);
    for (const session of sessions) {
      const rows = await database.db
        .selectFrom('messages')
        .select(['seq', 'sender'])
        .where('conversation_id', '=', session.conversationId)
        .orderBy('seq')
        .execute();
      expect(rows.map((row) => Number(row.seq))).toEqual([1, 2, 3, 4, 5]);
      expect(rows.map((row) => row.sender)).toEqual([
        'bot',
        'customer',
        'bot',
        'customer',
        'bot',
      ]);
    }
  });

  it('refuses a bad token, an unknown conversation, bad input and a WebSocket without the token', async () => {
    const session = await start();
    const wrong = await app.inject({
      method: 'POST',
      url: `/api/v1/chat/sessions/${session.conversationId}/messages`,
      headers: { 'x-chat-token': 'not-the-token' },
      payload: { text: '你好' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({
      error: { code: 'chat.token_invalid' },
    });
    const none = await app.inject({
      method: 'GET',
      url: `/api/v1/chat/sessions/${session.conversationId}/messages`,
    });
    expect(none.statusCode).toBe(401);
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/chat/sessions/conv_nope/messages',
      headers: { 'x-chat-token': session.token },
      payload: { text: '你好' },
    });
    expect(unknown.statusCode).toBe(404);
    const empty = await app.inject({
      method: 'POST',
      url: `/api/v1/chat/sessions/${session.conversationId}/messages`,
      headers: { 'x-chat-token': session.token },
      payload: { text: '' },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({
      error: { code: 'input.invalid', field: 'text' },
    });
    const long = await app.inject({
      method: 'POST',
      url: `/api/v1/chat/sessions/${session.conversationId}/messages`,
      headers: { 'x-chat-token': session.token },
      payload: { text: '好'.repeat(501) },
    });
    expect(long.statusCode).toBe(400);
    const score = await app.inject({
      method: 'POST',
      url: `/api/v1/chat/sessions/${session.conversationId}/rating`,
      headers: { 'x-chat-token': session.token },
      payload: { score: 9 },
    });
    expect(score.json()).toMatchObject({
      error: { code: 'input.invalid', field: 'score' },
    });
    const ws = await app.inject({
      method: 'GET',
      url: `/api/v1/chat/ws?conversationId=${session.conversationId}&token=wrong`,
      headers: { connection: 'upgrade', upgrade: 'websocket' },
    });
    expect(ws.statusCode).toBe(401);
    const anonymous = await app.inject({
      method: 'GET',
      url: '/api/v1/conversations',
    });
    expect(anonymous.statusCode).toBe(401);
    const check = await app.inject({
      method: 'POST',
      url: '/api/v1/compliance/check',
      headers: as('collector'),
      payload: {
        text: '再不还钱就去你单位闹，让你全家都知道',
        role: 'collector',
      },
    });
    expect(check.statusCode).toBe(200);
    expect(check.json()).toMatchObject({ verdict: 'block' });
  });
});

describe('chat token in logs', () => {
  it('never writes the WebSocket token of the query string to the request log', async () => {
    const lines: string[] = [];
    const store = await openStoreApp('sqlite', {
      conversation: parts,
      logger: {
        level: 'info',
        stream: { write: (line: string) => lines.push(line) },
      },
    });
    try {
      const started = (
        await store.app.inject({ method: 'POST', url: '/api/v1/chat/sessions' })
      ).json() as { conversationId: string; token: string };
      await store.app.inject({
        method: 'GET',
        url: `/api/v1/chat/ws?conversationId=${started.conversationId}&token=${started.token}`,
      });
      expect(started.token).toMatch(/^[\w-]{40,}$/);
      const log = lines.join('');
      expect(log).toContain('/api/v1/chat/ws');
      expect(log).toContain('token=[redacted]');
      expect(log).not.toContain(started.token);
    } finally {
      await store.close();
    }
  });
});
