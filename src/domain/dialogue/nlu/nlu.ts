import { assert } from '../../shared/assert.js';
import type { CalendarDate } from '../../shared/calendar-date.js';
import { CHAT_TURN_CHARS_MAX } from '../../shared/limits.js';
import {
  type KnownSignals,
  type Segment,
  utteranceFeatures,
} from './features.js';
import { matchIntentRule } from './intent-rules.js';
import type {
  Emotion,
  FraudSignal,
  Intent,
  RiskSignal,
  Slots,
} from './labels.js';
import { normalizeText, type ToSimplified } from './normalize.js';
import { readEmotion, readFraudSignals, readRiskSignals } from './signals.js';
import { readSlots } from './slots.js';
import {
  predictProbabilities,
  type SoftmaxModel,
} from './softmax-classifier.js';

/** Everything the NLU needs: the trained classifier and its text tools. */
export type NluModel = {
  intentModel: SoftmaxModel;
  toSimplified: ToSimplified;
  segment: Segment;
};

export type NluInput = { text: string; today: CalendarDate };

/** The reading of one customer turn, with the ids of spec/taxonomy.md. */
export type NluResult = {
  intent: Intent;
  /** Calibrated probability that `intent` is right, in [0, 1]. */
  confidence: number;
  slots: Slots;
  emotion: Emotion;
  risk_signals: RiskSignal[];
  fraud_signals: FraudSignal[];
  /** The text after normalisation (simplified, half-width, typos fixed). */
  normalized: string;
};

export type Nlu = { understand: (input: NluInput) => NluResult };

/**
 * Below this confidence the dialogue asks a clarifying question instead of
 * acting on the intent. On the held-out split about 5 % of turns fall below
 * it, and about 96 % of the rest are right (BENCHMARKS.md, ## NLU); the
 * dialogue also hands off to a human after repeated low confidence.
 */
export const NLU_CONFIDENCE_CLARIFY_BELOW = 0.5;

function classify(
  model: NluModel,
  text: string,
  signals: KnownSignals,
): { intent: Intent; confidence: number } {
  const features = utteranceFeatures(text, model.segment, signals);
  const probabilities = predictProbabilities(model.intentModel, features);
  let best = 0;
  for (let index = 1; index < probabilities.length; index += 1) {
    if ((probabilities[index] ?? 0) > (probabilities[best] ?? 0)) best = index;
  }
  const intent = model.intentModel.labels[best] as Intent;
  const confidence = probabilities[best] ?? 0;
  const rule = matchIntentRule(text);
  if (rule === undefined) return { intent, confidence };
  const ruleProbability =
    probabilities[model.intentModel.labels.indexOf(rule.intent)] ?? 0;
  return {
    intent: rule.intent,
    confidence: Math.max(rule.confidence, ruleProbability),
  };
}

/**
 * Builds the NLU from a trained model.
 *
 * @example
 * const nlu = createNlu(model);
 * nlu.understand({ text: '想借5万分3年', today: calendarDate('2026-11-20') });
 * // { intent: 'apply_loan', confidence: 0.93, slots: { amount_yuan: 50000,
 * //   term_months: 36 }, emotion: 'neutral', risk_signals: [], … }
 */
export function createNlu(model: NluModel): Nlu {
  assert(model.intentModel.labels.length > 0, 'createNlu: untrained model');
  return {
    understand({ text, today }) {
      assert(text.length <= CHAT_TURN_CHARS_MAX, 'understand: text too long');
      const normalized = normalizeText(text, model.toSimplified);
      const signals = {
        fraud: readFraudSignals(normalized),
        risk: readRiskSignals(normalized),
      };
      const { intent, confidence } = classify(model, normalized, signals);
      return {
        intent,
        confidence: Math.round(confidence * 1000) / 1000,
        slots: readSlots(normalized, today),
        emotion: readEmotion(normalized),
        risk_signals: signals.risk,
        fraud_signals: signals.fraud,
        normalized,
      };
    },
  };
}
