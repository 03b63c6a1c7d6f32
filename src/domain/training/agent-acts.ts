// The conversation machinery in reverse: the simulated customer reads what
// the trainee (an agent) says with the same text tools the bot uses on
// customers — normaliser, jieba segmentation, utterance features, the
// softmax classifier — but with a classifier of *agent acts* (ask for
// verification, ask about income, explain an amount, offer a plan, close…)
// trained on an agent-side corpus (content/training/agent-acts.txt). The
// labels, the corpus, training and evaluation; reading a whole message is
// read-agent-message.ts.

import { isHeldOut } from '../dialogue/nlu/corpus.js';
import type { Segment } from '../dialogue/nlu/features.js';
import { fitTemperature } from '../dialogue/nlu/intent-model.js';
import { normalizeText, type ToSimplified } from '../dialogue/nlu/normalize.js';
import {
  logits,
  predictProbabilities,
  type SoftmaxModel,
  TRAINING_OPTIONS_DEFAULT,
  type TrainingExample,
  type TrainingOptions,
  trainSoftmax,
} from '../dialogue/nlu/softmax-classifier.js';
import { err, ok, type Result } from '../shared/result.js';
import { agentFeatures } from './agent-features.js';

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
