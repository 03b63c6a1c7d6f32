import { type Rate, rate } from '../../money/rate.js';
import { REAMORTIZATION_MONTHS_MAX } from '../../shared/limits.js';

/** The institution's limits on restructuring; configuration, not code. */
export type RestructuringPolicy = {
  /** 个性化分期 / 停息挂账 tenor cap. Basis: regulations.md INT-06, credit card measures Art. 70 — at most 5 years. */
  readonly reamortizationMonthsMax: number;
  /**
   * 展期 cap by original term. Basis: 《贷款通则》(1996) Art. 12 (grade M: from
   * the statute as commonly cited, not in regulations.md) — short-term loans
   * at most the original term, medium-term at most half of it, long-term at
   * most 3 years.
   */
  readonly extensionShortTermMonthsMax: number;
  readonly extensionMediumShare: Rate;
  readonly extensionLongTermMonthsCap: number;
  readonly penaltyWaiverShareMax: Rate;
  readonly interestWaiverShareMax: Rate;
  readonly feeWaiverShareMax: Rate;
  readonly principalWaiverShareMax: Rate;
};

export const DEFAULT_RESTRUCTURING_POLICY: RestructuringPolicy = {
  reamortizationMonthsMax: REAMORTIZATION_MONTHS_MAX,
  extensionShortTermMonthsMax: 12,
  extensionMediumShare: rate(1n, 2n),
  extensionLongTermMonthsCap: 36,
  penaltyWaiverShareMax: rate(1n, 1n),
  interestWaiverShareMax: rate(3n, 10n),
  feeWaiverShareMax: rate(1n, 1n),
  principalWaiverShareMax: rate(0n, 1n),
};

/** The longest extension the policy allows for a loan of `originalTermMonths`. */
export function extensionMonthsMax(
  policy: RestructuringPolicy,
  originalTermMonths: number,
): number {
  if (originalTermMonths <= policy.extensionShortTermMonthsMax)
    return originalTermMonths;
  if (originalTermMonths <= 60) {
    const share = policy.extensionMediumShare;
    return Number(
      (BigInt(originalTermMonths) * share.numerator) / share.denominator,
    );
  }
  return policy.extensionLongTermMonthsCap;
}
