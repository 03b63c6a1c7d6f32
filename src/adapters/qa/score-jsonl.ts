import { parseYuanStrict } from '../../contracts/money.js';
import type { Product } from '../../domain/catalogue/product.js';
import type { ComplianceEngine } from '../../domain/compliance/engine.js';
import type { Nlu } from '../../domain/dialogue/nlu/nlu.js';
import {
  annualisedRate,
  factAmountsFen,
  loanFacts,
  repaymentPlans,
} from '../../domain/dialogue/policy/loan-facts.js';
import { productOffer } from '../../domain/dialogue/policy/product-offer.js';
import type { CustomerData } from '../../domain/dialogue/policy/types.js';
import { type Fen, fen } from '../../domain/money/fen.js';
import type { Rate } from '../../domain/money/rate.js';
import type { Rubric } from '../../domain/qa/rubric.js';
import {
  type LedgerTruth,
  type QaAction,
  type QaPorts,
  type QaScore,
  type QaSpeaker,
  type QaTurn,
  scoreTranscript,
} from '../../domain/qa/score.js';
import type { CalendarDate } from '../../domain/shared/calendar-date.js';
import { parseSetup } from '../dialogue/setup-codec.js';
import { InputError, type JsonObject } from '../wire/input-error.js';

// `loandesk qa score --jsonl` (spec/contracts.md): one transcript per line in
// the output format of `loandesk chat` — {"id","turns":[{"user","bot",
// "actions"}]}, a human agent's turns with "agent" instead of "bot" — and
// optionally the scenario's `setup` and `today`, so that every amount, rate
// and date can be checked against the ledger.

/** Turns per transcript: a bound on one line's work. */
export const QA_TURNS_MAX = 200;

export type QaDependencies = {
  readonly rubric: Rubric;
  readonly nlu: Nlu;
  readonly compliance: ComplianceEngine;
  readonly catalogue: readonly Product[];
};

function readText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new InputError(`${field}: must be a string`);
  return value;
}

function readActions(value: unknown, field: string): QaAction[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InputError(`${field}: must be a list`);
  return value.map((action, index) => {
    if (
      action === null ||
      typeof action !== 'object' ||
      Array.isArray(action) ||
      typeof (action as JsonObject).type !== 'string'
    )
      throw new InputError(
        `${field}[${index}]: must be an object with a "type"`,
      );
    return action as QaAction;
  });
}

/** Reads the transcript's turns; throws InputError naming the field. */
export function parseTurns(value: unknown): QaTurn[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new InputError('turns: must be a non-empty list');
  if (value.length > QA_TURNS_MAX)
    throw new InputError(`turns: at most ${QA_TURNS_MAX} turns`);
  return value.map((raw, index) => {
    const field = `turns[${index}]`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      throw new InputError(`${field}: must be an object`);
    const turn = raw as JsonObject;
    const bot = readText(turn.bot, `${field}.bot`);
    const agent = readText(turn.agent, `${field}.agent`);
    if (bot !== undefined && agent !== undefined)
      throw new InputError(`${field}: give "bot" or "agent", not both`);
    const speaker: QaSpeaker = agent !== undefined ? 'agent' : 'bot';
    return {
      user: readText(turn.user, `${field}.user`),
      reply: agent ?? bot,
      speaker,
      actions: readActions(turn.actions, `${field}.actions`),
    };
  });
}

function rateMicros(rate: Rate): bigint {
  // Half-up to millionths: the rubric compares percents written to at most
  // four decimal places.
  return (
    (rate.numerator * 1_000_000n * 2n + rate.denominator) /
    (2n * rate.denominator)
  );
}

function planAmount(value: unknown): bigint | undefined {
  const parsed = parseYuanStrict(value);
  return parsed.ok ? parsed.value : undefined;
}

/** A loan the customer described: an amount and a term, either may be missing. */
export type CustomerNeed = {
  readonly amountFen?: Fen;
  readonly termMonths?: number;
};

/** Every amount and term the customer stated, combined into the loans they may have meant. */
export function statedNeeds(
  turns: readonly QaTurn[],
  nlu: Nlu,
  today: CalendarDate,
): CustomerNeed[] {
  const amountsFen: (Fen | undefined)[] = [undefined];
  const terms: (number | undefined)[] = [undefined];
  for (const turn of turns) {
    if (turn.user === undefined) continue;
    const slots = nlu.understand({ text: turn.user, today }).slots;
    if (slots.amount_yuan !== undefined) {
      const parsed = parseYuanStrict(String(slots.amount_yuan));
      if (parsed.ok) amountsFen.push(fen(parsed.value));
    }
    if (slots.term_months !== undefined) terms.push(slots.term_months);
  }
  const needs: CustomerNeed[] = [];
  for (const amountFen of amountsFen)
    for (const termMonths of terms)
      needs.push({
        ...(amountFen === undefined ? {} : { amountFen }),
        ...(termMonths === undefined ? {} : { termMonths }),
      });
  return needs;
}

/** Every amount, rate and date that is true for this customer on `today`. */
export function ledgerTruth(
  data: CustomerData,
  catalogue: readonly Product[],
  today: CalendarDate,
  needs: readonly CustomerNeed[] = [],
): LedgerTruth {
  const amounts: bigint[] = [];
  const rates: bigint[] = [];
  const dates: string[] = [today];
  for (const product of catalogue) {
    amounts.push(
      product.amountFenMin,
      product.amountFenMax,
      product.upfrontFeeFen,
    );
    rates.push(
      rateMicros(product.rateAnnualMin),
      rateMicros(product.rateAnnualMax),
    );
    // What the bot may quote for a loan the customer described (需求分析).
    for (const need of [{}, ...needs]) {
      const offer = productOffer(product, need, today);
      rates.push(rateMicros(offer.aprMin), rateMicros(offer.aprMax));
      if (offer.paymentFenMax !== undefined) amounts.push(offer.paymentFenMax);
    }
  }
  for (const application of data.applications) {
    amounts.push(application.amountFen);
    dates.push(application.submittedDate);
  }
  for (const loan of data.loans) {
    const schedule = loan.schedule;
    amounts.push(schedule.terms.principalFen);
    rates.push(
      rateMicros(schedule.terms.rateAnnual),
      rateMicros(annualisedRate(schedule)),
    );
    for (const row of schedule.installments) {
      amounts.push(
        row.paymentFen,
        row.principalFen,
        row.interestFen,
        row.feeFen,
        row.balanceFen,
      );
      dates.push(row.dueDate);
    }
    amounts.push(...factAmountsFen(loanFacts(loan, today)));
    for (const plan of repaymentPlans(loan, today)) {
      for (const value of [
        plan.first_payment,
        plan.monthly_payment,
        plan.total_paid,
        plan.due_at_signing,
      ]) {
        const fen = planAmount(value);
        if (fen !== undefined) amounts.push(fen);
      }
    }
  }
  return { amountsFen: amounts, annualRatesMicros: rates, dates };
}

function portsOf(dependencies: QaDependencies, today: CalendarDate): QaPorts {
  return {
    understand: (text) => {
      const result = dependencies.nlu.understand({ text, today });
      return {
        intent: result.intent,
        emotion: result.emotion,
        fraudSignals: result.fraud_signals,
      };
    },
    check: (text, role, recipient, factsFen) =>
      dependencies.compliance.check({
        text,
        role,
        recipient,
        ...(factsFen === undefined ? {} : { facts: { amountsFen: factsFen } }),
      }),
  };
}

function wire(result: QaScore): JsonObject {
  return {
    score: result.score,
    hard_fail: result.hardFail,
    items: result.items.map((item) => ({
      item: item.item,
      score: item.score,
      max: item.max,
      evidence: item.evidence.map((entry) => ({
        turn: entry.turn,
        span: [entry.span[0], entry.span[1]],
        reason: entry.reason,
      })),
    })),
  };
}

/** Scores one JSONL transcript; the answer of `qa score --jsonl` without its id. */
export function scoreLine(
  input: JsonObject,
  dependencies: QaDependencies,
  readToday: (value: unknown) => CalendarDate,
): JsonObject {
  const turns = parseTurns(input.turns);
  const today = readToday(input.today);
  const ledger =
    input.setup === undefined || input.setup === null
      ? undefined
      : ledgerTruth(
          parseSetup(input.setup, today),
          dependencies.catalogue,
          today,
          statedNeeds(turns, dependencies.nlu, today),
        );
  const ports = portsOf(dependencies, today);
  const whole = scoreTranscript({
    turns,
    rubric: dependencies.rubric,
    ports,
    ledger,
  });
  return wire(whole);
}

/** Bot and human turns scored apart (for stored conversations handed off to an agent). */
export function scoreBySpeaker(
  turns: readonly QaTurn[],
  dependencies: QaDependencies,
  today: CalendarDate,
  ledger: LedgerTruth | undefined,
): Record<QaSpeaker, QaScore | undefined> {
  const ports = portsOf(dependencies, today);
  const scoreFor = (speaker: QaSpeaker) =>
    turns.some((turn) => turn.speaker === speaker && turn.reply !== undefined)
      ? scoreTranscript({
          turns,
          rubric: dependencies.rubric,
          ports,
          ledger,
          speaker,
        })
      : undefined;
  return { bot: scoreFor('bot'), agent: scoreFor('agent') };
}
