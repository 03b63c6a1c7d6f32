import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { DialogueEngine } from '../../../domain/dialogue/policy/engine.js';
import {
  type CalendarDate,
  parseCalendarDate,
} from '../../../domain/shared/calendar-date.js';
import { CHAT_TURN_CHARS_MAX } from '../../../domain/shared/limits.js';
import { loadConversationParts } from '../../chat/default-parts.js';
import { todayInChina } from '../../clock/today.js';
import { InMemoryDialogueStore } from '../../dialogue/in-memory-store.js';
import { runScenario } from '../../dialogue/run-scenario.js';
import { parseSetup } from '../../dialogue/setup-codec.js';
import {
  InputError,
  type JsonObject,
  parseSingleObject,
  runJsonl,
} from '../jsonl.js';

// `loandesk chat`: the bot. `--script FILE` and `--jsonl` play scenarios
// (spec/contracts.md); without them a person chats on the terminal.

type Flags = {
  script?: string;
  jsonl?: boolean;
  today?: string;
  setup?: string;
};

function readToday(value: string | undefined): CalendarDate {
  if (value === undefined) return todayInChina();
  const date = parseCalendarDate(value);
  if (date === undefined) throw new InputError('--today: must be YYYY-MM-DD');
  return date;
}

function buildEngine(): DialogueEngine {
  return loadConversationParts().engine;
}

function readFileText(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`${flag}: cannot read ${path}`);
  }
}

/** A script file holds one scenario, a JSON list of them, or one per line. */
function scriptScenarios(text: string): JsonObject[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let list: unknown;
    try {
      list = JSON.parse(trimmed);
    } catch {
      throw new InputError('--script: the file is not valid JSON');
    }
    if (!Array.isArray(list))
      throw new InputError('--script: expected a list of scenarios');
    return list.map((item, index) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item))
        throw new InputError(`--script: entry ${index} is not a scenario`);
      return item as JsonObject;
    });
  }
  try {
    return [parseSingleObject(text)];
  } catch {
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => parseSingleObject(line));
  }
}

async function interactive(
  engine: DialogueEngine,
  flags: Flags,
  today: CalendarDate,
): Promise<void> {
  const setup =
    flags.setup === undefined
      ? undefined
      : parseSingleObject(readFileText(flags.setup, '--setup'));
  const store = new InMemoryDialogueStore(
    parseSetup(setup?.setup ?? setup, today),
  );
  const lines = createInterface({ input: process.stdin, terminal: false });
  process.stdout.write('LoanDesk 客服（输入“退出”结束）\n您：');
  for await (const line of lines) {
    const text = line.trim().slice(0, CHAT_TURN_CHARS_MAX);
    if (text === '退出' || text === 'exit') break;
    if (text !== '') {
      const outcome = engine.respond({
        state: store.sessionState('conv_terminal'),
        data: store.customerData(),
        today,
        text,
      });
      store.saveSessionState('conv_terminal', outcome.state);
      process.stdout.write(`客服：${outcome.reply}\n`);
    }
    process.stdout.write('您：');
  }
  process.stdout.write('\n');
}

export function registerChatCommand(program: Command): void {
  program
    .command('chat')
    .description('对话机器人：play chat scenarios, or chat on the terminal')
    .option('--script <file>', 'a scenario JSON file (or one per line)')
    .option('--jsonl', 'read one scenario per line from stdin')
    .option('--today <date>', 'YYYY-MM-DD when a scenario has no "today"')
    .option('--setup <file>', 'interactive: a {"customer","loans",…} file')
    .action(async (flags: Flags) => {
      const today = readToday(flags.today);
      if (flags.script !== undefined) {
        const text = readFileText(flags.script, '--script');
        const scenarios = scriptScenarios(text);
        const engine = buildEngine();
        for (const scenario of scenarios) {
          const output = runScenario(engine, scenario, today);
          process.stdout.write(
            `${JSON.stringify({ id: scenario.id ?? null, ...output })}\n`,
          );
        }
        return;
      }
      const engine = buildEngine();
      if (flags.jsonl === true) {
        await runJsonl((input) => runScenario(engine, input, today));
        return;
      }
      await interactive(engine, flags, today);
    });
}
