import { type Fen, fen, ZERO_FEN } from '../../money/fen.js';
import { assert } from '../../shared/assert.js';
import type { CalendarDate } from '../../shared/calendar-date.js';
import { INSTALLMENTS_MAX } from '../../shared/limits.js';
import { err, ok, type Result } from '../../shared/result.js';
import type { Installment } from '../schedule/types.js';

// The state of a loan as what is still owed per installment. The payment
// waterfall reads and updates it, the penalty accrual posts into it, and the
// end-of-day batch keeps one per loan: it is plain data (no methods, no
// classes) so that a repository can store it as one row per installment.

/** The parts an installment's debt is made of, in no particular order. */
export type BalanceComponent = 'fee' | 'penalty' | 'interest' | 'principal';

export const BALANCE_COMPONENTS: readonly BalanceComponent[] = [
  'fee',
  'penalty',
  'interest',
  'principal',
];

/** What is still owed on one installment. Every amount is ≥ 0. */
export type InstallmentBalance = {
  /** 1-based period number, as in the schedule. */
  readonly n: number;
  readonly dueDate: CalendarDate;
  readonly principalFen: Fen;
  readonly interestFen: Fen;
  /** Scheduled fees plus late fees (违约金) charged since. */
  readonly feeFen: Fen;
  /** Posted penalty interest (罚息) and compound interest (复利). */
  readonly penaltyFen: Fen;
};

/**
 * A loan's outstanding debt, installment by installment, oldest first.
 *
 * @example
 * const balance = balanceFromInstallments(schedule.installments);
 */
export type LoanBalance = {
  readonly installments: readonly InstallmentBalance[];
};

export type LoanBalanceError =
  | { readonly code: 'balance.no_installments' }
  | {
      readonly code: 'balance.too_many_installments';
      readonly installments: number;
      readonly installmentsMax: number;
    }
  | {
      readonly code: 'balance.negative_component';
      readonly n: number;
      readonly component: BalanceComponent;
    }
  | { readonly code: 'balance.installments_out_of_order'; readonly n: number };

const FIELD_BY_COMPONENT = {
  fee: 'feeFen',
  penalty: 'penaltyFen',
  interest: 'interestFen',
  principal: 'principalFen',
} as const satisfies Record<BalanceComponent, keyof InstallmentBalance>;

export function componentFen(
  installment: InstallmentBalance,
  component: BalanceComponent,
): Fen {
  return installment[FIELD_BY_COMPONENT[component]];
}

/** Returns a copy of the installment with one component replaced. */
export function withComponentFen(
  installment: InstallmentBalance,
  component: BalanceComponent,
  amountFen: Fen,
): InstallmentBalance {
  return { ...installment, [FIELD_BY_COMPONENT[component]]: amountFen };
}

/** Everything still owed on one installment. */
export function installmentDueFen(installment: InstallmentBalance): Fen {
  return fen(
    installment.principalFen +
      installment.interestFen +
      installment.feeFen +
      installment.penaltyFen,
  );
}

/** Everything still owed on the loan. */
export function totalDueFen(balance: LoanBalance): Fen {
  let total = 0n;
  for (const installment of balance.installments) {
    total += installmentDueFen(installment);
  }
  return fen(total);
}

/** The opening balance of a schedule: every installment owed in full. */
export function balanceFromInstallments(
  installments: readonly Installment[],
): LoanBalance {
  const balance: LoanBalance = {
    installments: installments.map((installment) => ({
      n: installment.n,
      dueDate: installment.dueDate,
      principalFen: installment.principalFen,
      interestFen: installment.interestFen,
      feeFen: installment.feeFen,
      penaltyFen: ZERO_FEN,
    })),
  };
  const checked = validateLoanBalance(balance);
  assert(checked.ok, 'balanceFromInstallments: schedule is not a balance');
  return balance;
}

/**
 * Checks a balance that came from outside (the wire, a database row): at
 * least one installment, within the limit, no negative component, and
 * installments ordered by period number and due date.
 */
export function validateLoanBalance(
  balance: LoanBalance,
): Result<LoanBalance, LoanBalanceError> {
  const count = balance.installments.length;
  if (count === 0) return err({ code: 'balance.no_installments' });
  if (count > INSTALLMENTS_MAX) {
    return err({
      code: 'balance.too_many_installments',
      installments: count,
      installmentsMax: INSTALLMENTS_MAX,
    });
  }
  let previous: InstallmentBalance | undefined;
  for (const installment of balance.installments) {
    const negative = firstNegativeComponent(installment);
    if (negative !== undefined) {
      return err({
        code: 'balance.negative_component',
        n: installment.n,
        component: negative,
      });
    }
    if (
      previous !== undefined &&
      (installment.n <= previous.n || installment.dueDate < previous.dueDate)
    ) {
      return err({
        code: 'balance.installments_out_of_order',
        n: installment.n,
      });
    }
    previous = installment;
  }
  return ok(balance);
}

function firstNegativeComponent(
  installment: InstallmentBalance,
): BalanceComponent | undefined {
  if (installment.feeFen < 0n) return 'fee';
  if (installment.penaltyFen < 0n) return 'penalty';
  if (installment.interestFen < 0n) return 'interest';
  if (installment.principalFen < 0n) return 'principal';
  return undefined;
}
