import { assert } from '../../shared/assert.js';
import { BALANCE_COMPONENTS, type BalanceComponent } from './loan-balance.js';

/**
 * The order in which a payment pays a loan's debts (the waterfall). The
 * payment goes through the stages in order; within a stage it goes through
 * the installments oldest first, and within an installment through the
 * stage's components in order. Each component appears in exactly one stage.
 *
 * @example
 * // One stage: oldest installment first, all of its parts, then the next.
 * const vertical = { stages: [['fee', 'penalty', 'interest', 'principal']] };
 */
export type AllocationPolicy = {
  readonly stages: readonly (readonly BalanceComponent[])[];
};

export type AllocationOrder = 'installment_first' | 'components_first';

export const ALLOCATION_ORDERS: readonly AllocationOrder[] = [
  'installment_first',
  'components_first',
];

/**
 * Default (vertical): the oldest installment is cleared first — its fees,
 * then penalty, then interest, then principal — before anything goes to the
 * next one. Why this default: it is the order the issue names and the usual
 * order of Chinese loan contracts (先费用、再罚息、再利息、后本金, installment by
 * installment), and it clears the oldest overdue installment first, which is
 * what days past due and the credit report look at.
 */
export const DEFAULT_ALLOCATION_POLICY: AllocationPolicy = {
  stages: [['fee', 'penalty', 'interest', 'principal']],
};

/**
 * Horizontal: fees and penalty of every installment first (oldest first),
 * then the interest of every installment, then principal. It collects
 * penalty and interest before any principal, so overdue principal (which
 * bears the penalty) shrinks later than under the default.
 */
export const COMPONENTS_FIRST_ALLOCATION_POLICY: AllocationPolicy = {
  stages: [['fee', 'penalty'], ['interest'], ['principal']],
};

export function allocationPolicyFor(order: AllocationOrder): AllocationPolicy {
  return order === 'installment_first'
    ? DEFAULT_ALLOCATION_POLICY
    : COMPONENTS_FIRST_ALLOCATION_POLICY;
}

/** Asserts that every component appears in exactly one stage. */
export function assertAllocationPolicy(policy: AllocationPolicy): void {
  const seen = new Set<BalanceComponent>();
  for (const stage of policy.stages) {
    for (const component of stage) {
      assert(
        !seen.has(component),
        () => `allocation policy: ${component} twice`,
      );
      seen.add(component);
    }
  }
  for (const component of BALANCE_COMPONENTS) {
    assert(
      seen.has(component),
      () => `allocation policy: ${component} missing`,
    );
  }
}
