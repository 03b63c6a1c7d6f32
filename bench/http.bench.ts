// HTTP throughput of the LoanDesk server against a plain Fastify endpoint,
// measured in one run on this machine (issue 5): autocannon drives each
// from a second process (bench/http/load-runner.ts) over 127.0.0.1.
//
//   (a) plain POST: a Fastify app whose POST handler returns {ok:true}
//   (b) LoanDesk (`loandesk serve --demo`, SQLite file, LOG_LEVEL=warn),
//       once per SQLite commit sync (LOANDESK_SQLITE_COMMIT_SYNC: `full`,
//       the default, and `background`):
//       chat turns — POST /api/v1/chat/sessions/:id/messages rotating over
//         200 pre-opened conversations (bench/http/chat-mix.ts: a quarter
//         of them verified as demo customers and asking for their next
//         installment, which reads the loans from the store; the rest
//         general questions), measured twice: the mix as is (the engine's
//         memos warm) and with every message a text never sent before
//         (cold: no memo can answer);
//       posted payments — POST /api/v1/loans/:loanNo/payments of 1.00 yuan
//         on 100 repaying loans, a fresh Idempotency-Key per request.
// The rate limits are raised through the environment for the run. The load
// average is printed at the start and the end: on a busy machine req/s and
// latency mean little, CPU per request still does.
//
//   node bin/run-ts.js bench/http.bench.ts [--rounds 3] [--seconds 8] [--write]
//     [--connections 10] [--commit-sync full,background] [--cpu-prof DIR]
//
// --write replaces the "## HTTP server" section of BENCHMARKS.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { loadConversationParts } from '../src/adapters/chat/default-parts.js';
import { todayInChina } from '../src/adapters/clock/today.js';
import { NO_CUSTOMER_DATA } from '../src/adapters/dialogue/store-customer-data.js';
import { initialDialogueState } from '../src/domain/dialogue/policy/state.js';
import { demoBook } from '../src/main/store.js';
import { startServer } from '../test/helpers/server-process.js';
import {
  CONVERSATIONS,
  chatMix,
  GENERAL_QUESTIONS,
  uniqueText,
  VERIFIED_SHARE,
} from './http/chat-mix.js';
import type { LoadPlan, LoadResult } from './http/load-runner.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNNER = fileURLToPath(new URL('./http/load-runner.ts', import.meta.url));

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index === -1 ? undefined : process.argv[index + 1];
  return value === undefined ? fallback : Number(value);
}
const ROUNDS = flag('--rounds', 3);
const SECONDS = flag('--seconds', 8);
const CONNECTIONS = flag('--connections', 10);
const WRITE = process.argv.includes('--write');
const syncIndex = process.argv.indexOf('--commit-sync');
const COMMIT_SYNCS = (
  (syncIndex === -1 ? undefined : process.argv[syncIndex + 1]) ??
  'full,background'
).split(',') as ('full' | 'background')[];
// --cpu-prof DIR: the LoanDesk server writes a V8 CPU profile there on exit.
const profileIndex = process.argv.indexOf('--cpu-prof');
const PROFILE_DIR =
  profileIndex === -1 ? undefined : process.argv[profileIndex + 1];
const LOANS = 100;

async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'loandesk-bench-'));
  const file = join(dir, 'plan.json');
  writeFileSync(file, JSON.stringify(plan));
  try {
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [join(ROOT, 'bin/run-ts.js'), RUNNER, file],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let text = '';
      child.stdout.on('data', (chunk) => {
        text += String(chunk);
      });
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve(text) : reject(new Error(`runner exit ${code}`)),
      );
    });
    const line = output.trim().split('\n').at(-1) ?? '';
    return JSON.parse(line) as LoadResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// CPU seconds a process has used (user + system), from /proc; the clock
// tick is 100 Hz on Linux. CPU per request is robust to a loaded machine in
// a way req/s is not (waiting for a core costs wall time, not CPU time).
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

type Measured = LoadResult & { readonly cpuUsPerRequest: number };

async function measure(
  plan: LoadPlan,
  cpuSeconds: () => number,
): Promise<Measured> {
  const before = cpuSeconds();
  const result = await runLoad(plan);
  const used = cpuSeconds() - before;
  return {
    ...result,
    cpuUsPerRequest: result.total === 0 ? 0 : (used * 1e6) / result.total,
  };
}

async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

// (a) the plain endpoint, in this process (idle while the server is measured).
const plain = Fastify({ logger: false });
plain.post('/echo', async () => ({ ok: true }));
const plainUrl = await plain.listen({ port: 0, host: '127.0.0.1' });
const loadAtStart = loadavg()[0] ?? 0;
process.stderr.write(`load average at start: ${loadAtStart.toFixed(2)}\n`);

type Round = {
  plain: Measured;
  chat: Measured;
  cold: Measured;
  pay: Measured;
};
const base = {
  connections: CONNECTIONS,
  durationSeconds: SECONDS,
  method: 'POST' as const,
};
const selfCpu = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
let uniqueFrom = 0;
let loansMeasured = 0;

// (b) LoanDesk with the demo book, with one commit sync.
async function measureServer(
  commitSync: 'full' | 'background',
): Promise<Round[]> {
  process.stderr.write(
    `starting loandesk serve --demo (commit sync ${commitSync}; seeds the demo book)…\n`,
  );
  const server = await startServer(['--demo'], {
    LOANDESK_RATE_LIMIT_PER_MINUTE: '10000000',
    LOANDESK_CHAT_SESSIONS_PER_MINUTE: '100000',
    LOANDESK_SQLITE_COMMIT_SYNC: commitSync,
    ...(PROFILE_DIR === undefined
      ? {}
      : {
          NODE_OPTIONS: `--import=${fileURLToPath(new URL('./http/cpu-profile-preload.mjs', import.meta.url))}`,
          LOANDESK_CPU_PROFILE_DIR: PROFILE_DIR,
        }),
  });
  try {
    const supervisor = /supervisor\t(\S+)/.exec(server.output())?.[1];
    if (supervisor === undefined) throw new Error('no supervisor password');
    const login = (await postJson(`${server.url}/api/v1/auth/login`, {
      username: 'supervisor',
      password: supervisor,
    })) as { token: string };

    process.stderr.write(`opening ${CONVERSATIONS} conversations…\n`);
    const chatRequests: LoadPlan['requests'][number][] = [];
    for (const item of chatMix(demoBook(todayInChina()))) {
      const session = (await postJson(`${server.url}/api/v1/chat/sessions`, {
        channel: 'web',
      })) as { conversationId: string; token: string };
      const headers = { 'x-chat-token': session.token };
      const path = `/api/v1/chat/sessions/${session.conversationId}/messages`;
      if (item.verifyWith !== undefined) {
        const turn = (await postJson(
          `${server.url}${path}`,
          { text: item.verifyWith },
          headers,
        )) as { state: { verified: boolean } };
        if (!turn.state.verified) throw new Error('demo customer not verified');
      }
      chatRequests.push({
        path,
        headers,
        body: JSON.stringify({ text: item.text }),
        text: item.text,
      });
    }

    const database = new Database(join(server.dataDir, 'loandesk.sqlite'), {
      readonly: true,
    });
    const loans = database
      .prepare(
        "select loan_no from loans where status = 'repaying' order by loan_no limit ?",
      )
      .all(LOANS) as { loan_no: string }[];
    database.close();
    loansMeasured = loans.length;
    const auth = { authorization: `Bearer ${login.token}` };
    const paymentRequests = loans.map((loan) => ({
      path: `/api/v1/loans/${loan.loan_no}/payments`,
      headers: auth,
      body: JSON.stringify({ amount: '1.00', channel: 'bank_transfer' }),
    }));

    const rounds: Round[] = [];
    const serverPid = server.process.pid;
    if (serverPid === undefined) throw new Error('server has no pid');
    const serverCpu = () => cpuSecondsOf(serverPid);
    for (let round = 1; round <= ROUNDS; round += 1) {
      process.stderr.write(`${commitSync}: round ${round}/${ROUNDS}…\n`);
      const plainResult = await measure(
        {
          ...base,
          url: plainUrl,
          requests: [{ path: '/echo', headers: {}, body: '{"hello":"world"}' }],
        },
        selfCpu,
      );
      const chat = await measure(
        { ...base, url: server.url, requests: chatRequests },
        serverCpu,
      );
      const cold = await measure(
        {
          ...base,
          url: server.url,
          requests: chatRequests,
          uniqueText: true,
          uniqueFrom,
        },
        serverCpu,
      );
      uniqueFrom += cold.total + 10 * CONNECTIONS;
      const pay = await measure(
        {
          ...base,
          url: server.url,
          uniqueKey: true,
          requests: paymentRequests,
        },
        serverCpu,
      );
      for (const [name, r] of [
        ['chat', chat],
        ['chat (unique texts)', cold],
        ['payments', pay],
      ] as const)
        if (r.non2xx > 0 || r.errors > 0)
          process.stderr.write(
            `warning: ${name} had ${r.non2xx} non-2xx and ${r.errors} errors\n`,
          );
      rounds.push({ plain: plainResult, chat, cold, pay });
    }
    return rounds;
  } finally {
    await server.stop();
  }
}

try {
  const results: { commitSync: string; rounds: Round[] }[] = [];
  for (const commitSync of COMMIT_SYNCS)
    results.push({ commitSync, rounds: await measureServer(commitSync) });

  // The dialogue engine alone, in this process, on the general questions
  // of the mix: cold (memos off, what a never-seen text costs) and with the
  // memos of the server warm.
  const today = todayInChina();
  const ENGINE_TURNS = 3_000;
  const engineUs = (memo: boolean, unique: boolean) => {
    const parts = loadConversationParts({ memo });
    const before = process.cpuUsage();
    for (let i = 0; i < ENGINE_TURNS; i += 1) {
      const question =
        GENERAL_QUESTIONS[i % GENERAL_QUESTIONS.length] ?? '你好';
      parts.engine.respond({
        state: initialDialogueState(),
        data: NO_CUSTOMER_DATA,
        today,
        text: unique ? uniqueText(question, i) : question,
      });
    }
    const usage = process.cpuUsage(before);
    return (usage.user + usage.system) / ENGINE_TURNS;
  };
  const engineCold = engineUs(false, false);
  const engineWarm = engineUs(true, false);
  const loadAtEnd = loadavg()[0] ?? 0;
  process.stderr.write(`load average at end: ${loadAtEnd.toFixed(2)}\n`);

  const fmt = (n: number, digits = 0) =>
    n.toLocaleString('en-US', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
  const pct = (a: number, b: number) => `${fmt((100 * a) / b, 1)} %`;
  const cell = (r: Measured) =>
    `${fmt(r.requestsPerSecond)} (${r.p50Ms} / ${r.p99Ms} ms)`;
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const rows: string[] = [];
  const verdicts: string[] = [];
  for (const { commitSync, rounds } of results) {
    for (const [index, r] of rounds.entries())
      rows.push(
        `| ${commitSync} | ${index + 1} | ${cell(r.plain)} | ${cell(r.chat)} | ${pct(r.chat.requestsPerSecond, r.plain.requestsPerSecond)} | ${cell(r.cold)} | ${pct(r.cold.requestsPerSecond, r.plain.requestsPerSecond)} | ${cell(r.pay)} | ${pct(r.pay.requestsPerSecond, r.plain.requestsPerSecond)} | ${fmt(r.plain.cpuUsPerRequest)} / ${fmt(r.chat.cpuUsPerRequest)} / ${fmt(r.cold.cpuUsPerRequest)} / ${fmt(r.pay.cpuUsPerRequest)} |`,
      );
    const ratio = (pick: (r: Round) => Measured) =>
      median(
        rounds.map(
          (r) => pick(r).requestsPerSecond / r.plain.requestsPerSecond,
        ),
      );
    const p99 = (pick: (r: Round) => Measured) =>
      median(rounds.map((r) => pick(r).p99Ms));
    const cpuTimes = (pick: (r: Round) => Measured) =>
      median(
        rounds.map((r) => pick(r).cpuUsPerRequest / r.plain.cpuUsPerRequest),
      );
    const chatRatio = ratio((r) => r.chat);
    const coldRatio = ratio((r) => r.cold);
    const met = (value: number, latency: number) =>
      value >= 0.25 && latency < 20 ? 'met' : 'not met';
    verdicts.push(
      `- commit sync \`${commitSync}\`: chat turns (repeated texts) median ${fmt(100 * chatRatio, 1)} % of plain, median p99 ${p99((r) => r.chat)} ms — ${met(
        chatRatio,
        p99((r) => r.chat),
      )}; every text unique ${fmt(100 * coldRatio, 1)} %, p99 ${p99((r) => r.cold)} ms — ${met(
        coldRatio,
        p99((r) => r.cold),
      )}. Server CPU per request: a chat turn ${fmt(
        cpuTimes((r) => r.chat),
        1,
      )}× a plain POST (unique texts ${fmt(
        cpuTimes((r) => r.cold),
        1,
      )}×, a payment ${fmt(
        cpuTimes((r) => r.pay),
        1,
      )}×), i.e. about ${fmt(100 / cpuTimes((r) => r.chat), 1)} % of plain when neither waits for a core or a disk.`,
    );
  }
  const section = [
    '## HTTP server',
    '',
    `Reproduce: \`node bin/run-ts.js bench/http.bench.ts --write\` (${ROUNDS} rounds of ${SECONDS} s per load, ${CONNECTIONS} connections, autocannon in a second process on 127.0.0.1; ${cpus().length} cores, load average ${loadAtStart.toFixed(1)} at the start and ${loadAtEnd.toFixed(1)} at the end of the run).`,
    '',
    `Plain POST is a bare Fastify handler; LoanDesk is \`loandesk serve --demo\` on a SQLite file (LOG_LEVEL=warn, rate limits raised through LOANDESK_RATE_LIMIT_PER_MINUTE / LOANDESK_CHAT_SESSIONS_PER_MINUTE), once per commit sync (LOANDESK_SQLITE_COMMIT_SYNC): \`full\` (the default: synchronous=FULL, SQLite fsyncs the WAL inside each COMMIT, on the event loop) and \`background\` (synchronous=NORMAL and the WAL fsynced on the thread pool; a caller is answered only after an fsync that began after its commit — the same durability, see docs/database.md). A chat turn is a full borrower message: token check, dialogue state read, NLU + policy + compliance gate, both messages (PII-masked) and the new state written in one transaction; ${CONVERSATIONS} conversations rotate, one in ${VERIFIED_SHARE} verified and asking for the next installment (the customer's loans read from the store). "chat turns" repeat the mix's questions (the engine's memos warm); "unique texts" make every message a text never sent before (\`bench/http/chat-mix.ts\`), so no memo answers. A payment is 1.00 yuan posted with a fresh Idempotency-Key on one of ${loansMeasured} repaying loans (waterfall allocation, audit entry).`,
    '',
    'req/s (p50 / p99 latency) per round, and the ratio to the plain endpoint in the same round:',
    '',
    '| commit sync | round | plain POST | chat turns | chat / plain | chat, unique texts | unique / plain | posted payments | payments / plain | server CPU µs per request: plain / chat / unique / payment |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `The dialogue engine alone (\`engine.respond\`, in the benchmark's process, the general questions of the mix, ${fmt(ENGINE_TURNS)} turns): ${fmt(engineCold)} µs CPU per turn cold (memos off), ${fmt(engineWarm)} µs with the memos warm.`,
    '',
    'Target (issue 5): chat turns ≥ 25 % of plain with p99 < 20 ms.',
    '',
    ...verdicts,
    '',
  ].join('\n');
  process.stdout.write(`${section}\n`);
  if (WRITE) {
    const path = join(ROOT, 'BENCHMARKS.md');
    const text = readFileSync(path, 'utf8');
    const start = text.indexOf('## HTTP server\n');
    let updated: string;
    if (start === -1) updated = `${text.trimEnd()}\n\n${section}`;
    else {
      const next = text.indexOf('\n## ', start + 1);
      const notes = text.indexOf('\n### ', start + 1);
      // Hand-written notes (### subsections) under the table are kept.
      const end = notes !== -1 && (next === -1 || notes < next) ? notes : next;
      updated =
        text.slice(0, start) +
        section +
        (end === -1 ? '' : `\n${text.slice(end + 1)}`);
    }
    writeFileSync(path, updated);
  }
} finally {
  await plain.close();
}
