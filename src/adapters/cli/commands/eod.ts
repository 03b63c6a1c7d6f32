import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import {
  EOD_ACTOR,
  EOD_BATCH_SIZE_DEFAULT,
  EOD_BATCH_SIZE_MAX,
  type EodProgress,
  type EodSummary,
  runEndOfDay,
} from '../../../app/collections/run-end-of-day.js';
import {
  escalateComplaints,
  escalationInstantOfDay,
} from '../../../app/complaints/handle-complaints.js';
import {
  type CalendarDate,
  parseCalendarDate,
} from '../../../domain/shared/calendar-date.js';
import {
  channelDeps,
  createChannelRuntime,
} from '../../channels/channel-runtime.js';
import { todayInChina } from '../../clock/today.js';
import { createEodStore } from '../../db/eod-store.js';
import {
  type DatabaseHandle,
  openDatabaseFromEnv,
} from '../../db/kysely-database.js';
import { migrateToLatestOrThrow } from '../../db/migrator.js';
import type { Database } from '../../db/schema.js';
import { openStorage } from '../../db/storage.js';
import {
  INSPECTION_BATCH_MAX,
  inspectClosedConversations,
} from '../../qa/inspect-store.js';
import { DEFAULT_RUBRIC_PATH } from '../../qa/load-rubric.js';
import {
  lazyQaEngines,
  qaDependencies,
  rubricInForce,
} from '../../qa/qa-parts.js';
import { InputError } from '../jsonl.js';

// `loandesk eod --date YYYY-MM-DD [--batch-size N]`: the end-of-day batch on
// DATABASE_URL. On a terminal it draws a progress bar with rate and ETA;
// otherwise it prints one JSON summary line. Exit 0 when the date is done
// (also when it already was), 1 when a later date has already run.
//
// LOANDESK_EOD_PAUSE_MS (tests only) sleeps that long after every committed
// batch, so a test can kill the process between two batches.

type EodCliOptions = { readonly date?: string; readonly batchSize?: string };

function parseDate(text: string | undefined): CalendarDate {
  if (text === undefined) return todayInChina();
  const date = parseCalendarDate(text);
  if (date === undefined)
    throw new InputError(`date: not a date (YYYY-MM-DD): ${text}`);
  return date;
}

function parseBatchSize(text: string | undefined): number {
  if (text === undefined) return EOD_BATCH_SIZE_DEFAULT;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > EOD_BATCH_SIZE_MAX)
    throw new InputError(
      `batch_size: a whole number from 1 to ${EOD_BATCH_SIZE_MAX}: ${text}`,
    );
  return n;
}

function pauseMs(env: NodeJS.ProcessEnv): number {
  const n = Number(env.LOANDESK_EOD_PAUSE_MS ?? '0');
  return Number.isFinite(n) && n > 0 ? n : 0;
}

export type EodComplaints = {
  /** Open tickets looked at. */
  readonly checked: number;
  /** Tickets raised to a higher escalation level by this run. */
  readonly escalated: number;
};

export function summaryJson(
  summary: EodSummary,
  complaints: EodComplaints = { checked: 0, escalated: 0 },
): string {
  if (!summary.ok) return JSON.stringify({ ok: false, error: summary.error });
  return JSON.stringify({
    ok: true,
    business_date: summary.businessDate,
    already_completed: summary.alreadyCompleted,
    resumed: summary.resumed,
    batches: summary.counts.batches,
    loans: summary.counts.loans,
    overdue_loans: summary.counts.overdueLoans,
    transitions: summary.counts.transitions,
    reminders: summary.counts.reminders,
    promises_broken: summary.counts.promisesBroken,
    promises_kept: summary.counts.promisesKept,
    errors: summary.counts.errors,
    complaints_checked: complaints.checked,
    complaints_escalated: complaints.escalated,
  });
}

export type EodRunResult = {
  readonly summary: EodSummary;
  readonly complaints: EodComplaints;
  readonly qa: { conversations: number; scores: number } | undefined;
};

/**
 * The whole day's batch on an open database: loans, then complaint
 * escalation and quality inspection (also used by the job queue).
 */
export async function runEodOnce(
  handle: DatabaseHandle,
  date: CalendarDate,
  batchSize: number,
  onProgress?: (p: EodProgress) => Promise<void>,
): Promise<EodRunResult> {
  await migrateToLatestOrThrow(handle.db);
  const summary = await runEndOfDay(
    createEodStore(handle.db, handle.dialect, handle.sqlite),
    {
      date,
      batchSize,
      now: () => new Date().toISOString(),
      ...(onProgress === undefined ? {} : { onProgress }),
    },
  );
  if (!summary.ok)
    return { summary, complaints: { checked: 0, escalated: 0 }, qa: undefined };
  // Complaints whose deadline nears are escalated as of the close of the
  // business day (CP-01/CP-04), also when the date had already completed:
  // escalation is idempotent per level.
  const complaints = await escalateAfterEod(handle.db, date);
  // Quality inspection of the finished conversations is part of the day's
  // batch (issue 8); it opens the encrypted store only when there is work.
  const qa = await inspectAfterEod(handle.db, date);
  return { summary, complaints, qa };
}

/** The one-line JSON summary of a run (`loandesk eod` off a terminal). */
export function runJson(result: EodRunResult): string {
  const json = summaryJson(result.summary, result.complaints);
  return result.qa === undefined
    ? json
    : JSON.stringify({ ...JSON.parse(json), qa: result.qa });
}

async function eod(options: EodCliOptions): Promise<void> {
  const date = parseDate(options.date);
  const batchSize = parseBatchSize(options.batchSize);
  const handle = openDatabaseFromEnv();
  const tty = process.stdout.isTTY === true;
  const bar = tty
    ? new cliProgress.SingleBar(
        {
          format:
            '日终批处理 {date} [{bar}] {percentage}% | {value}/{total} 笔 | {rate} 笔/秒 | 预计剩余 {eta_formatted}',
          etaBuffer: 20,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const pause = pauseMs(process.env);
  const started = Date.now();
  let first: number | undefined;
  try {
    const onProgress = async (p: EodProgress) => {
      if (bar !== undefined) {
        if (first === undefined) {
          first = p.done;
          bar.start(p.total, p.done, { date, rate: 0 });
        } else {
          const seconds = (Date.now() - started) / 1000;
          const rate = Math.round((p.done - first) / Math.max(seconds, 0.001));
          bar.update(p.done, { rate });
        }
      }
      if (pause > 0 && p.counts.batches > 0) await sleep(pause);
    };
    const result = await runEodOnce(handle, date, batchSize, onProgress);
    const { summary, complaints, qa } = result;
    bar?.stop();
    if (!summary.ok) {
      process.stderr.write(
        `loandesk: ${summary.error.code}: 已执行过更晚日期 ${summary.error.laterDate} 的日终批处理，不能再执行 ${date}\n`,
      );
      process.exitCode = 1;
      return;
    }
    if (tty) {
      if (complaints.escalated > 0)
        process.stdout.write(
          `投诉升级：${complaints.checked} 件未结投诉中 ${complaints.escalated} 件临近处理时限，已升级。\n`,
        );
      if (qa !== undefined)
        process.stdout.write(
          `质检：${qa.conversations} 个已结束会话，新增 ${qa.scores} 条评分。\n`,
        );
      const c = summary.counts;
      process.stdout.write(
        summary.alreadyCompleted
          ? `${date} 的日终批处理已完成，本次未作任何变更。\n`
          : `${date} 日终批处理完成：${c.loans} 笔贷款，逾期 ${c.overdueLoans} 笔，状态变更 ${c.transitions} 笔，提醒 ${c.reminders} 条，承诺还款违约 ${c.promisesBroken} 笔，错误 ${c.errors} 笔。\n`,
      );
    } else {
      process.stdout.write(`${runJson(result)}\n`);
    }
  } finally {
    bar?.stop();
    await handle.db.destroy();
  }
}

/** Escalates open complaints as of the business day's close. */
async function escalateAfterEod(
  db: Kysely<Database>,
  date: CalendarDate,
): Promise<EodComplaints> {
  const open = await db
    .selectFrom('complaint_tickets')
    .select('id')
    .where('status', 'in', ['open', 'in_progress'])
    .limit(1)
    .execute();
  if (open.length === 0) return { checked: 0, escalated: 0 };
  const storage = await openStorage();
  try {
    const runtime = createChannelRuntime({
      db: storage.db,
      cipher: storage.cipher,
    });
    const deps = channelDeps(runtime, storage.db, storage.repositoriesOver);
    const at = escalationInstantOfDay(
      date,
      runtime.config.utcOffsetMinutes,
      Date.now(),
    );
    const result = await escalateComplaints(deps, EOD_ACTOR, at);
    return { checked: result.checked, escalated: result.escalated.length };
  } finally {
    await storage.close();
  }
}

/** Scores the finished, unscored conversations; undefined when there are none. */
async function inspectAfterEod(
  db: Kysely<Database>,
  date: CalendarDate,
): Promise<{ conversations: number; scores: number } | undefined> {
  const pending = await db
    .selectFrom('conversations')
    .leftJoin('qa_scores', 'qa_scores.conversation_id', 'conversations.id')
    .select('conversations.id')
    .where('conversations.status', '=', 'closed')
    .where('qa_scores.id', 'is', null)
    .limit(1)
    .execute();
  if (pending.length === 0) return undefined;
  const storage = await openStorage();
  try {
    const { rubric } = await rubricInForce(storage.repositories, () =>
      readFileSync(DEFAULT_RUBRIC_PATH, 'utf8'),
    );
    const deps = qaDependencies(lazyQaEngines()(), rubric);
    let total = { conversations: 0, scores: 0 };
    for (;;) {
      const batch = await inspectClosedConversations(
        storage.repositories,
        deps,
        date,
      );
      total = {
        conversations: total.conversations + batch.conversations,
        scores: total.scores + batch.scores,
      };
      if (batch.conversations < INSPECTION_BATCH_MAX || batch.scores === 0)
        break;
    }
    return total;
  } finally {
    await storage.close();
  }
}

export function registerEodCommand(program: Command): void {
  program
    .command('eod')
    .description(
      '日终批处理 — end-of-day batch: delinquency, reminders, early warning, complaint escalation',
    )
    .option('--date <YYYY-MM-DD>', 'business date (default: today in China)')
    .option(
      '--batch-size <n>',
      `loans per transaction (default ${EOD_BATCH_SIZE_DEFAULT})`,
    )
    .action(async (options: EodCliOptions) => {
      await eod(options);
    });
}
