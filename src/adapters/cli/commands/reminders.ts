import type { Command } from 'commander';
import { dispatchReminders } from '../../../app/channels/dispatch-reminders.js';
import { escalateComplaints } from '../../../app/complaints/handle-complaints.js';
import { parseLocalInstant } from '../../../domain/compliance/local-time.js';
import {
  channelDeps,
  createChannelRuntime,
} from '../../channels/channel-runtime.js';
import { openStorage } from '../../db/storage.js';
import { InputError } from '../jsonl.js';

// `loandesk reminders dispatch [--now ISO]`: one dispatcher run on
// DATABASE_URL — pending reminders rendered, gated (contact policy,
// frequency, compliance) and delivered; prints a JSON summary line.
// `loandesk complaints escalate [--now ISO]`: raises open complaints to the
// escalation level their deadline calls for (idempotent; the end-of-day
// batch may call escalateComplaints too). Providers come from the
// environment (docs/channels.md).

type NowOption = { readonly now?: string };

function nowOf(options: NowOption): string {
  if (options.now === undefined) return new Date().toISOString();
  if (parseLocalInstant(options.now) === undefined)
    throw new InputError(
      `--now must be an ISO 8601 time with an offset, e.g. 2026-12-07T09:00:00+08:00 (got ${options.now})`,
    );
  return options.now;
}

async function withDeps<T>(
  work: (deps: ReturnType<typeof channelDeps>) => Promise<T>,
): Promise<T> {
  const storage = await openStorage();
  try {
    const runtime = createChannelRuntime({
      db: storage.db,
      cipher: storage.cipher,
    });
    return await work(
      channelDeps(runtime, storage.db, storage.repositoriesOver),
    );
  } finally {
    await storage.close();
  }
}

/** One audited dispatcher run on DATABASE_URL (CLI and job queue). */
export async function dispatchOnce(now: string, actor: string) {
  return withDeps(async (deps) => {
    const result = await dispatchReminders(deps, now);
    await deps.transaction(async (_, audit) => {
      await audit({
        actor,
        action: 'reminders.dispatch',
        subjectType: 'reminders',
        subjectId: now,
        details: { ...result },
      });
    });
    return result;
  });
}

export function registerRemindersCommand(program: Command): void {
  const reminders = program
    .command('reminders')
    .description('还款提醒 — reminder dispatch');
  reminders
    .command('dispatch')
    .description(
      'render, check and send pending reminders and due messages once',
    )
    .option('--now <iso>', 'the instant of the run (default: now)')
    .action(async (options: NowOption) => {
      const now = nowOf(options);
      const summary = await dispatchOnce(now, 'system:cli');
      process.stdout.write(`${JSON.stringify({ now, ...summary })}\n`);
    });
  const complaints = program
    .command('complaints')
    .description('投诉处理 — complaint desk');
  complaints
    .command('escalate')
    .description('escalate open complaints whose deadline nears (idempotent)')
    .option('--now <iso>', 'the instant of the run (default: now)')
    .action(async (options: NowOption) => {
      const now = nowOf(options);
      const summary = await withDeps((deps) =>
        escalateComplaints(deps, 'system:cli', now),
      );
      process.stdout.write(`${JSON.stringify({ now, ...summary })}\n`);
    });
}
