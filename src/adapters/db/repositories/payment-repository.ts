import type { Kysely } from 'kysely';
import { type Fen, fen } from '../../../domain/money/fen.js';
import { assert } from '../../../domain/shared/assert.js';
import type { CalendarDate } from '../../../domain/shared/calendar-date.js';
import { err, ok, type Result } from '../../../domain/shared/result.js';
import type { Database } from '../schema.js';
import { appendAudit } from './audit-repository.js';
import {
  assertIdempotencyKey,
  claimIdempotencyKey,
  lookupIdempotencyKey,
  requestHash,
} from './idempotency-repository.js';
import {
  allocatedFen,
  applyToInstallments,
  findPayment,
  type InstallmentPaid,
  insertPayment,
  type Payment,
  type PaymentChannel,
  readPayment,
} from './payment-ledger.js';
import { inTransaction, type RepositoryDeps } from './repository-context.js';

export type {
  AllocationComponent,
  InstallmentPaid,
  Payment,
  PaymentChannel,
  PaymentKind,
} from './payment-ledger.js';

// Payments: the money-moving writes. Every call takes an idempotency key:
// the first call with a key does the work; a retry with the same key and
// the same request returns the first call's payment and moves no money; the
// same key with a different request is refused. The key, the payment, its
// allocation lines, the installments' paid amounts and the audit entry are
// written in one transaction, so a crash leaves all of them or none.

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

/** An early repayment's payment, written inside the caller's transaction. */
export type SettlementInput = {
  readonly idempotencyKey: string;
  /** `loan.prepay` or `loan.payoff`; the key's scope. */
  readonly scope: string;
  readonly loanId: string;
  readonly kind: 'prepayment' | 'payoff';
  readonly amountFen: Fen;
  readonly paidOn: CalendarDate;
  readonly channel: PaymentChannel;
  /** The schedule version the lines belong to (the one just written). */
  readonly scheduleVersion: number;
  readonly allocations: readonly InstallmentPaid[];
  /** False when the lines are outside the schedule (`n = 0`). */
  readonly applyToSchedule: boolean;
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

// Loans that accept repayments; settled and written-off loans do not.
const OPEN_STATUSES = ['repaying', 'overdue', 'collection', 'restructured'];

type Outcome = Result<PostedPayment, PaymentError>;

export class PaymentRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly deps: RepositoryDeps,
  ) {}

  findById(id: string): Promise<Payment | undefined> {
    return findPayment(this.db, id);
  }

  async listByLoan(loanId: string): Promise<Payment[]> {
    const rows = await this.db
      .selectFrom('payments')
      .selectAll()
      .where('loan_id', '=', loanId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const payments: Payment[] = [];
    for (const row of rows) payments.push(await readPayment(this.db, row));
    return payments;
  }

  /** Posts a repayment already allocated by the waterfall (see header). */
  async post(input: PostPaymentInput, actor: string): Promise<Outcome> {
    assertIdempotencyKey(input.idempotencyKey);
    if (input.amountFen <= 0n) {
      return err({
        code: 'payment.amount_not_positive',
        amountFen: input.amountFen,
      });
    }
    const parts = input.allocations.flatMap((a) => [
      a.feeFen,
      a.penaltyFen,
      a.interestFen,
      a.principalFen,
    ]);
    assert(
      parts.every((p) => p >= 0n),
      'postPayment: negative allocation',
    );
    assert(
      allocatedFen(input.allocations) === input.amountFen,
      'postPayment: allocations must add up to the amount',
    );
    const hash = requestHash('payment.post', {
      loan_id: input.loanId,
      amount_fen: input.amountFen,
      paid_on: input.paidOn,
      channel: input.channel,
      allocations: input.allocations.map((a) => ({ ...a })),
    });
    return inTransaction(this.db, (tx) => this.postIn(tx, input, hash, actor));
  }

  private async postIn(
    tx: Kysely<Database>,
    input: PostPaymentInput,
    hash: string,
    actor: string,
  ): Promise<Outcome> {
    const key = input.idempotencyKey;
    const replayed = await replay(tx, key, hash);
    if (replayed !== undefined) return replayed;
    const loan = await tx
      .selectFrom('loans')
      .select(['status', 'schedule_version'])
      .where('id', '=', input.loanId)
      .executeTakeFirst();
    if (loan === undefined) {
      return err({ code: 'payment.loan_not_found', loanId: input.loanId });
    }
    if (!OPEN_STATUSES.includes(loan.status)) {
      return err({
        code: 'payment.loan_not_open',
        loanId: input.loanId,
        status: loan.status,
      });
    }
    const id = this.deps.newId('pay');
    const at = this.deps.now();
    const claim = { key, scope: 'payment.post', hash, resultId: id, at };
    if (!(await claimIdempotencyKey(tx, claim)))
      return replayWinner(tx, key, hash);
    // After this point, the payment must be recorded in full.
    const row = {
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
    };
    const version = loan.schedule_version;
    await insertPayment(tx, row, version, input.allocations, 1n);
    await applyToInstallments(tx, input.loanId, version, input.allocations, 1n);
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
    return ok({ payment: await readPayment(tx, row), replayed: false });
  }

  /**
   * Records an early repayment inside the caller's transaction (the
   * schedule version and the loan's status move in the same one): claims
   * the key, writes the payment and its lines, applies them to the schedule
   * when they are on it, and audits. Undefined when a concurrent call
   * claimed the key first; the caller rolls back and answers with that one.
   * Not reversible: a new schedule version was built on it.
   */
  async recordSettlement(
    input: SettlementInput,
    actor: string,
  ): Promise<Payment | undefined> {
    assert(this.db.isTransaction, 'recordSettlement: inside a transaction');
    assertIdempotencyKey(input.idempotencyKey);
    assert(input.amountFen > 0n, 'recordSettlement: amount');
    assert(
      allocatedFen(input.allocations) === input.amountFen,
      'recordSettlement: allocations must add up to the amount',
    );
    assert(
      input.applyToSchedule || input.allocations.every((a) => a.n === 0),
      'recordSettlement: lines outside the schedule are n = 0',
    );
    const id = this.deps.newId('pay');
    const at = this.deps.now();
    const hash = requestHash(input.scope, {
      loan_id: input.loanId,
      amount_fen: input.amountFen,
      paid_on: input.paidOn,
      channel: input.channel,
    });
    const claim = {
      key: input.idempotencyKey,
      scope: input.scope,
      hash,
      resultId: id,
      at,
    };
    if (!(await claimIdempotencyKey(this.db, claim))) return undefined;
    const row = {
      id,
      loan_id: input.loanId,
      kind: input.kind,
      amount_fen: fen(input.amountFen),
      paid_on: input.paidOn,
      channel: input.channel,
      reverses_payment_id: null,
      idempotency_key: input.idempotencyKey,
      actor,
      created_at: at,
    };
    const version = BigInt(input.scheduleVersion);
    await insertPayment(this.db, row, version, input.allocations, 1n);
    if (input.applyToSchedule)
      await applyToInstallments(
        this.db,
        input.loanId,
        version,
        input.allocations,
        1n,
      );
    await appendAudit(
      this.db,
      {
        actor,
        action: `payment.${input.kind}`,
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
    return readPayment(this.db, row);
  }

  /**
   * Records the reversal of an early repayment inside the caller's
   * transaction (the schedule version it restores and the loan's status
   * move in the same one): claims the key, writes the negative payment with
   * the original's lines negated on `scheduleVersion`, applies them to the
   * schedule only when `applyToSchedule` (a payoff that wrote no version of
   * its own), and audits `payment.reverse` with the reason. Undefined when
   * a concurrent call claimed the key first.
   */
  async recordReversal(
    input: {
      readonly idempotencyKey: string;
      readonly scope: string;
      readonly original: Payment;
      readonly scheduleVersion: number;
      readonly applyToSchedule: boolean;
      readonly reason: string;
      readonly restoredVersion: number | undefined;
    },
    actor: string,
  ): Promise<Payment | undefined> {
    assert(this.db.isTransaction, 'recordReversal: inside a transaction');
    assertIdempotencyKey(input.idempotencyKey);
    assert(input.reason.trim() !== '', 'recordReversal: a reason is required');
    const { original } = input;
    assert(original.amountFen > 0n, 'recordReversal: a positive original');
    const id = this.deps.newId('pay');
    const at = this.deps.now();
    const hash = requestHash(input.scope, {
      payment_id: original.id,
      reason: input.reason,
    });
    const claim = {
      key: input.idempotencyKey,
      scope: input.scope,
      hash,
      resultId: id,
      at,
    };
    if (!(await claimIdempotencyKey(this.db, claim))) return undefined;
    const row = {
      id,
      loan_id: original.loanId,
      kind: 'reversal',
      amount_fen: fen(-original.amountFen),
      paid_on: original.paidOn,
      channel: original.channel,
      reverses_payment_id: original.id,
      idempotency_key: input.idempotencyKey,
      actor,
      created_at: at,
    };
    const version = BigInt(input.scheduleVersion);
    const lines = original.allocations;
    await insertPayment(this.db, row, version, lines, -1n);
    if (input.applyToSchedule)
      await applyToInstallments(this.db, original.loanId, version, lines, -1n);
    await appendAudit(
      this.db,
      {
        actor,
        action: 'payment.reverse',
        subjectType: 'loan',
        subjectId: original.loanId,
        details: {
          payment_id: id,
          reverses_payment_id: original.id,
          reverses_kind: original.kind,
          amount_fen: original.amountFen,
          reason: input.reason,
          ...(input.restoredVersion === undefined
            ? {}
            : { restored_schedule_version: input.restoredVersion }),
        },
      },
      at,
    );
    return readPayment(this.db, row);
  }

  /** Reverses a repayment: a negative payment undoing its allocations. */
  async reverse(input: ReversePaymentInput, actor: string): Promise<Outcome> {
    assertIdempotencyKey(input.idempotencyKey);
    assert(input.reason.trim() !== '', 'reversePayment: a reason is required');
    const hash = requestHash('payment.reverse', {
      payment_id: input.paymentId,
      reason: input.reason,
    });
    return inTransaction(this.db, (tx) =>
      this.reverseIn(tx, input, hash, actor),
    );
  }

  private async reverseIn(
    tx: Kysely<Database>,
    input: ReversePaymentInput,
    hash: string,
    actor: string,
  ): Promise<Outcome> {
    const key = input.idempotencyKey;
    const replayed = await replay(tx, key, hash);
    if (replayed !== undefined) return replayed;
    const checked = await reversible(tx, input.paymentId);
    if (!checked.ok) return checked;
    const { original, scheduleVersion } = checked.value;
    const id = this.deps.newId('pay');
    const at = this.deps.now();
    const claim = { key, scope: 'payment.reverse', hash, resultId: id, at };
    if (!(await claimIdempotencyKey(tx, claim)))
      return replayWinner(tx, key, hash);
    // After this point, the reversal must be recorded in full.
    const row = {
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
    };
    const lines = original.allocations;
    await insertPayment(tx, row, scheduleVersion, lines, -1n);
    await applyToInstallments(tx, original.loanId, scheduleVersion, lines, -1n);
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
    return ok({ payment: await readPayment(tx, row), replayed: false });
  }
}

// Answers a retry from the key's record; undefined when the key is unused.
async function replay(
  tx: Kysely<Database>,
  key: string,
  hash: string,
): Promise<Outcome | undefined> {
  const found = await lookupIdempotencyKey(tx, key, hash);
  if (found.kind === 'unused') return undefined;
  if (found.kind === 'reused_with_other_request') {
    return err({ code: 'idempotency.key_reused', idempotencyKey: key });
  }
  const payment = await findPayment(tx, found.resultId);
  assert(payment !== undefined, `idempotency key ${key}: payment missing`);
  return ok({ payment, replayed: true });
}

// A concurrent call claimed the key and committed: answer with its result.
async function replayWinner(
  tx: Kysely<Database>,
  key: string,
  hash: string,
): Promise<Outcome> {
  const winner = await replay(tx, key, hash);
  assert(winner !== undefined, `idempotency key ${key}: claimed, not found`);
  return winner;
}

async function reversible(
  tx: Kysely<Database>,
  paymentId: string,
): Promise<
  Result<{ original: Payment; scheduleVersion: bigint }, PaymentError>
> {
  const original = await findPayment(tx, paymentId);
  if (original === undefined)
    return err({ code: 'payment.not_found', paymentId });
  if (original.kind !== 'repayment') {
    return err({ code: 'payment.not_reversible', paymentId });
  }
  const already = await tx
    .selectFrom('payments')
    .select('id')
    .where('reverses_payment_id', '=', paymentId)
    .executeTakeFirst();
  if (already !== undefined) {
    return err({ code: 'payment.already_reversed', paymentId });
  }
  const loan = await tx
    .selectFrom('loans')
    .select('schedule_version')
    .where('id', '=', original.loanId)
    .executeTakeFirstOrThrow();
  const line = await tx
    .selectFrom('payment_allocations')
    .select('schedule_version')
    .where('payment_id', '=', paymentId)
    .executeTakeFirst();
  // A restructuring replaced the schedule this payment was allocated to.
  if (line !== undefined && line.schedule_version !== loan.schedule_version) {
    return err({ code: 'payment.schedule_replaced', paymentId });
  }
  return ok({ original, scheduleVersion: loan.schedule_version });
}
