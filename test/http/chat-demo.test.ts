// The demo conversations fill the agents' inbox on every dialect: waiting
// ones with each hand-off reason, one an agent handles, closed ones rated.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories } from '../../src/adapters/db/repositories/index.js';
import { SYSTEM_DEPS } from '../../src/adapters/db/repositories/repository-context.js';
import { buildApp } from '../../src/adapters/http/build-app.js';
import { hashPassword } from '../../src/adapters/security/passwords.js';
import { createTokenSigner } from '../../src/adapters/security/session-token.js';
import {
  DEMO_CONVERSATIONS,
  seedDemoConversations,
} from '../../src/app/demo/demo-conversations.js';
import {
  DIALECTS,
  openTestDatabase,
  TEST_SECRET_KEY,
  type TestDatabase,
  testCipher,
} from '../db/dialects.js';
import { LI, WANG } from '../db/fixtures.js';

type Summary = {
  status: string;
  handoffReason: string | null;
  handoffReasonZh: string | null;
  rating: number | null;
  customer: { name: string } | null;
  lastMessage: { text: string } | null;
};

describe.each(DIALECTS)('demo conversations on %s', (dialect) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let token = '';

  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    const repos = createRepositories(database.db, SYSTEM_DEPS, testCipher());
    const agent = await repos.users.create(
      {
        username: 'agent',
        displayName: '李客服',
        passwordHash: await hashPassword('demo password 1'),
        roles: ['agent'],
      },
      'test',
    );
    if (!agent.ok) throw new Error(agent.error.code);
    const ids: string[] = [];
    for (const person of [WANG, LI]) {
      const created = await repos.customers.create(person, 'test');
      if (!created.ok) throw new Error(created.error.code);
      ids.push(created.value.id);
    }
    const count = await seedDemoConversations(repos, ids, agent.value.id);
    expect(count).toBe(DEMO_CONVERSATIONS.length);
    app = await buildApp({
      store: {
        handle: { db: database.db, dialect, location: 'test' },
        repositories: repos,
        repositoriesOver: (db) =>
          createRepositories(db, SYSTEM_DEPS, testCipher()),
        signer: createTokenSigner(TEST_SECRET_KEY),
      },
      webRoot: '/nonexistent',
    });
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'agent', password: 'demo password 1' },
    });
    token = (login.json() as { token: string }).token;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await database?.destroy();
  });

  const inbox = async (status: string) => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/conversations?status=${status}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(200);
    return (response.json() as { conversations: Summary[] }).conversations;
  };

  it('lists waiting conversations with every hand-off reason, masked customers and a last message', async () => {
    const waiting = await inbox('waiting_agent');
    expect(waiting.map((c) => c.handoffReason).sort()).toEqual([
      'complaint',
      'customer_request',
      'low_confidence',
      'negotiation',
      'persistent_anger',
    ]);
    for (const c of waiting) {
      expect(c.handoffReasonZh).toMatch(/[\u4e00-\u9fff]/);
      expect(c.lastMessage?.text).toBeTruthy();
      if (c.customer !== null) expect(c.customer.name).toMatch(/\*/);
    }
  });

  it('has bot-contained, agent-handled and rated closed conversations', async () => {
    expect((await inbox('bot')).length).toBe(3);
    expect((await inbox('agent')).length).toBe(1);
    const closed = await inbox('closed');
    expect(closed.map((c) => c.rating).sort()).toEqual([3, 4, 5]);
  });
});
