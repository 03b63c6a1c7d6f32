// A simulated customer (模拟客户) for role-play: the trainee writes as an
// agent, the persona answers. The persona understands the trainee with the
// conversation machinery in reverse: each clause of the message is read as an
// agent act (src/domain/training/agent-acts.ts) and the acts drive its state.
// Its anger moves with how it is treated — empathy lowers it, ignoring it,
// acts it dislikes, amounts its account does not show or crossing a red line
// raise it, at 100 it hangs up — and it tells a hidden fact only when a
// question asks for it (and not while it is angry and unsoothed).
// Deterministic: the same messages always give the same conversation.

import { formatFen } from '../../contracts/money.js';
import { isGrounded } from '../compliance/amounts.js';
import type { CheckResult, Recipient } from '../compliance/types.js';
import type { QaTurn } from '../qa/score.js';
import type { CalendarDate } from '../shared/calendar-date.js';
import {
  type AgentAct,
  type AgentReading,
  isAsking,
  type StatedRate,
} from './agent-acts.js';
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
const ON_DISLIKED = 15;
const ON_WRONG_AMOUNT = 15;
const ON_FACT_HEARD = -5;
const ON_GOAL = -25;

export type RolePlayPorts = {
  /** The compliance engine, with the trainee as an agent. */
  readonly check: (text: string, recipient: Recipient) => CheckResult;
  /** The trainee's message read clause by clause as agent acts. */
  readonly read: (text: string) => AgentReading;
  /**
   * Every amount the persona's accounts show, in fen, as the loan engine
   * computes them (installments, balance, payoff, overdue, plans); empty
   * when the persona has no account.
   */
  readonly ledgerFen: readonly bigint[];
  /** Every date the persona's accounts show: due dates, submission dates. */
  readonly ledgerDates: readonly CalendarDate[];
  /** The annual rates the customer can check a quoted rate against. */
  readonly rates: RateTruth;
};

/** Annual rates in millionths: the persona's loans, and the products' ranges. */
export type RateTruth = {
  /** Contract rate and APR of each of the persona's loans. */
  readonly loansMicros: readonly bigint[];
  /** [min, max] of each product of the catalogue. */
  readonly rangesMicros: readonly (readonly [bigint, bigint])[];
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
  | { readonly type: 'amount_confirmed'; readonly amount: string }
  | { readonly type: 'amount_disputed'; readonly amount: string }
  | { readonly type: 'rate_confirmed'; readonly rate: string }
  | { readonly type: 'date_confirmed'; readonly date: string }
  | { readonly type: 'date_disputed'; readonly date: string }
  | { readonly type: 'rate_disputed'; readonly rate: string }
  | { readonly type: 'goal_met' }
  | { readonly type: 'closed' }
  | { readonly type: 'hung_up' }
  | { readonly type: 'timed_out' };

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

type Amounts = { confirmed: boolean; disputed: boolean };

// The customer compares each amount the trainee explains with what their
// account shows (within the rounding the trainee wrote: 3万 is ±5000 元).
function checkAmounts(
  reading: AgentReading,
  ledgerFen: readonly bigint[],
  events: RolePlayEvent[],
): Amounts {
  const result = { confirmed: false, disputed: false };
  if (ledgerFen.length === 0) return result;
  for (const amount of reading.amountsFen) {
    const shown = formatFen(amount.fen);
    if (isGrounded(amount, ledgerFen)) {
      result.confirmed = true;
      events.push({ type: 'amount_confirmed', amount: shown });
    } else {
      result.disputed = true;
      events.push({ type: 'amount_disputed', amount: shown });
    }
  }
  return result;
}

// What a rate of each period is multiplied by to make it annual.
const TO_ANNUAL: Readonly<Record<StatedRate['period'], readonly bigint[]>> = {
  annual: [1n],
  monthly: [12n],
  daily: [360n, 365n],
  unsaid: [1n, 12n, 360n, 365n],
};

function near(value: bigint, target: bigint, tolerance: bigint): boolean {
  return (value > target ? value - target : target - value) <= tolerance;
}

/**
 * A quoted rate is true when it is one of the persona's loan rates, or lies
 * inside a product's range, to the precision the trainee wrote — as the
 * annual, monthly (×12) or daily (×360, ×365) rate its word names, or any of
 * them when no word does.
 */
export function rateIsTrue(rate: StatedRate, truth: RateTruth): boolean {
  const multipliers = TO_ANNUAL[rate.period];
  for (const annual of truth.loansMicros)
    for (const divisor of multipliers)
      if (
        near(
          rate.micros * divisor,
          annual,
          rate.toleranceMicros * divisor + divisor / 2n,
        )
      )
        return true;
  return truth.rangesMicros.some(([min, max]) =>
    multipliers.some(
      (divisor) =>
        (rate.micros + rate.toleranceMicros) * divisor >= min &&
        (rate.micros - rate.toleranceMicros) * divisor <= max,
    ),
  );
}

function checkRates(
  reading: AgentReading,
  truth: RateTruth,
  events: RolePlayEvent[],
): boolean {
  let disputed = false;
  for (const rate of reading.rates) {
    if (rateIsTrue(rate, truth))
      events.push({ type: 'rate_confirmed', rate: rate.text });
    else {
      disputed = true;
      events.push({ type: 'rate_disputed', rate: rate.text });
    }
  }
  return disputed;
}

// A due date the trainee states must be one the account shows.
function checkDates(
  reading: AgentReading,
  ledgerDates: readonly CalendarDate[],
  events: RolePlayEvent[],
): boolean {
  if (ledgerDates.length === 0) return false;
  let disputed = false;
  for (const date of reading.dates) {
    if (ledgerDates.includes(date))
      events.push({ type: 'date_confirmed', date });
    else {
      disputed = true;
      events.push({ type: 'date_disputed', date });
    }
  }
  return disputed;
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
  const events: RolePlayEvent[] = [];
  const check = ports.check(text, recipientOf(persona, state));
  const reading = ports.read(text);
  const acts = reading.acts;
  const blocked = check.verdict === 'block';
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
  if (blocked) anger += ON_BLOCK;
  else if (check.verdict === 'warn') anger += ON_WARN;
  // Kind words around a red line soothe no one (放心，包过的).
  const soothed = acts.includes('empathise') && !blocked;
  if (soothed) {
    anger += ON_EMPATHY;
    events.push({ type: 'empathy' });
  } else if (state.anger >= ANGRY_FROM) {
    anger += ON_IGNORED_ANGER;
    events.push({ type: 'ignored_emotion' });
  }
  for (const act of persona.dislikes)
    if (acts.includes(act)) {
      anger += ON_DISLIKED;
      events.push({ type: 'disliked', act });
    }
  let verificationGiven = state.verificationGiven;
  if (
    persona.needsVerification &&
    !verificationGiven &&
    acts.includes('ask_verification')
  ) {
    verificationGiven = true;
    parts.push(line(persona, variant, 'verify', turnIndex));
    events.push({ type: 'verification_given' });
  }
  const amounts = blocked
    ? { confirmed: false, disputed: false }
    : checkAmounts(reading, ports.ledgerFen, events);
  const rateDisputed = !blocked && checkRates(reading, ports.rates, events);
  const dateDisputed =
    !blocked && checkDates(reading, ports.ledgerDates, events);
  if (amounts.disputed || rateDisputed || dateDisputed) {
    anger += ON_WRONG_AMOUNT;
    parts.push(line(persona, variant, 'doubt', turnIndex));
  }
  const revealed = [...state.revealed];
  if (!blocked) {
    for (const clause of reading.clauses) {
      if (!clause.asks || !isAsking(clause.act)) continue;
      const fact = persona.hiddenFacts.find(
        (candidate) =>
          !revealed.includes(candidate.id) &&
          candidate.askedBy.includes(clause.act),
      );
      if (fact === undefined) continue;
      // An angry customer the trainee has not soothed answers no questions.
      if (anger >= ANGRY_FROM && !soothed) {
        events.push({ type: 'withheld', fact: fact.id });
        break;
      }
      revealed.push(fact.id);
      parts.push(fact.text);
      anger += ON_FACT_HEARD;
      events.push({ type: 'revealed', fact: fact.id });
    }
  }
  // Sessions stored before goal acts existed have no `actsDone`.
  const actsDone = [...(state.actsDone ?? [])];
  for (const act of persona.goalActs) {
    if (actsDone.includes(act) || !acts.includes(act)) continue;
    // An explained amount counts only when the account agrees with it.
    if (act === 'explain_amount' && (!amounts.confirmed || amounts.disputed))
      continue;
    actsDone.push(act);
  }
  let goalMet = state.goalMet;
  if (!goalMet && !blocked && actsDone.length >= persona.goalNeeded) {
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
  } else if (blocked) {
    parts.splice(
      0,
      parts.length,
      line(persona, variant, 'offended', turnIndex),
    );
  } else if (acts.includes('close') && (goalMet || anger < ANGRY_FROM)) {
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
      actsDone,
      goalMet,
      traineeTurns,
      end,
    },
    turn: {
      agent: text,
      customer: parts.join(''),
      anger,
      acts,
      events,
      check,
    },
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
