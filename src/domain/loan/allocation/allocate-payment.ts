import { type Fen, fen, minFen, ZERO_FEN } from '../../money/fen.js';
import { assert } from '../../shared/assert.js';
import { err, ok, type Result } from '../../shared/result.js';
import {
  type AllocationPolicy,
  assertAllocationPolicy,
} from './allocation-policy.js';
import {
  type BalanceComponent,
  componentFen,
  type InstallmentBalance,
  type LoanBalance,
  type LoanBalanceError,
  totalDueFen,
  validateLoanBalance,
  withComponentFen,
} from './loan-balance.js';

/** What one payment paid on one installment, per component. */
export type InstallmentAllocation = {
  readonly n: number;
  readonly feeFen: Fen;
  readonly penaltyFen: Fen;
  readonly interestFen: Fen;
  readonly principalFen: Fen;
};

/**
 * The outcome of a payment: what it paid where, what is left over, and the
 * balance after it.
 */
export type PaymentAllocation = {
  readonly paymentFen: Fen;
  /** One row per installment of the balance, in the balance's order. */
  readonly allocations: readonly InstallmentAllocation[];
  /** The part of the payment that went to the loan. */
  readonly appliedFen: Fen;
  /**
   * Overpayment: payment − everything owed, or zero. Not applied anywhere;
   * the caller decides whether to credit it to the loan or refund it.
   */
  readonly remainderFen: Fen;
  readonly balance: LoanBalance;
};

export type AllocationError =
  | {
      readonly code: 'allocation.payment_not_positive';
      readonly paymentFen: Fen;
    }
  | LoanBalanceError;

/**
 * Pays a payment into a loan balance through the policy's waterfall. Partial
 * payments stop where the money runs out; an overpayment comes back as
 * `remainderFen`. The allocations and the remainder add up to the payment
 * exactly, and no component goes below zero.
 *
 * @example
 * allocatePayment(balance, fen(50_000n), DEFAULT_ALLOCATION_POLICY);
 */
export function allocatePayment(
  balance: LoanBalance,
  paymentFen: Fen,
  policy: AllocationPolicy,
): Result<PaymentAllocation, AllocationError> {
  assertAllocationPolicy(policy);
  if (paymentFen <= 0n) {
    return err({ code: 'allocation.payment_not_positive', paymentFen });
  }
  const checked = validateLoanBalance(balance);
  if (!checked.ok) return checked;
  // After this point, the allocation must succeed.
  const installments = [...balance.installments];
  const paid = installments.map(emptyAllocation);
  let leftFen = paymentFen;
  for (const stage of policy.stages) {
    for (
      let index = 0;
      index < installments.length && leftFen > 0n;
      index += 1
    ) {
      for (const component of stage) {
        if (leftFen === 0n) break;
        const installment = installments[index];
        const row = paid[index];
        assert(installment !== undefined && row !== undefined, 'index');
        const owedFen = componentFen(installment, component);
        const payFen = minFen(owedFen, leftFen);
        if (payFen === 0n) continue;
        installments[index] = withComponentFen(
          installment,
          component,
          fen(owedFen - payFen),
        );
        paid[index] = addToRow(row, component, payFen);
        leftFen = fen(leftFen - payFen);
      }
    }
  }
  const after: LoanBalance = { installments };
  const appliedFen = fen(paymentFen - leftFen);
  // Pair assertion: what the rows say was paid is what left the payment.
  let rowsFen = 0n;
  for (const row of paid) rowsFen += allocationTotalFen(row);
  assert(rowsFen === appliedFen, 'allocatePayment: rows differ from applied');
  assert(
    leftFen === 0n || totalDueFen(after) === 0n,
    'allocatePayment: money left over while debt remains',
  );
  return ok({
    paymentFen,
    allocations: paid,
    appliedFen,
    remainderFen: leftFen,
    balance: after,
  });
}

/** The total one allocation row paid. */
export function allocationTotalFen(row: InstallmentAllocation): Fen {
  return fen(row.feeFen + row.penaltyFen + row.interestFen + row.principalFen);
}

function emptyAllocation(
  installment: InstallmentBalance,
): InstallmentAllocation {
  return {
    n: installment.n,
    feeFen: ZERO_FEN,
    penaltyFen: ZERO_FEN,
    interestFen: ZERO_FEN,
    principalFen: ZERO_FEN,
  };
}

function addToRow(
  row: InstallmentAllocation,
  component: BalanceComponent,
  amountFen: Fen,
): InstallmentAllocation {
  switch (component) {
    case 'fee':
      return { ...row, feeFen: fen(row.feeFen + amountFen) };
    case 'penalty':
      return { ...row, penaltyFen: fen(row.penaltyFen + amountFen) };
    case 'interest':
      return { ...row, interestFen: fen(row.interestFen + amountFen) };
    case 'principal':
      return { ...row, principalFen: fen(row.principalFen + amountFen) };
  }
}
