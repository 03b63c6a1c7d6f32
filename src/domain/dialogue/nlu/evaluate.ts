import { assert } from '../../shared/assert.js';
import type { LabelledUtterance } from './corpus.js';
import { INTENTS, type Intent, type Slots } from './labels.js';
import type { Nlu, NluResult } from './nlu.js';

export type PrecisionRecall = {
  precision: number;
  recall: number;
  f1: number;
  support: number;
};

export type CalibrationBin = {
  confidenceMean: number;
  accuracy: number;
  count: number;
};

export type NluEvaluation = {
  utterances: number;
  intentAccuracy: number;
  intentMacroF1: number;
  perIntent: Record<Intent, PrecisionRecall>;
  /** Share of utterances whose whole slot set equals the labels. */
  slotExactMatch: number;
  /** The same, over utterances that carry at least one labelled slot. */
  slotExactMatchLabelled: number;
  slotsLabelled: number;
  emotionAccuracy: number;
  risk: PrecisionRecall;
  fraud: PrecisionRecall;
  /** Expected calibration error of `confidence` over 10 bins. */
  calibrationError: number;
  calibration: CalibrationBin[];
  /** Share below the clarify threshold, and accuracy of the rest. */
  clarifyShare: number;
  accuracyAboveClarify: number;
  errors: { utterance: LabelledUtterance; result: NluResult }[];
};

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function prf(
  truePositives: number,
  predicted: number,
  actual: number,
): PrecisionRecall {
  const precision = ratio(truePositives, predicted);
  const recall = ratio(truePositives, actual);
  const f1 = ratio(2 * precision * recall, precision + recall);
  return { precision, recall, f1, support: actual };
}

/** Slot sets are equal when they hold the same ids with the same values. */
export function sameSlots(left: Slots, right: Slots): boolean {
  const leftEntries = Object.entries(left).filter(
    ([, value]) => value !== undefined,
  );
  const rightEntries = Object.entries(right).filter(
    ([, value]) => value !== undefined,
  );
  if (leftEntries.length !== rightEntries.length) return false;
  const rightMap = new Map(rightEntries);
  return leftEntries.every(([key, value]) => rightMap.get(key) === value);
}

type SignalCounts = { hits: number; predicted: number; actual: number };

function countSignals(
  counts: SignalCounts,
  predicted: readonly string[],
  actual: readonly string[],
): void {
  counts.predicted += predicted.length;
  counts.actual += actual.length;
  counts.hits += predicted.filter((label) => actual.includes(label)).length;
}

const CALIBRATION_BINS = 10;

function calibrationOf(
  pairs: readonly { confidence: number; correct: boolean }[],
): CalibrationBin[] {
  const bins = Array.from({ length: CALIBRATION_BINS }, () => ({
    sum: 0,
    hits: 0,
    count: 0,
  }));
  for (const { confidence, correct } of pairs) {
    const bin =
      bins[
        Math.min(
          Math.floor(confidence * CALIBRATION_BINS),
          CALIBRATION_BINS - 1,
        )
      ];
    assert(bin !== undefined, 'calibrationOf: bin out of range');
    bin.sum += confidence;
    bin.hits += correct ? 1 : 0;
    bin.count += 1;
  }
  return bins.map((bin) => ({
    confidenceMean: ratio(bin.sum, bin.count),
    accuracy: ratio(bin.hits, bin.count),
    count: bin.count,
  }));
}

function perIntentScores(
  pairs: readonly { gold: Intent; predicted: Intent }[],
): Record<Intent, PrecisionRecall> {
  const scores = {} as Record<Intent, PrecisionRecall>;
  for (const intent of INTENTS) {
    const hits = pairs.filter(
      (pair) => pair.gold === intent && pair.predicted === intent,
    ).length;
    const predicted = pairs.filter((pair) => pair.predicted === intent).length;
    const actual = pairs.filter((pair) => pair.gold === intent).length;
    scores[intent] = prf(hits, predicted, actual);
  }
  return scores;
}

type Tally = {
  risk: SignalCounts;
  fraud: SignalCounts;
  intents: { gold: Intent; predicted: Intent }[];
  confidences: { confidence: number; correct: boolean }[];
  errors: NluEvaluation['errors'];
  slotHits: number;
  slotHitsLabelled: number;
  slotsLabelled: number;
  emotionHits: number;
};

function tallyOf(nlu: Nlu, utterances: readonly LabelledUtterance[]): Tally {
  const tally: Tally = {
    risk: { hits: 0, predicted: 0, actual: 0 },
    fraud: { hits: 0, predicted: 0, actual: 0 },
    intents: [],
    confidences: [],
    errors: [],
    slotHits: 0,
    slotHitsLabelled: 0,
    slotsLabelled: 0,
    emotionHits: 0,
  };
  for (const utterance of utterances) {
    const result = nlu.understand({
      text: utterance.text,
      today: utterance.today,
    });
    const correct = result.intent === utterance.intent;
    tally.intents.push({ gold: utterance.intent, predicted: result.intent });
    tally.confidences.push({ confidence: result.confidence, correct });
    const slotsMatch = sameSlots(result.slots, utterance.slots);
    tally.slotHits += slotsMatch ? 1 : 0;
    if (Object.keys(utterance.slots).length > 0) {
      tally.slotsLabelled += 1;
      tally.slotHitsLabelled += slotsMatch ? 1 : 0;
    }
    tally.emotionHits += result.emotion === utterance.emotion ? 1 : 0;
    countSignals(tally.risk, result.risk_signals, utterance.riskSignals);
    countSignals(tally.fraud, result.fraud_signals, utterance.fraudSignals);
    if (!correct || !slotsMatch) tally.errors.push({ utterance, result });
  }
  return tally;
}

/**
 * Runs the NLU over labelled utterances and scores every output field.
 * Macro-F1 averages over the intents present in the set.
 */
export function evaluateNlu(
  nlu: Nlu,
  utterances: readonly LabelledUtterance[],
  clarifyBelow: number,
): NluEvaluation {
  assert(utterances.length > 0, 'evaluateNlu: nothing to evaluate');
  const {
    risk,
    fraud,
    intents,
    confidences,
    errors,
    slotHits,
    slotHitsLabelled,
    slotsLabelled,
    emotionHits,
  } = tallyOf(nlu, utterances);
  const perIntent = perIntentScores(intents);
  const present = INTENTS.filter((intent) => perIntent[intent].support > 0);
  const calibration = calibrationOf(confidences);
  const confident = confidences.filter(
    (pair) => pair.confidence >= clarifyBelow,
  );
  return {
    utterances: utterances.length,
    intentAccuracy: ratio(
      intents.filter((pair) => pair.gold === pair.predicted).length,
      intents.length,
    ),
    intentMacroF1: ratio(
      present.reduce((sum, intent) => sum + perIntent[intent].f1, 0),
      present.length,
    ),
    perIntent,
    slotExactMatch: ratio(slotHits, utterances.length),
    slotExactMatchLabelled: ratio(slotHitsLabelled, slotsLabelled),
    slotsLabelled,
    emotionAccuracy: ratio(emotionHits, utterances.length),
    risk: prf(risk.hits, risk.predicted, risk.actual),
    fraud: prf(fraud.hits, fraud.predicted, fraud.actual),
    calibrationError: calibration.reduce(
      (sum, bin) =>
        sum +
        (bin.count / utterances.length) *
          Math.abs(bin.accuracy - bin.confidenceMean),
      0,
    ),
    calibration,
    clarifyShare: 1 - ratio(confident.length, confidences.length),
    accuracyAboveClarify: ratio(
      confident.filter((pair) => pair.correct).length,
      confident.length,
    ),
    errors,
  };
}
