// One chat scenario (spec/contracts.md, `loandesk chat`): load the setup
// into a fresh in-memory store, play the turns through the engine, and
// answer in the contract's output form.
import type { DialogueEngine } from '../../domain/dialogue/policy/engine.js';
import type { TurnOutcome } from '../../domain/dialogue/policy/types.js';
import {
  type CalendarDate,
  parseCalendarDate,
} from '../../domain/shared/calendar-date.js';
import { CHAT_TURN_CHARS_MAX } from '../../domain/shared/limits.js';
import { InputError, type JsonObject } from '../wire/input-error.js';
import { InMemoryDialogueStore } from './in-memory-store.js';
import { parseSetup } from './setup-codec.js';

/** Turns per scenario; bounds the work one JSONL line can ask for. */
export const SCENARIO_TURNS_MAX = 200;

function readToday(value: unknown, fallback: CalendarDate): CalendarDate {
  if (value === undefined || value === null) return fallback;
  const date = typeof value === 'string' ? parseCalendarDate(value) : undefined;
  if (date === undefined) throw new InputError('today: must be YYYY-MM-DD');
  return date;
}

function readTurns(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new InputError('turns: must be a non-empty list of {"user": "…"}');
  if (value.length > SCENARIO_TURNS_MAX)
    throw new InputError(`turns: at most ${SCENARIO_TURNS_MAX}`);
  return value.map((turn, index) => {
    const user = (turn as { user?: unknown } | null)?.user;
    if (typeof user !== 'string' || user.trim() === '')
      throw new InputError(`turns[${index}].user: must be a non-empty string`);
    if (user.length > CHAT_TURN_CHARS_MAX)
      throw new InputError(
        `turns[${index}].user: longer than ${CHAT_TURN_CHARS_MAX} characters`,
      );
    return user;
  });
}

/** The wire form of one turn; extra fields beyond the contract are allowed. */
export function turnOutput(user: string, outcome: TurnOutcome): JsonObject {
  return {
    user,
    bot: outcome.reply,
    intent: outcome.intent,
    confidence: outcome.confidence,
    actions: outcome.actions,
    compliance: {
      verdict: outcome.compliance.verdict,
      violations: outcome.compliance.violations.map((v) => ({
        rule: v.rule,
        category: v.category,
        span: v.span,
        message: v.message,
        basis: v.basis,
      })),
    },
    ...(outcome.blockedDraft === undefined
      ? {}
      : {
          blocked_draft: {
            verdict: outcome.blockedDraft.result.verdict,
            rules: outcome.blockedDraft.result.violations.map((v) => v.rule),
          },
        }),
  };
}

/** Plays one scenario object; throws InputError for a bad one. */
export function runScenario(
  engine: DialogueEngine,
  scenario: JsonObject,
  fallbackToday: CalendarDate,
): JsonObject {
  const today = readToday(scenario.today, fallbackToday);
  const turns = readTurns(scenario.turns);
  const store = new InMemoryDialogueStore(parseSetup(scenario.setup, today));
  const sessionId = 'conv_scenario';
  const output: JsonObject[] = [];
  for (const user of turns) {
    const outcome = engine.respond({
      state: store.sessionState(sessionId),
      data: store.customerData(),
      today,
      text: user,
    });
    store.saveSessionState(sessionId, outcome.state);
    output.push(turnOutput(user, outcome));
  }
  return { turns: output };
}
