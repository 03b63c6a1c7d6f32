// Proves the multi-instance job queue (pg-boss on PostgreSQL): two
// `loandesk jobs work` processes on the same database — as two server
// instances would be — declare the same schedules; the reminder dispatch
// scheduled every minute and an end-of-day job sent by hand each run
// exactly once (no job id run twice, one run per job pg-boss created, one
// completed eod_runs row, one set of batch audit entries). On SQLite the
// command refuses with the cron alternative.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { afterAll, describe, expect, it } from 'vitest';
import { createRepositories } from '../../src/adapters/db/repositories/index.js';
import { SYSTEM_DEPS } from '../../src/adapters/db/repositories/repository-context.js';
import {
  EOD_QUEUE,
  REMINDERS_QUEUE,
  startJobQueue,
} from '../../src/adapters/jobs/job-queue.js';
import { runCli } from '../helpers/run-cli.js';
import {
  DIALECTS,
  openTestDatabase,
  TEST_PG_URL,
  TEST_SECRET_KEY,
  type TestDatabase,
  testCipher,
} from './dialects.js';
import { seedLoan, WANG } from './fixtures.js';

const BIN = fileURLToPath(new URL('../../bin/loandesk.js', import.meta.url));
const TIMEOUT_MS = 420_000;

type Line = Record<string, unknown>;

function startWorker(env: NodeJS.ProcessEnv): {
  child: ChildProcess;
  lines: Line[];
  stderr: () => string;
} {
  const child = spawn(process.execPath, [BIN, 'jobs', 'work'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Line[] = [];
  let buffer = '';
  let errors = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line.startsWith('{')) lines.push(JSON.parse(line) as Line);
      newline = buffer.indexOf('\n');
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString('utf8');
  });
  return { child, lines, stderr: () => errors };
}

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms: number,
): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('loandesk jobs work', { timeout: TIMEOUT_MS }, () => {
  it('refuses on SQLite and names the cron alternative', async () => {
    const t = await openTestDatabase('sqlite');
    try {
      const result = runCli(['jobs', 'work'], '', { DATABASE_URL: t.url });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('PostgreSQL');
      expect(result.stderr).toContain('loandesk eod');
    } finally {
      await t.destroy();
    }
  });

  if (!DIALECTS.includes('postgres')) return;

  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('starts four instances at once on one database (queue declaration does not deadlock)', async () => {
    const schema = `jobs_${randomBytes(5).toString('hex')}`;
    cleanups.push(async () => {
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    });
    const config = {
      connectionString: TEST_PG_URL,
      schema,
      checkSeconds: 5,
      eodCron: '0 3 29 2 *',
      remindersCron: '0 3 29 2 *',
    };
    const handlers = {
      eod: async () => ({}),
      reminders: async () => ({}),
    } as unknown as Parameters<typeof startJobQueue>[1];
    const started = await Promise.allSettled(
      [1, 2, 3, 4].map(() => startJobQueue(config, handlers)),
    );
    for (const s of started) if (s.status === 'fulfilled') await s.value.stop();
    expect(started.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
  });

  it('runs each scheduled and sent job once with two workers on PostgreSQL', async () => {
    const t: TestDatabase = await openTestDatabase('postgres');
    cleanups.push(() => t.destroy());
    const repos = createRepositories(t.db, SYSTEM_DEPS, testCipher());
    await seedLoan(repos, 'L202602001', WANG);
    const jobsSchema = `jobs_${randomBytes(5).toString('hex')}`;
    cleanups.push(async () => {
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${jobsSchema} CASCADE`);
      await client.end();
    });
    const env = {
      DATABASE_URL: t.url,
      LOANDESK_SECRET_KEY: TEST_SECRET_KEY.toString('hex'),
      LOANDESK_SMTP_URL: '',
      LOANDESK_SMS_GATEWAY_URL: '',
      LOANDESK_JOBS_SCHEMA: jobsSchema,
      LOANDESK_JOBS_CHECK_SECONDS: '1',
      // Never within the test: the end-of-day job is sent by hand.
      LOANDESK_JOBS_EOD_CRON: '0 3 29 2 *',
      LOANDESK_JOBS_REMINDERS_CRON: '* * * * *',
    };
    const workers = [startWorker(env), startWorker(env)];
    cleanups.push(async () => {
      for (const w of workers) w.child.kill('SIGKILL');
    });
    await until(
      'both workers ready',
      () => workers.every((w) => w.lines.some((l) => l.ready === true)),
      // Generous: a loaded CI machine takes long to start two Node processes.
      150_000,
    ).catch((error: Error) => {
      throw new Error(
        `${error.message}\n${workers.map((w) => w.stderr()).join('\n')}`,
      );
    });

    // An end-of-day job for the loan's first due date, sent once.
    const boss = new PgBoss({ connectionString: t.url, schema: jobsSchema });
    await boss.start();
    cleanups.push(() => boss.stop({ graceful: false }));
    const eodJob = await boss.send(EOD_QUEUE, { date: '2026-02-10' });
    expect(eodJob).not.toBeNull();

    const runs = () =>
      workers.flatMap((w) => w.lines.filter((l) => 'job' in l));
    await until(
      'the end-of-day job and two scheduled dispatcher runs',
      () =>
        runs().some((r) => r.job === eodJob) &&
        runs().filter((r) => r.queue === REMINDERS_QUEUE).length >= 2,
      200_000,
    );
    // Stop both workers (each finishes the job in hand), then count.
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            w.child.once('exit', () => resolve());
            w.child.kill('SIGTERM');
          }),
      ),
    );
    const all = runs();
    const ids = all.map((r) => String(r.job));
    expect(new Set(ids).size).toBe(ids.length);
    expect(all.filter((r) => r.queue === EOD_QUEUE)).toHaveLength(1);
    const eodRun = all.find((r) => r.job === eodJob);
    expect(eodRun?.result).toMatchObject({
      ok: true,
      business_date: '2026-02-10',
      already_completed: false,
      loans: 1,
    });
    // One job per minute tick however many workers declared the schedule,
    // and every dispatcher job pg-boss completed was run by exactly one
    // worker (none is left half-done: active or failed).
    const client = new pg.Client({ connectionString: TEST_PG_URL });
    await client.connect();
    try {
      const jobs = await client.query<{
        id: string;
        state: string;
        minute: string;
      }>(
        `SELECT id, state, to_char(date_trunc('minute', created_on), 'YYYY-MM-DD HH24:MI') AS minute FROM ${jobsSchema}.job WHERE name = $1`,
        [REMINDERS_QUEUE],
      );
      const completed = jobs.rows.filter((r) => r.state === 'completed');
      const dispatches = all.filter((r) => r.queue === REMINDERS_QUEUE);
      expect(completed.map((r) => r.id).sort()).toEqual(
        dispatches.map((r) => String(r.job)).sort(),
      );
      expect(
        jobs.rows.every(
          (r) => r.state === 'completed' || r.state === 'created',
        ),
      ).toBe(true);
      const minutes = jobs.rows.map((r) => r.minute);
      expect(new Set(minutes).size).toBe(minutes.length);
    } finally {
      await client.end();
    }
    const eodRuns = await t.db
      .selectFrom('eod_runs')
      .select(['business_date', 'status'])
      .execute();
    expect(eodRuns).toEqual([
      { business_date: '2026-02-10', status: 'completed' },
    ]);
    const dispatchAudits = await t.db
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'reminders.dispatch')
      .execute();
    expect(dispatchAudits.length).toBe(
      all.filter((r) => r.queue === REMINDERS_QUEUE).length,
    );
    expect(new Set(dispatchAudits.map((a) => a.actor))).toEqual(
      new Set(['system:jobs']),
    );
  });
});
