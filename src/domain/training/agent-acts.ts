// The conversation machinery in reverse: the simulated customer reads what
// the trainee (an agent) says with the same text tools the bot uses on
// customers — normaliser, jieba segmentation, utterance features, the
// softmax classifier, slot parsers and the compliance engine's exact amount
// reader — but with a classifier of *agent acts* (ask for verification, ask
// about income, explain an amount, offer a plan, close…) trained on an
// agent-side corpus (content/training/agent-acts.txt).

import { type StatedAmount, statedAmounts } from '../compliance/amounts.js';
import { isHeldOut } from '../dialogue/nlu/corpus.js';
import { type Segment, utteranceFeatures } from '../dialogue/nlu/features.js';
import { fitTemperature } from '../dialogue/nlu/intent-model.js';
import type { Slots } from '../dialogue/nlu/labels.js';
import { normalizeText, type ToSimplified } from '../dialogue/nlu/normalize.js';
import { readDate } from '../dialogue/nlu/relative-date.js';
import { readSlots } from '../dialogue/nlu/slots.js';
import {
  logits,
  predictProbabilities,
  type SoftmaxModel,
  TRAINING_OPTIONS_DEFAULT,
  type TrainingExample,
  type TrainingOptions,
  trainSoftmax,
} from '../dialogue/nlu/softmax-classifier.js';
import type { CalendarDate } from '../shared/calendar-date.js';
import { err, ok, type Result } from '../shared/result.js';

export const AGENT_ACTS = [
  'greet',
  'ask_verification',
  'acknowledge',
  'empathise',
  'ask_reason',
  'ask_purpose',
  'ask_income',
  'ask_debts',
  'ask_time',
  'ask_who',
  'ask_detail',
  'ask_transfer',
  'ask_notice',
  'ask_plan',
  'explain_amount',
  'explain_terms',
  'explain_process',
  'offer_plan',
  'warn_fraud',
  'refuse_disclosure',
  'register_ticket',
  'hand_off',
  'urge_payment',
  'stall',
  'close',
  'other',
] as const;

export type AgentAct = (typeof AGENT_ACTS)[number];

export function isAgentAct(value: unknown): value is AgentAct {
  return (AGENT_ACTS as readonly unknown[]).includes(value);
}

/** Acts that ask the customer for something they know (a hidden fact). */
export function isAsking(act: AgentAct): boolean {
  return act.startsWith('ask_') && act !== 'ask_verification';
}

/** One labelled clause of the agent-act corpus. */
export type LabelledAgentClause = {
  readonly text: string;
  readonly act: AgentAct;
  /** `file:line`, for error messages and review. */
  readonly source: string;
};

/**
 * Parses the corpus: a `# act: <id>` header, then one clause per line;
 * other `#` lines are comments.
 */
export function parseAgentActCorpus(
  name: string,
  content: string,
): Result<LabelledAgentClause[], string> {
  const clauses: LabelledAgentClause[] = [];
  let act: AgentAct | undefined;
  for (const [index, raw] of content.split('\n').entries()) {
    const line = raw.trim();
    const source = `${name}:${index + 1}`;
    if (line === '') continue;
    const header = /^#\s*act:\s*(\S+)$/.exec(line);
    if (header !== null) {
      const value = header[1];
      if (!isAgentAct(value)) return err(`${source}: unknown act ${value}`);
      act = value;
      continue;
    }
    if (line.startsWith('#')) continue;
    if (act === undefined)
      return err(`${source}: clause before the first act header`);
    clauses.push({ text: line, act, source });
  }
  return ok(clauses);
}

/** The fixed 20 % held out of training (by text hash, as the NLU corpus). */
export function isHeldOutClause(text: string): boolean {
  return isHeldOut(text);
}

export type AgentActTools = {
  readonly toSimplified: ToSimplified;
  readonly segment: Segment;
};

// What an agent's question is about: families of words the classifier
// learns one weight for (as the NLU's concepts), so that 工资 and 月薪 both
// ask about income, whatever question frame (方便说一下…吗) carries them. A
// data table: one row per topic, cue phrases in the words agents use.
const AGENT_TOPICS: readonly (readonly [string, RegExp])[] = [
  [
    'reason',
    /原因|为什么|怎么回事|出了什么|发生了什么|什么情况|什么事|变故|怎么会|何故|为何|缘故|遇到.{0,4}困难/,
  ],
  [
    'purpose',
    /用途|用来|用在|用于|干什么用|做什么用|办什么事|派什么用|急用|用钱|用款|钱.{0,4}从哪|资金来源|哪来的/,
  ],
  [
    'income',
    /收入|工资|月薪|薪水|到手|挣|赚|能承受|还款能力|预算|能拿出|生活费|进账/,
  ],
  [
    'debts',
    /负债|其他贷款|别的贷款|其他机构|别的平台|别家|其他平台|其他银行|网贷|信用卡|花呗|借呗|几笔|几家|欠款情况|同时.{0,4}申请/,
  ],
  [
    'time',
    /什么时候|多久|多长时间|哪天|哪一天|几号|最近|时间段|从何时|哪个月|第一次|上一次|开始的/,
  ],
  [
    'who',
    /谁|对方是|什么人|自称|工号|哪个号码|来电号码|哪家公司|名字|联系方式|什么名义|哪里的/,
  ],
  [
    'detail',
    /具体|详细|经过|说了什么|怎么说|说了哪些|内容|复述|提到了|还让您|描述|哪一部分|什么样的/,
  ],
  [
    'transfer',
    /转账|转过钱|转了|汇款|汇出|打钱|打过钱|付款|付过|付了|交过|交了|收到您的钱/,
  ],
  ['notice', /短信|通知|提醒|消息|补充材料|补交|补件|上传材料|未读/],
  [
    'plan',
    /打算|计划|接下来|下一步|准备怎么|希望怎么|倾向|安排|找工作|新工作|本人.{0,4}(?:方便|能不能|亲自|来电)|全部还清|部分还款/,
  ],
  ['verify', /姓名|手机号|身份证|核实|验证|本人信息|身份信息|预留|注册/],
  [
    'sorry',
    /理解|抱歉|对不起|歉意|别着急|别急|放心|担心|心情|不容易|辛苦|体会/,
  ],
  [
    'fraud',
    /诈骗|骗子|报警|110|96110|反诈|冒充|不要转账|验证码|陌生|链接|共享屏幕|警惕/,
  ],
  [
    'privacy',
    /隐私|本人授权|第三方|无法告知|无法透露|不能透露|不能告诉|无法.{0,2}提供|不能.{0,2}提供/,
  ],
  ['ticket', /登记|工单|核查|跟进|加急|处理结果|回电|调查|转给相关部门/],
  ['handoff', /转接|转人工|转到|转给.{0,2}(?:主管|同事)|主管/],
  [
    'urge',
    /尽快还|赶紧|马上.{0,2}还|必须.{0,4}还|今天.{0,4}还|立刻|别拖|也得.{0,2}还|总是要还/,
  ],
  [
    'stall',
    /耐心等|再等|等通知|不清楚|没有办法|没办法|不归我|说不准|不知道|回答不了|等着/,
  ],
  ['close', /还有(?:其他|别的|什么)|再见|祝您|来电|随时联系|先到这里|先挂/],
  [
    'plan_offer',
    /分期|停息挂账|展期|延期|协商|还款方案|减免|延长|降低.{0,4}还款/,
  ],
];

const TOPIC_COPIES = 3;

/** The NLU's utterance features plus the agent topics (on normalised text). */
export function agentFeatures(text: string, segment: Segment): string[] {
  const features = utteranceFeatures(text, segment);
  for (const [topic, pattern] of AGENT_TOPICS)
    if (pattern.test(text))
      for (let copy = 0; copy < TOPIC_COPIES; copy += 1)
        features.push(`t:${topic}#${copy}`);
  return features;
}

function featuresOf(text: string, tools: AgentActTools): string[] {
  return agentFeatures(normalizeText(text, tools.toSimplified), tools.segment);
}

const CALIBRATION_FOLDS = 3;

/**
 * Trains the act classifier (the intent model's softmax regression and
 * options), then fits its temperature on out-of-fold predictions so that
 * the confidence threshold means the same on every corpus.
 */
export function trainAgentActModel(
  clauses: readonly LabelledAgentClause[],
  tools: AgentActTools,
  options: TrainingOptions = TRAINING_OPTIONS_DEFAULT,
): SoftmaxModel {
  const examples: TrainingExample[] = clauses.map((clause) => ({
    features: featuresOf(clause.text, tools),
    label: clause.act,
  }));
  const model = trainSoftmax(examples, AGENT_ACTS, options);
  const scored: { scores: Float64Array; label: number }[] = [];
  for (let fold = 0; fold < CALIBRATION_FOLDS; fold += 1) {
    const train = examples.filter((_, i) => i % CALIBRATION_FOLDS !== fold);
    const test = examples.filter((_, i) => i % CALIBRATION_FOLDS === fold);
    const partial = trainSoftmax(train, AGENT_ACTS, options);
    for (const example of test) {
      const columns = example.features
        .map((feature) => partial.vocabulary[feature])
        .filter((column) => column !== undefined);
      scored.push({
        scores: logits(partial, columns),
        label: AGENT_ACTS.indexOf(example.label as AgentAct),
      });
    }
  }
  model.temperature = fitTemperature(scored);
  return model;
}

/**
 * Below this confidence a clause is read as `other`: the customer does not
 * react to what it did not understand. Chosen on the held-out split
 * (BENCHMARKS.md, ## Training).
 */
export const AGENT_ACT_CONFIDENCE_MIN = 0.35;

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
  /** Slots of the whole message (dates, terms, phone…), the NLU's parsers. */
  readonly slots: Slots;
};

export type AgentActModel = AgentActTools & { readonly model: SoftmaxModel };

/** The classifier's best act for one normalised clause. */
export function classifyClause(
  model: AgentActModel,
  clause: string,
): { act: AgentAct; confidence: number } {
  const probabilities = predictProbabilities(
    model.model,
    agentFeatures(clause, model.segment),
  );
  let best = 0;
  for (let index = 1; index < probabilities.length; index += 1)
    if ((probabilities[index] ?? 0) > (probabilities[best] ?? 0)) best = index;
  const act = model.model.labels[best];
  return {
    act: isAgentAct(act) ? act : 'other',
    confidence: probabilities[best] ?? 0,
  };
}

/**
 * Reads a trainee's message: every clause's act, the amounts it states and
 * its slots. Deterministic.
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
    slots: readSlots(normalized, today),
  };
}

export type AgentActEvaluation = {
  readonly clauses: number;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly perAct: Readonly<
    Record<string, { precision: number; recall: number; support: number }>
  >;
  readonly errors: readonly { text: string; gold: AgentAct; read: AgentAct }[];
};

/** Scores the classifier (with its `other` fallback) on labelled clauses. */
export function evaluateAgentActs(
  model: AgentActModel,
  clauses: readonly LabelledAgentClause[],
): AgentActEvaluation {
  const pairs = clauses.map((clause) => {
    const best = classifyClause(
      model,
      normalizeText(clause.text, model.toSimplified),
    );
    const read: AgentAct =
      best.confidence >= AGENT_ACT_CONFIDENCE_MIN ? best.act : 'other';
    return { text: clause.text, gold: clause.act, read };
  });
  const perAct: Record<
    string,
    { precision: number; recall: number; support: number }
  > = {};
  let f1Sum = 0;
  let present = 0;
  for (const act of AGENT_ACTS) {
    const support = pairs.filter((p) => p.gold === act).length;
    if (support === 0) continue;
    const predicted = pairs.filter((p) => p.read === act).length;
    const hits = pairs.filter((p) => p.gold === act && p.read === act).length;
    const precision = predicted === 0 ? 0 : hits / predicted;
    const recall = hits / support;
    perAct[act] = { precision, recall, support };
    f1Sum +=
      precision + recall === 0
        ? 0
        : (2 * precision * recall) / (precision + recall);
    present += 1;
  }
  const right = pairs.filter((p) => p.gold === p.read).length;
  return {
    clauses: pairs.length,
    accuracy: pairs.length === 0 ? 0 : right / pairs.length,
    macroF1: present === 0 ? 0 : f1Sum / present,
    perAct,
    errors: pairs.filter((p) => p.gold !== p.read),
  };
}
