import type { Kysely, Selectable } from 'kysely';
import type { LoanBalance } from '../../../domain/loan/allocation/loan-balance.js';
import {
  NO_PREPAYMENT_FEE_TERMS,
  type PrepaymentFeeTerms,
} from '../../../domain/loan/early-repayment/prepayment-fee.js';
import {
  type LifecycleError,
  LOAN_STATUSES,
  type LoanEvent,
  type LoanStatus,
  transitionLoan,
} from '../../../domain/loan/lifecycle.js';
import type {
  DayCount,
  LoanTerms,
  RepaymentMethod,
  Schedule,
} from '../../../domain/loan/schedule/types.js';
import { type Fen, fen, subFen, sumFen } from '../../../domain/money/fen.js';
import type { Rate } from '../../../domain/money/rate.js';
import type { Rounding } from '../../../domain/money/rounding.js';
import { assert } from '../../../domain/shared/assert.js';
import type { CalendarDate } from '../../../domain/shared/calendar-date.js';
import { TERM_MONTHS_MAX } from '../../../domain/shared/limits.js';
import { err, ok, type Result } from '../../../domain/shared/result.js';
import { todayInChina } from '../../clock/today.js';
import type { CanonicalValue } from '../canonical-json.js';
import { type Param, PreparedQuery } from '../prepared-query.js';
import type { Database, InstallmentsTable, LoansTable } from '../schema.js';
import type { TransitionActor } from './application-repository.js';
import { appendAudit } from './audit-repository.js';
import { feeTermsText, readFeeTerms } from './prepayment-fee-column.js';
import {
  inTransaction,
  optional,
  type RepositoryDeps,
  rateText,
  readRate,
  toCount,
  toFen,
} from './repository-context.js';
import {
  readScheduleTerms,
  scheduleTermsText,
} from './schedule-terms-column.js';

// Loans and their schedules (还款计划). A loan is created at disbursement
// from the schedule the loan engine built; a restructuring writes a new
// schedule version and keeps the old rows for history. Status changes go
// through the pure state machine and are audited in the same transaction.

export type Loan = {
  readonly id: string;
  readonly loanNo: string;
  readonly customerId: string;
  readonly applicationId: string | undefined;
  readonly productId: string | undefined;
  readonly principalFen: Fen;
  readonly rateAnnual: Rate;
  readonly termMonths: number;
  readonly method: RepaymentMethod;
  readonly dayCount: DayCount;
  readonly rounding: Rounding;
  readonly startDate: CalendarDate;
  readonly status: LoanStatus;
  readonly scheduleVersion: number;
  readonly version: number;
  readonly closedOn: CalendarDate | undefined;
  /** The contract's early-repayment fee terms (none unless set at booking). */
  readonly prepaymentFee: PrepaymentFeeTerms;
  /**
   * The loan engine's terms of schedule version `version` (the booking's or
   * the last restructuring's, without prepayments); undefined on loans
   * booked before they were kept.
   */
  readonly scheduleTerms:
    | { readonly terms: LoanTerms; readonly version: number }
    | undefined;
};

/** One installment as the ledger holds it: what is due and what is paid. */
export type LedgerInstallment = {
  readonly scheduleVersion: number;
  readonly n: number;
  readonly dueDate: CalendarDate;
  readonly paymentFen: Fen;
  readonly principalFen: Fen;
  readonly interestFen: Fen;
  readonly feeFen: Fen;
  readonly balanceFen: Fen;
  /** Penalty interest accrued so far (罚息), set by the end-of-day batch. */
  readonly penaltyFen: Fen;
  readonly paidPrincipalFen: Fen;
  readonly paidInterestFen: Fen;
  readonly paidFeeFen: Fen;
  readonly paidPenaltyFen: Fen;
};

/** A row of a new schedule version, paid amounts carried where they apply. */
export type LedgerRowInput = Omit<LedgerInstallment, 'scheduleVersion'>;

export type NewLoan = {
  readonly loanNo: string;
  readonly customerId: string;
  readonly applicationId?: string;
  readonly productId?: string;
  readonly schedule: Schedule;
  /** The contract's early-repayment fee (from the product); default none. */
  readonly prepaymentFee?: PrepaymentFeeTerms;
};

export type LoanTransitionError =
  | LifecycleError
  | { readonly code: 'loan.not_found'; readonly loanId: string }
  | {
      readonly code: 'loan.concurrent_update';
      readonly loanId: string;
      readonly version: number;
    };

// Bounds: a loan is restructured a few times and edited a few thousand.
const SCHEDULE_VERSION_MAX = 1_000;
const VERSION_MAX = 1_000_000;

function toLoan(row: Selectable<LoansTable>): Loan {
  assert(
    (LOAN_STATUSES as readonly string[]).includes(row.status),
    `loan ${row.id}: unknown status ${row.status}`,
  );
  return {
    id: row.id,
    loanNo: row.loan_no,
    customerId: row.customer_id,
    applicationId: optional(row.application_id),
    productId: optional(row.product_id),
    principalFen: toFen(row.principal_fen),
    rateAnnual: readRate(row.rate_annual),
    termMonths: toCount(row.term_months, TERM_MONTHS_MAX),
    method: row.method as RepaymentMethod,
    dayCount: row.day_count as DayCount,
    rounding: row.rounding as Rounding,
    startDate: row.start_date as CalendarDate,
    status: row.status as LoanStatus,
    scheduleVersion: toCount(row.schedule_version, SCHEDULE_VERSION_MAX),
    version: toCount(row.version, VERSION_MAX),
    closedOn: optional(row.closed_on) as CalendarDate | undefined,
    prepaymentFee: readFeeTerms(row.prepayment_fee),
    scheduleTerms:
      row.schedule_terms === null
        ? undefined
        : {
            terms: readScheduleTerms(row.schedule_terms),
            version: toCount(
              row.schedule_terms_version ?? 1n,
              SCHEDULE_VERSION_MAX,
            ),
          },
  };
}

function toInstallment(row: Selectable<InstallmentsTable>): LedgerInstallment {
  const item: LedgerInstallment = {
    scheduleVersion: toCount(row.schedule_version, SCHEDULE_VERSION_MAX),
    n: toCount(row.n, TERM_MONTHS_MAX),
    dueDate: row.due_date as CalendarDate,
    paymentFen: toFen(row.payment_fen),
    principalFen: toFen(row.principal_fen),
    interestFen: toFen(row.interest_fen),
    feeFen: toFen(row.fee_fen),
    balanceFen: toFen(row.balance_fen),
    penaltyFen: toFen(row.penalty_fen),
    paidPrincipalFen: toFen(row.paid_principal_fen),
    paidInterestFen: toFen(row.paid_interest_fen),
    paidFeeFen: toFen(row.paid_fee_fen),
    paidPenaltyFen: toFen(row.paid_penalty_fen),
  };
  // Paired with the checks at write time: what was stored is still whole.
  assert(
    item.paymentFen === item.principalFen + item.interestFen + item.feeFen,
    `installment ${row.loan_id}#${item.n}: parts do not add up`,
  );
  assert(
    item.paidPrincipalFen >= 0n &&
      item.paidPrincipalFen <= item.principalFen &&
      item.paidInterestFen >= 0n &&
      item.paidInterestFen <= item.interestFen &&
      item.paidFeeFen >= 0n &&
      item.paidFeeFen <= item.feeFen &&
      item.paidPenaltyFen >= 0n &&
      item.paidPenaltyFen <= item.penaltyFen,
    `installment ${row.loan_id}#${item.n}: paid outside 0..due`,
  );
  return item;
}

function installmentRows(
  loanId: string,
  scheduleVersion: number,
  schedule: Schedule,
): Selectable<InstallmentsTable>[] {
  const principals = schedule.installments.map((i) => i.principalFen);
  assert(
    sumFen(principals) === schedule.totalPrincipalFen,
    'schedule: installment principal does not add up to the total',
  );
  return schedule.installments.map((i) => ({
    loan_id: loanId,
    schedule_version: BigInt(scheduleVersion),
    n: BigInt(i.n),
    due_date: i.dueDate,
    payment_fen: fen(i.paymentFen),
    principal_fen: fen(i.principalFen),
    interest_fen: fen(i.interestFen),
    fee_fen: fen(i.feeFen),
    balance_fen: fen(i.balanceFen),
    penalty_fen: 0n,
    paid_principal_fen: 0n,
    paid_interest_fen: 0n,
    paid_fee_fen: 0n,
    paid_penalty_fen: 0n,
  }));
}

// Read on every payment and every verified chat turn: prepared once per
// dialect (prepared-query.ts).
const FIND_BY_LOAN_NO = new PreparedQuery((db: Kysely<Database>, p: Param) =>
  db.selectFrom('loans').selectAll().where('loan_no', '=', p<string>('loanNo')),
);

const CURRENT_SCHEDULE = new PreparedQuery((db: Kysely<Database>, p: Param) =>
  db
    .selectFrom('installments')
    .innerJoin('loans', 'loans.id', 'installments.loan_id')
    .selectAll('installments')
    .where('installments.loan_id', '=', p<string>('loanId'))
    .whereRef('installments.schedule_version', '=', 'loans.schedule_version')
    .orderBy('installments.n'),
);

export class LoanRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly deps: RepositoryDeps,
  ) {}

  async findById(
    id: string,
    tx: Kysely<Database> = this.db,
  ): Promise<Loan | undefined> {
    const row = await tx
      .selectFrom('loans')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toLoan(row);
  }

  private async applyTransition(
    tx: Kysely<Database>,
    id: string,
    event: LoanEvent,
    who: TransitionActor,
    details: { readonly schedule_version?: number } = {},
  ): Promise<Result<Loan, LoanTransitionError>> {
    const current = await this.findById(id, tx);
    if (current === undefined)
      return err({ code: 'loan.not_found', loanId: id });
    const next = transitionLoan(current.status, event);
    if (!next.ok) return next;
    // After this point, the transition must be recorded.
    const at = this.deps.now();
    const closing = next.value === 'settled' || next.value === 'written_off';
    const updated = await tx
      .updateTable('loans')
      .set({
        status: next.value,
        version: BigInt(current.version + 1),
        // The business day in China, not the UTC date of the instant.
        closed_on: closing ? todayInChina(new Date(at)) : null,
        updated_at: at,
      })
      .where('id', '=', id)
      .where('version', '=', BigInt(current.version))
      .executeTakeFirst();
    if (updated.numUpdatedRows !== 1n) {
      return err({
        code: 'loan.concurrent_update',
        loanId: id,
        version: current.version,
      });
    }
    await appendAudit(
      tx,
      {
        actor: who.actor,
        action: `loan.${event.type}`,
        subjectType: 'loan',
        subjectId: id,
        details: {
          from: current.status,
          to: next.value,
          reason: who.reason,
          ...details,
        },
      },
      at,
    );
    const after = await this.findById(id, tx);
    assert(after !== undefined, `loan ${id} vanished`);
    return ok(after);
  }

  async findByLoanNo(loanNo: string): Promise<Loan | undefined> {
    const row = (await FIND_BY_LOAN_NO.execute(this.db, { loanNo })).rows[0];
    return row === undefined ? undefined : toLoan(row);
  }

  async listByCustomer(customerId: string): Promise<Loan[]> {
    const rows = await this.db
      .selectFrom('loans')
      .selectAll()
      .where('customer_id', '=', customerId)
      .orderBy('start_date')
      .orderBy('id')
      .execute();
    return rows.map(toLoan);
  }

  /**
   * Books a disbursed loan with its schedule (version 1), status
   * `repaying`, audited as `loan.disburse`. Compose it with the
   * application's `disburse` transition in one transaction.
   */
  async createFromSchedule(input: NewLoan, actor: string): Promise<Loan> {
    const { terms } = input.schedule;
    assert(input.schedule.prepayments.length === 0, 'loan: prepayments');
    assert(
      input.schedule.totalPrincipalFen === terms.principalFen,
      'loan: schedule does not repay the principal',
    );
    const at = this.deps.now();
    const id = this.deps.newId('loan');
    const row: Selectable<LoansTable> = {
      id,
      loan_no: input.loanNo,
      customer_id: input.customerId,
      application_id: input.applicationId ?? null,
      product_id: input.productId ?? null,
      principal_fen: fen(terms.principalFen),
      rate_annual: rateText(terms.rateAnnual),
      term_months: BigInt(terms.termMonths),
      method: terms.method,
      day_count: terms.dayCount,
      rounding: terms.rounding,
      start_date: terms.startDate,
      status: 'repaying',
      schedule_version: 1n,
      version: 1n,
      closed_on: null,
      prepayment_fee: feeTermsText(
        input.prepaymentFee ?? NO_PREPAYMENT_FEE_TERMS,
      ),
      schedule_terms: scheduleTermsText(terms),
      schedule_terms_version: 1n,
      created_at: at,
      updated_at: at,
    };
    return inTransaction(this.db, async (tx) => {
      await tx.insertInto('loans').values(row).execute();
      await tx
        .insertInto('installments')
        .values(installmentRows(id, 1, input.schedule))
        .execute();
      await appendAudit(
        tx,
        {
          actor,
          action: 'loan.disburse',
          subjectType: 'loan',
          subjectId: id,
          details: {
            loan_no: input.loanNo,
            principal_fen: terms.principalFen,
            application_id: input.applicationId,
          },
        },
        at,
      );
      return toLoan(row);
    });
  }

  /** The installments of the loan's current schedule, in order. */
  async schedule(loanId: string): Promise<LedgerInstallment[]> {
    const { rows } = await CURRENT_SCHEDULE.execute(this.db, { loanId });
    return rows.map(toInstallment);
  }

  /** The installments of one schedule version (history), in order. */
  async scheduleVersionRows(
    loanId: string,
    scheduleVersion: number,
  ): Promise<LedgerInstallment[]> {
    const rows = await this.db
      .selectFrom('installments')
      .selectAll()
      .where('loan_id', '=', loanId)
      .where('schedule_version', '=', BigInt(scheduleVersion))
      .orderBy('n')
      .execute();
    return rows.map(toInstallment);
  }

  /**
   * What is still owed on the current schedule, per installment (due minus
   * paid), in the shape the payment waterfall (`allocatePayment`) reads.
   */
  async balance(loanId: string): Promise<LoanBalance> {
    const installments = await this.schedule(loanId);
    assert(installments.length > 0, `loan ${loanId}: no schedule`);
    return {
      installments: installments.map((i) => ({
        n: i.n,
        dueDate: i.dueDate,
        principalFen: subFen(i.principalFen, i.paidPrincipalFen),
        interestFen: subFen(i.interestFen, i.paidInterestFen),
        feeFen: subFen(i.feeFen, i.paidFeeFen),
        penaltyFen: subFen(i.penaltyFen, i.paidPenaltyFen),
      })),
    };
  }

  /** Applies a lifecycle event (not `restructure`: use `restructure`). */
  async transition(
    id: string,
    event: LoanEvent,
    who: TransitionActor,
  ): Promise<Result<Loan, LoanTransitionError>> {
    assert(event.type !== 'restructure', 'transition: use restructure()');
    assert(who.actor !== '' && who.reason !== '', 'transition: who/why');
    return inTransaction(this.db, (tx) =>
      this.applyTransition(tx, id, event, who),
    );
  }

  /**
   * Makes `rows` the loan's current schedule (a new version) without a
   * status change: an early repayment rewrites what is still to come and
   * carries what was paid. Optimistic on the loan's version; audited as
   * `loan.reschedule` with who, why and `details`.
   */
  async addScheduleVersion(
    id: string,
    rows: readonly LedgerRowInput[],
    who: TransitionActor,
    details: { readonly [key: string]: CanonicalValue },
  ): Promise<Result<number, LoanTransitionError>> {
    assert(rows.length > 0, 'addScheduleVersion: no rows');
    for (const row of rows) {
      assert(
        row.paymentFen === row.principalFen + row.interestFen + row.feeFen,
        () => `addScheduleVersion: row ${row.n} parts do not add up`,
      );
      assert(
        row.paidPrincipalFen <= row.principalFen &&
          row.paidInterestFen <= row.interestFen &&
          row.paidFeeFen <= row.feeFen &&
          row.paidPenaltyFen <= row.penaltyFen,
        () => `addScheduleVersion: row ${row.n} paid above due`,
      );
    }
    return inTransaction(this.db, async (tx) => {
      const current = await this.findById(id, tx);
      if (current === undefined)
        return err({ code: 'loan.not_found', loanId: id });
      const version = current.scheduleVersion + 1;
      const at = this.deps.now();
      const updated = await tx
        .updateTable('loans')
        .set({
          schedule_version: BigInt(version),
          version: BigInt(current.version + 1),
          updated_at: at,
        })
        .where('id', '=', id)
        .where('version', '=', BigInt(current.version))
        .executeTakeFirst();
      if (updated.numUpdatedRows !== 1n)
        return err({
          code: 'loan.concurrent_update',
          loanId: id,
          version: current.version,
        });
      await tx
        .insertInto('installments')
        .values(
          rows.map((r) => ({
            loan_id: id,
            schedule_version: BigInt(version),
            n: BigInt(r.n),
            due_date: r.dueDate,
            payment_fen: fen(r.paymentFen),
            principal_fen: fen(r.principalFen),
            interest_fen: fen(r.interestFen),
            fee_fen: fen(r.feeFen),
            balance_fen: fen(r.balanceFen),
            penalty_fen: fen(r.penaltyFen),
            paid_principal_fen: fen(r.paidPrincipalFen),
            paid_interest_fen: fen(r.paidInterestFen),
            paid_fee_fen: fen(r.paidFeeFen),
            paid_penalty_fen: fen(r.paidPenaltyFen),
          })),
        )
        .execute();
      await appendAudit(
        tx,
        {
          actor: who.actor,
          action: 'loan.reschedule',
          subjectType: 'loan',
          subjectId: id,
          details: {
            from_version: current.scheduleVersion,
            to_version: version,
            reason: who.reason,
            ...details,
          },
        },
        at,
      );
      return ok(version);
    });
  }

  /**
   * Moves the loan to `restructured` and makes `schedule` its current
   * schedule (a new version); earlier versions stay for history.
   */
  async restructure(
    id: string,
    schedule: Schedule,
    who: TransitionActor,
  ): Promise<Result<Loan, LoanTransitionError>> {
    return inTransaction(this.db, async (tx) => {
      const current = await this.findById(id, tx);
      if (current === undefined)
        return err({ code: 'loan.not_found', loanId: id });
      const version = current.scheduleVersion + 1;
      const moved = await this.applyTransition(
        tx,
        id,
        { type: 'restructure' },
        who,
        {
          schedule_version: version,
        },
      );
      if (!moved.ok) return moved;
      await tx
        .insertInto('installments')
        .values(installmentRows(id, version, schedule))
        .execute();
      await tx
        .updateTable('loans')
        .set({
          schedule_version: BigInt(version),
          // Early repayment rebuilds the new schedule from these terms.
          ...(schedule.prepayments.length === 0
            ? {
                schedule_terms: scheduleTermsText(schedule.terms),
                schedule_terms_version: BigInt(version),
              }
            : { schedule_terms: null, schedule_terms_version: null }),
        })
        .where('id', '=', id)
        .execute();
      const after = await this.findById(id, tx);
      assert(after !== undefined, `loan ${id} vanished`);
      return ok(after);
    });
  }
}
