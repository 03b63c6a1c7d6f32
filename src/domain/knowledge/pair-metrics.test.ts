// Proves the pair metrics the benchmark reports, on hand-computed cases:
// accuracy/F1 at a threshold, the best-accuracy threshold, ROC AUC with
// ties, and Spearman correlation.
import { describe, expect, it } from 'vitest';
import {
  bestAccuracyThreshold,
  pairMetricsAt,
  rocAuc,
  spearman,
} from './pair-metrics.js';

const pair = (score: number, same: boolean) => ({ score, same });

describe('pair metrics', () => {
  it('counts accuracy, precision, recall and F1 at a threshold', () => {
    const pairs = [
      pair(0.9, true),
      pair(0.6, false),
      pair(0.4, true),
      pair(0.1, false),
    ];
    const metrics = pairMetricsAt(pairs, 0.5);
    expect(metrics.accuracy).toBe(0.5);
    expect(metrics.precision).toBe(0.5);
    expect(metrics.recall).toBe(0.5);
    expect(metrics.f1).toBe(0.5);
  });

  it('places the best threshold between separable scores', () => {
    const pairs = [
      pair(0.9, true),
      pair(0.7, true),
      pair(0.3, false),
      pair(0.1, false),
    ];
    const threshold = bestAccuracyThreshold(pairs);
    expect(threshold).toBeCloseTo(0.5, 12);
    expect(pairMetricsAt(pairs, threshold).accuracy).toBe(1);
  });

  it('computes AUC 1 for a perfect ranking and 0.5 for all ties', () => {
    expect(rocAuc([pair(0.9, true), pair(0.1, false)])).toBe(1);
    expect(rocAuc([pair(0.5, true), pair(0.5, false)])).toBe(0.5);
    expect(rocAuc([pair(0.2, true), pair(0.8, false), pair(0.9, true)])).toBe(
      0.5,
    );
  });

  it('computes Spearman correlation of score and label', () => {
    const perfect = [
      pair(0.1, false),
      pair(0.2, false),
      pair(0.8, true),
      pair(0.9, true),
    ];
    expect(spearman(perfect)).toBeCloseTo(Math.sqrt(0.8), 12);
    const reversed = perfect.map((p) => pair(1 - p.score, p.same));
    expect(spearman(reversed)).toBeCloseTo(-Math.sqrt(0.8), 12);
  });
});
