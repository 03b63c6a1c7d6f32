// Automatic quality inspection (质检) of one conversation against the rubric:
// each item gets points and the evidence for them (the turn, the span of the
// reply, the reason), so a supervisor can see why and override. A red-line
// violation fails the whole conversation (一票否决): `hardFail` and score 0.
//
// Pure: the customer's words are read through the `understand` port (the
// NLU), outbound text is checked through the `check` port (the compliance
// engine), and the ledger's true amounts, rates and dates come in as data.

import { statedAmounts } from '../compliance/amounts.js';
import type { CheckResult } from '../compliance/types.js';
import { assertNever } from '../shared/assert.js';
import type { PhraseList, Rubric, RubricItem, RubricItemId } from './rubric.js';

export type QaSpeaker = 'bot' | 'agent';

export type QaAction = {
  readonly type: string;
  readonly [key: string]: unknown;
};

export type QaTurn = {
  /** What the customer said (absent when the service spoke first). */
  readonly user: string | undefined;
  /** The bot's or the agent's reply to it. */
  readonly reply: string | undefined;
  readonly speaker: QaSpeaker;
  readonly actions: readonly QaAction[];
};

export type CustomerReading = {
  readonly intent: string;
  readonly emotion: 'neutral' | 'anxious' | 'angry';
  readonly fraudSignals: readonly string[];
};

export type QaPorts = {
  understand: (text: string) => CustomerReading;
  check: (
    text: string,
    role: QaSpeaker,
    recipient: 'customer' | 'unverified',
    factsFen: readonly bigint[] | undefined,
  ) => CheckResult;
};

/** What is true for this customer: every amount, rate and date a reply may state. */
export type LedgerTruth = {
  readonly amountsFen: readonly bigint[];
  /** Annual rates in millionths (0.0728 → 72800n). */
  readonly annualRatesMicros: readonly bigint[];
  /** 'YYYY-MM-DD' dates a reply may name (due dates, today). */
  readonly dates: readonly string[];
};

export type Evidence = {
  /** 0-based index into the transcript's turns. */
  readonly turn: number;
  /** [start, end) of the reply text the reason is about. */
  readonly span: readonly [number, number];
  readonly reason: string;
};

export type ItemScore = {
  readonly item: RubricItemId;
  readonly score: number;
  readonly max: number;
  readonly evidence: readonly Evidence[];
};

export type QaScore = {
  /** 0–100; 0 when a hard-fail item failed. */
  readonly score: number;
  readonly hardFail: boolean;
  readonly items: readonly ItemScore[];
};

export type ScoreInput = {
  readonly turns: readonly QaTurn[];
  readonly rubric: Rubric;
  readonly ports: QaPorts;
  /** Absent when no ledger is known: facts are then only checked for consistency. */
  readonly ledger?: LedgerTruth | undefined;
  /** Score only this speaker's replies (bot and human turns separately). */
  readonly speaker?: QaSpeaker | undefined;
};

type Context = {
  readonly input: ScoreInput;
  readonly readings: readonly (CustomerReading | undefined)[];
  /** First turn by the end of which the customer is verified. */
  readonly verifiedTurn: number | undefined;
  readonly scored: readonly number[];
};

type Found = { readonly index: number; readonly phrase: string };

const NON_TASK_INTENTS = new Set([
  'greeting',
  'thanks_goodbye',
  'out_of_scope',
]);
const NEEDS_HUMAN_INTENTS = new Set([
  'human_agent',
  'complaint',
  'fraud_report',
  'privacy_concern',
]);
const UPSET_INTENTS = new Set(['complaint', 'repayment_difficulty']);
const ACCOUNT_ACTIONS = new Set(['quote_payoff', 'offer_plans']);
const HANDOFF_ACTIONS = new Set(['handoff', 'create_ticket']);
const REFUSAL_ACTIONS = new Set(['refuse_disclosure']);
const RATE_PATTERN = /(\d{1,3}(?:\.\d{1,4})?)\s*%/g;
const DATE_PATTERN = /\d{4}-\d{2}-\d{2}/g;
const SENTENCE_END = /[。！？!?\n]/;

function findPhrase(
  text: string,
  phrases: readonly string[],
): Found | undefined {
  let best: Found | undefined;
  for (const phrase of phrases) {
    const index = text.indexOf(phrase);
    if (index >= 0 && (best === undefined || index < best.index))
      best = { index, phrase };
  }
  return best;
}

function phrases(context: Context, list: PhraseList): readonly string[] {
  return context.input.rubric.phrases[list];
}

function replyOf(context: Context, turn: number): string {
  return context.input.turns[turn]?.reply ?? '';
}

function whole(context: Context, turn: number): readonly [number, number] {
  return [0, replyOf(context, turn).length];
}

function spanOf(found: Found): readonly [number, number] {
  return [found.index, found.index + found.phrase.length];
}

function hasAction(turn: QaTurn | undefined, types: ReadonlySet<string>) {
  return (turn?.actions ?? []).some((action) => types.has(action.type));
}

function proportion(max: number, good: number, total: number): number {
  return total === 0 ? max : Math.floor((max * good) / total);
}

function greeting(context: Context, item: RubricItem): ItemScore {
  const first = context.scored[0];
  if (first === undefined)
    return {
      item: item.id,
      score: 0,
      max: item.max,
      evidence: [{ turn: 0, span: [0, 0], reason: '会话中没有客服回复。' }],
    };
  const reply = replyOf(context, first);
  const hello = findPhrase(reply, phrases(context, 'greeting'));
  const intro = findPhrase(reply, phrases(context, 'self_intro'));
  const evidence: Evidence[] = [
    hello === undefined
      ? {
          turn: first,
          span: whole(context, first),
          reason: '首次回复没有问候语。',
        }
      : {
          turn: first,
          span: spanOf(hello),
          reason: `问候语“${hello.phrase}”。`,
        },
    intro === undefined
      ? {
          turn: first,
          span: whole(context, first),
          reason: '首次回复未说明服务身份。',
        }
      : {
          turn: first,
          span: spanOf(intro),
          reason: `说明了服务身份“${intro.phrase}”。`,
        },
  ];
  const count = (hello === undefined ? 0 : 1) + (intro === undefined ? 0 : 1);
  return {
    item: item.id,
    score: proportion(item.max, count, 2),
    max: item.max,
    evidence,
  };
}

/** Where a reply tells the customer something only the account holder may hear. */
function disclosure(context: Context, turn: number): Evidence | undefined {
  const entry = context.input.turns[turn];
  const reply = replyOf(context, turn);
  if (hasAction(entry, ACCOUNT_ACTIONS))
    return {
      turn,
      span: whole(context, turn),
      reason: '回复报出了账户金额或还款方案。',
    };
  const marker = findPhrase(reply, phrases(context, 'account_detail'));
  if (marker === undefined) return undefined;
  const amount = statedAmounts(reply)[0];
  if (amount === undefined) return undefined;
  return {
    turn,
    span: [
      Math.min(marker.index, amount.span[0]),
      Math.max(marker.index + marker.phrase.length, amount.span[1]),
    ],
    reason: `回复涉及账户信息（“${marker.phrase}”及金额）。`,
  };
}

function identityCheck(context: Context, item: RubricItem): ItemScore {
  const failures: Evidence[] = [];
  let firstDisclosure: Evidence | undefined;
  for (const turn of context.scored) {
    const found = disclosure(context, turn);
    if (found === undefined) continue;
    firstDisclosure ??= found;
    if (context.verifiedTurn === undefined || turn < context.verifiedTurn)
      failures.push({
        ...found,
        reason: `${found.reason}但此时尚未完成身份核实。`,
      });
  }
  if (failures.length > 0)
    return { item: item.id, score: 0, max: item.max, evidence: failures };
  const evidence: Evidence[] =
    firstDisclosure === undefined
      ? [{ turn: 0, span: [0, 0], reason: '会话未涉及账户信息，无需核实。' }]
      : [
          {
            turn: context.verifiedTurn ?? firstDisclosure.turn,
            span: whole(context, context.verifiedTurn ?? firstDisclosure.turn),
            reason: '先完成身份核实，再告知账户信息。',
          },
        ];
  return { item: item.id, score: item.max, max: item.max, evidence };
}

function isTaskTurn(context: Context, turn: number): boolean {
  const reading = context.readings[turn];
  return reading !== undefined && !NON_TASK_INTENTS.has(reading.intent);
}

function confirmNeed(context: Context, item: RubricItem): ItemScore {
  const taskTurns = context.scored.filter((turn) => isTaskTurn(context, turn));
  const firstTask = taskTurns[0];
  if (firstTask === undefined)
    return {
      item: item.id,
      score: item.max,
      max: item.max,
      evidence: [
        { turn: 0, span: [0, 0], reason: '客户未提出具体业务需求，无需确认。' },
      ],
    };
  for (const turn of context.scored) {
    const entry = context.input.turns[turn];
    if ((entry?.actions ?? []).some((action) => action.type === 'ask_slot'))
      return {
        item: item.id,
        score: item.max,
        max: item.max,
        evidence: [
          {
            turn,
            span: whole(context, turn),
            reason: '逐项询问，确认了客户需求。',
          },
        ],
      };
    const found = findPhrase(
      replyOf(context, turn),
      phrases(context, 'confirm_need'),
    );
    if (found !== undefined)
      return {
        item: item.id,
        score: item.max,
        max: item.max,
        evidence: [
          {
            turn,
            span: spanOf(found),
            reason: `复述或确认了需求（“${found.phrase}”）。`,
          },
        ],
      };
  }
  return {
    item: item.id,
    score: 0,
    max: item.max,
    evidence: [
      {
        turn: firstTask,
        span: whole(context, firstTask),
        reason: '未复述客户需求，也未提出澄清问题。',
      },
    ],
  };
}

function isUpset(reading: CustomerReading | undefined): boolean {
  if (reading === undefined) return false;
  return reading.emotion !== 'neutral' || UPSET_INTENTS.has(reading.intent);
}

/**
 * Where a reply gets down to business: the first amount, numbered point, or
 * sentence that is neither greeting nor soothing.
 */
function solutionStart(context: Context, reply: string): number {
  const amount = statedAmounts(reply)[0]?.span[0] ?? reply.length;
  const point =
    findPhrase(reply, phrases(context, 'structure'))?.index ?? reply.length;
  let sentence = reply.length;
  let start = 0;
  while (start < reply.length) {
    let end = start;
    while (end < reply.length && !SENTENCE_END.test(reply[end] ?? '')) end += 1;
    const text = reply.slice(start, end);
    const framing =
      findPhrase(text, phrases(context, 'greeting')) !== undefined ||
      findPhrase(text, phrases(context, 'self_intro')) !== undefined ||
      findPhrase(text, phrases(context, 'empathy')) !== undefined;
    if (!framing && text.trim() !== '') {
      sentence = start;
      break;
    }
    start = end + 1;
  }
  return Math.min(amount, point, sentence);
}

function empathy(context: Context, item: RubricItem): ItemScore {
  const evidence: Evidence[] = [];
  let upset = 0;
  let soothed = 0;
  for (const turn of context.scored) {
    if (!isUpset(context.readings[turn])) continue;
    upset += 1;
    const reply = replyOf(context, turn);
    const found = findPhrase(reply, phrases(context, 'empathy'));
    const acted = (context.input.turns[turn]?.actions ?? []).some(
      (action) => action.type === 'empathy',
    );
    if (found !== undefined && found.index <= solutionStart(context, reply)) {
      soothed += 1;
      evidence.push({
        turn,
        span: spanOf(found),
        reason: `客户情绪不佳，先安抚（“${found.phrase}”）再给方案。`,
      });
    } else if (found === undefined && acted) {
      soothed += 1;
      evidence.push({
        turn,
        span: whole(context, turn),
        reason: '客户情绪不佳，回复做了安抚。',
      });
    } else if (found !== undefined) {
      evidence.push({
        turn,
        span: spanOf(found),
        reason: '有安抚语，但放在了解决方案之后。',
      });
    } else {
      evidence.push({
        turn,
        span: whole(context, turn),
        reason: '客户焦虑或不满，回复没有安抚情绪。',
      });
    }
  }
  if (upset === 0)
    evidence.push({
      turn: 0,
      span: [0, 0],
      reason: '客户情绪平稳，无需安抚。',
    });
  return {
    item: item.id,
    score: proportion(item.max, soothed, upset),
    max: item.max,
    evidence,
  };
}

function isStructured(context: Context, reply: string): boolean {
  if (findPhrase(reply, phrases(context, 'structure')) !== undefined)
    return true;
  const separators = (reply.match(/[\n；]/g) ?? []).length;
  return separators >= 2;
}

function clearExplanation(context: Context, item: RubricItem): ItemScore {
  const rubric = context.input.rubric;
  const evidence: Evidence[] = [];
  let faults = 0;
  const explainedTerms = new Set<string>();
  for (const turn of context.scored) {
    const reply = replyOf(context, turn);
    if (
      reply.length >= rubric.longReplyChars &&
      !isStructured(context, reply)
    ) {
      faults += 1;
      evidence.push({
        turn,
        span: whole(context, turn),
        reason: `回复长达${reply.length}字，未分点说明。`,
      });
    }
    for (const term of rubric.jargon) {
      if (explainedTerms.has(term)) continue;
      const index = reply.indexOf(term);
      if (index < 0) continue;
      explainedTerms.add(term);
      const after = reply.slice(index + term.length, index + term.length + 12);
      if (findPhrase(after, phrases(context, 'explained')) === undefined) {
        faults += 1;
        evidence.push({
          turn,
          span: [index, index + term.length],
          reason: `术语“${term}”未加解释。`,
        });
      }
    }
  }
  const deduction = Math.floor(
    (item.max * faults * rubric.clarityDeductionPercent) / 100,
  );
  if (faults === 0)
    evidence.push({
      turn: 0,
      span: [0, 0],
      reason: '表述清晰，术语均有解释。',
    });
  return {
    item: item.id,
    score: Math.max(0, item.max - deduction),
    max: item.max,
    evidence,
  };
}

/** Millionths of a decimal written with up to four places ("7.28" → 72800n). */
function percentToMicros(text: string): { micros: bigint; tolerance: bigint } {
  const [whole = '0', fraction = ''] = text.split('.');
  const places = fraction.length;
  const scaled = BigInt(whole + fraction.padEnd(4, '0'));
  // A percent with four decimal places is exactly millionths of one.
  const tolerance = places >= 4 ? 0n : 10n ** BigInt(4 - places) / 2n;
  return { micros: scaled, tolerance };
}

function near(value: bigint, target: bigint, tolerance: bigint): boolean {
  const difference = value > target ? value - target : target - value;
  return difference <= tolerance;
}

function rateIsTrue(
  micros: bigint,
  tolerance: bigint,
  truth: LedgerTruth,
): boolean {
  for (const annual of truth.annualRatesMicros) {
    // Annual, monthly (/12) and daily (/360, /365) forms of a true rate.
    for (const divisor of [1n, 12n, 360n, 365n]) {
      if (near(micros * divisor, annual, tolerance * divisor + divisor / 2n))
        return true;
    }
  }
  return false;
}

/** The sentence of `text` around `index`. */
function sentenceAt(text: string, index: number): string {
  let start = index;
  while (start > 0 && !SENTENCE_END.test(text[start - 1] ?? '')) start -= 1;
  let end = index;
  while (end < text.length && !SENTENCE_END.test(text[end] ?? '')) end += 1;
  return text.slice(start, end);
}

/**
 * A percent states this customer's rate when a rate word comes just before
 * it and its sentence is not an example, a legal limit or a relative markup.
 */
function isLedgerRateClaim(
  context: Context,
  reply: string,
  index: number,
): boolean {
  const before = reply.slice(Math.max(0, index - 12), index);
  if (findPhrase(before, phrases(context, 'rate_words')) === undefined)
    return false;
  return (
    findPhrase(
      sentenceAt(reply, index),
      phrases(context, 'not_a_ledger_claim'),
    ) === undefined
  );
}

function actionAmountsFen(turn: QaTurn | undefined): bigint[] {
  const amounts: bigint[] = [];
  for (const action of turn?.actions ?? []) {
    if (typeof action.amount === 'string') {
      const parsed = statedAmounts(`${action.amount}元`)[0];
      if (parsed !== undefined) amounts.push(parsed.fen);
    }
  }
  return amounts;
}

function correctFacts(context: Context, item: RubricItem): ItemScore {
  const truth = context.input.ledger;
  const evidence: Evidence[] = [];
  let statements = 0;
  let wrong = 0;
  const heard: bigint[] = [];
  for (let turn = 0; turn < context.input.turns.length; turn += 1) {
    const entry = context.input.turns[turn];
    for (const amount of statedAmounts(entry?.user ?? ''))
      heard.push(amount.fen);
    if (!context.scored.includes(turn)) continue;
    const reply = replyOf(context, turn);
    const own = actionAmountsFen(entry);
    if (truth === undefined) {
      // Without a ledger: the reply must state the amounts its actions carry.
      for (const fen of own) {
        statements += 1;
        if (!statedAmounts(reply).some((a) => a.fen === fen)) {
          wrong += 1;
          evidence.push({
            turn,
            span: whole(context, turn),
            reason: '回复中的金额与系统计算结果不一致。',
          });
        }
      }
      continue;
    }
    const allowed = [...truth.amountsFen, ...heard];
    for (const amount of statedAmounts(reply)) {
      statements += 1;
      let grounded = false;
      for (const fact of allowed)
        if (near(amount.fen, fact, amount.toleranceFen)) grounded = true;
      if (!grounded) {
        wrong += 1;
        evidence.push({
          turn,
          span: amount.span,
          reason: `金额“${reply.slice(amount.span[0], amount.span[1])}”与台账和产品目录均不符。`,
        });
      }
    }
    for (const match of reply.matchAll(RATE_PATTERN)) {
      const start = match.index ?? 0;
      if (!isLedgerRateClaim(context, reply, start)) continue;
      statements += 1;
      const { micros, tolerance } = percentToMicros(match[1] ?? '0');
      if (!rateIsTrue(micros, tolerance, truth)) {
        wrong += 1;
        evidence.push({
          turn,
          span: [start, start + match[0].length],
          reason: `利率“${match[0]}”与合同和产品目录均不符。`,
        });
      }
    }
    for (const match of reply.matchAll(DATE_PATTERN)) {
      statements += 1;
      if (!truth.dates.includes(match[0])) {
        wrong += 1;
        const start = match.index ?? 0;
        evidence.push({
          turn,
          span: [start, start + match[0].length],
          reason: `日期“${match[0]}”不是该客户的还款日。`,
        });
      }
    }
  }
  if (wrong === 0)
    evidence.push({
      turn: 0,
      span: [0, 0],
      reason:
        statements === 0
          ? '回复未涉及金额、利率或日期。'
          : truth === undefined
            ? '未提供台账，回复与系统计算结果一致。'
            : `回复中的${statements}处金额、利率和日期均与台账一致。`,
    });
  return {
    item: item.id,
    score: proportion(item.max, statements - wrong, statements),
    max: item.max,
    evidence,
  };
}

function compliance(
  context: Context,
  item: RubricItem,
): { score: ItemScore; failed: boolean } {
  const rubric = context.input.rubric;
  const evidence: Evidence[] = [];
  let blocked = false;
  let warned = 0;
  for (const turn of context.scored) {
    const entry = context.input.turns[turn];
    const reply = replyOf(context, turn);
    if (entry === undefined || reply === '') continue;
    const verified =
      context.verifiedTurn !== undefined && turn >= context.verifiedTurn;
    const result = context.input.ports.check(
      reply,
      entry.speaker,
      verified ? 'customer' : 'unverified',
      context.input.ledger?.amountsFen,
    );
    if (result.verdict === 'pass') continue;
    if (result.verdict === 'block') blocked = true;
    else warned += 1;
    for (const violation of result.violations) {
      if (result.verdict === 'block' && violation.severity !== 'block')
        continue;
      evidence.push({
        turn,
        span: violation.span,
        reason: `${violation.severity === 'block' ? '红线' : '提示'}：${violation.message}（规则 ${violation.rule}；依据：${violation.basis}）`,
      });
    }
  }
  let score = item.max;
  if (blocked) score = 0;
  else if (warned > 0)
    score = Math.max(
      Math.floor(item.max / 2),
      item.max -
        Math.floor(
          (item.max * warned * rubric.complianceWarnDeductionPercent) / 100,
        ),
    );
  if (evidence.length === 0)
    evidence.push({
      turn: 0,
      span: [0, 0],
      reason: '所有回复均通过合规检查。',
    });
  return {
    score: { item: item.id, score, max: item.max, evidence },
    failed: blocked && item.hardFail,
  };
}

// A human agent is already the hand-off: for an agent's reply only a ticket
// is still owed (complaint, fraud report, privacy concern).
const NEEDS_TICKET_INTENTS = new Set([
  'complaint',
  'fraud_report',
  'privacy_concern',
]);

function needForHuman(
  context: Context,
  turn: number,
  angryBefore: number,
): string | undefined {
  const reading = context.readings[turn];
  if (reading === undefined) return undefined;
  const byAgent = context.input.turns[turn]?.speaker === 'agent';
  const intents = byAgent ? NEEDS_TICKET_INTENTS : NEEDS_HUMAN_INTENTS;
  if (intents.has(reading.intent)) return `客户意图为“${reading.intent}”`;
  if (!byAgent && reading.emotion === 'angry' && angryBefore >= 1)
    return '客户持续不满';
  return undefined;
}

function handledFrom(context: Context, from: number): number | undefined {
  const privacy = context.readings[from]?.intent === 'privacy_concern';
  for (let turn = from; turn < context.input.turns.length; turn += 1) {
    if (!context.scored.includes(turn)) continue;
    const entry = context.input.turns[turn];
    if (hasAction(entry, HANDOFF_ACTIONS)) return turn;
    // Someone asking about another person's account is answered by refusing.
    if (privacy && hasAction(entry, REFUSAL_ACTIONS)) return turn;
    if (
      findPhrase(replyOf(context, turn), phrases(context, 'handoff_done')) !==
      undefined
    )
      return turn;
  }
  return undefined;
}

function handoffOrTicket(context: Context, item: RubricItem): ItemScore {
  let angry = 0;
  for (let turn = 0; turn < context.input.turns.length; turn += 1) {
    const need = needForHuman(context, turn, angry);
    if (context.readings[turn]?.emotion === 'angry') angry += 1;
    if (need === undefined) continue;
    const handled = handledFrom(context, turn);
    if (handled === undefined)
      return {
        item: item.id,
        score: 0,
        max: item.max,
        evidence: [
          {
            turn,
            span: whole(context, turn),
            reason: `${need}，但没有转人工或登记工单。`,
          },
        ],
      };
    return {
      item: item.id,
      score: item.max,
      max: item.max,
      evidence: [
        {
          turn: handled,
          span: whole(context, handled),
          reason: `${need}，已转人工或登记工单。`,
        },
      ],
    };
  }
  return {
    item: item.id,
    score: item.max,
    max: item.max,
    evidence: [{ turn: 0, span: [0, 0], reason: '会话无需转人工或登记工单。' }],
  };
}

function closing(context: Context, item: RubricItem): ItemScore {
  const last = context.scored.at(-1);
  if (last === undefined)
    return {
      item: item.id,
      score: 0,
      max: item.max,
      evidence: [{ turn: 0, span: [0, 0], reason: '会话中没有客服回复。' }],
    };
  const found = findPhrase(replyOf(context, last), phrases(context, 'closing'));
  if (found === undefined)
    return {
      item: item.id,
      score: 0,
      max: item.max,
      evidence: [
        {
          turn: last,
          span: whole(context, last),
          reason: '结束时未询问是否还有其他需要，也未道别。',
        },
      ],
    };
  return {
    item: item.id,
    score: item.max,
    max: item.max,
    evidence: [
      {
        turn: last,
        span: spanOf(found),
        reason: `礼貌结束（“${found.phrase}”）。`,
      },
    ],
  };
}

function verifiedTurnOf(
  turns: readonly QaTurn[],
  verifiedPhrases: readonly string[],
): number | undefined {
  for (let turn = 0; turn < turns.length; turn += 1) {
    const entry = turns[turn];
    if ((entry?.actions ?? []).some((action) => action.type === 'verified'))
      return turn;
    if (findPhrase(entry?.reply ?? '', verifiedPhrases) !== undefined)
      return turn;
  }
  return undefined;
}

/**
 * Scores one conversation on the rubric, item by item, with evidence.
 * @example scoreTranscript({ turns, rubric, ports }).score // 0–100
 */
export function scoreTranscript(input: ScoreInput): QaScore {
  const readings = input.turns.map((turn) =>
    turn.user === undefined || turn.user.trim() === ''
      ? undefined
      : input.ports.understand(turn.user),
  );
  const scored: number[] = [];
  input.turns.forEach((turn, index) => {
    const speaks = turn.reply !== undefined && turn.reply.trim() !== '';
    if (
      speaks &&
      (input.speaker === undefined || turn.speaker === input.speaker)
    )
      scored.push(index);
  });
  const context: Context = {
    input,
    readings,
    verifiedTurn: verifiedTurnOf(input.turns, input.rubric.phrases.verified),
    scored,
  };
  let hardFail = false;
  const items: ItemScore[] = input.rubric.items.map((item) => {
    switch (item.id) {
      case 'greeting':
        return greeting(context, item);
      case 'identity_check':
        return identityCheck(context, item);
      case 'confirm_need':
        return confirmNeed(context, item);
      case 'empathy':
        return empathy(context, item);
      case 'clear_explanation':
        return clearExplanation(context, item);
      case 'correct_facts':
        return correctFacts(context, item);
      case 'compliance': {
        const result = compliance(context, item);
        if (result.failed) hardFail = true;
        return result.score;
      }
      case 'handoff_or_ticket':
        return handoffOrTicket(context, item);
      case 'closing':
        return closing(context, item);
      default:
        return assertNever(item.id, 'rubric item');
    }
  });
  const total = items.reduce((sum, item) => sum + item.score, 0);
  return { score: hardFail ? 0 : total, hardFail, items };
}
