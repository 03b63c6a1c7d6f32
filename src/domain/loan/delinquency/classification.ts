import { assert } from '../../shared/assert.js';
import { type CalendarDate, daysBetween } from '../../shared/calendar-date.js';
import {
  installmentDueFen,
  type LoanBalance,
} from '../allocation/loan-balance.js';

/**
 * Days past due (逾期天数) of a loan on `asOf`: the days since the due date of
 * the oldest installment that still owes anything (principal, interest,
 * fees or penalty), or 0 when nothing past due is unpaid. An installment
 * paid on its due date is never past due; one due on `asOf` is not yet
 * past due. Grace days do not change this count — they only waive penalty
 * and late fees — so the count is the plain fact a credit report uses.
 *
 * @example
 * daysPastDue(balance, calendarDate('2026-03-16')); // 30 if 02-14 is unpaid
 */
export function daysPastDue(balance: LoanBalance, asOf: CalendarDate): number {
  for (const installment of balance.installments) {
    if (installment.dueDate >= asOf) return 0;
    if (installmentDueFen(installment) > 0n) {
      return daysBetween(installment.dueDate, asOf);
    }
  }
  return 0;
}

/**
 * Collection buckets by days past due: M0 is current (0 days), M1 covers
 * 1–30, M2 31–60, M3 61–90, M4 91–120, M5 121–150, M6 151–180, and M6+
 * everything from 181 days on. M6 is an ordinary 30-day bucket like the
 * others; M6+ is the open-ended tail beyond 180 days, a common charge-off
 * line, so a loan moves M5 → M6 → M6+ and never skips M6.
 */
export type DelinquencyBucket =
  | 'M0'
  | 'M1'
  | 'M2'
  | 'M3'
  | 'M4'
  | 'M5'
  | 'M6'
  | 'M6+';

const BUCKETS_BY_MONTH: readonly DelinquencyBucket[] = [
  'M1',
  'M2',
  'M3',
  'M4',
  'M5',
  'M6',
];

// Each bucket spans 30 days past due, as collection queues count them.
const BUCKET_DAYS = 30;

export function delinquencyBucket(overdueDays: number): DelinquencyBucket {
  assert(
    Number.isInteger(overdueDays) && overdueDays >= 0,
    () => `delinquencyBucket: overdue days ${overdueDays}`,
  );
  if (overdueDays === 0) return 'M0';
  const index = Math.ceil(overdueDays / BUCKET_DAYS) - 1;
  return BUCKETS_BY_MONTH[index] ?? 'M6+';
}

/** The five-tier loan classification (贷款五级分类). */
export type LoanClassification =
  | 'normal' // 正常
  | 'special_mention' // 关注
  | 'substandard' // 次级
  | 'doubtful' // 可疑
  | 'loss'; // 损失

export const LOAN_CLASSIFICATIONS: readonly LoanClassification[] = [
  'normal',
  'special_mention',
  'substandard',
  'doubtful',
  'loss',
];

/**
 * A loan is at least in a class once its days past due exceed that class's
 * threshold (strictly more than the number of days given).
 */
export type ClassificationPolicy = {
  readonly specialMentionAfterDays: number;
  readonly substandardAfterDays: number;
  readonly doubtfulAfterDays: number;
  readonly lossAfterDays: number;
};

/**
 * Basis: 《商业银行金融资产风险分类办法》(中国银保监会、中国人民银行令〔2023〕第1号,
 * effective 2023-07-01): an asset is at least 关注 once principal, interest
 * or income is overdue, at least 次级 when overdue more than 90 days, at
 * least 可疑 beyond 270 days and 损失 beyond 360 days (grade S: the 2019
 * consultation draft's text, Arts 11–13 there, and press on the final
 * rules agree on 90/270/360; the article numbers of the final text are
 * unverified, and the rule is not in spec/regulations.md). Days past due
 * give only the floor: the rules also downgrade on other evidence
 * (restructuring, the borrower's condition) that this function does not
 * see. The thresholds are configurable for that reason.
 */
export const DEFAULT_CLASSIFICATION_POLICY: ClassificationPolicy = {
  specialMentionAfterDays: 0,
  substandardAfterDays: 90,
  doubtfulAfterDays: 270,
  lossAfterDays: 360,
};

/**
 * Credit-card overdrafts: 关注 1–90 days, 次级 91–120, 可疑 121–180, 损失
 * beyond 180. Basis: 《商业银行信用卡业务监督管理办法》(银监会令2011年第2号)
 * Art. 92 (grade S-: one law-site reprint read).
 */
export const CREDIT_CARD_CLASSIFICATION_POLICY: ClassificationPolicy = {
  specialMentionAfterDays: 0,
  substandardAfterDays: 90,
  doubtfulAfterDays: 120,
  lossAfterDays: 180,
};

export function assertClassificationPolicy(policy: ClassificationPolicy): void {
  const thresholds = [
    policy.specialMentionAfterDays,
    policy.substandardAfterDays,
    policy.doubtfulAfterDays,
    policy.lossAfterDays,
  ];
  let previous = -1;
  for (const days of thresholds) {
    assert(Number.isInteger(days), () => `classification threshold ${days}`);
    assert(days > previous, 'classification thresholds must increase');
    previous = days;
  }
}

/** The class a loan's days past due put it in at least. */
export function classifyLoan(
  overdueDays: number,
  policy: ClassificationPolicy,
): LoanClassification {
  assertClassificationPolicy(policy);
  assert(overdueDays >= 0, () => `classifyLoan: overdue days ${overdueDays}`);
  if (overdueDays > policy.lossAfterDays) return 'loss';
  if (overdueDays > policy.doubtfulAfterDays) return 'doubtful';
  if (overdueDays > policy.substandardAfterDays) return 'substandard';
  if (overdueDays > policy.specialMentionAfterDays) return 'special_mention';
  return 'normal';
}
