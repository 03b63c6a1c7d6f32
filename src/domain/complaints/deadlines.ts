import type { LocalInstant } from '../compliance/local-time.js';
import { assert } from '../shared/assert.js';

// Complaint deadlines (spec/regulations.md CP-01, CP-04). Basis:
// 《银行业保险业消费投诉处理管理办法》(银保监会令2020年第3号): a decision within
// 15 days of receipt, 30 for complex cases, +30 with senior approval and
// notice to the customer; 《征信业管理条例》Art. 25: a credit-report dispute
// within 20 days. Every number comes from the policy file.

export const COMPLAINT_SOURCES = ['chat', 'phone', 'email'] as const;
export type ComplaintSource = (typeof COMPLAINT_SOURCES)[number];
export const COMPLEXITIES = ['simple', 'complex'] as const;
export type Complexity = (typeof COMPLEXITIES)[number];

export type ComplaintCategory = {
  readonly id: string;
  readonly nameZh: string;
  /** A stricter statutory limit for this category (CP-04: 20 days). */
  readonly decisionDaysMax?: number;
};

export type ComplaintPolicy = {
  readonly version: string;
  readonly decisionDays: Readonly<Record<Complexity, number>>;
  readonly extensionDaysMax: number;
  /** Days left at which levels 1, 2, … are reached (descending). */
  readonly escalateDaysLeft: readonly number[];
  readonly categories: readonly ComplaintCategory[];
};

const MINUTES_PER_DAY = 1440;

/** The days allowed for a decision: the complexity's, capped by the category's. */
export function decisionDays(
  policy: ComplaintPolicy,
  categoryId: string,
  complexity: Complexity,
): number {
  const category = policy.categories.find((c) => c.id === categoryId);
  assert(category !== undefined, () => `unknown category ${categoryId}`);
  const days = policy.decisionDays[complexity];
  return category.decisionDaysMax === undefined
    ? days
    : Math.min(days, category.decisionDaysMax);
}

/**
 * The deadline: the end of the `days`-th local day after receipt, as UTC
 * minutes since the epoch (the day of receipt is not counted).
 * @example deadlineUtcMinute(received, 15) — received 2026-11-20 → end of 2026-12-05
 */
export function deadlineUtcMinute(
  received: LocalInstant,
  days: number,
): number {
  assert(days > 0 && days <= 120, () => `deadline days ${days}`);
  return (
    (received.localDay + days + 1) * MINUTES_PER_DAY - received.offsetMinutes
  );
}

/** The local calendar day number on which a deadline falls (its last day). */
export function deadlineLocalDay(
  dueUtcMinute: number,
  offsetMinutes: number,
): number {
  return Math.floor((dueUtcMinute + offsetMinutes - 1) / MINUTES_PER_DAY);
}

/**
 * The escalation level a ticket should have now: how many thresholds of
 * `escalateDaysLeft` the remaining time has reached.
 * @example escalationLevel(policy, due, due - 3 * 1440) === 1 // with [5, 2, 0]
 */
export function escalationLevel(
  policy: ComplaintPolicy,
  dueUtcMinute: number,
  nowUtcMinute: number,
): number {
  const minutesLeft = dueUtcMinute - nowUtcMinute;
  return policy.escalateDaysLeft.filter(
    (days) => minutesLeft <= days * MINUTES_PER_DAY,
  ).length;
}
