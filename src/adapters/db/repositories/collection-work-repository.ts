import type { Kysely } from 'kysely';
import { type Fen, fen } from '../../../domain/money/fen.js';
import { assert } from '../../../domain/shared/assert.js';
import type { CalendarDate } from '../../../domain/shared/calendar-date.js';
import { PAGE_SIZE_MAX } from '../../../domain/shared/limits.js';
import type { Database } from '../schema.js';
import { appendAudit } from './audit-repository.js';
import {
  inTransaction,
  type RepositoryDeps,
  toCount,
  toFen,
} from './repository-context.js';

// Collections work (催收作业): case assignment to collectors and negotiators,
// and the work queues by delinquency bucket as the last end-of-day batch
// left them (table `delinquency`). Without a batch run the queues are
// empty, never guessed.

export type QueueRow = {
  readonly bucket: string;
  readonly cases: number;
  readonly totalOverdueFen: Fen;
  readonly outstandingPrincipalFen: Fen;
};

export type CaseRow = {
  readonly loanId: string;
  readonly loanNo: string;
  readonly customerId: string;
  readonly status: string;
  readonly bucket: string;
  readonly daysPastDue: number;
  readonly totalOverdueFen: Fen;
  readonly penaltyFen: Fen;
  readonly outstandingPrincipalFen: Fen;
  readonly asOf: CalendarDate;
  readonly assignees: readonly string[];
};

export type CaseFilter = {
  readonly bucket?: string;
  /** Only the cases assigned to this user (a collector's own view). */
  readonly assignedTo?: string;
  readonly limit: number;
};

const DAYS_PAST_DUE_MAX = 100_000;
const CASES_MAX = 100_000_000;

export class CollectionWorkRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly deps: RepositoryDeps,
  ) {}

  /** Assigns a case; true when it was new (assigning twice changes nothing). */
  async assign(
    loanId: string,
    userId: string,
    actor: string,
  ): Promise<boolean> {
    const at = this.deps.now();
    return inTransaction(this.db, async (tx) => {
      const inserted = await tx
        .insertInto('case_assignments')
        .values({
          loan_id: loanId,
          user_id: userId,
          assigned_by: actor,
          assigned_at: at,
        })
        .onConflict((oc) => oc.columns(['loan_id', 'user_id']).doNothing())
        .executeTakeFirst();
      const created = inserted.numInsertedOrUpdatedRows === 1n;
      if (created)
        await appendAudit(
          tx,
          {
            actor,
            action: 'collection.assign',
            subjectType: 'loan',
            subjectId: loanId,
            details: { user_id: userId },
          },
          at,
        );
      return created;
    });
  }

  async unassign(
    loanId: string,
    userId: string,
    actor: string,
  ): Promise<boolean> {
    const at = this.deps.now();
    return inTransaction(this.db, async (tx) => {
      const deleted = await tx
        .deleteFrom('case_assignments')
        .where('loan_id', '=', loanId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (deleted.numDeletedRows !== 1n) return false;
      await appendAudit(
        tx,
        {
          actor,
          action: 'collection.unassign',
          subjectType: 'loan',
          subjectId: loanId,
          details: { user_id: userId },
        },
        at,
      );
      return true;
    });
  }

  async isLoanAssigned(loanId: string, userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('case_assignments')
      .select('loan_id')
      .where('loan_id', '=', loanId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** True when one of the customer's loans is assigned to the user. */
  async isCustomerAssigned(
    customerId: string,
    userId: string,
  ): Promise<boolean> {
    const row = await this.db
      .selectFrom('case_assignments')
      .innerJoin('loans', 'loans.id', 'case_assignments.loan_id')
      .select('case_assignments.loan_id')
      .where('loans.customer_id', '=', customerId)
      .where('case_assignments.user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async isLoanNoAssigned(loanNo: string, userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('case_assignments')
      .innerJoin('loans', 'loans.id', 'case_assignments.loan_id')
      .select('case_assignments.loan_id')
      .where('loans.loan_no', '=', loanNo)
      .where('case_assignments.user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  private loansAssignedTo(userId: string) {
    return this.db
      .selectFrom('case_assignments')
      .select('case_assignments.loan_id')
      .where('case_assignments.user_id', '=', userId);
  }

  /** Overdue cases per bucket (days past due > 0), as of the last batch. */
  async queues(assignedTo?: string): Promise<QueueRow[]> {
    let query = this.db
      .selectFrom('delinquency')
      .select((eb) => [
        'delinquency.bucket',
        eb.fn.countAll<bigint>().as('cases'),
        eb.fn.sum<bigint>('delinquency.total_overdue_fen').as('overdue'),
        eb.fn
          .sum<bigint>('delinquency.outstanding_principal_fen')
          .as('principal'),
      ])
      .where('delinquency.days_past_due', '>', 0n)
      .groupBy('delinquency.bucket')
      .orderBy('delinquency.bucket');
    if (assignedTo !== undefined)
      query = query.where(
        'delinquency.loan_id',
        'in',
        this.loansAssignedTo(assignedTo),
      );
    const rows = await query.execute();
    return rows.map((row) => ({
      bucket: row.bucket,
      cases: toCount(BigInt(row.cases), CASES_MAX),
      // SUM is numeric on PostgreSQL (a string) and an integer on SQLite.
      totalOverdueFen: fen(BigInt(row.overdue)),
      outstandingPrincipalFen: fen(BigInt(row.principal)),
    }));
  }

  /** Overdue cases, most days past due first. */
  async cases(filter: CaseFilter): Promise<CaseRow[]> {
    assert(
      filter.limit >= 1 && filter.limit <= PAGE_SIZE_MAX,
      'cases: limit out of range',
    );
    let query = this.db
      .selectFrom('delinquency')
      .innerJoin('loans', 'loans.id', 'delinquency.loan_id')
      .select([
        'loans.id as loan_id',
        'loans.loan_no',
        'loans.customer_id',
        'loans.status',
        'delinquency.bucket',
        'delinquency.days_past_due',
        'delinquency.total_overdue_fen',
        'delinquency.penalty_fen',
        'delinquency.outstanding_principal_fen',
        'delinquency.as_of',
      ])
      .where('delinquency.days_past_due', '>', 0n)
      .orderBy('delinquency.days_past_due', 'desc')
      .orderBy('loans.loan_no')
      .limit(filter.limit);
    if (filter.bucket !== undefined)
      query = query.where('delinquency.bucket', '=', filter.bucket);
    const assignedTo = filter.assignedTo;
    if (assignedTo !== undefined)
      query = query.where(
        'delinquency.loan_id',
        'in',
        this.loansAssignedTo(assignedTo),
      );
    const rows = await query.execute();
    const ids = rows.map((row) => row.loan_id);
    const assignees = new Map<string, string[]>();
    if (ids.length > 0) {
      const links = await this.db
        .selectFrom('case_assignments')
        .innerJoin('users', 'users.id', 'case_assignments.user_id')
        .select(['case_assignments.loan_id', 'users.username'])
        .where('case_assignments.loan_id', 'in', ids)
        .orderBy('users.username')
        .execute();
      for (const link of links)
        assignees.set(link.loan_id, [
          ...(assignees.get(link.loan_id) ?? []),
          link.username,
        ]);
    }
    return rows.map((row) => ({
      loanId: row.loan_id,
      loanNo: row.loan_no,
      customerId: row.customer_id,
      status: row.status,
      bucket: row.bucket,
      daysPastDue: toCount(row.days_past_due, DAYS_PAST_DUE_MAX),
      totalOverdueFen: toFen(row.total_overdue_fen),
      penaltyFen: toFen(row.penalty_fen),
      outstandingPrincipalFen: toFen(row.outstanding_principal_fen),
      asOf: row.as_of as CalendarDate,
      assignees: assignees.get(row.loan_id) ?? [],
    }));
  }
}
