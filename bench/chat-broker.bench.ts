// Cross-instance chat delivery on PostgreSQL (docs/realtime.md): two app
// instances on one database, each with its own pool and LISTEN connection.
// A borrower WebSocket is open on instance A; an agent's replies are posted
// one after another on instance B (across: NOTIFY → A reads the row → the
// socket) and on A itself (local: in-process fan-out). Per reply: the time
// from sending the POST to the borrower's socket receiving the message.
//
//   node bin/run-ts.js bench/chat-broker.bench.ts [--replies 200]
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import WebSocket from 'ws';
import { loadConversationParts } from '../src/adapters/chat/default-parts.js';
import {
  type DatabaseHandle,
  openDatabase,
} from '../src/adapters/db/kysely-database.js';
import { migrateToLatestOrThrow } from '../src/adapters/db/migrator.js';
import { createRepositories } from '../src/adapters/db/repositories/index.js';
import { SYSTEM_DEPS } from '../src/adapters/db/repositories/repository-context.js';
import { buildApp } from '../src/adapters/http/build-app.js';
import { hashPassword } from '../src/adapters/security/passwords.js';
import { createTokenSigner } from '../src/adapters/security/session-token.js';
import {
  TEST_PG_URL,
  TEST_SECRET_KEY,
  testCipher,
} from '../test/db/dialects.js';

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  const value = index < 0 ? undefined : Number(process.argv[index + 1]);
  return value !== undefined && Number.isSafeInteger(value) && value > 0
    ? value
    : fallback;
};
const REPLIES = argument('replies', 200);
const PASSWORD = 'bench password 1';

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function quantile(sorted: readonly number[], q: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  );
}

async function main() {
  const schema = `bench_${process.pid}`;
  await admin(`CREATE SCHEMA ${schema}`);
  const parts = loadConversationParts();
  const handles: DatabaseHandle[] = [];
  const apps: FastifyInstance[] = [];
  try {
    for (let n = 0; n < 2; n++) {
      const handle = openDatabase(TEST_PG_URL, { searchPath: schema });
      handles.push(handle);
      if (n === 0) {
        await migrateToLatestOrThrow(handle.db);
        const repos = createRepositories(handle.db, SYSTEM_DEPS, testCipher());
        const user = await repos.users.create(
          {
            username: 'agent',
            displayName: 'agent',
            passwordHash: await hashPassword(PASSWORD),
            roles: ['agent'],
          },
          'bench',
        );
        if (!user.ok) throw new Error(user.error.code);
      }
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
        rateLimitPerMinute: 10_000_000,
        conversation: parts,
        chatStreamDelayMs: 0,
      });
      apps.push(app);
    }
    const [a, b] = apps;
    if (a === undefined || b === undefined) throw new Error('apps');
    const url = (await a.listen({ port: 0, host: '127.0.0.1' })).replace(
      'http',
      'ws',
    );
    const login = await b.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'agent', password: PASSWORD },
    });
    const agent = {
      authorization: `Bearer ${(login.json() as { token: string }).token}`,
    };
    const started = (
      await a.inject({ method: 'POST', url: '/api/v1/chat/sessions' })
    ).json() as { conversationId: string; token: string };
    const id = started.conversationId;
    await a.inject({
      method: 'POST',
      url: `/api/v1/chat/sessions/${id}/messages`,
      headers: { 'x-chat-token': started.token },
      payload: { text: '我要转人工客服' },
    });
    const taken = await b.inject({
      method: 'POST',
      url: `/api/v1/conversations/${id}/take-over`,
      headers: agent,
    });
    if (taken.statusCode !== 200) throw new Error(`take-over ${taken.body}`);
    const socket = new WebSocket(
      `${url}/api/v1/chat/ws?conversationId=${id}&token=${encodeURIComponent(started.token)}`,
    );
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const waiting = new Map<string, () => void>();
    let received = 0;
    socket.on('message', (data) => {
      const event = JSON.parse(String(data)) as {
        type: string;
        message?: { sender: string; text: string };
      };
      if (event.type !== 'message' || event.message?.sender !== 'agent') return;
      received += 1;
      waiting.get(event.message.text)?.();
    });
    const run = async (on: FastifyInstance, label: string) => {
      const latencies: number[] = [];
      const posts: number[] = [];
      for (let i = 0; i < REPLIES; i++) {
        const text = `您好，这是${label}的第${i + 1}条回复，请您稍候。`;
        const arrived = new Promise<void>((resolve) =>
          waiting.set(text, resolve),
        );
        const t0 = performance.now();
        const sent = await on.inject({
          method: 'POST',
          url: `/api/v1/conversations/${id}/messages`,
          headers: agent,
          // The composer's classifier may warn on a numbered text.
          payload: { text, acknowledgeWarnings: true },
        });
        posts.push(performance.now() - t0);
        if (sent.statusCode !== 200) throw new Error(sent.body);
        await arrived;
        latencies.push(performance.now() - t0);
        waiting.delete(text);
      }
      latencies.sort((x, y) => x - y);
      posts.sort((x, y) => x - y);
      return { label, latencies, posts };
    };
    // Warm-up (engines, statements, connections), not measured.
    await run(b, 'warm');
    const results = [await run(a, 'local'), await run(b, 'across')];
    const ms = (v: number) => v.toFixed(2);
    process.stdout.write(
      `Chat delivery, ${REPLIES} agent replies each, PostgreSQL ${TEST_PG_URL.replace(/\/\/[^@]*@/, '//')}\n`,
    );
    process.stdout.write(
      '| posted on | POST p50 ms | delivered p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n',
    );
    for (const r of results)
      process.stdout.write(
        `| ${r.label === 'local' ? 'A (same instance)' : 'B (other instance)'} | ${ms(quantile(r.posts, 0.5))} | ${ms(quantile(r.latencies, 0.5))} | ${ms(quantile(r.latencies, 0.95))} | ${ms(quantile(r.latencies, 0.99))} | ${ms(r.latencies.at(-1) ?? 0)} |\n`,
      );
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.stdout.write(
      `messages received ${received}, sent ${3 * REPLIES} (each once)\n`,
    );
    socket.close();
  } finally {
    for (const app of apps) await app.close();
    for (const handle of handles) await handle.db.destroy();
    await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}

await main();
