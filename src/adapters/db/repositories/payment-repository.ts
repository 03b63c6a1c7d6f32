import { createHash } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import { type Fen, fen, sumFen } from '../../../domain/money/fen.js';
import { assert } from '../../../domain/shared/assert.js';
import type { CalendarDate } from '../../../domain/shared/calendar-date.js';
import { TERM_MONTHS_MAX } from '../../../domain/shared/limits.js';
import { err, ok, type Result } from '../../../domain/shared/result.js';
import { type CanonicalValue, canonicalJson } from '../canonical-json.js';
import type { Database, PaymentsTable } from '../schema.js';
import { appendAudit } from './audit-repository.js';
import {
  inTransaction,
  optional,
  type RepositoryDeps,
  toCount,
  toFen,
} from './repository-context.js';

// Payments and their allocations to installments: the money-moving writes.
// Every call takes an idempotency key (SPEC capability 9): the first call
// with a key does the work; a retry with the same key and the same request
// returns the first call's payment and moves no money; the same key with a
// different request is refused. The key, the payment, its allocations, the
// installments' paid amounts and the audit entry are written in one
// transaction, so a crash leaves either all of them or none.

export type PaymentKind = 'repayment' | 'reversal';
export type PaymentChannel =
  | 'bank_transfer'
  | 'card'
  | 'alipay'
  | 'wechat'
  | 'counter'
  | 'other';
export type AllocationComponent = 'fee' | 'penalty' | 'interest' | 'principal';

const COMPONENTS: readonly AllocationComponent[] = [
  'fee',
  'penalty',
  'interest',
  'principal',
];

/** What a payment paid on one installment (the waterfall's output row). */
export type InstallmentPaid = {
  readonly n: number;
  readonly feeFen: Fen;
  readonly penaltyFen: Fen;
  readonly interestFen: Fen;
  readonly principalFen: Fen;
};

export type PostPaymentInput = {
  readonly idempotencyKey: string;
  readonly loanId: string;
  readonly amountFen: Fen;
  readonly paidOn: CalendarDate;
  readonly channel: PaymentChannel;
  /** From the allocation waterfall; must add up to `amountFen` exactly. */
  readonly allocations: readonly InstallmentPaid[];
};

export type ReversePaymentInput = {
  readonly idempotencyKey: string;
  readonly paymentId: string;
  readonly reason: string;
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

export type PostedPayment = {
  readonly payment: Payment;
  /** True when this call was a retry answered from the idempotency record. */
  readonly replayed: boolean;
};

export type PaymentError =
  | { readonly code: 'idempotency.key_reused'; readonly idempotencyKey: string }
  | { readonly code: 'payment.loan_not_found'; readonly loanId: string }
  | {
      readonly code: 'payment.loan_not_open';
      readonly loanId: string;
      readonly status: string;
    }
  | { readonly code: 'payment.amount_not_positive'; readonly amountFen: Fen }
  | { readonly code: 'payment.not_found'; readonly paymentId: string }
  | { readonly code: 'payment.not_reversible'; readonly paymentId: string }
  | { readonly code: 'payment.already_reversed'; readonly paymentId: string }
  | { readonly code: 'payment.schedule_replaced'; readonly paymentId: string };

// Bounds: idempotency keys are client-chosen tokens (UUIDs and the like).
export const IDEMPOTENCY_KEY_CHARS_MAX = 200;
const ALLOCATION_LINE_MAX = TERM_MONTHS_MAX * 4 * 1_000;

const OPEN_STATUSES = ['repaying', 'overdue', 'collection', 'restructured'];

function requestHash(scope: string, request: CanonicalValue): string {
  const text = canonicalJson({ scope, request });
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function componentFen(
  row: InstallmentPaid,
  component: AllocationComponent,
): Fen {
  if (component === 'fee') return row.feeFen;
  if (component === 'penalty') return row.penaltyFen;
  if (component === 'interest') return row.interestFen;
  return row.principalFen;
}

export type PaymentRepository = ReturnType<typeof createPaymentRepository>;

export function createPaymentRepository(
  db: Kysely<Database>,
  deps: RepositoryDeps,
) {
  async function findById(
    id: string,
    tx: Kysely<Database> = db,
  ): Promise<Payment | undefined> {
    const row = await tx
      .selectFrom('payments')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return toPayment(tx, row);
  }

  async function toPayment(
    tx: Kysely<Database>,
    row: Selectable<PaymentsTable>,
  ): Promise<Payment> {
    const lines = await tx
      .selectFrom('payment_allocations')
      .selectAll()
      .where('payment_id', '=', row.id)
      .orderBy('line')
      .execute();
    const byInstallment = new Map<number, Record<AllocationComponent, Fen>>();
    for (const line of lines) {
      const n = toCount(line.installment_n, TERM_MONTHS_MAX);
      const entry = byInstallment.get(n) ?? {
        fee: fen(0n),
        penalty: fen(0n),
        interest: fen(0n),
        principal: fen(0n),
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
    // Paired with the check at write time: the lines add up to the payment.
    const amountFen = toFen(row.amount_fen);
    assert(
      sumFen(
        allocations.flatMap((a) => COMPONENTS.map((c) => componentFen(a, c))),
      ) === amountFen,
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

  // Looks the key up; `undefined` means "unused, go ahead".
  async function replay(
    tx: Kysely<Database>,
    key: string,
    hash: string,
  ): Promise<Result<PostedPayment, PaymentError> | undefined> {
    const found = await tx
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('key', '=', key)
      .executeTakeFirst();
    if (found === undefined) return undefined;
    if (found.request_hash !== hash)
      return err({ code: 'idempotency.key_reused', idempotencyKey: key });
    const payment = await findById(found.result_id, tx);
    assert(payment !== undefined, `idempotency key ${key}: payment missing`);
    return ok({ payment, replayed: true });
  }

  // Claims the key; false when a concurrent call claimed it first (on
  // PostgreSQL the insert waits for that call's transaction to finish).
  async function claimKey(
    tx: Kysely<Database>,
    key: string,
    scope: string,
    hash: string,
    resultId: string,
  ): Promise<boolean> {
    const inserted = await tx
      .insertInto('idempotency_keys')
      .values({
        key,
        scope,
        request_hash: hash,
        result_id: resultId,
        created_at: deps.now(),
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    return inserted.numInsertedOrUpdatedRows === 1n;
  }

  // Adds `sign × amount` to the paid columns of the loan's current schedule,
  // refusing (by assertion, rolling back) to pay more than is due or to go
  // below zero: the waterfall that produced the rows is our own code.
  async function applyToInstallments(
    tx: Kysely<Database>,
    loanId: string,
    scheduleVersion: bigint,
    rows: readonly InstallmentPaid[],
    sign: 1n | -1n,
  ): Promise<void> {
    for (const row of rows) {
      for (const component of COMPONENTS) {
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

  async function insertPayment(
    tx: Kysely<Database>,
    row: Selectable<PaymentsTable>,
    scheduleVersion: bigint,
    rows: readonly InstallmentPaid[],
    sign: 1n | -1n,
  ): Promise<void> {
    await tx.insertInto('payments').values(row).execute();
    const lines = rows.flatMap((r) =>
      COMPONENTS.filter((c) => componentFen(r, c) !== 0n).map((c) => ({
        n: r.n,
        c,
        fen: componentFen(r, c) * sign,
      })),
    );
    assert(
      lines.length <= ALLOCATION_LINE_MAX,
      'payment: too many allocation lines',
    );
    if (lines.length === 0) return;
    await tx
      .insertInto('payment_allocations')
      .values(
        lines.map((l, index) => ({
          payment_id: row.id,
          line: BigInt(index + 1),
          schedule_version: scheduleVersion,
          installment_n: BigInt(l.n),
          component: l.c,
          amount_fen: fen(l.fen),
        })),
      )
      .execute();
  }

  function checkAllocations(input: PostPaymentInput): void {
    const parts = input.allocations.flatMap((a) =>
      COMPONENTS.map((c) => componentFen(a, c)),
    );
    assert(
      parts.every((p) => p >= 0n),
      'postPayment: negative allocation',
    );
    assert(
      sumFen(parts) === input.amountFen,
      'postPayment: allocations must add up to the amount',
    );
  }

  return {
    findById: (id: string) => findById(id),

    async listByLoan(loanId: string): Promise<Payment[]> {
      const rows = await db
        .selectFrom('payments')
        .selectAll()
        .where('loan_id', '=', loanId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return Promise.all(rows.map((row) => toPayment(db, row)));
    },

    /** Posts a repayment already allocated by the waterfall (see header). */
    async post(
      input: PostPaymentInput,
      actor: string,
    ): Promise<Result<PostedPayment, PaymentError>> {
      const key = input.idempotencyKey;
      assert(
        key !== '' && key.length <= IDEMPOTENCY_KEY_CHARS_MAX,
        'postPayment: idempotency key',
      );
      if (input.amountFen <= 0n)
        return err({
          code: 'payment.amount_not_positive',
          amountFen: input.amountFen,
        });
      checkAllocations(input);
      const hash = requestHash('payment.post', {
        loan_id: input.loanId,
        amount_fen: input.amountFen,
        paid_on: input.paidOn,
        channel: input.channel,
        allocations: input.allocations.map((a) => ({ ...a })),
      });
      return inTransaction(db, async (tx) => {
        const replayed = await replay(tx, key, hash);
        if (replayed !== undefined) return replayed;
        const loan = await tx
          .selectFrom('loans')
          .select(['status', 'schedule_version'])
          .where('id', '=', input.loanId)
          .executeTakeFirst();
        if (loan === undefined)
          return err({ code: 'payment.loan_not_found', loanId: input.loanId });
        if (!OPEN_STATUSES.includes(loan.status)) {
          return err({
            code: 'payment.loan_not_open',
            loanId: input.loanId,
            status: loan.status,
          });
        }
        const id = deps.newId('pay');
        if (!(await claimKey(tx, key, 'payment.post', hash, id))) {
          const winner = await replay(tx, key, hash);
          assert(
            winner !== undefined,
            'postPayment: key claimed but not found',
          );
          return winner;
        }
        // After this point, the payment must be recorded in full.
        const at = deps.now();
        await insertPayment(
          tx,
          {
            id,
            loan_id: input.loanId,
            kind: 'repayment',
            amount_fen: fen(input.amountFen),
            paid_on: input.paidOn,
            channel: input.channel,
            reverses_payment_id: null,
            idempotency_key: key,
            actor,
            created_at: at,
          },
          loan.schedule_version,
          input.allocations,
          1n,
        );
        await applyToInstallments(
          tx,
          input.loanId,
          loan.schedule_version,
          input.allocations,
          1n,
        );
        await appendAudit(
          tx,
          {
            actor,
            action: 'payment.post',
            subjectType: 'loan',
            subjectId: input.loanId,
            details: {
              payment_id: id,
              amount_fen: input.amountFen,
              paid_on: input.paidOn,
            },
          },
          at,
        );
        const payment = await findById(id, tx);
        assert(payment !== undefined, `payment ${id} vanished`);
        return ok({ payment, replayed: false });
      });
    },

    /** Reverses a repayment: a negative payment undoing its allocations. */
    async reverse(
      input: ReversePaymentInput,
      actor: string,
    ): Promise<Result<PostedPayment, PaymentError>> {
      const key = input.idempotencyKey;
      assert(
        key !== '' && key.length <= IDEMPOTENCY_KEY_CHARS_MAX,
        'reversePayment: idempotency key',
      );
      assert(
        input.reason.trim() !== '',
        'reversePayment: a reason is required',
      );
      const hash = requestHash('payment.reverse', {
        payment_id: input.paymentId,
        reason: input.reason,
      });
      return inTransaction(db, async (tx) => {
        const replayed = await replay(tx, key, hash);
        if (replayed !== undefined) return replayed;
        const original = await findById(input.paymentId, tx);
        if (original === undefined)
          return err({ code: 'payment.not_found', paymentId: input.paymentId });
        if (original.kind !== 'repayment')
          return err({
            code: 'payment.not_reversible',
            paymentId: original.id,
          });
        const already = await tx
          .selectFrom('payments')
          .select('id')
          .where('reverses_payment_id', '=', original.id)
          .executeTakeFirst();
        if (already !== undefined)
          return err({
            code: 'payment.already_reversed',
            paymentId: original.id,
          });
        const loan = await tx
          .selectFrom('loans')
          .select('schedule_version')
          .where('id', '=', original.loanId)
          .executeTakeFirstOrThrow();
        const firstLine = await tx
          .selectFrom('payment_allocations')
          .select('schedule_version')
          .where('payment_id', '=', original.id)
          .executeTakeFirst();
        if (
          firstLine !== undefined &&
          firstLine.schedule_version !== loan.schedule_version
        ) {
          return err({
            code: 'payment.schedule_replaced',
            paymentId: original.id,
          });
        }
        const id = deps.newId('pay');
        if (!(await claimKey(tx, key, 'payment.reverse', hash, id))) {
          const winner = await replay(tx, key, hash);
          assert(
            winner !== undefined,
            'reversePayment: key claimed but not found',
          );
          return winner;
        }
        // After this point, the reversal must be recorded in full.
        const at = deps.now();
        await insertPayment(
          tx,
          {
            id,
            loan_id: original.loanId,
            kind: 'reversal',
            amount_fen: fen(-original.amountFen),
            paid_on: original.paidOn,
            channel: original.channel,
            reverses_payment_id: original.id,
            idempotency_key: key,
            actor,
            created_at: at,
          },
          loan.schedule_version,
          original.allocations,
          -1n,
        );
        await applyToInstallments(
          tx,
          original.loanId,
          loan.schedule_version,
          original.allocations,
          -1n,
        );
        await appendAudit(
          tx,
          {
            actor,
            action: 'payment.reverse',
            subjectType: 'loan',
            subjectId: original.loanId,
            details: {
              payment_id: id,
              reverses_payment_id: original.id,
              reason: input.reason,
            },
          },
          at,
        );
        const payment = await findById(id, tx);
        assert(payment !== undefined, `payment ${id} vanished`);
        return ok({ payment, replayed: false });
      });
    },
  };
}
