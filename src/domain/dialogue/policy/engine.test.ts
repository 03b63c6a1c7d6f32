// Proves the compliance gate: the engine sends a draft that passes, and when
// the compliance engine blocks a draft it sends the safe wording instead,
// records the blocked draft and hands off. The NLU and the compliance engine
// are stand-ins here; the real ones run in test/cli/chat.test.ts.
import { describe, expect, it } from 'vitest';
import type { ComplianceEngine } from '../../compliance/engine.js';
import type { CheckInput } from '../../compliance/types.js';
import { calendarDate } from '../../shared/calendar-date.js';
import type { Nlu } from '../nlu/nlu.js';
import { TEMPLATES } from '../replies/templates.js';
import { createDialogueEngine } from './engine.js';
import { initialDialogueState } from './state.js';

const nlu: Nlu = {
  understand: ({ text }) => ({
    intent: 'greeting',
    confidence: 0.99,
    slots: {},
    emotion: 'neutral',
    risk_signals: [],
    fraud_signals: [],
    normalized: text,
  }),
};

function complianceBlocking(blocks: (text: string) => boolean) {
  const seen: CheckInput[] = [];
  const engine: ComplianceEngine = {
    version: 'test',
    check: (input) => {
      seen.push(input);
      if (!blocks(input.text)) return { verdict: 'pass', violations: [] };
      return {
        verdict: 'block',
        violations: [
          {
            rule: 'test.rule',
            category: 'promise_approval',
            span: [0, 1],
            message: 'blocked',
            basis: 'test',
            severity: 'block',
            suggestion: '',
          },
        ],
      };
    },
  };
  return { engine, seen };
}

const request = {
  state: initialDialogueState(),
  data: { customer: undefined, loans: [], applications: [] },
  today: calendarDate('2026-11-20'),
  text: '你好',
};

describe('createDialogueEngine', () => {
  it('sends a passing draft and checks it as a bot message to an unverified person', () => {
    const compliance = complianceBlocking(() => false);
    const engine = createDialogueEngine({
      nlu,
      compliance: compliance.engine,
      catalogue: [],
    });
    const outcome = engine.respond(request);
    expect(
      (TEMPLATES.greeting as readonly string[]).includes(outcome.reply),
    ).toBe(true);
    expect(compliance.seen[0]).toMatchObject({
      role: 'bot',
      recipient: 'unverified',
    });
    expect(outcome.blockedDraft).toBeUndefined();
    expect(outcome.state.turns).toBe(1);
  });

  it('never sends a blocked draft: the safe wording goes out with a hand-off', () => {
    const fallback = TEMPLATES.safe_fallback[0];
    const compliance = complianceBlocking((text) => text !== fallback);
    const engine = createDialogueEngine({
      nlu,
      compliance: compliance.engine,
      catalogue: [],
    });
    const outcome = engine.respond(request);
    expect(outcome.reply).toBe(fallback);
    expect(outcome.blockedDraft?.result.verdict).toBe('block');
    expect(outcome.compliance.verdict).toBe('pass');
    expect(outcome.actions).toContainEqual({
      type: 'handoff',
      reason: 'compliance_block',
    });
  });
});
