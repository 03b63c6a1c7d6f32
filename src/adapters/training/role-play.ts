import type { Product } from '../../domain/catalogue/product.js';
import type { ComplianceEngine } from '../../domain/compliance/engine.js';
import type { Nlu } from '../../domain/dialogue/nlu/nlu.js';
import type { Rubric } from '../../domain/qa/rubric.js';
import { type QaScore, scoreTranscript } from '../../domain/qa/score.js';
import type { CalendarDate } from '../../domain/shared/calendar-date.js';
import type { AgentActModel } from '../../domain/training/agent-acts.js';
import type { Persona, PersonaVariant } from '../../domain/training/persona.js';
import { readAgentMessage } from '../../domain/training/read-agent-message.js';
import {
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
import { personaLedger } from './persona-ledger.js';

// Runs role-play sessions: the persona's replies, live compliance warnings
// for the trainee, and at the end the rubric score with evidence, the
// persona outcome and the model answer.

export type TrainingDependencies = {
  readonly personas: readonly Persona[];
  /** The agent-act classifier the personas read the trainee with. */
  readonly agentActs: AgentActModel;
  readonly rubric: Rubric;
  readonly compliance: ComplianceEngine;
  readonly nlu: Nlu;
  readonly catalogue: readonly Product[];
};

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
  today: CalendarDate,
): RolePlayStep {
  return traineeSays(persona, variant, state, text, {
    check: (message, recipient) =>
      deps.compliance.check({ text: message, role: 'agent', recipient }),
    read: (message) => readAgentMessage(deps.agentActs, message, today),
    ledger: personaLedger(variant, deps.catalogue, today),
  });
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
    const next = step(deps, persona, variant, state, message, today);
    state = next.state;
    turns.push(next.turn);
  }
  return {
    turns,
    state,
    report: assessRolePlay(deps, persona, variant, state, turns, today),
  };
}
