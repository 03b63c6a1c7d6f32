import { assert } from '../shared/assert.js';

// Early warning (贷前预警 / 逾期预警): a points scorecard of the chance that a
// loan that is current today goes overdue. Transparent by construction: each
// feature falls into one band, each band carries whole points and a reason
// in Chinese, the score is the sum of the points, and the probability is a
// logistic function of the score. A collector sees exactly which facts put a
// borrower on the watch list.
//
// The shipped points are expert judgment, not fitted: LoanDesk may not ship
// anything derived from the public datasets it is evaluated on. The
// benchmark `bench/early-warning.bench.ts` fits the same bands on a training
// split of a public credit-default dataset at run time and reports the
// held-out AUC of both the fitted card and this one (BENCHMARKS.md).

/** The facts the score reads, all known to the end-of-day batch. */
export type EarlyWarningFeatures = {
  /** Highest days past due the loan ever reached. */
  readonly maxDaysPastDue: number;
  /** Times the loan went from current to overdue. */
  readonly overdueEpisodes: number;
  /** Repayments in the last 180 days smaller than the installment due. */
  readonly partialPayments: number;
  /** Contact attempts in the last 30 days that did not reach the debtor. */
  readonly failedContacts: number;
  /**
   * Monthly installment / monthly income in basis points (10000 = 100 %),
   * or undefined when the income is unknown.
   */
  readonly debtToIncomeBp: number | undefined;
  /** Whole months since the loan started. */
  readonly monthsOnBook: number;
};

export type EarlyWarningFeature = keyof EarlyWarningFeatures;

export const EARLY_WARNING_FEATURES: readonly EarlyWarningFeature[] = [
  'maxDaysPastDue',
  'overdueEpisodes',
  'partialPayments',
  'failedContacts',
  'debtToIncomeBp',
  'monthsOnBook',
];

/** One band of a feature: values in [min, max] (max undefined = no cap). */
export type ScoreBand = {
  readonly code: string;
  readonly min: number;
  readonly max: number | undefined;
  readonly points: number;
  /** zh-CN, shown to collectors; empty for the no-risk band. */
  readonly reason: string;
};

export type Scorecard = {
  /** Bands per feature, in ascending order, covering 0 … ∞ without gaps. */
  readonly bands: Readonly<Record<EarlyWarningFeature, readonly ScoreBand[]>>;
  /** Points when the debt-to-income ratio is unknown. */
  readonly unknownIncome: ScoreBand;
  /** log-odds = intercept + slope × score. */
  readonly intercept: number;
  readonly slope: number;
};

export type EarlyWarningReason = {
  readonly code: string;
  readonly points: number;
  readonly reason: string;
};

export type EarlyWarningScore = {
  /** 0 … 1000; higher means more likely to go overdue. */
  readonly score: number;
  /** The logistic mapping of the score, 0 … 1. */
  readonly probability: number;
  /** Bands that scored points, largest first (ties by code). */
  readonly reasons: readonly EarlyWarningReason[];
};

export const SCORE_MAX = 1000;

function band(
  code: string,
  min: number,
  max: number | undefined,
  points: number,
  reason: string,
): ScoreBand {
  return { code, min, max, points, reason };
}

/**
 * Expert points. Past lateness weighs most (the strongest predictor in every
 * published retail scorecard), then the burden of the installment on the
 * income, then recent behaviour (partial payments, unreachable borrower),
 * and a young loan has no track record yet. 100 points double the odds
 * (slope ln 2 / 100); a loan with no risk band at all maps to about 3 %.
 */
export const DEFAULT_SCORECARD: Scorecard = {
  bands: {
    maxDaysPastDue: [
      band('max_dpd_0', 0, 0, 0, ''),
      band('max_dpd_1_7', 1, 7, 90, '历史最长逾期1至7天'),
      band('max_dpd_8_30', 8, 30, 170, '历史最长逾期8至30天'),
      band('max_dpd_31_90', 31, 90, 250, '历史最长逾期31至90天'),
      band('max_dpd_91', 91, undefined, 320, '历史最长逾期超过90天'),
    ],
    overdueEpisodes: [
      band('episodes_0', 0, 1, 0, ''),
      band('episodes_2', 2, 2, 60, '曾两次发生逾期'),
      band('episodes_3', 3, undefined, 120, '曾三次及以上发生逾期'),
    ],
    partialPayments: [
      band('partial_0', 0, 0, 0, ''),
      band('partial_1', 1, 1, 50, '近6个月有1次未足额还款'),
      band('partial_2', 2, undefined, 110, '近6个月有2次及以上未足额还款'),
    ],
    failedContacts: [
      band('contact_fail_0', 0, 0, 0, ''),
      band('contact_fail_1_2', 1, 2, 40, '近30天有联系未接通记录'),
      band('contact_fail_3', 3, undefined, 100, '近30天3次及以上联系未接通'),
    ],
    debtToIncomeBp: [
      band('dti_lt_30', 0, 2999, 0, ''),
      band('dti_30_50', 3000, 4999, 60, '月供占月收入30%至50%'),
      band('dti_50_70', 5000, 6999, 120, '月供占月收入50%至70%'),
      band('dti_70', 7000, undefined, 180, '月供超过月收入的70%'),
    ],
    monthsOnBook: [
      band('mob_0_2', 0, 2, 50, '放款不足3个月，还款记录较少'),
      band('mob_3_11', 3, 11, 20, '放款不足12个月'),
      band('mob_12', 12, undefined, 0, ''),
    ],
  },
  unknownIncome: band(
    'dti_unknown',
    0,
    undefined,
    40,
    '未登记月收入，无法评估还款负担',
  ),
  intercept: -3.5,
  slope: Math.LN2 / 100,
};

/** The band a value falls in (bands are checked to cover 0 … ∞). */
export function bandFor(bands: readonly ScoreBand[], value: number): ScoreBand {
  assert(Number.isInteger(value) && value >= 0, `score feature ${value}`);
  for (const b of bands) {
    if (value >= b.min && (b.max === undefined || value <= b.max)) return b;
  }
  assert(false, `no band for ${value}`);
}

/** Asserts that every feature's bands cover 0 … ∞ in order. */
export function assertScorecard(card: Scorecard): void {
  for (const feature of EARLY_WARNING_FEATURES) {
    const bands = card.bands[feature];
    let next = 0;
    for (const [index, b] of bands.entries()) {
      assert(b.min === next, `${feature}: band ${b.code} leaves a gap`);
      assert(Number.isInteger(b.points) && b.points >= 0, `${b.code} points`);
      if (b.max === undefined) {
        assert(index === bands.length - 1, `${feature}: open band not last`);
      } else {
        next = b.max + 1;
      }
    }
    assert(bands.at(-1)?.max === undefined, `${feature}: not open-ended`);
  }
}

/** The bands a loan's features fall in, in feature order. */
export function scoreBands(
  features: EarlyWarningFeatures,
  card: Scorecard,
): ScoreBand[] {
  return EARLY_WARNING_FEATURES.map((feature) => {
    const value = features[feature];
    if (value === undefined) return card.unknownIncome;
    return bandFor(card.bands[feature], value);
  });
}

export function probabilityForScore(score: number, card: Scorecard): number {
  return 1 / (1 + Math.exp(-(card.intercept + card.slope * score)));
}

/**
 * The early-warning score of a current loan: points per band, capped at
 * SCORE_MAX, its probability, and the reasons that scored.
 *
 * @example
 * earlyWarningScore({ maxDaysPastDue: 12, overdueEpisodes: 1, … }, DEFAULT_SCORECARD);
 * // { score: 170, probability: 0.09…, reasons: [{ code: 'max_dpd_8_30', … }] }
 */
export function earlyWarningScore(
  features: EarlyWarningFeatures,
  card: Scorecard,
): EarlyWarningScore {
  const bands = scoreBands(features, card);
  let total = 0;
  for (const b of bands) total += b.points;
  const score = Math.min(total, SCORE_MAX);
  const reasons = bands
    .filter((b) => b.points > 0)
    .map((b) => ({ code: b.code, points: b.points, reason: b.reason }))
    .sort((a, b) =>
      b.points !== a.points
        ? b.points - a.points
        : a.code < b.code
          ? -1
          : a.code > b.code
            ? 1
            : 0,
    );
  return { score, probability: probabilityForScore(score, card), reasons };
}

/**
 * A scorer that remembers the answer for each combination of bands: the
 * score depends only on which band each feature falls in, so a book of a
 * million loans needs at most a few thousand distinct computations. The
 * reasons come back also as JSON text, ready to store.
 */
export function createEarlyWarningScorer(
  card: Scorecard,
): (
  features: EarlyWarningFeatures,
) => EarlyWarningScore & { readonly reasonsJson: string } {
  assertScorecard(card);
  const memo = new Map<
    string,
    EarlyWarningScore & { readonly reasonsJson: string }
  >();
  return (features) => {
    const key = scoreBands(features, card)
      .map((b) => b.code)
      .join('|');
    let found = memo.get(key);
    if (found === undefined) {
      const score = earlyWarningScore(features, card);
      found = { ...score, reasonsJson: JSON.stringify(score.reasons) };
      memo.set(key, found);
    }
    return found;
  };
}

/**
 * Area under the ROC curve of scores against outcomes (1 = went bad), by
 * the rank-sum (Mann–Whitney) formula with ties counted half.
 */
export function areaUnderRoc(
  scores: readonly number[],
  outcomes: readonly (0 | 1)[],
): number {
  assert(scores.length === outcomes.length, 'auc: lengths differ');
  const order = scores
    .map((_, i) => i)
    .sort((a, b) => {
      const sa = scores[a] ?? 0;
      const sb = scores[b] ?? 0;
      return sa - sb;
    });
  let positives = 0;
  let rankSum = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    const value = scores[order[i] ?? 0];
    while (j < order.length && scores[order[j] ?? 0] === value) j += 1;
    // Ranks i+1 … j share the average rank.
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k += 1) {
      if (outcomes[order[k] ?? 0] === 1) {
        positives += 1;
        rankSum += averageRank;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  assert(positives > 0 && negatives > 0, 'auc: needs both outcomes');
  return (
    (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives)
  );
}
