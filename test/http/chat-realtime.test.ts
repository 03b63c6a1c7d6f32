// Chat events across server instances and the agents' inbox push.
// 1. Two app instances on one PostgreSQL database, each with its own pool
//    and its own LISTEN connection, on real ports: the borrower's WebSocket
//    is on instance A; the hand-off, the take-over and the agent's reply
//    happen on instance B; A's borrower socket gets each message once and
//    A's inbox socket sees the hand-off. After the listening connections
//    are killed on the server, both reconnect and events flow again.
// 2. On every dialect (one instance): the inbox socket refuses a missing
//    session, a role without the inbox and a foreign origin, and pushes a
//    new hand-off, a new borrower message and the close — customer masked.
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ConversationParts } from '../../src/adapters/chat/chat-service.js';
import { loadConversationParts } from '../../src/adapters/chat/default-parts.js';
import { LISTENER_APPLICATION_NAME } from '../../src/adapters/chat/postgres-chat-broker.js';
import {
  type DatabaseHandle,
  openDatabase,
} from '../../src/adapters/db/kysely-database.js';
import { createRepositories } from '../../src/adapters/db/repositories/index.js';
import { SYSTEM_DEPS } from '../../src/adapters/db/repositories/repository-context.js';
import { buildApp } from '../../src/adapters/http/build-app.js';
import { hashPassword } from '../../src/adapters/security/passwords.js';
import { createTokenSigner } from '../../src/adapters/security/session-token.js';
import {
  DIALECTS,
  openTestDatabase,
  TEST_PG_URL,
  TEST_SECRET_KEY,
  type TestDatabase,
  testCipher,
} from '../db/dialects.js';
import { WANG } from '../db/fixtures.js';
import { openStoreApp, type StoreApp, TEST_PASSWORD } from './store-app.js';

type Event = {
  type: string;
  message?: { id: string; sender: string; text: string };
  state?: { status: string };
  conversation?: {
    id: string;
    status: string;
    customer: { name: string; phone: string } | null;
    lastMessage: { text: string } | null;
  };
};

/** A WebSocket client that records every event it receives. */
async function connect(
  url: string,
  headers: Record<string, string> = {},
): Promise<{
  socket: WebSocket;
  events: Event[];
  raw: string[];
  until: (test: (event: Event) => boolean) => Promise<Event>;
}> {
  const socket = new WebSocket(url, { headers });
  const events: Event[] = [];
  const raw: string[] = [];
  const waiters: { test: (e: Event) => boolean; done: (e: Event) => void }[] =
    [];
  socket.on('message', (data) => {
    raw.push(String(data));
    const event = JSON.parse(String(data)) as Event;
    events.push(event);
    for (const waiter of [...waiters])
      if (waiter.test(event)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.done(event);
      }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const until = (test: (event: Event) => boolean) => {
    const seen = events.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<Event>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no such event; got ${raw.join('\n')}`)),
        15_000,
      );
      waiters.push({
        test,
        done: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      });
    });
  };
  return { socket, events, raw, until };
}

/** The HTTP status a refused WebSocket upgrade answers. */
async function refusedWith(
  url: string,
  headers: Record<string, string>,
): Promise<number> {
  const socket = new WebSocket(url, { headers });
  return new Promise<number>((resolve, reject) => {
    socket.once('unexpected-response', (request, response) => {
      resolve(response.statusCode ?? 0);
      request.destroy();
    });
    socket.on('error', () => undefined);
    socket.once('open', () => {
      socket.close();
      reject(new Error('upgrade accepted'));
    });
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

let parts: ConversationParts;
beforeAll(() => {
  parts = loadConversationParts();
}, 120_000);

async function startChat(app: FastifyInstance) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/chat/sessions',
    payload: { channel: 'web' },
  });
  expect(response.statusCode).toBe(201);
  return response.json() as { conversationId: string; token: string };
}

async function say(
  app: FastifyInstance,
  session: { conversationId: string; token: string },
  text: string,
) {
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/chat/sessions/${session.conversationId}/messages`,
    headers: { 'x-chat-token': session.token },
    payload: { text },
  });
  expect(response.statusCode).toBe(200);
  return response.json() as { state: { status: string } };
}

const PG = DIALECTS.filter((d) => d === 'postgres');

describe.each(PG)('chat across two instances on %s', () => {
  let database: TestDatabase;
  const instances: {
    app: FastifyInstance;
    handle: DatabaseHandle;
    url: string;
    agent: string;
  }[] = [];

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    const repos = createRepositories(database.db, SYSTEM_DEPS, testCipher());
    const customer = await repos.customers.create(WANG, 'test');
    if (!customer.ok) throw new Error(customer.error.code);
    const user = await repos.users.create(
      {
        username: 'agent',
        displayName: 'agent',
        passwordHash: await hashPassword(TEST_PASSWORD),
        roles: ['agent'],
      },
      'test',
    );
    if (!user.ok) throw new Error(user.error.code);
    for (let n = 0; n < 2; n++) {
      // Its own pool and its own listening connection, as a second server.
      const handle = openDatabase(TEST_PG_URL, {
        searchPath: database.schema ?? '',
      });
      expect(handle.pgClient).toBeDefined();
      const app = await buildApp({
        store: {
          handle,
          repositories: createRepositories(
            handle.db,
            SYSTEM_DEPS,
            testCipher(),
          ),
          repositoriesOver: (db) =>
            createRepositories(db, SYSTEM_DEPS, testCipher()),
          signer: createTokenSigner(TEST_SECRET_KEY),
        },
        webRoot: '/nonexistent',
        rateLimitPerMinute: 100_000,
        conversation: parts,
        chatStreamDelayMs: 0,
      });
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'agent', password: TEST_PASSWORD },
      });
      expect(login.statusCode).toBe(200);
      instances.push({
        app,
        handle,
        url: url.replace('http', 'ws'),
        agent: `Bearer ${(login.json() as { token: string }).token}`,
      });
    }
  }, 120_000);

  afterAll(async () => {
    for (const instance of instances) {
      await instance.app.close();
      await instance.handle.db.destroy();
    }
    await database?.destroy();
  });

  const listeners = async () => {
    const client = new pg.Client({ connectionString: TEST_PG_URL });
    await client.connect();
    try {
      const result = await client.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
          WHERE application_name = $1 AND query = 'LISTEN loandesk_chat'`,
        [LISTENER_APPLICATION_NAME],
      );
      return { client, pids: result.rows.map((row) => row.pid) };
    } catch (error) {
      await client.end();
      throw error;
    }
  };

  it('delivers what happens on instance B to the borrower and the inbox on instance A, each message once', async () => {
    const [a, b] = instances;
    if (a === undefined || b === undefined) throw new Error('instances');
    const session = await startChat(b.app);
    const borrower = await connect(
      `${a.url}/api/v1/chat/ws?conversationId=${session.conversationId}&token=${encodeURIComponent(session.token)}`,
    );
    const inbox = await connect(`${a.url}/api/v1/conversations/ws`, {
      authorization: a.agent,
    });
    // The borrower's turns are posted on B.
    await say(b.app, session, `我是${WANG.name}，手机号${WANG.phone}`);
    const handed = await say(b.app, session, '我要转人工客服');
    expect(handed.state.status).toBe('waiting_agent');
    await borrower.until((e) => e.state?.status === 'waiting_agent');
    const waiting = await inbox.until(
      (e) =>
        e.conversation?.id === session.conversationId &&
        e.conversation.status === 'waiting_agent',
    );
    expect(waiting.conversation?.customer).toMatchObject({
      name: '王*明',
      phone: '138****1111',
    });
    expect(inbox.raw.join('')).not.toContain(WANG.phone);

    const taken = await b.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${session.conversationId}/take-over`,
      headers: { authorization: b.agent },
    });
    expect(taken.statusCode).toBe(200);
    await borrower.until((e) => e.state?.status === 'agent');
    const text = '您好，我是人工客服，由我来为您处理。';
    const sent = await b.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${session.conversationId}/messages`,
      headers: { authorization: b.agent },
      payload: { text },
    });
    expect(sent.statusCode).toBe(200);
    const reply = await borrower.until((e) => e.message?.sender === 'agent');
    expect(reply.message?.text).toBe(text);
    // Anything late would have arrived by now.
    await pause(500);
    const ids = borrower.events.flatMap((e) =>
      e.message === undefined ? [] : [e.message.id],
    );
    expect(ids.length).toBeGreaterThanOrEqual(6);
    expect(new Set(ids).size).toBe(ids.length);
    const senders = borrower.events.flatMap((e) =>
      e.message === undefined ? [] : [e.message.sender],
    );
    expect(senders).toEqual([
      'customer',
      'bot',
      'customer',
      'bot',
      'system',
      'agent',
    ]);
    // The borrower's new message on B reaches A's inbox with its text.
    await say(b.app, session, '好的，谢谢');
    await inbox.until(
      (e) =>
        e.conversation?.id === session.conversationId &&
        e.conversation.lastMessage?.text === '好的，谢谢',
    );
    borrower.socket.close();
    inbox.socket.close();
  });

  it('reconnects after the listening connections are killed: the inbox is told to resync and events flow again', async () => {
    const [a, b] = instances;
    if (a === undefined || b === undefined) throw new Error('instances');
    const inbox = await connect(`${a.url}/api/v1/conversations/ws`, {
      authorization: a.agent,
    });
    const before = await listeners();
    try {
      expect(before.pids.length).toBeGreaterThanOrEqual(2);
      await before.client.query(
        'SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid',
        [before.pids],
      );
    } finally {
      await before.client.end();
    }
    await inbox.until((e) => e.type === 'resync');
    const session = await startChat(b.app);
    const borrower = await connect(
      `${a.url}/api/v1/chat/ws?conversationId=${session.conversationId}&token=${encodeURIComponent(session.token)}`,
    );
    await say(b.app, session, '我要转人工客服');
    await borrower.until((e) => e.state?.status === 'waiting_agent');
    await inbox.until(
      (e) =>
        e.conversation?.id === session.conversationId &&
        e.conversation.status === 'waiting_agent',
    );
    const after = await listeners();
    await after.client.end();
    expect(after.pids.some((pid) => before.pids.includes(pid))).toBe(false);
    borrower.socket.close();
    inbox.socket.close();
  });
});

describe.each(DIALECTS)('agent inbox push on %s', (dialect) => {
  let store: StoreApp;
  let url: string;

  beforeAll(async () => {
    store = await openStoreApp(dialect, {
      conversation: parts,
      chatStreamDelayMs: 0,
    });
    const customer = await store.repos.customers.create(WANG, 'test');
    if (!customer.ok) throw new Error(customer.error.code);
    url = (await store.app.listen({ port: 0, host: '127.0.0.1' })).replace(
      'http',
      'ws',
    );
  }, 120_000);

  afterAll(async () => {
    await store?.close();
  });

  it('refuses no session, a role without the inbox and a foreign origin', async () => {
    const inboxUrl = `${url}/api/v1/conversations/ws`;
    expect(await refusedWith(inboxUrl, {})).toBe(401);
    expect(
      await refusedWith(inboxUrl, {
        authorization: store.as('collector').authorization,
      }),
    ).toBe(403);
    expect(
      await refusedWith(inboxUrl, {
        ...store.as('agent'),
        origin: 'https://evil.example',
      }),
    ).toBe(403);
    const own = await connect(inboxUrl, {
      ...store.as('agent'),
      origin: url.replace('ws', 'http'),
    });
    own.socket.close();
  });

  it('pushes a new hand-off, a new borrower message and the close, customer masked', async () => {
    const inbox = await connect(
      `${url}/api/v1/conversations/ws`,
      store.as('agent'),
    );
    const { app } = store;
    const session = await startChat(app);
    await say(app, session, `我是${WANG.name}，手机号${WANG.phone}`);
    await say(app, session, '我要转人工客服');
    const of = (status: string) => (e: Event) =>
      e.conversation?.id === session.conversationId &&
      e.conversation.status === status;
    const waiting = await inbox.until(of('waiting_agent'));
    expect(waiting.conversation?.customer).toMatchObject({
      name: '王*明',
      phone: '138****1111',
    });
    const taken = await app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${session.conversationId}/take-over`,
      headers: store.as('agent'),
    });
    expect(taken.statusCode).toBe(200);
    await inbox.until(of('agent'));
    await say(app, session, `我的手机号是${WANG.phone}，还在吗`);
    const message = await inbox.until(
      (e) =>
        of('agent')(e) &&
        (e.conversation?.lastMessage?.text.includes('还在吗') ?? false),
    );
    // The list shows the borrower's message as stored: the phone masked.
    expect(message.conversation?.lastMessage?.text).toContain('138****1111');
    const closed = await app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${session.conversationId}/close`,
      headers: store.as('agent'),
    });
    expect(closed.statusCode).toBe(200);
    await inbox.until(of('closed'));
    const frames = inbox.raw.join('\n');
    expect(frames).not.toContain(WANG.phone);
    expect(frames).not.toContain(WANG.idNumber);
    inbox.socket.close();
  });
});
