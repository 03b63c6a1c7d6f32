import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Rubric } from '../../../domain/qa/rubric.js';
import {
  type CalendarDate,
  parseCalendarDate,
} from '../../../domain/shared/calendar-date.js';
import { loadCatalogue } from '../../catalogue/load-catalogue.js';
import { todayInChina } from '../../clock/today.js';
import { defaultComplianceEngine } from '../../compliance/load-pack.js';
import { openStorage } from '../../db/storage.js';
import { loadNlu } from '../../nlu/load-nlu.js';
import {
  INSPECTION_BATCH_MAX,
  inspectClosedConversations,
} from '../../qa/inspect-store.js';
import {
  DEFAULT_RUBRIC_PATH,
  loadRubric,
  RubricError,
} from '../../qa/load-rubric.js';
import {
  lazyQaEngines,
  qaDependencies,
  rubricInForce,
} from '../../qa/qa-parts.js';
import { type QaDependencies, scoreLine } from '../../qa/score-jsonl.js';
import { InputError, runJsonl } from '../jsonl.js';

// `loandesk qa score --jsonl`: scores transcripts (the output of `loandesk
// chat`) on the quality rubric, offline (spec/contracts.md).

type Flags = { jsonl?: boolean; today?: string; rubric?: string };

function todayReader(fallback: CalendarDate) {
  return (value: unknown): CalendarDate => {
    if (value === undefined || value === null) return fallback;
    const date =
      typeof value === 'string' ? parseCalendarDate(value) : undefined;
    if (date === undefined) throw new InputError('today: must be YYYY-MM-DD');
    return date;
  };
}

function readRubric(path: string | undefined): Rubric {
  if (path === undefined) return loadRubric();
  try {
    return loadRubric(path);
  } catch (error) {
    if (error instanceof RubricError)
      throw new InputError(`--rubric: ${error.message}`);
    throw new InputError(`--rubric: cannot read ${path}`);
  }
}

function dependencies(rubricPath: string | undefined): QaDependencies {
  return {
    rubric: readRubric(rubricPath),
    nlu: loadNlu().nlu,
    compliance: defaultComplianceEngine(),
    catalogue: loadCatalogue(),
  };
}

async function inspect(flags: {
  date?: string;
  limit?: string;
}): Promise<void> {
  const today =
    flags.date === undefined ? todayInChina() : parseCalendarDate(flags.date);
  if (today === undefined) throw new InputError('--date: must be YYYY-MM-DD');
  const limit =
    flags.limit === undefined ? INSPECTION_BATCH_MAX : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > INSPECTION_BATCH_MAX)
    throw new InputError(
      `--limit: must be an integer from 1 to ${INSPECTION_BATCH_MAX}`,
    );
  const storage = await openStorage();
  try {
    const { rubric } = await rubricInForce(storage.repositories, () =>
      readFileSync(DEFAULT_RUBRIC_PATH, 'utf8'),
    );
    let total = { conversations: 0, scores: 0 };
    // Batches until every finished conversation is scored.
    for (;;) {
      const batch = await inspectClosedConversations(
        storage.repositories,
        qaDependencies(lazyQaEngines()(), rubric),
        today,
        limit,
      );
      total = {
        conversations: total.conversations + batch.conversations,
        scores: total.scores + batch.scores,
      };
      if (batch.conversations < limit || batch.scores === 0) break;
    }
    process.stdout.write(
      `${JSON.stringify({ date: today, rubric_version: rubric.version, ...total })}\n`,
    );
  } finally {
    await storage.close();
  }
}

export function registerQaCommand(program: Command): void {
  const qa = program
    .command('qa')
    .description('质检：quality inspection of conversations');
  qa.command('score')
    .description('score transcripts (chat output format) on the rubric')
    .option('--jsonl', 'read one transcript per line from stdin')
    .option('--today <date>', 'YYYY-MM-DD when a transcript has no "today"')
    .option(
      '--rubric <file>',
      'a rubric YAML file instead of content/qa/rubric.yaml',
    )
    .action(async (flags: Flags) => {
      if (flags.jsonl !== true)
        throw new InputError('qa score: give --jsonl and transcripts on stdin');
      const fallback =
        flags.today === undefined
          ? todayInChina()
          : parseCalendarDate(flags.today);
      if (fallback === undefined)
        throw new InputError('--today: must be YYYY-MM-DD');
      const deps = dependencies(flags.rubric);
      const readToday = todayReader(fallback);
      await runJsonl((input) => scoreLine(input, deps, readToday));
    });
  qa.command('inspect')
    .description(
      'score every finished, unscored conversation in the database (DATABASE_URL)',
    )
    .option('--date <date>', 'business date of the inspection (default today)')
    .option('--limit <n>', 'conversations per batch')
    .action(inspect);
}
