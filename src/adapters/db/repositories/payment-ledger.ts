import { type Kysely, type Selectable, sql } from 'kysely';
import { type Fen, fen, sumFen } from '../../../domain/money/fen.js';
import { assert } from '../../../domain/shared/assert.js';
import type { CalendarDate } from '../../../domain/shared/calendar-date.js';
import { TERM_MONTHS_MAX } from '../../../domain/shared/limits.js';
import type { Database, PaymentsTable } from '../schema.js';
import { optional, toCount, toFen } from './repository-context.js';

// The row-level half of the payment repository: reading a payment with its
// allocation lines, writing them, and moving the installments' paid columns.
// Every function runs inside the caller's transaction.

export type PaymentKind =
  | 'repayment'
  | 'reversal'
  /** Early repayment of part of the principal (提前部分还款). */
  | 'prepayment'
  /** Early repayment of everything owed (提前结清). */
  | 'payoff';
export type PaymentChannel =
  | 'bank_transfer'
  | 'card'
  | 'alipay'
  | 'wechat'
  | 'counter'
  | 'other';
export type AllocationComponent = 'fee' | 'penalty' | 'interest' | 'principal';

export const ALLOCATION_COMPONENTS: readonly AllocationComponent[] = [
  'fee',
  'penalty',
  'interest',
  'principal',
];

/**
 * What a payment paid on one installment (the waterfall's output row).
 * `n = 0` marks money paid outside the schedule: a partial prepayment's
 * principal, interest to date and fee, which the new schedule version no
 * longer lists.
 */
export type InstallmentPaid = {
  readonly n: number;
  readonly feeFen: Fen;
  readonly penaltyFen: Fen;
  readonly interestFen: Fen;
  readonly principalFen: Fen;
};

export type Payment = {
  readonly id: string;
  readonly loanId: string;
  readonly kind: PaymentKind;
  /** Negative for a reversal. */
  readonly amountFen: Fen;
  readonly paidOn: CalendarDate;
  readonly channel: PaymentChannel;
  readonly reversesPaymentId: string | undefined;
  readonly allocations: readonly InstallmentPaid[];
};

// Bound: four components on each of at most 360 installments.
const ALLOCATION_LINES_MAX = TERM_MONTHS_MAX * 4;

export function componentFen(
  row: InstallmentPaid,
  component: AllocationComponent,
): Fen {
  if (component === 'fee') return row.feeFen;
  if (component === 'penalty') return row.penaltyFen;
  if (component === 'interest') return row.interestFen;
  return row.principalFen;
}

export function allocatedFen(rows: readonly InstallmentPaid[]): Fen {
  return sumFen(
    rows.flatMap((r) => ALLOCATION_COMPONENTS.map((c) => componentFen(r, c))),
  );
}

type Components = Record<AllocationComponent, Fen>;

export async function readPayment(
  tx: Kysely<Database>,
  row: Selectable<PaymentsTable>,
): Promise<Payment> {
  const lines = await tx
    .selectFrom('payment_allocations')
    .selectAll()
    .where('payment_id', '=', row.id)
    .orderBy('line')
    .execute();
  const byInstallment = new Map<number, Components>();
  for (const line of lines) {
    const n = toCount(line.installment_n, TERM_MONTHS_MAX);
    const zero = fen(0n);
    const entry = byInstallment.get(n) ?? {
      fee: zero,
      penalty: zero,
      interest: zero,
      principal: zero,
    };
    entry[line.component as AllocationComponent] = toFen(line.amount_fen);
    byInstallment.set(n, entry);
  }
  const allocations = [...byInstallment.entries()].map(([n, e]) => ({
    n,
    feeFen: e.fee,
    penaltyFen: e.penalty,
    interestFen: e.interest,
    principalFen: e.principal,
  }));
  const amountFen = toFen(row.amount_fen);
  // Paired with the check at write time: the lines add up to the payment.
  assert(
    allocatedFen(allocations) === amountFen,
    `payment ${row.id}: allocations do not add up`,
  );
  return {
    id: row.id,
    loanId: row.loan_id,
    kind: row.kind as PaymentKind,
    amountFen,
    paidOn: row.paid_on as CalendarDate,
    channel: row.channel as PaymentChannel,
    reversesPaymentId: optional(row.reverses_payment_id),
    allocations,
  };
}

export async function findPayment(
  tx: Kysely<Database>,
  id: string,
): Promise<Payment | undefined> {
  const row = await tx
    .selectFrom('payments')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : readPayment(tx, row);
}

/** Inserts the payment row and one allocation line per non-zero part. */
export async function insertPayment(
  tx: Kysely<Database>,
  row: Selectable<PaymentsTable>,
  scheduleVersion: bigint,
  rows: readonly InstallmentPaid[],
  sign: 1n | -1n,
): Promise<void> {
  await tx.insertInto('payments').values(row).execute();
  const lines = rows.flatMap((r) =>
    ALLOCATION_COMPONENTS.filter((c) => componentFen(r, c) !== 0n).map((c) => ({
      n: r.n,
      component: c,
      amountFen: componentFen(r, c) * sign,
    })),
  );
  assert(lines.length <= ALLOCATION_LINES_MAX, 'payment: too many lines');
  if (lines.length === 0) return;
  await tx
    .insertInto('payment_allocations')
    .values(
      lines.map((line, index) => ({
        payment_id: row.id,
        line: BigInt(index + 1),
        schedule_version: scheduleVersion,
        installment_n: BigInt(line.n),
        component: line.component,
        amount_fen: fen(line.amountFen),
      })),
    )
    .execute();
}

/**
 * Adds `sign × amount` to the paid columns of the loan's current schedule.
 * Paying more than is due, or reversing below zero, is an assertion (the
 * waterfall that produced the rows is our own code) and rolls back the
 * caller's transaction.
 */
export async function applyToInstallments(
  tx: Kysely<Database>,
  loanId: string,
  scheduleVersion: bigint,
  rows: readonly InstallmentPaid[],
  sign: 1n | -1n,
): Promise<void> {
  for (const row of rows) {
    for (const component of ALLOCATION_COMPONENTS) {
      const amount = componentFen(row, component) * sign;
      if (amount === 0n) continue;
      const paid = `paid_${component}_fen` as const;
      const due = `${component}_fen` as const;
      const result = await tx
        .updateTable('installments')
        .set({ [paid]: sql<bigint>`${sql.ref(paid)} + ${amount}` })
        .where('loan_id', '=', loanId)
        .where('schedule_version', '=', scheduleVersion)
        .where('n', '=', BigInt(row.n))
        .where(
          sql<boolean>`${sql.ref(paid)} + ${amount} between 0 and ${sql.ref(due)}`,
        )
        .executeTakeFirst();
      assert(
        result.numUpdatedRows === 1n,
        `payment: installment ${row.n} ${component} out of range`,
      );
    }
  }
}
