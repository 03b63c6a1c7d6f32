import { assert } from '../shared/assert.js';

/** One scored question pair: similarity and the gold label (1 = same). */
export type ScoredPair = { score: number; same: boolean };

export type PairMetrics = {
  accuracy: number;
  /** F1 of the "same meaning" class. */
  f1: number;
  precision: number;
  recall: number;
};

/** Accuracy, precision, recall and F1 when `score >= threshold` says same. */
export function pairMetricsAt(
  pairs: readonly ScoredPair[],
  threshold: number,
): PairMetrics {
  assert(pairs.length > 0, 'pair metrics need pairs');
  let truePositive = 0;
  let falsePositive = 0;
  let falseNegative = 0;
  for (const { score, same } of pairs) {
    const predicted = score >= threshold;
    if (predicted && same) truePositive += 1;
    else if (predicted) falsePositive += 1;
    else if (same) falseNegative += 1;
  }
  const trueNegative =
    pairs.length - truePositive - falsePositive - falseNegative;
  const precision = truePositive / Math.max(truePositive + falsePositive, 1);
  const recall = truePositive / Math.max(truePositive + falseNegative, 1);
  const f1 =
    precision + recall === 0
      ? 0
      : (2 * precision * recall) / (precision + recall);
  return {
    accuracy: (truePositive + trueNegative) / pairs.length,
    f1,
    precision,
    recall,
  };
}

/**
 * The threshold with the best accuracy on `pairs` (midway between two
 * adjacent distinct scores, so it transfers to unseen scores sensibly).
 */
export function bestAccuracyThreshold(pairs: readonly ScoredPair[]): number {
  assert(pairs.length > 0, 'a threshold needs pairs');
  const sorted = [...pairs].sort((a, b) => a.score - b.score);
  // Threshold below everything: all predicted same.
  let correct = sorted.filter((pair) => pair.same).length;
  let bestCorrect = correct;
  let best = (sorted[0]?.score ?? 0) - 1e-9;
  for (let i = 0; i < sorted.length; i += 1) {
    const pair = sorted[i] as ScoredPair;
    // Moving the threshold above this pair predicts it "different".
    correct += pair.same ? -1 : 1;
    const next = sorted[i + 1];
    if (next !== undefined && next.score === pair.score) continue;
    if (correct > bestCorrect) {
      bestCorrect = correct;
      best =
        next === undefined ? pair.score + 1e-9 : (pair.score + next.score) / 2;
    }
  }
  return best;
}

// Ranks 1..n with ties sharing their mean rank.
function averageRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index }));
  order.sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length).fill(0);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (
      end + 1 < order.length &&
      order[end + 1]?.value === order[start]?.value
    ) {
      end += 1;
    }
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k += 1) ranks[order[k]?.index ?? 0] = rank;
    start = end + 1;
  }
  return ranks;
}

/** Area under the ROC curve (Mann–Whitney U, ties count one half). */
export function rocAuc(pairs: readonly ScoredPair[]): number {
  const positives = pairs.filter((pair) => pair.same).length;
  const negatives = pairs.length - positives;
  assert(positives > 0 && negatives > 0, 'AUC needs both labels');
  const ranks = averageRanks(pairs.map((pair) => pair.score));
  let positiveRankSum = 0;
  pairs.forEach((pair, index) => {
    if (pair.same) positiveRankSum += ranks[index] ?? 0;
  });
  const u = positiveRankSum - (positives * (positives + 1)) / 2;
  return u / (positives * negatives);
}

/** Spearman rank correlation of score and label (the STS convention). */
export function spearman(pairs: readonly ScoredPair[]): number {
  assert(pairs.length > 1, 'Spearman needs two pairs or more');
  const a = averageRanks(pairs.map((pair) => pair.score));
  const b = averageRanks(pairs.map((pair) => (pair.same ? 1 : 0)));
  const mean = (pairs.length + 1) / 2;
  let covariance = 0;
  let varianceA = 0;
  let varianceB = 0;
  for (let i = 0; i < pairs.length; i += 1) {
    const da = (a[i] ?? 0) - mean;
    const db = (b[i] ?? 0) - mean;
    covariance += da * db;
    varianceA += da * da;
    varianceB += db * db;
  }
  return covariance / Math.sqrt(varianceA * varianceB);
}
