import { assert } from '../shared/assert.js';

/** One calibration query: its top confidence and whether it should answer. */
export type CalibrationSample = {
  confidence: number;
  /** True for an in-domain query whose top entry is the right one. */
  shouldAnswer: boolean;
};

export type Calibration = {
  confidenceMin: number;
  /** Share of in-domain queries answered with the right entry. */
  answeredRate: number;
  /** Share of the other queries refused. */
  refusedRate: number;
};

// Candidate thresholds in hundredths: finer steps only chase noise in a few
// hundred calibration queries.
const STEPS = 100;

/**
 * The threshold that maximises balanced accuracy: the mean of the share of
 * good answers kept and the share of bad ones (out-of-domain or wrong
 * entry) refused. Ties go to the higher threshold: a refusal hands the
 * customer to a person, a wrong answer misleads them.
 */
export function calibrateConfidence(
  samples: readonly CalibrationSample[],
): Calibration {
  const good = samples.filter((sample) => sample.shouldAnswer);
  const bad = samples.filter((sample) => !sample.shouldAnswer);
  assert(good.length > 0 && bad.length > 0, 'calibration needs both kinds');
  let best: Calibration = { confidenceMin: 0, answeredRate: 0, refusedRate: 0 };
  let bestScore = -1;
  for (let step = 0; step <= STEPS; step += 1) {
    const confidenceMin = step / STEPS;
    const answered = good.filter((s) => s.confidence >= confidenceMin).length;
    const refused = bad.filter((s) => s.confidence < confidenceMin).length;
    const answeredRate = answered / good.length;
    const refusedRate = refused / bad.length;
    const score = (answeredRate + refusedRate) / 2;
    if (score >= bestScore) {
      bestScore = score;
      best = { confidenceMin, answeredRate, refusedRate };
    }
  }
  return best;
}
