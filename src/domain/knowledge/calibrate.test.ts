// Proves the threshold calibration on hand-made samples: it separates the
// two kinds when they can be separated, and a tie goes to the higher
// threshold (refusing is safer than a wrong answer).
import { describe, expect, it } from 'vitest';
import { AssertionError } from '../shared/assert.js';
import { calibrateConfidence } from './calibrate.js';

const answer = (confidence: number) => ({ confidence, shouldAnswer: true });
const refuse = (confidence: number) => ({ confidence, shouldAnswer: false });

describe('confidence calibration', () => {
  it('puts the threshold between separable kinds', () => {
    const calibration = calibrateConfidence([
      answer(0.9),
      answer(0.7),
      refuse(0.3),
      refuse(0.1),
    ]);
    expect(calibration.confidenceMin).toBeGreaterThan(0.3);
    expect(calibration.confidenceMin).toBeLessThanOrEqual(0.7);
    expect(calibration.answeredRate).toBe(1);
    expect(calibration.refusedRate).toBe(1);
  });

  it('chooses the highest threshold among equally good ones', () => {
    const calibration = calibrateConfidence([answer(0.8), refuse(0.2)]);
    expect(calibration.confidenceMin).toBe(0.8);
  });

  it('reports the rates at an overlap', () => {
    const calibration = calibrateConfidence([
      answer(0.9),
      answer(0.4),
      refuse(0.5),
      refuse(0.1),
    ]);
    expect(calibration.answeredRate + calibration.refusedRate).toBe(1.5);
  });

  it('asserts that both kinds are present', () => {
    expect(() => calibrateConfidence([answer(0.5)])).toThrow(AssertionError);
  });
});
