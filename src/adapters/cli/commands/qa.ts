import type { Command } from 'commander';
import type { Rubric } from '../../../domain/qa/rubric.js';
import {
  type CalendarDate,
  parseCalendarDate,
} from '../../../domain/shared/calendar-date.js';
import { loadCatalogue } from '../../catalogue/load-catalogue.js';
import { todayInChina } from '../../clock/today.js';
import { defaultComplianceEngine } from '../../compliance/load-pack.js';
import { loadNlu } from '../../nlu/load-nlu.js';
import { loadRubric, RubricError } from '../../qa/load-rubric.js';
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
}
