import { assert } from '../../shared/assert.js';
import type { LabelledUtterance } from './corpus.js';
import { type Segment, utteranceFeatures } from './features.js';
import { INTENTS, type Intent } from './labels.js';
import { normalizeText, type ToSimplified } from './normalize.js';
import {
  logits,
  type SoftmaxModel,
  softmax,
  TRAINING_OPTIONS_DEFAULT,
  type TrainingExample,
  type TrainingOptions,
  trainSoftmax,
} from './softmax-classifier.js';

export type IntentTrainingOptions = TrainingOptions & {
  /** Folds for fitting the temperature out of fold; 0 leaves it at 1. */
  calibrationFolds: number;
};

export const INTENT_TRAINING_OPTIONS_DEFAULT: IntentTrainingOptions = {
  ...TRAINING_OPTIONS_DEFAULT,
  calibrationFolds: 3,
};

// Temperatures tried when calibrating; the scale is logarithmic because NLL
// is flat near the optimum and steep at the ends.
const TEMPERATURES = Array.from(
  { length: 41 },
  (_, index) => 0.25 * 1.08 ** index,
);

type Scored = { scores: Float64Array; label: number };

/** The temperature with the least negative log-likelihood on `scored`. */
export function fitTemperature(scored: readonly Scored[]): number {
  let best = 1;
  let bestLoss = Number.POSITIVE_INFINITY;
  for (const temperature of TEMPERATURES) {
    let loss = 0;
    for (const item of scored) {
      const probability = softmax(item.scores, temperature)[item.label] ?? 0;
      loss -= Math.log(Math.max(probability, 1e-12));
    }
    if (loss < bestLoss) {
      bestLoss = loss;
      best = temperature;
    }
  }
  return best;
}

function outOfFoldScores(
  examples: readonly TrainingExample[],
  folds: number,
  options: TrainingOptions,
): Scored[] {
  const scored: Scored[] = [];
  for (let fold = 0; fold < folds; fold += 1) {
    const train = examples.filter((_, index) => index % folds !== fold);
    const test = examples.filter((_, index) => index % folds === fold);
    const model = trainSoftmax(train, INTENTS, options);
    for (const example of test) {
      const columns = example.features
        .map((feature) => model.vocabulary[feature])
        .filter((column) => column !== undefined);
      scored.push({
        scores: logits(model, columns),
        label: INTENTS.indexOf(example.label as Intent),
      });
    }
  }
  return scored;
}

/**
 * Trains the intent classifier on labelled utterances: normalise, take
 * features, fit a softmax regression, then fit its temperature on
 * out-of-fold predictions so that confidence means what it says.
 */
export function trainIntentModel(
  utterances: readonly LabelledUtterance[],
  toSimplified: ToSimplified,
  segment: Segment,
  options: IntentTrainingOptions = INTENT_TRAINING_OPTIONS_DEFAULT,
): SoftmaxModel {
  assert(utterances.length > 0, 'trainIntentModel: empty corpus');
  const examples: TrainingExample[] = utterances.map((utterance) => ({
    features: utteranceFeatures(
      normalizeText(utterance.text, toSimplified),
      segment,
    ),
    label: utterance.intent,
  }));
  const model = trainSoftmax(examples, INTENTS, options);
  if (options.calibrationFolds >= 2) {
    const scored = outOfFoldScores(examples, options.calibrationFolds, options);
    model.temperature = fitTemperature(scored);
  }
  return model;
}
