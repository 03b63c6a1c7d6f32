import type { Command } from 'commander';
import { EOD_BATCH_SIZE_DEFAULT } from '../../../app/collections/run-end-of-day.js';
import type { CalendarDate } from '../../../domain/shared/calendar-date.js';
import { openDatabaseFromEnv } from '../../db/kysely-database.js';
import {
  type JobHandlers,
  jobQueueConfigFromEnv,
  startJobQueue,
} from '../../jobs/job-queue.js';
import { InputError } from '../jsonl.js';
import { runEodOnce, runJson } from './eod.js';
import { dispatchOnce } from './reminders.js';

// `loandesk jobs work`: a worker of the PostgreSQL job queue (pg-boss) —
// the daily end-of-day batch and the reminder dispatcher, each scheduled
// job run once however many workers or servers are up. `loandesk serve` on
// PostgreSQL starts the same workers unless LOANDESK_JOBS=off. Prints one
// JSON line when ready and one per job run; stops on SIGTERM/SIGINT after
// the job in hand.

/** What a job of each queue does: the same code as the commands. */
export function jobHandlers(): JobHandlers {
  return {
    eod: async (date: CalendarDate) => {
      const handle = openDatabaseFromEnv();
      try {
        const result = await runEodOnce(handle, date, EOD_BATCH_SIZE_DEFAULT);
        return JSON.parse(runJson(result)) as unknown;
      } finally {
        await handle.db.destroy();
      }
    },
    reminders: (now: string) => dispatchOnce(now, 'system:jobs'),
  };
}

/** The PostgreSQL URL of the job queue, or undefined on SQLite. */
export function jobQueueUrl(env: NodeJS.ProcessEnv): string | undefined {
  const url = env.DATABASE_URL ?? '';
  return /^postgres(ql)?:\/\//.test(url) ? url : undefined;
}

async function work(): Promise<void> {
  const url = jobQueueUrl(process.env);
  if (url === undefined)
    throw new InputError(
      'jobs: the job queue needs PostgreSQL (DATABASE_URL=postgres://…); on SQLite run `loandesk eod` and `loandesk reminders dispatch` from cron',
    );
  const queue = await startJobQueue(
    jobQueueConfigFromEnv(process.env, url),
    jobHandlers(),
    (run) => {
      process.stdout.write(
        `${JSON.stringify({ pid: process.pid, queue: run.queue, job: run.jobId, result: run.result })}\n`,
      );
    },
  );
  process.stdout.write(
    `${JSON.stringify({ pid: process.pid, ready: true })}\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      void queue.stop().then(resolve);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

export function registerJobsCommand(program: Command): void {
  const jobs = program
    .command('jobs')
    .description(
      '作业队列 — scheduled end-of-day and reminder jobs (PostgreSQL)',
    );
  jobs
    .command('work')
    .description(
      'work the job queue: the daily end-of-day batch and reminder dispatch, each job once across instances',
    )
    .action(async () => {
      await work();
    });
}
