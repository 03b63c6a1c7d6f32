// Proves the payment waterfall: table cases for both orders, partial and
// over-payment and the refusals, then fast-check properties over random
// balances and payments (allocations add up to the payment, nothing goes
// negative, the remainder is exactly payment − total due, and the default
// order never pays a later installment while an earlier one still owes).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Fen, fen } from '../../money/fen.js';
import { addDays, calendarDate } from '../../shared/calendar-date.js';
import { allocatePayment, allocationTotalFen } from './allocate-payment.js';
import {
  type AllocationPolicy,
  COMPONENTS_FIRST_ALLOCATION_POLICY,
  DEFAULT_ALLOCATION_POLICY,
} from './allocation-policy.js';
import {
  BALANCE_COMPONENTS,
  componentFen,
  type InstallmentBalance,
  type LoanBalance,
  totalDueFen,
} from './loan-balance.js';

const START = calendarDate('2026-01-15');

function installment(
  n: number,
  parts: {
    fee?: bigint;
    penalty?: bigint;
    interest?: bigint;
    principal?: bigint;
  },
): InstallmentBalance {
  return {
    n,
    dueDate: addDays(START, 30 * (n - 1)),
    feeFen: fen(parts.fee ?? 0n),
    penaltyFen: fen(parts.penalty ?? 0n),
    interestFen: fen(parts.interest ?? 0n),
    principalFen: fen(parts.principal ?? 0n),
  };
}

// Two overdue installments of 1000.00 principal, 40.00 interest, 5.00 fee
// and 12.00 penalty each (1057.00 per installment, 2114.00 in all).
const TWO_OVERDUE: LoanBalance = {
  installments: [
    installment(1, {
      fee: 500n,
      penalty: 1200n,
      interest: 4000n,
      principal: 100000n,
    }),
    installment(2, {
      fee: 500n,
      penalty: 1200n,
      interest: 4000n,
      principal: 100000n,
    }),
  ],
};

function allocate(
  balance: LoanBalance,
  paymentFen: bigint,
  policy: AllocationPolicy,
) {
  const result = allocatePayment(balance, fen(paymentFen), policy);
  if (!result.ok) throw new Error(`refused: ${result.error.code}`);
  return result.value;
}

describe('payment allocation waterfall', () => {
  it('clears the oldest installment first under the default order', () => {
    const result = allocate(TWO_OVERDUE, 110000n, DEFAULT_ALLOCATION_POLICY);
    expect(result.allocations).toEqual([
      {
        n: 1,
        feeFen: 500n,
        penaltyFen: 1200n,
        interestFen: 4000n,
        principalFen: 100000n,
      },
      {
        n: 2,
        feeFen: 500n,
        penaltyFen: 1200n,
        interestFen: 2600n,
        principalFen: 0n,
      },
    ]);
    expect(result.remainderFen).toBe(0n);
    expect(result.balance.installments[1]?.interestFen).toBe(1400n);
  });

  it('pays fees and penalty of every installment before any interest under the horizontal order', () => {
    const result = allocate(
      TWO_OVERDUE,
      10000n,
      COMPONENTS_FIRST_ALLOCATION_POLICY,
    );
    expect(result.allocations).toEqual([
      {
        n: 1,
        feeFen: 500n,
        penaltyFen: 1200n,
        interestFen: 4000n,
        principalFen: 0n,
      },
      {
        n: 2,
        feeFen: 500n,
        penaltyFen: 1200n,
        interestFen: 2600n,
        principalFen: 0n,
      },
    ]);
  });

  it('stops a partial payment inside a component', () => {
    const result = allocate(TWO_OVERDUE, 1000n, DEFAULT_ALLOCATION_POLICY);
    expect(result.allocations[0]).toEqual({
      n: 1,
      feeFen: 500n,
      penaltyFen: 500n,
      interestFen: 0n,
      principalFen: 0n,
    });
    expect(result.balance.installments[0]?.penaltyFen).toBe(700n);
    expect(result.appliedFen).toBe(1000n);
  });

  it('returns an overpayment as the remainder and leaves nothing owed', () => {
    const result = allocate(TWO_OVERDUE, 300000n, DEFAULT_ALLOCATION_POLICY);
    expect(result.appliedFen).toBe(211400n);
    expect(result.remainderFen).toBe(88600n);
    expect(totalDueFen(result.balance)).toBe(0n);
  });

  it.each([
    ['a zero payment', TWO_OVERDUE, 0n, 'allocation.payment_not_positive'],
    ['a negative payment', TWO_OVERDUE, -5n, 'allocation.payment_not_positive'],
    ['an empty balance', { installments: [] }, 100n, 'balance.no_installments'],
    [
      'a negative component',
      { installments: [installment(1, { interest: -1n })] },
      100n,
      'balance.negative_component',
    ],
    [
      'installments out of order',
      { installments: [installment(2, {}), installment(1, {})] },
      100n,
      'balance.installments_out_of_order',
    ],
  ] as const)('refuses %s', (_label, balance, paymentFen, code) => {
    const result = allocatePayment(
      balance,
      fen(paymentFen),
      DEFAULT_ALLOCATION_POLICY,
    );
    expect(result.ok ? undefined : result.error.code).toBe(code);
  });
});

const amountArb = fc.bigInt({ min: 0n, max: 50_000_000n });
const balanceArb = fc
  .array(fc.tuple(amountArb, amountArb, amountArb, amountArb), {
    minLength: 1,
    maxLength: 24,
  })
  .map(
    (rows): LoanBalance => ({
      installments: rows.map(([fee, penalty, interest, principal], index) =>
        installment(index + 1, { fee, penalty, interest, principal }),
      ),
    }),
  );
const policyArb = fc.constantFrom(
  DEFAULT_ALLOCATION_POLICY,
  COMPONENTS_FIRST_ALLOCATION_POLICY,
);
const paymentArb = fc
  .bigInt({ min: 1n, max: 3_000_000_000n })
  .map((v) => fen(v));

describe('payment allocation invariants', () => {
  it('adds allocations and remainder up to the payment exactly', () => {
    fc.assert(
      fc.property(
        balanceArb,
        paymentArb,
        policyArb,
        (balance, paymentFen, policy) => {
          const result = allocate(balance, paymentFen, policy);
          const allocatedFen = result.allocations.reduce(
            (total, row) => total + allocationTotalFen(row),
            0n,
          );
          expect(allocatedFen + result.remainderFen).toBe(paymentFen);
          expect(allocatedFen).toBe(result.appliedFen);
        },
      ),
    );
  });

  it('never takes a component below zero nor pays more than it owed', () => {
    fc.assert(
      fc.property(
        balanceArb,
        paymentArb,
        policyArb,
        (balance, paymentFen, policy) => {
          const result = allocate(balance, paymentFen, policy);
          result.balance.installments.forEach((after, index) => {
            const before = balance.installments[index] as InstallmentBalance;
            for (const component of BALANCE_COMPONENTS) {
              const leftFen = componentFen(after, component);
              expect(leftFen).toBeGreaterThanOrEqual(0n);
              expect(leftFen).toBeLessThanOrEqual(
                componentFen(before, component),
              );
            }
          });
        },
      ),
    );
  });

  it('returns exactly the payment minus the total due as overpayment', () => {
    fc.assert(
      fc.property(
        balanceArb,
        paymentArb,
        policyArb,
        (balance, paymentFen, policy) => {
          const result = allocate(balance, paymentFen, policy);
          const dueFen = totalDueFen(balance);
          const expected: Fen = fen(
            paymentFen > dueFen ? paymentFen - dueFen : 0n,
          );
          expect(result.remainderFen).toBe(expected);
        },
      ),
    );
  });

  it('pays nothing on a later installment while an earlier one still owes under the default order', () => {
    fc.assert(
      fc.property(balanceArb, paymentArb, (balance, paymentFen) => {
        const result = allocate(balance, paymentFen, DEFAULT_ALLOCATION_POLICY);
        const rows = result.balance.installments;
        let owing = false;
        rows.forEach((after, index) => {
          const row = result.allocations[index];
          if (owing) expect(row && allocationTotalFen(row)).toBe(0n);
          if (totalDueFen({ installments: [after] }) > 0n) owing = true;
        });
      }),
    );
  });

  it('pays no principal while any fee, penalty or interest is owed under the horizontal order', () => {
    fc.assert(
      fc.property(balanceArb, paymentArb, (balance, paymentFen) => {
        const result = allocate(
          balance,
          paymentFen,
          COMPONENTS_FIRST_ALLOCATION_POLICY,
        );
        const principalPaidFen = result.allocations.reduce(
          (total, row) => total + row.principalFen,
          0n,
        );
        const otherLeftFen = result.balance.installments.reduce(
          (total, row) => total + row.feeFen + row.penaltyFen + row.interestFen,
          0n,
        );
        expect(principalPaidFen === 0n || otherLeftFen === 0n).toBe(true);
      }),
    );
  });
});
