import type { Product } from '../../domain/catalogue/product.js';
import type { ComplianceEngine } from '../../domain/compliance/engine.js';
import type { Nlu } from '../../domain/dialogue/nlu/nlu.js';
import type { Rubric } from '../../domain/qa/rubric.js';
import { type QaScore, scoreTranscript } from '../../domain/qa/score.js';
import type { CalendarDate } from '../../domain/shared/calendar-date.js';
import type { Persona, PersonaVariant } from '../../domain/training/persona.js';
import {
  type RolePlayCues,
  type RolePlayOutcome,
  type RolePlayState,
  type RolePlayStep,
  type RolePlayTurn,
  rolePlayOutcome,
  rolePlayTranscript,
  startRolePlay,
  traineeSays,
} from '../../domain/training/simulator.js';
import { parseSetup } from '../dialogue/setup-codec.js';
import { ledgerTruth, statedNeeds } from '../qa/score-jsonl.js';

// Runs role-play sessions: the persona's replies, live compliance warnings
// for the trainee, and at the end the rubric score with evidence, the
// persona outcome and the model answer.

export type TrainingDependencies = {
  readonly personas: readonly Persona[];
  readonly rubric: Rubric;
  readonly compliance: ComplianceEngine;
  readonly nlu: Nlu;
  readonly catalogue: readonly Product[];
};

export const VERIFICATION_ASK = [
  '核实',
  '验证身份',
  '确认身份',
  '确认一下您的身份',
  '姓名',
  '手机号',
  '身份证',
];
export const QUESTION_CUES = [
  '？',
  '?',
  '请问',
  '吗',
  '呢',
  '能否',
  '方便',
  '是否',
  '多少',
  '什么',
  '怎么',
  '哪',
];

export function cuesOf(rubric: Rubric): RolePlayCues {
  return {
    empathy: rubric.phrases.empathy,
    closing: rubric.phrases.closing,
    verificationAsk: VERIFICATION_ASK,
    question: QUESTION_CUES,
  };
}

export class TrainingInputError extends Error {
  override readonly name = 'TrainingInputError';
}

export function findPersona(
  deps: Pick<TrainingDependencies, 'personas'>,
  personaId: string,
  variantId: string | undefined,
): { persona: Persona; variant: PersonaVariant } {
  const persona = deps.personas.find((p) => p.id === personaId);
  if (persona === undefined)
    throw new TrainingInputError(`persona: unknown persona ${personaId}`);
  const variant =
    variantId === undefined
      ? persona.variants[0]
      : persona.variants.find((v) => v.id === variantId);
  if (variant === undefined)
    throw new TrainingInputError(
      `variant: persona ${personaId} has no variant ${variantId}`,
    );
  return { persona, variant };
}

export function step(
  deps: TrainingDependencies,
  persona: Persona,
  variant: PersonaVariant,
  state: RolePlayState,
  text: string,
): RolePlayStep {
  return traineeSays(
    persona,
    variant,
    state,
    text,
    {
      check: (message, recipient) =>
        deps.compliance.check({ text: message, role: 'agent', recipient }),
    },
    cuesOf(deps.rubric),
  );
}

export type RolePlayReport = {
  readonly outcome: RolePlayOutcome;
  readonly qa: QaScore;
};

/** Scores a finished (or abandoned) role-play. */
export function assessRolePlay(
  deps: TrainingDependencies,
  persona: Persona,
  variant: PersonaVariant,
  state: RolePlayState,
  turns: readonly RolePlayTurn[],
  today: CalendarDate,
): RolePlayReport {
  const transcript = rolePlayTranscript(variant.opening, turns);
  const ledger =
    variant.setup === null || variant.setup === undefined
      ? undefined
      : ledgerTruth(
          parseSetup(variant.setup, today),
          deps.catalogue,
          today,
          statedNeeds(transcript, deps.nlu, today),
        );
  const qa = scoreTranscript({
    turns: transcript,
    rubric: deps.rubric,
    ports: {
      understand: (message) => {
        const reading = deps.nlu.understand({ text: message, today });
        return {
          intent: reading.intent,
          emotion: reading.emotion,
          fraudSignals: reading.fraud_signals,
        };
      },
      check: (message, role, recipient, factsFen) =>
        deps.compliance.check({
          text: message,
          role,
          recipient: persona.thirdParty ? 'third_party' : recipient,
          ...(factsFen === undefined
            ? {}
            : { facts: { amountsFen: factsFen } }),
        }),
    },
    ledger,
  });
  return { outcome: rolePlayOutcome(persona, state, qa), qa };
}

/** Plays a whole session from the trainee's messages (for scripts and tests). */
export function playRolePlay(
  deps: TrainingDependencies,
  persona: Persona,
  variant: PersonaVariant,
  messages: readonly string[],
  today: CalendarDate,
): { turns: RolePlayTurn[]; state: RolePlayState; report: RolePlayReport } {
  let state = startRolePlay(persona);
  const turns: RolePlayTurn[] = [];
  for (const message of messages) {
    if (state.end !== 'open') break;
    const next = step(deps, persona, variant, state, message);
    state = next.state;
    turns.push(next.turn);
  }
  return {
    turns,
    state,
    report: assessRolePlay(deps, persona, variant, state, turns, today),
  };
}
