import pg from 'pg';
import PgBoss from 'pg-boss';
import type { CalendarDate } from '../../domain/shared/calendar-date.js';
import { parseCalendarDate } from '../../domain/shared/calendar-date.js';
import { todayInChina } from '../clock/today.js';

// The job queue of a PostgreSQL deployment (pg-boss 10): the daily
// end-of-day batch and the reminder dispatcher as cron schedules that every
// server instance declares, run exactly once however many instances are up.
// Why it holds: pg-boss turns each cron tick into one job per queue (its
// scheduler sends with a singleton key per minute, in PostgreSQL), workers
// fetch jobs with FOR UPDATE SKIP LOCKED, and both queues use the
// `singleton` policy — at most one job of a queue is active at a time, so
// two batches never overlap. SQLite deployments run the commands from cron
// instead (one process, nothing to coordinate).

export const EOD_QUEUE = 'loandesk-eod';
export const REMINDERS_QUEUE = 'loandesk-reminders';
export const JOB_QUEUES = [EOD_QUEUE, REMINDERS_QUEUE] as const;
export type JobQueueName = (typeof JOB_QUEUES)[number];

export type JobHandlers = {
  /** The end-of-day batch of `date` (idempotent per date). */
  readonly eod: (date: CalendarDate) => Promise<unknown>;
  /** One reminder dispatcher run at `now` (ISO with offset). */
  readonly reminders: (now: string) => Promise<unknown>;
};

export type JobQueueConfig = {
  readonly connectionString: string;
  /** PostgreSQL schema of pg-boss's tables. */
  readonly schema: string;
  /** Cron of the end-of-day batch (Asia/Shanghai); it runs today's date. */
  readonly eodCron: string;
  readonly remindersCron: string;
  /** How often schedules are checked and queues polled (seconds). */
  readonly checkSeconds: number;
};

export type JobRun = {
  readonly queue: JobQueueName;
  readonly jobId: string;
  readonly result: unknown;
};

export type JobQueue = {
  readonly boss: PgBoss;
  readonly stop: () => Promise<void>;
};

const TIME_ZONE = 'Asia/Shanghai';
// Bound: a batch of a large book takes minutes; a stuck one is retried
// after this (its own cursor makes the retry resume, not repeat).
const EOD_EXPIRE_SECONDS = 6 * 3600;
const REMINDERS_EXPIRE_SECONDS = 1800;

/** The job queue settings from the environment (docs/end-of-day.md). */
export function jobQueueConfigFromEnv(
  env: NodeJS.ProcessEnv,
  connectionString: string,
): JobQueueConfig {
  const check = Number(env.LOANDESK_JOBS_CHECK_SECONDS ?? '30');
  if (!Number.isInteger(check) || check < 1 || check > 45)
    throw new Error('LOANDESK_JOBS_CHECK_SECONDS: a whole number from 1 to 45');
  const schema = env.LOANDESK_JOBS_SCHEMA ?? 'loandesk_jobs';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new Error('LOANDESK_JOBS_SCHEMA: a lower-case PostgreSQL identifier');
  return {
    connectionString,
    schema,
    // 23:30 China time: the day's batch after the day's payments.
    eodCron: env.LOANDESK_JOBS_EOD_CRON ?? '30 23 * * *',
    // Every 15 minutes; the dispatcher itself defers what quiet hours forbid.
    remindersCron: env.LOANDESK_JOBS_REMINDERS_CRON ?? '*/15 * * * *',
    checkSeconds: check,
  };
}

function chinaNow(): string {
  const shifted = new Date(Date.now() + 8 * 3_600_000);
  return `${shifted.toISOString().slice(0, 19)}+08:00`;
}

/**
 * Runs `declare` while this instance holds a PostgreSQL advisory lock named
 * after the jobs schema. Instances that start together would otherwise run
 * pg-boss's queue DDL at once, and two `createQueue` calls for the same
 * queue deadlock (40P01: one instance fails to start).
 */
async function underDeclarationLock(
  config: JobQueueConfig,
  declare: () => Promise<void>,
): Promise<void> {
  const client = new pg.Client({ connectionString: config.connectionString });
  await client.connect();
  const key = `loandesk-jobs:${config.schema}`;
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    try {
      await declare();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
    }
  } finally {
    await client.end();
  }
}

/** Both queues and their schedules (idempotent: every instance does the same). */
async function declareQueues(
  boss: PgBoss,
  config: JobQueueConfig,
): Promise<void> {
  await boss.createQueue(EOD_QUEUE, {
    name: EOD_QUEUE,
    policy: 'singleton',
    expireInSeconds: EOD_EXPIRE_SECONDS,
    retryLimit: 3,
    retryDelay: 60,
  });
  await boss.createQueue(REMINDERS_QUEUE, {
    name: REMINDERS_QUEUE,
    policy: 'singleton',
    expireInSeconds: REMINDERS_EXPIRE_SECONDS,
    retryLimit: 1,
  });
  await boss.schedule(EOD_QUEUE, config.eodCron, {}, { tz: TIME_ZONE });
  await boss.schedule(
    REMINDERS_QUEUE,
    config.remindersCron,
    {},
    {
      tz: TIME_ZONE,
    },
  );
}

/**
 * Starts pg-boss, declares both queues and schedules (idempotent: every
 * instance does the same), and works both queues. `onRun` sees each job run.
 */
export async function startJobQueue(
  config: JobQueueConfig,
  handlers: JobHandlers,
  onRun: (run: JobRun) => void = () => undefined,
): Promise<JobQueue> {
  const boss = new PgBoss({
    connectionString: config.connectionString,
    schema: config.schema,
    cronMonitorIntervalSeconds: config.checkSeconds,
    cronWorkerIntervalSeconds: config.checkSeconds,
  });
  boss.on('error', (error: Error) => {
    process.stderr.write(`loandesk jobs: ${error.message}\n`);
  });
  await underDeclarationLock(config, async () => {
    await boss.start();
    await declareQueues(boss, config);
  });
  const polling = { pollingIntervalSeconds: config.checkSeconds };
  await boss.work<{ date?: string }>(EOD_QUEUE, polling, async (jobs) => {
    for (const job of jobs) {
      const given = job.data?.date;
      const date =
        given === undefined ? todayInChina() : parseCalendarDate(given);
      if (date === undefined) throw new Error(`eod job: bad date ${given}`);
      onRun({
        queue: EOD_QUEUE,
        jobId: job.id,
        result: await handlers.eod(date),
      });
    }
  });
  await boss.work<{ now?: string }>(REMINDERS_QUEUE, polling, async (jobs) => {
    for (const job of jobs) {
      const now = job.data?.now ?? chinaNow();
      onRun({
        queue: REMINDERS_QUEUE,
        jobId: job.id,
        result: await handlers.reminders(now),
      });
    }
  });
  return {
    boss,
    stop: () => boss.stop({ graceful: true, wait: true }),
  };
}
