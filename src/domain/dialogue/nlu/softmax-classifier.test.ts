import { describe, expect, it } from 'vitest';
import { fitTemperature } from './intent-model.js';
import {
  predictProbabilities,
  softmax,
  type TrainingExample,
  trainSoftmax,
} from './softmax-classifier.js';

const EXAMPLES: TrainingExample[] = [
  { features: ['利息', '多少'], label: 'rate' },
  { features: ['年化', '多少'], label: 'rate' },
  { features: ['利率', '高吗'], label: 'rate' },
  { features: ['放款', '多久'], label: 'money' },
  { features: ['到账', '没有'], label: 'money' },
  { features: ['放款', '时间'], label: 'money' },
];
const LABELS = ['rate', 'money'];
const OPTIONS = { epochs: 20, learningRate: 1, l2: 1e-5, seed: 3 };

describe('softmax classifier', () => {
  it('learns separable examples', () => {
    const model = trainSoftmax(EXAMPLES, LABELS, OPTIONS);
    const rate = predictProbabilities(model, ['利息', '高吗']);
    const money = predictProbabilities(model, ['到账', '时间']);
    expect(rate[0]).toBeGreaterThan(0.8);
    expect(money[1]).toBeGreaterThan(0.8);
  });

  it('trains the same weights for the same seed', () => {
    const first = trainSoftmax(EXAMPLES, LABELS, OPTIONS);
    const second = trainSoftmax(EXAMPLES, LABELS, OPTIONS);
    expect([...first.weights]).toEqual([...second.weights]);
  });

  it('gives an even answer for features it never saw', () => {
    const model = trainSoftmax(EXAMPLES, LABELS, OPTIONS);
    const unknown = predictProbabilities(model, ['天气']);
    expect(Math.abs((unknown[0] ?? 0) - (unknown[1] ?? 0))).toBeLessThan(0.2);
  });

  it('returns probabilities that sum to one, flatter at higher temperature', () => {
    const scores = Float64Array.from([2, 0, -1]);
    const sharp = softmax(scores, 0.5);
    const flat = softmax(scores, 4);
    expect(sharp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(sharp[0]).toBeGreaterThan(flat[0] ?? 1);
  });

  it('fits a higher temperature to over-confident scores', () => {
    // Scores say 99.99 % but are right only 3 times in 4.
    const confident = Float64Array.from([10, 0]);
    const scored = [
      { scores: confident, label: 0 },
      { scores: confident, label: 0 },
      { scores: confident, label: 0 },
      { scores: confident, label: 1 },
    ];
    expect(fitTemperature(scored)).toBeGreaterThan(4);
  });
});
