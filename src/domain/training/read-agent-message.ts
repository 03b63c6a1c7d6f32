// Reads a trainee's message the way the simulated customer hears it: the
// NLU's normaliser, then clause by clause the agent act (agent-acts.ts), the
// amounts it explains (the compliance engine's exact fen reader), the due
// dates (the NLU's date parser) and the rates it quotes (exact millionths).

import { type StatedAmount, statedAmounts } from '../compliance/amounts.js';
import { normalizeText } from '../dialogue/nlu/normalize.js';
import { readDate } from '../dialogue/nlu/relative-date.js';
import type { CalendarDate } from '../shared/calendar-date.js';
import {
  AGENT_ACT_CONFIDENCE_MIN,
  type AgentAct,
  type AgentActModel,
  classifyClause,
} from './agent-acts.js';

// A clause asks only when it is put as a question or a request: 原因不重要
// names a reason but asks for none.
const ASKING_CUE =
  /[?？]|吗|呢|请问|什么|怎么|哪|多少|几|是否|方便|能否|能不能|可不可以|有没有|是不是|说说|讲讲|告诉|说一下|讲一下|麻烦|请(?:您|提供|报|把)/;

// Clauses end at sentence punctuation, commas and list markers (①②③).
const CLAUSE_END = /(?<=[。！？!?；;，,：:\n])|(?=[①②③④⑤⑥⑦⑧⑨⑩])/;

/** Splits normalised text into clauses, keeping each one's punctuation. */
export function splitClauses(text: string): string[] {
  return text
    .split(CLAUSE_END)
    .map((clause) => clause.replace(/^[①②③④⑤⑥⑦⑧⑨⑩\s]+/, '').trim())
    .filter((clause) => /[\p{L}\p{N}]/u.test(clause));
}

export type ClauseReading = {
  readonly text: string;
  readonly act: AgentAct;
  /** Calibrated probability of `act` (before the `other` fallback). */
  readonly confidence: number;
  /** Put as a question or request (an `ask_*` act counts only then). */
  readonly asks: boolean;
};

export type RatePeriod = 'annual' | 'monthly' | 'daily' | 'unsaid';

/** A rate the trainee states, in millionths (8.88% → 88800n). */
export type StatedRate = {
  readonly micros: bigint;
  /** Half the unit of the last digit written (8.88% → ±0.005%). */
  readonly toleranceMicros: bigint;
  /** The period the rate word before it names (年化 → annual). */
  readonly period: RatePeriod;
  readonly text: string;
};

const PERIOD_WORDS: readonly (readonly [RatePeriod, RegExp])[] = [
  ['annual', /年化|年利率|年息|年费率/g],
  ['monthly', /月息|月利率|月费率/g],
  ['daily', /日息|日利率|日费率/g],
];

// The period of the last period word before `index` in the clause.
function periodBefore(clause: string, index: number): RatePeriod {
  let period: RatePeriod = 'unsaid';
  let at = -1;
  for (const [name, pattern] of PERIOD_WORDS)
    for (const match of clause.slice(0, index).matchAll(pattern))
      if (match.index > at) {
        at = match.index;
        period = name;
      }
  return period;
}

const PERCENT = /(\d{1,3})(?:\.(\d{1,4}))?\s*%/g;
const RATE_WORD = /利率|年化|利息|日息|月息|息费|费率/;
const MICROS_PER_PERCENT = 10_000n;

/** Percents of a clause that speaks of a rate, exact in millionths. */
export function statedRates(clause: string): StatedRate[] {
  if (!RATE_WORD.test(clause)) return [];
  const rates: StatedRate[] = [];
  for (const match of clause.matchAll(PERCENT)) {
    const whole = match[1] ?? '0';
    const fraction = match[2] ?? '';
    rates.push({
      micros:
        BigInt(whole) * MICROS_PER_PERCENT + BigInt(fraction.padEnd(4, '0')),
      toleranceMicros: 10n ** BigInt(4 - fraction.length) / 2n,
      period: periodBefore(clause, match.index),
      text: match[0].replace(/\s+/g, ''),
    });
  }
  return rates;
}

export type AgentReading = {
  readonly normalized: string;
  readonly clauses: readonly ClauseReading[];
  /** The distinct acts of the message, in the order first said. */
  readonly acts: readonly AgentAct[];
  /** Money stated in `explain_amount` clauses, in exact fen. */
  readonly amountsFen: readonly StatedAmount[];
  /** Rates stated in `explain_terms` and `explain_amount` clauses. */
  readonly rates: readonly StatedRate[];
  /** Dates stated in `explain_amount` clauses (due dates), the NLU's date parser. */
  readonly dates: readonly CalendarDate[];
};

/**
 * Reads a trainee's message: every clause's act, and the amounts, due
 * dates and rates it explains. Deterministic.
 *
 * @example
 * readAgentMessage(model, '理解您的难处，方便说说是什么原因吗？', today).acts
 * // ['empathise', 'ask_reason']
 */
export function readAgentMessage(
  model: AgentActModel,
  text: string,
  today: CalendarDate,
): AgentReading {
  const normalized = normalizeText(text, model.toSimplified);
  const clauses: ClauseReading[] = [];
  const amountsFen: StatedAmount[] = [];
  const rates: StatedRate[] = [];
  const dates: CalendarDate[] = [];
  for (const clause of splitClauses(normalized)) {
    const best = classifyClause(model, clause);
    const act =
      best.confidence >= AGENT_ACT_CONFIDENCE_MIN ? best.act : 'other';
    clauses.push({
      text: clause,
      act,
      confidence: Math.round(best.confidence * 1000) / 1000,
      asks: ASKING_CUE.test(clause),
    });
    if (act === 'explain_amount') {
      for (const amount of statedAmounts(clause)) amountsFen.push(amount);
      const date = readDate(clause, today);
      if (date !== undefined) dates.push(date.value);
    }
    if (act === 'explain_terms' || act === 'explain_amount')
      rates.push(...statedRates(clause));
  }
  const acts: AgentAct[] = [];
  for (const clause of clauses)
    if (!acts.includes(clause.act)) acts.push(clause.act);
  return {
    normalized,
    clauses,
    acts,
    amountsFen,
    rates,
    dates,
  };
}
