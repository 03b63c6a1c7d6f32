import type { Command } from 'commander';
import type { Nlu } from '../../../domain/dialogue/nlu/nlu.js';
import {
  type CalendarDate,
  parseCalendarDate,
} from '../../../domain/shared/calendar-date.js';
import { CHAT_TURN_CHARS_MAX } from '../../../domain/shared/limits.js';
import { todayInChina } from '../../clock/today.js';
import { loadNlu } from '../../nlu/load-nlu.js';
import {
  InputError,
  type JsonObject,
  parseSingleObject,
  readStdin,
  runJsonl,
} from '../jsonl.js';

// `loandesk nlu`: one customer utterance → intent, calibrated confidence,
// slots, emotion, risk and fraud signals (spec/contracts.md, taxonomy.md).

function readText(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InputError('text: must be a non-empty string');
  }
  if (value.length > CHAT_TURN_CHARS_MAX) {
    throw new InputError(`text: longer than ${CHAT_TURN_CHARS_MAX} characters`);
  }
  return value;
}

function readToday(value: unknown, fallback: CalendarDate): CalendarDate {
  if (value === undefined || value === null) return fallback;
  const date = typeof value === 'string' ? parseCalendarDate(value) : undefined;
  if (date === undefined) throw new InputError('today: must be YYYY-MM-DD');
  return date;
}

/** The wire answer for one `{"id","text","today"?}` object. */
export function nluAnswer(
  nlu: Nlu,
  input: JsonObject,
  fallbackToday: CalendarDate,
): JsonObject {
  const text = readText(input.text);
  const today = readToday(input.today, fallbackToday);
  const result = nlu.understand({ text, today });
  return {
    intent: result.intent,
    confidence: result.confidence,
    slots: result.slots,
    emotion: result.emotion,
    risk_signals: result.risk_signals,
    fraud_signals: result.fraud_signals,
  };
}

type Flags = { jsonl?: boolean; today?: string };

export function registerNluCommand(program: Command): void {
  program
    .command('nlu')
    .description(
      '意图识别：utterance → intent, confidence, slots, emotion, risk and fraud signals',
    )
    .argument('[text]', 'one utterance (otherwise a JSON object on stdin)')
    .option('--jsonl', 'read {"id","text","today"?} lines from stdin')
    .option(
      '--today <date>',
      'YYYY-MM-DD for relative dates (default: today in China)',
    )
    .action(async (text: string | undefined, flags: Flags) => {
      const fallbackToday = readToday(flags.today, todayInChina());
      // Training at start-up needs the corpus; it runs before the first line.
      const { nlu } = loadNlu();
      if (flags.jsonl === true) {
        await runJsonl((input) => nluAnswer(nlu, input, fallbackToday));
        return;
      }
      const input =
        text === undefined ? parseSingleObject(await readStdin()) : { text };
      const output = {
        id: input.id ?? null,
        ...nluAnswer(nlu, input, fallbackToday),
      };
      process.stdout.write(`${JSON.stringify(output)}\n`);
    });
}
