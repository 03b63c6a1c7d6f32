// The demo conversations fill the agents' inbox on every dialect: waiting
// ones with each hand-off reason, one an agent handles, closed ones rated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CONVERSATIONS,
  seedDemoConversations,
} from '../../src/app/demo/demo-conversations.js';
import { DIALECTS } from '../db/dialects.js';
import { LI, WANG } from '../db/fixtures.js';
import { openStoreApp, type StoreApp } from './store-app.js';

type Summary = {
  status: string;
  handoffReason: string | null;
  handoffReasonZh: string | null;
  rating: number | null;
  customer: { name: string } | null;
  lastMessage: { text: string } | null;
};

describe.each(DIALECTS)('demo conversations on %s', (dialect) => {
  let store: StoreApp;

  beforeAll(async () => {
    store = await openStoreApp(dialect);
    const ids: string[] = [];
    for (const person of [WANG, LI]) {
      const created = await store.repos.customers.create(person, 'test');
      if (!created.ok) throw new Error(created.error.code);
      ids.push(created.value.id);
    }
    const count = await seedDemoConversations(
      store.repos,
      ids,
      store.userIds.get('agent') ?? '',
    );
    expect(count).toBe(DEMO_CONVERSATIONS.length);
  }, 60_000);

  afterAll(async () => {
    await store?.close();
  });

  const inbox = async (status: string) => {
    const response = await store.app.inject({
      method: 'GET',
      url: `/api/v1/conversations?status=${status}`,
      headers: store.as('agent'),
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
    expect(closed.map((c) => c.rating).sort()).toEqual([2, 3, 4, 4, 5, 5]);
  });
});
