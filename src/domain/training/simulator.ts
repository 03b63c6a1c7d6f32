// A simulated customer (模拟客户) for role-play: the trainee writes as an
// agent, the persona answers. The persona understands the trainee with the
// conversation machinery in reverse: each clause of the message is read as an
// agent act (src/domain/training/agent-acts.ts) and the acts drive its state.
// Its anger moves with how it is treated — empathy lowers it, ignoring it,
// acts it dislikes, figures its account does not show or crossing a red line
// raise it, at 100 it hangs up — and it tells a hidden fact only when a
// question asks for it (and not while it is angry and unsoothed).
// Deterministic: the same messages always give the same conversation.

import type { CheckResult, Recipient } from '../compliance/types.js';
import type { QaTurn } from '../qa/score.js';
import { type AgentAct, isAsking } from './agent-acts.js';
import {
  checkFigures,
  type FigureCheck,
  type FigureEvent,
  NO_FIGURES,
  type PersonaLedger,
} from './figures.js';
import type {
  HiddenFact,
  Persona,
  PersonaMood,
  PersonaVariant,
} from './persona.js';
import type { AgentReading } from './read-agent-message.js';

export const ROLE_PLAY_TURNS_MAX = 12;
const ANGER_MAX = 100;
const ANGRY_FROM = 60;
const NEUTRAL_FROM = 30;
// How treatment moves anger (points out of 100).
const ON_BLOCK = 35;
const ON_WARN = 10;
const ON_EMPATHY = -20;
const ON_IGNORED_ANGER = 10;
const ON_DISLIKED = 15;
const ON_WRONG_AMOUNT = 15;
const ON_FACT_HEARD = -5;
const ON_GOAL = -25;

export type RolePlayPorts = {
  /** The compliance engine, with the trainee as an agent. */
  readonly check: (text: string, recipient: Recipient) => CheckResult;
  /** The trainee's message read clause by clause as agent acts. */
  readonly read: (text: string) => AgentReading;
  /** What the persona's accounts show, to check the trainee's figures. */
  readonly ledger: PersonaLedger;
};

export type RolePlayEnd = 'open' | 'closed' | 'hung_up' | 'timed_out';

export type RolePlayState = {
  readonly anger: number;
  /** The customer has given their verification details. */
  readonly verificationGiven: boolean;
  readonly revealed: readonly string[];
  /** The persona's goal acts the trainee has done so far. */
  readonly actsDone: readonly AgentAct[];
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
  | { readonly type: 'disliked'; readonly act: AgentAct }
  | { readonly type: 'verification_given' }
  | { readonly type: 'revealed'; readonly fact: string }
  | { readonly type: 'withheld'; readonly fact: string }
  | FigureEvent
  | { readonly type: 'goal_met' }
  | { readonly type: Exclude<RolePlayEnd, 'open'> };

export type RolePlayTurn = {
  readonly agent: string;
  readonly customer: string;
  readonly anger: number;
  /** The distinct agent acts the persona read in the message. */
  readonly acts: readonly AgentAct[];
  readonly events: readonly RolePlayEvent[];
  readonly check: CheckResult;
};

export type RolePlayStep = {
  readonly state: RolePlayState;
  readonly turn: RolePlayTurn;
};

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
    actsDone: [],
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

function violationEvents(check: CheckResult): RolePlayEvent[] {
  return check.violations.map((violation) => ({
    type: 'violation',
    rule: violation.rule,
    category: violation.category,
    severity: violation.severity,
  }));
}

// How the treatment of this message moves anger: red lines and warnings,
// empathy (never around a red line: 放心，包过的) or its absence, disliked acts.
function treatment(
  persona: Persona,
  state: RolePlayState,
  check: CheckResult,
  acts: readonly AgentAct[],
  events: RolePlayEvent[],
): { delta: number; soothed: boolean } {
  const blocked = check.verdict === 'block';
  let delta = blocked ? ON_BLOCK : check.verdict === 'warn' ? ON_WARN : 0;
  const soothed = acts.includes('empathise') && !blocked;
  if (soothed) {
    delta += ON_EMPATHY;
    events.push({ type: 'empathy' });
  } else if (state.anger >= ANGRY_FROM) {
    delta += ON_IGNORED_ANGER;
    events.push({ type: 'ignored_emotion' });
  }
  for (const act of persona.dislikes)
    if (acts.includes(act)) {
      delta += ON_DISLIKED;
      events.push({ type: 'disliked', act });
    }
  return { delta, soothed };
}

// The hidden facts the message asks for: an asking act put as a question
// draws out the first untold fact it fits. An angry, unsoothed customer
// answers nothing.
function factsAsked(
  persona: Persona,
  told: readonly string[],
  reading: AgentReading,
  withholding: boolean,
  events: RolePlayEvent[],
): HiddenFact[] {
  const facts: HiddenFact[] = [];
  const known = [...told];
  for (const clause of reading.clauses) {
    if (!clause.asks || !isAsking(clause.act)) continue;
    const fact = persona.hiddenFacts.find(
      (candidate) =>
        !known.includes(candidate.id) && candidate.askedBy.includes(clause.act),
    );
    if (fact === undefined) continue;
    if (withholding) {
      events.push({ type: 'withheld', fact: fact.id });
      break;
    }
    known.push(fact.id);
    facts.push(fact);
    events.push({ type: 'revealed', fact: fact.id });
  }
  return facts;
}

// The persona's goal acts done so far; an explained amount counts only when
// the account agrees with every figure of the message.
function goalActsDone(
  persona: Persona,
  state: RolePlayState,
  acts: readonly AgentAct[],
  figures: FigureCheck,
): AgentAct[] {
  // Sessions stored before goal acts existed have no `actsDone`.
  const done = [...(state.actsDone ?? [])];
  for (const act of persona.goalActs) {
    if (done.includes(act) || !acts.includes(act)) continue;
    if (
      act === 'explain_amount' &&
      (!figures.amountConfirmed || figures.disputed)
    )
      continue;
    done.push(act);
  }
  return done;
}

// Asked for their details, a customer who expects verification gives them.
function givesDetails(
  persona: Persona,
  state: RolePlayState,
  acts: readonly AgentAct[],
): boolean {
  return (
    persona.needsVerification &&
    !state.verificationGiven &&
    acts.includes('ask_verification')
  );
}

// This message completes the goal: enough of the persona's goal acts done.
function reachesGoal(
  persona: Persona,
  state: RolePlayState,
  actsDone: readonly AgentAct[],
): boolean {
  return !state.goalMet && actsDone.length >= persona.goalNeeded;
}

// How the turn ends, and the lines that replace or close the reply.
function ending(turn: {
  anger: number;
  blocked: boolean;
  closing: boolean;
  goalMet: boolean;
  traineeTurns: number;
}): { end: RolePlayEnd; mood?: PersonaMood; replace: boolean } {
  const { anger, blocked, closing, goalMet, traineeTurns } = turn;
  if (anger >= ANGER_MAX)
    return { end: 'hung_up', mood: 'hang_up', replace: true };
  if (blocked) return { end: 'open', mood: 'offended', replace: true };
  if (closing && (goalMet || anger < ANGRY_FROM))
    return { end: 'closed', mood: 'bye', replace: false };
  if (traineeTurns >= ROLE_PLAY_TURNS_MAX)
    return { end: 'timed_out', mood: 'bye', replace: false };
  return { end: 'open', replace: false };
}

/**
 * The trainee says `text`; the persona answers.
 * @example traineeSays(persona, variant, startRolePlay(persona), '您好，请问有什么可以帮您？', ports)
 */
export function traineeSays(
  persona: Persona,
  variant: PersonaVariant,
  state: RolePlayState,
  text: string,
  ports: RolePlayPorts,
): RolePlayStep {
  const check = ports.check(text, recipientOf(persona, state));
  const reading = ports.read(text);
  const { acts } = reading;
  const blocked = check.verdict === 'block';
  const events = violationEvents(check);
  const parts: string[] = [];
  const say = (mood: PersonaMood) =>
    parts.push(line(persona, variant, mood, state.traineeTurns));
  const treated = treatment(persona, state, check, acts, events);
  let anger = state.anger + treated.delta;
  const verifying = givesDetails(persona, state, acts);
  if (verifying) {
    say('verify');
    events.push({ type: 'verification_given' });
  }
  const figures = blocked ? NO_FIGURES : checkFigures(reading, ports.ledger);
  events.push(...figures.events);
  if (figures.disputed) {
    anger += ON_WRONG_AMOUNT;
    say('doubt');
  }
  const withholding = anger >= ANGRY_FROM && !treated.soothed;
  const told = blocked
    ? []
    : factsAsked(persona, state.revealed, reading, withholding, events);
  for (const fact of told) {
    parts.push(fact.text);
    anger += ON_FACT_HEARD;
  }
  const actsDone = goalActsDone(persona, state, acts, figures);
  const goalReached = !blocked && reachesGoal(persona, state, actsDone);
  if (goalReached) {
    anger += ON_GOAL;
    say('satisfied');
    events.push({ type: 'goal_met' });
  }
  anger = clampAnger(anger);
  const goalMet = state.goalMet || goalReached;
  const traineeTurns = state.traineeTurns + 1;
  const { end, mood, replace } = ending({
    anger,
    blocked,
    closing: acts.includes('close'),
    goalMet,
    traineeTurns,
  });
  if (end !== 'open') events.push({ type: end });
  if (replace) parts.splice(0, parts.length);
  if (mood !== undefined) say(mood);
  if (parts.length === 0) say(moodOf(anger));
  return {
    state: {
      anger,
      verificationGiven: state.verificationGiven || verifying,
      revealed: [...state.revealed, ...told.map((fact) => fact.id)],
      actsDone,
      goalMet,
      traineeTurns,
      end,
    },
    turn: { agent: text, customer: parts.join(''), anger, acts, events, check },
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
