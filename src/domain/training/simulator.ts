// A simulated customer (模拟客户) for role-play: the trainee writes as an
// agent, the persona answers. Its anger moves with how it is treated —
// soothing lowers it, ignoring it or crossing a red line raises it, at 100 it
// hangs up — and it tells a hidden fact only when a question asks for it.
// Deterministic: the same messages always give the same conversation.

import type { CheckResult, Recipient } from '../compliance/types.js';
import type { QaTurn } from '../qa/score.js';
import type { Persona, PersonaMood, PersonaVariant } from './persona.js';

export const ROLE_PLAY_TURNS_MAX = 12;
const ANGER_MAX = 100;
const ANGRY_FROM = 60;
const NEUTRAL_FROM = 30;
// How treatment moves anger (points out of 100).
const ON_BLOCK = 35;
const ON_WARN = 10;
const ON_EMPATHY = -20;
const ON_IGNORED_ANGER = 10;
const ON_FACT_HEARD = -5;
const ON_GOAL = -25;

export type RolePlayCues = {
  readonly empathy: readonly string[];
  readonly closing: readonly string[];
  readonly verificationAsk: readonly string[];
  readonly question: readonly string[];
};

export type RolePlayPorts = {
  /** The compliance engine, with the trainee as an agent. */
  check: (text: string, recipient: Recipient) => CheckResult;
};

export type RolePlayEnd = 'open' | 'closed' | 'hung_up' | 'timed_out';

export type RolePlayState = {
  readonly anger: number;
  /** The customer has given their verification details. */
  readonly verificationGiven: boolean;
  readonly revealed: readonly string[];
  readonly termsUsed: readonly string[];
  readonly goalMet: boolean;
  readonly traineeTurns: number;
  readonly end: RolePlayEnd;
};

export type RolePlayEvent =
  | {
      readonly type: 'violation';
      readonly rule: string;
      readonly category: string;
      readonly severity: 'block' | 'warn';
    }
  | { readonly type: 'empathy' }
  | { readonly type: 'ignored_emotion' }
  | { readonly type: 'verification_given' }
  | { readonly type: 'revealed'; readonly fact: string }
  | { readonly type: 'goal_met' }
  | { readonly type: 'closed' }
  | { readonly type: 'hung_up' }
  | { readonly type: 'timed_out' };

export type RolePlayTurn = {
  readonly agent: string;
  readonly customer: string;
  readonly anger: number;
  readonly events: readonly RolePlayEvent[];
  readonly check: CheckResult;
};

export type RolePlayStep = {
  readonly state: RolePlayState;
  readonly turn: RolePlayTurn;
};

function includesAny(
  text: string,
  words: readonly string[],
): string | undefined {
  return words.find((word) => text.includes(word));
}

function clampAnger(value: number): number {
  return Math.max(0, Math.min(ANGER_MAX, value));
}

function moodOf(anger: number): PersonaMood {
  if (anger >= ANGRY_FROM) return 'angry';
  if (anger >= NEUTRAL_FROM) return 'neutral';
  return 'calm';
}

function line(
  persona: Persona,
  variant: PersonaVariant,
  mood: PersonaMood,
  turn: number,
): string {
  const lines = persona.lines[mood];
  const text = lines[turn % lines.length] ?? '';
  return text
    .replaceAll('{full_name}', variant.fullName)
    .replaceAll('{phone}', variant.phone)
    .replaceAll('{name}', variant.honorific);
}

/** The conversation before the trainee's first word. */
export function startRolePlay(persona: Persona): RolePlayState {
  return {
    anger: persona.anger,
    verificationGiven: false,
    revealed: [],
    termsUsed: [],
    goalMet: false,
    traineeTurns: 0,
    end: 'open',
  };
}

/** Who the trainee is talking to, for the compliance engine. */
export function recipientOf(persona: Persona, state: RolePlayState): Recipient {
  if (persona.thirdParty) return 'third_party';
  return state.verificationGiven || !persona.needsVerification
    ? 'customer'
    : 'unverified';
}

/**
 * The trainee says `text`; the persona answers.
 * @example traineeSays(persona, variant, startRolePlay(persona), '您好，请问有什么可以帮您？', ports, cues)
 */
export function traineeSays(
  persona: Persona,
  variant: PersonaVariant,
  state: RolePlayState,
  text: string,
  ports: RolePlayPorts,
  cues: RolePlayCues,
): RolePlayStep {
  const events: RolePlayEvent[] = [];
  const check = ports.check(text, recipientOf(persona, state));
  const turnIndex = state.traineeTurns;
  let anger = state.anger;
  let end: RolePlayEnd = 'open';
  const parts: string[] = [];
  for (const violation of check.violations)
    events.push({
      type: 'violation',
      rule: violation.rule,
      category: violation.category,
      severity: violation.severity,
    });
  if (check.verdict === 'block') anger += ON_BLOCK;
  else if (check.verdict === 'warn') anger += ON_WARN;
  const soothed = includesAny(text, cues.empathy) !== undefined;
  if (soothed) {
    anger += ON_EMPATHY;
    events.push({ type: 'empathy' });
  } else if (state.anger >= ANGRY_FROM) {
    anger += ON_IGNORED_ANGER;
    events.push({ type: 'ignored_emotion' });
  }
  let verificationGiven = state.verificationGiven;
  if (
    persona.needsVerification &&
    !verificationGiven &&
    includesAny(text, cues.verificationAsk) !== undefined
  ) {
    verificationGiven = true;
    parts.push(line(persona, variant, 'verify', turnIndex));
    events.push({ type: 'verification_given' });
  }
  const revealed = [...state.revealed];
  const asks = includesAny(text, cues.question) !== undefined;
  if (asks && check.verdict !== 'block') {
    const fact = persona.hiddenFacts.find(
      (candidate) =>
        !revealed.includes(candidate.id) &&
        includesAny(text, candidate.triggers) !== undefined,
    );
    if (fact !== undefined) {
      revealed.push(fact.id);
      parts.push(fact.text);
      anger += ON_FACT_HEARD;
      events.push({ type: 'revealed', fact: fact.id });
    }
  }
  const termsUsed = [...state.termsUsed];
  for (const term of persona.solutionTerms)
    if (text.includes(term) && !termsUsed.includes(term)) termsUsed.push(term);
  let goalMet = state.goalMet;
  if (
    !goalMet &&
    check.verdict !== 'block' &&
    termsUsed.length >= persona.solutionNeeded
  ) {
    goalMet = true;
    anger += ON_GOAL;
    parts.push(line(persona, variant, 'satisfied', turnIndex));
    events.push({ type: 'goal_met' });
  }
  anger = clampAnger(anger);
  const traineeTurns = turnIndex + 1;
  if (anger >= ANGER_MAX) {
    end = 'hung_up';
    events.push({ type: 'hung_up' });
    parts.splice(0, parts.length, line(persona, variant, 'hang_up', turnIndex));
  } else if (check.verdict === 'block') {
    parts.splice(
      0,
      parts.length,
      line(persona, variant, 'offended', turnIndex),
    );
  } else if (
    includesAny(text, cues.closing) !== undefined &&
    (goalMet || anger < ANGRY_FROM)
  ) {
    end = 'closed';
    events.push({ type: 'closed' });
    parts.push(line(persona, variant, 'bye', turnIndex));
  } else if (traineeTurns >= ROLE_PLAY_TURNS_MAX) {
    end = 'timed_out';
    events.push({ type: 'timed_out' });
    parts.push(line(persona, variant, 'bye', turnIndex));
  }
  if (parts.length === 0)
    parts.push(line(persona, variant, moodOf(anger), turnIndex));
  return {
    state: {
      anger,
      verificationGiven,
      revealed,
      termsUsed,
      goalMet,
      traineeTurns,
      end,
    },
    turn: { agent: text, customer: parts.join(''), anger, events, check },
  };
}

/**
 * The role-play as a transcript the QA rubric scores: each trainee message
 * answers the customer message before it. The trainee's first message after
 * the customer gave their details carries a `verified` action: the agent has
 * the record on screen and confirms it.
 */
export function rolePlayTranscript(
  opening: string,
  turns: readonly RolePlayTurn[],
): QaTurn[] {
  const transcript: QaTurn[] = [];
  let customer = opening;
  let verifyNext = false;
  for (const turn of turns) {
    transcript.push({
      user: customer,
      reply: turn.agent,
      speaker: 'agent',
      actions: verifyNext ? [{ type: 'verified' }] : [],
    });
    verifyNext = turn.events.some(
      (event) => event.type === 'verification_given',
    );
    customer = turn.customer;
  }
  return transcript;
}

export type RolePlayOutcome = {
  /** 0–100: the rubric score weighted 70, facts drawn out 15, goal met 15; 0 on a red line. */
  readonly score: number;
  readonly qaScore: number;
  readonly hardFail: boolean;
  readonly factsRevealed: number;
  readonly factsTotal: number;
  readonly goalMet: boolean;
  readonly finalAnger: number;
  readonly end: RolePlayEnd;
};

export function rolePlayOutcome(
  persona: Persona,
  state: RolePlayState,
  qa: { readonly score: number; readonly hardFail: boolean },
): RolePlayOutcome {
  const factsTotal = persona.hiddenFacts.length;
  const discovery =
    factsTotal === 0
      ? 15
      : Math.floor((15 * state.revealed.length) / factsTotal);
  const weighted =
    Math.floor((qa.score * 70) / 100) + discovery + (state.goalMet ? 15 : 0);
  return {
    score: qa.hardFail || state.end === 'hung_up' ? 0 : weighted,
    qaScore: qa.score,
    hardFail: qa.hardFail,
    factsRevealed: state.revealed.length,
    factsTotal,
    goalMet: state.goalMet,
    finalAnger: state.anger,
    end: state.end,
  };
}
