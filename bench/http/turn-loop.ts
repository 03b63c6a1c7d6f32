// In-process companion of bench/http.bench.ts for profiling: the real app
// (buildApp over a seeded demo store on a SQLite file, or PostgreSQL when
// DATABASE_URL says so) driven through `inject` with a fixed number of
// requests in flight, so the server's CPU per request and its V8 profile
// can be read without a load generator on the same cores.
//
//   node bin/run-ts.js bench/http/turn-loop.ts [--kind chat|payments]
//     [--requests 3000] [--concurrency 10] [--unique] [--cpu-prof FILE]
//     [--commit-sync full|background]
//
// --unique makes every chat message a different text (cold caches).
// Prints CPU µs and wall µs per request.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConversationParts } from '../../src/adapters/chat/default-parts.js';
import { todayInChina } from '../../src/adapters/clock/today.js';
import { buildApp } from '../../src/adapters/http/build-app.js';
import { demoBook, openStore, seedDemoIfEmpty } from '../../src/main/store.js';
import { chatMix, uniqueText } from './chat-mix.js';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : (process.argv[index + 1] ?? fallback);
}
const KIND = option('--kind', 'chat');
const REQUESTS = Number(option('--requests', '3000'));
const CONCURRENCY = Number(option('--concurrency', '10'));
const UNIQUE = process.argv.includes('--unique');
const PROFILE = option('--cpu-prof', '');
const COMMIT_SYNC = option('--commit-sync', 'full') as 'full' | 'background';

const dir = mkdtempSync(join(tmpdir(), 'loandesk-turn-loop-'));
const env = {
  ...process.env,
  LOANDESK_DATA_DIR: dir,
  LOANDESK_SECRET_KEY: process.env.LOANDESK_SECRET_KEY ?? 'a'.repeat(64),
};
const store = await openStore(env, { commitSync: COMMIT_SYNC });
let printed = '';
await seedDemoIfEmpty(
  store,
  new Writable({
    write(chunk, _encoding, done) {
      printed += String(chunk);
      done();
    },
  }),
);
const app = await buildApp({
  logger: false,
  store,
  conversation: loadConversationParts(),
  rateLimitPerMinute: 10_000_000,
  chatSessionsPerMinute: 10_000_000,
});

type Request = {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: () => string;
};

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<unknown> {
  const response = await app.inject({
    method: 'POST',
    url,
    headers,
    payload: body as object,
  });
  if (response.statusCode >= 300)
    throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

const requests: Request[] = [];
if (KIND === 'chat') {
  const book = demoBook(todayInChina());
  const mix = chatMix(book);
  let serial = 0;
  for (const item of mix) {
    const session = (await post('/api/v1/chat/sessions', {})) as {
      conversationId: string;
      token: string;
    };
    const headers = { 'x-chat-token': session.token };
    const url = `/api/v1/chat/sessions/${session.conversationId}/messages`;
    if (item.verifyWith !== undefined)
      await post(url, { text: item.verifyWith }, headers);
    requests.push({
      url,
      headers,
      body: () => {
        serial += 1;
        return JSON.stringify({
          text: UNIQUE ? uniqueText(item.text, serial) : item.text,
        });
      },
    });
  }
} else {
  const password = /supervisor\t(\S+)/.exec(printed)?.[1];
  if (password === undefined) throw new Error('no supervisor password');
  const login = (await post('/api/v1/auth/login', {
    username: 'supervisor',
    password,
  })) as { token: string };
  const loans = await store.handle.db
    .selectFrom('loans')
    .select('loan_no')
    .where('status', '=', 'repaying')
    .orderBy('loan_no')
    .limit(100)
    .execute();
  let key = 0;
  for (const loan of loans)
    requests.push({
      url: `/api/v1/loans/${loan.loan_no}/payments`,
      headers: {
        authorization: `Bearer ${login.token}`,
        get 'idempotency-key'() {
          key += 1;
          return `loop-${process.pid}-${key}`;
        },
      },
      body: () => JSON.stringify({ amount: '1.00', channel: 'bank_transfer' }),
    });
}

let session: Session | undefined;
if (PROFILE !== '') {
  session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
}
let next = 0;
let failures = 0;
const cpuBefore = process.cpuUsage();
const wallBefore = process.hrtime.bigint();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < REQUESTS) {
      const request = requests[next % requests.length];
      next += 1;
      if (request === undefined) break;
      const response = await app.inject({
        method: 'POST',
        url: request.url,
        headers: { 'content-type': 'application/json', ...request.headers },
        payload: request.body(),
      });
      if (response.statusCode !== 200) failures += 1;
    }
  }),
);
const wall = Number(process.hrtime.bigint() - wallBefore) / 1e3;
const cpu = process.cpuUsage(cpuBefore);
if (session !== undefined)
  session.post('Profiler.stop', (error, result) => {
    if (error === null) writeFileSync(PROFILE, JSON.stringify(result.profile));
  });
process.stdout.write(
  `${KIND}${UNIQUE ? ' (unique texts)' : ''}, commit sync ${COMMIT_SYNC}: ${REQUESTS} requests, ${CONCURRENCY} in flight, ${failures} failed; CPU ${((cpu.user + cpu.system) / REQUESTS).toFixed(0)} µs/request (user ${(cpu.user / REQUESTS).toFixed(0)}, system ${(cpu.system / REQUESTS).toFixed(0)}), wall ${(wall / REQUESTS).toFixed(0)} µs/request\n`,
);
await app.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
