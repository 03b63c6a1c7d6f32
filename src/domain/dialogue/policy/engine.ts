// The dialogue engine: NLU → policy → compliance gate. Every reply passes
// the compliance engine before it is sent; a blocked draft is never sent and
// a safe wording with a hand-off goes out instead (regulations.md: the
// compliance gate checks every outbound message of the bot).
import type { Product } from '../../catalogue/product.js';
import type { ComplianceEngine } from '../../compliance/engine.js';
import type { CheckResult } from '../../compliance/types.js';
import { assert } from '../../shared/assert.js';
import type { CalendarDate } from '../../shared/calendar-date.js';
import { CHAT_TURN_CHARS_MAX } from '../../shared/limits.js';
import type { Nlu } from '../nlu/nlu.js';
import { renderReply } from '../replies/render.js';
import { decideTurn } from './decide-turn.js';
import { replyText } from './turn-builder.js';
import type {
  Action,
  CustomerData,
  DialogueState,
  KnowledgeBase,
  TurnOutcome,
} from './types.js';

export type DialogueEngineParts = {
  readonly nlu: Nlu;
  readonly compliance: ComplianceEngine;
  readonly catalogue: readonly Product[];
  /** FAQ retrieval; without it the bot answers general questions itself. */
  readonly knowledge?: KnowledgeBase;
};

export type TurnRequest = {
  readonly state: DialogueState;
  readonly data: CustomerData;
  readonly today: CalendarDate;
  readonly text: string;
};

export type DialogueEngine = {
  respond: (request: TurnRequest) => TurnOutcome;
};

function gate(
  compliance: ComplianceEngine,
  draft: string,
  verified: boolean,
  amountsFen: readonly bigint[],
): { reply: string; result: CheckResult; blocked?: CheckResult } {
  const recipient = verified ? 'customer' : 'unverified';
  const facts = { amountsFen };
  const result = compliance.check({
    text: draft,
    role: 'bot',
    recipient,
    facts,
  });
  if (result.verdict !== 'block') return { reply: draft, result };
  const fallback = renderReply('safe_fallback', {}, 0);
  const fallbackResult = compliance.check({
    text: fallback,
    role: 'bot',
    recipient,
    facts,
  });
  // The fallback is our own fixed wording: if the pack blocks it, the pack
  // and the templates disagree, which is a bug, not a customer's input.
  assert(fallbackResult.verdict !== 'block', 'dialogue: safe fallback blocked');
  return { reply: fallback, result: fallbackResult, blocked: result };
}

/**
 * Builds the engine. `respond` is a pure function of the session state, the
 * customer's records, today and the utterance; the caller stores the state.
 *
 * @example
 * const engine = createDialogueEngine({ nlu, compliance, catalogue });
 * const turn = engine.respond({ state: initialDialogueState(), data, today, text: '你好' });
 * // turn.reply: '您好，这里是LoanDesk贷款在线客服……', turn.actions: []
 */
export function createDialogueEngine(
  parts: DialogueEngineParts,
): DialogueEngine {
  return {
    respond(request) {
      assert(
        request.text.length <= CHAT_TURN_CHARS_MAX,
        'respond: text too long',
      );
      const understanding = parts.nlu.understand({
        text: request.text,
        today: request.today,
      });
      const decision = decideTurn({
        state: request.state,
        understanding,
        data: request.data,
        today: request.today,
        catalogue: parts.catalogue,
        knowledge: parts.knowledge,
      });
      const turn = decision.turn;
      const gated = gate(
        parts.compliance,
        replyText(turn),
        decision.state.verified,
        turn.amountsFen,
      );
      const actions: Action[] = [...turn.actions];
      let state = decision.state;
      if (
        gated.blocked !== undefined &&
        !actions.some((a) => a.type === 'handoff')
      ) {
        actions.push({ type: 'handoff', reason: 'compliance_block' });
        state = { ...state, handedOff: true };
      }
      return {
        state,
        reply: gated.reply,
        intent: understanding.intent,
        confidence: understanding.confidence,
        actions,
        compliance: gated.result,
        ...(gated.blocked === undefined
          ? {}
          : { blockedDraft: { text: replyText(turn), result: gated.blocked } }),
      };
    },
  };
}
