import { type Fen, fen } from '../../money/fen.js';
import { type Rate, rate } from '../../money/rate.js';
import type { Rounding } from '../../money/rounding.js';
import { assert } from '../../shared/assert.js';

/**
 * When penalty starts once an installment is paid after its grace days.
 * - `from_due_date`: the grace only forgives; once it lapses, penalty is
 *   owed for every day since the due date. This is the common Chinese
 *   contract wording (宽限期内还款不视为逾期、不计罚息；超过宽限期的，自应还款日
 *   起计收罚息) and the default.
 * - `from_grace_end`: the grace days are never charged; penalty runs only
 *   for the days after the grace.
 */
export type GraceStart = 'from_due_date' | 'from_grace_end';

export const GRACE_STARTS: readonly GraceStart[] = [
  'from_due_date',
  'from_grace_end',
];

/** A late fee (违约金) charged once per installment when its grace lapses. */
export type LateFee =
  | { readonly kind: 'none' }
  | { readonly kind: 'fixed'; readonly amountFen: Fen }
  /** A share of what the installment still owes when the grace lapses. */
  | { readonly kind: 'share_of_installment'; readonly share: Rate };

/** Days in the year for the daily penalty rate (日利率 = 年利率 / 360). */
export type PenaltyDaysInYear = 360 | 365;

/**
 * How an overdue loan is charged.
 *
 * Basis: 《中国人民银行关于人民币贷款利率有关问题的通知》(银发〔2003〕251号) §3 —
 * overdue loans bear penalty interest at the contract rate plus 30 % to 50 %
 * from the day they are overdue until repaid, and interest not paid on time
 * bears compound interest at the penalty rate (regulations.md INT-03). The
 * daily rate is the annual rate / 360 (spec/loan-math.md).
 */
export type PenaltyPolicy = {
  /** Penalty rate = contract rate × multiple; 1.5 is the 251号 upper end. */
  readonly penaltyMultiple: Rate;
  readonly daysInYear: PenaltyDaysInYear;
  /** Also charge compound interest (复利) on overdue interest. */
  readonly compoundOverdueInterest: boolean;
  readonly graceDays: number;
  readonly graceStart: GraceStart;
  readonly lateFee: LateFee;
  /** Rounding of an installment's penalty, applied once to its total. */
  readonly rounding: Rounding;
};

/** Grace days the policy accepts: two months is already a restructuring. */
export const GRACE_DAYS_MAX = 60;

export const DEFAULT_PENALTY_POLICY: PenaltyPolicy = {
  penaltyMultiple: rate(3n, 2n),
  daysInYear: 360,
  compoundOverdueInterest: true,
  graceDays: 0,
  graceStart: 'from_due_date',
  lateFee: { kind: 'none' },
  rounding: 'half_up',
};

/** Asserts a policy our own code built; the CLI checks user input first. */
export function assertPenaltyPolicy(policy: PenaltyPolicy): void {
  assert(policy.penaltyMultiple.numerator >= 0n, 'penalty multiple < 0');
  assert(
    Number.isInteger(policy.graceDays) &&
      policy.graceDays >= 0 &&
      policy.graceDays <= GRACE_DAYS_MAX,
    `grace days out of range: ${policy.graceDays}`,
  );
  if (policy.lateFee.kind === 'fixed') {
    assert(policy.lateFee.amountFen >= 0n, 'late fee < 0');
    fen(policy.lateFee.amountFen);
  }
  if (policy.lateFee.kind === 'share_of_installment') {
    assert(policy.lateFee.share.numerator >= 0n, 'late fee share < 0');
  }
}
