import type { Kysely, Selectable } from 'kysely';
import {
  APPLICATION_STATUSES,
  type ApplicationEvent,
  type ApplicationStatus,
  type LifecycleError,
  transitionApplication,
} from '../../../domain/loan/lifecycle.js';
import type { RepaymentMethod } from '../../../domain/loan/schedule/types.js';
import { type Fen, fen } from '../../../domain/money/fen.js';
import type { Rate } from '../../../domain/money/rate.js';
import { assert } from '../../../domain/shared/assert.js';
import type { CalendarDate } from '../../../domain/shared/calendar-date.js';
import {
  PAGE_SIZE_MAX,
  TERM_MONTHS_MAX,
} from '../../../domain/shared/limits.js';
import { err, ok, type Result } from '../../../domain/shared/result.js';
import type { CanonicalValue } from '../canonical-json.js';
import type { ApplicationsTable, Database } from '../schema.js';
import { appendAudit } from './audit-repository.js';
import {
  inTransaction,
  optional,
  parseJsonArrayOfStrings,
  type RepositoryDeps,
  rateText,
  readRate,
  toCount,
  toFen,
} from './repository-context.js';

// Loan applications (贷款申请) and their lifecycle. Every status change goes
// through the pure state machine (domain/loan/lifecycle.ts), is written with
// an optimistic version check, and is audited with who and why in the same
// transaction: a transition is either fully recorded or not at all.

export type NewApplication = {
  readonly appNo: string;
  readonly customerId: string;
  readonly productId: string;
  readonly amountFen: Fen;
  readonly termMonths: number;
  readonly purpose?: string;
  readonly submittedOn: CalendarDate;
};

export type Application = {
  readonly id: string;
  readonly appNo: string;
  readonly customerId: string;
  readonly productId: string;
  readonly amountFen: Fen;
  readonly termMonths: number;
  readonly purpose: string | undefined;
  readonly status: ApplicationStatus;
  readonly submittedOn: CalendarDate;
  /** Why it was rejected (or conditions of approval); empty otherwise. */
  readonly decisionReasons: readonly string[];
  /** The credit-assessment scorecard, as recorded. */
  readonly scorecard: unknown;
  /** Pricing fixed at approval; undefined before. */
  readonly approvedRateAnnual: Rate | undefined;
  readonly approvedMethod: RepaymentMethod | undefined;
  readonly version: number;
  readonly updatedAt: string;
};

/** The pricing an approval fixes (rate within the product's band). */
export type ApprovalTerms = {
  readonly rateAnnual: Rate;
  readonly method: RepaymentMethod;
};

export type ApplicationFilter = {
  readonly status?: ApplicationStatus;
  readonly customerId?: string;
  readonly limit: number;
  readonly offset: number;
};

/** Who changes the status and why; both go to the audit log. */
export type TransitionActor = {
  readonly actor: string;
  readonly reason: string;
};

export type ApplicationTransitionError =
  | LifecycleError
  | { readonly code: 'application.not_found'; readonly applicationId: string }
  | {
      readonly code: 'application.concurrent_update';
      readonly applicationId: string;
      readonly version: number;
    };

// Bound: an application is edited a handful of times; 10^6 is a bug.
const VERSION_MAX = 1_000_000;

function toApplication(row: Selectable<ApplicationsTable>): Application {
  assert(
    (APPLICATION_STATUSES as readonly string[]).includes(row.status),
    `application ${row.id}: unknown status ${row.status}`,
  );
  return {
    id: row.id,
    appNo: row.app_no,
    customerId: row.customer_id,
    productId: row.product_id,
    amountFen: toFen(row.amount_fen),
    termMonths: toCount(row.term_months, TERM_MONTHS_MAX),
    purpose: optional(row.purpose),
    status: row.status as ApplicationStatus,
    submittedOn: row.submitted_on as CalendarDate,
    decisionReasons: parseJsonArrayOfStrings(row.decision_reasons),
    scorecard: row.scorecard === null ? undefined : JSON.parse(row.scorecard),
    approvedRateAnnual:
      row.approved_rate_annual === null
        ? undefined
        : readRate(row.approved_rate_annual),
    approvedMethod: optional(row.approved_method) as
      | RepaymentMethod
      | undefined,
    version: toCount(row.version, VERSION_MAX),
    updatedAt: row.updated_at,
  };
}

export class ApplicationRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly deps: RepositoryDeps,
  ) {}

  async findById(
    id: string,
    tx: Kysely<Database> = this.db,
  ): Promise<Application | undefined> {
    const row = await tx
      .selectFrom('applications')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toApplication(row);
  }

  async create(input: NewApplication, actor: string): Promise<Application> {
    assert(input.amountFen > 0n, 'application: amount must be positive');
    const at = this.deps.now();
    const row = {
      id: this.deps.newId('app'),
      app_no: input.appNo,
      customer_id: input.customerId,
      product_id: input.productId,
      amount_fen: fen(input.amountFen),
      term_months: BigInt(input.termMonths),
      purpose: input.purpose ?? null,
      status: 'submitted',
      submitted_on: input.submittedOn,
      decision_reasons: null,
      scorecard: null,
      approved_rate_annual: null,
      approved_method: null,
      version: 1n,
      created_at: at,
      updated_at: at,
    };
    return inTransaction(this.db, async (tx) => {
      await tx.insertInto('applications').values(row).execute();
      await appendAudit(
        tx,
        {
          actor,
          action: 'application.submit',
          subjectType: 'application',
          subjectId: row.id,
          details: { app_no: row.app_no, amount_fen: row.amount_fen },
        },
        at,
      );
      return toApplication(row);
    });
  }

  /** Newest first, filtered, one page (`limit` ≤ PAGE_SIZE_MAX). */
  async list(filter: ApplicationFilter): Promise<Application[]> {
    assert(
      filter.limit >= 1 && filter.limit <= PAGE_SIZE_MAX && filter.offset >= 0,
      'applications.list: page out of range',
    );
    let query = this.db.selectFrom('applications').selectAll();
    if (filter.status !== undefined)
      query = query.where('status', '=', filter.status);
    if (filter.customerId !== undefined)
      query = query.where('customer_id', '=', filter.customerId);
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute();
    return rows.map(toApplication);
  }

  /**
   * Records a credit assessment's scorecard without a status change
   * (the decision stays with a person), audited with who and why.
   */
  async recordScorecard(
    id: string,
    scorecard: { readonly [key: string]: CanonicalValue },
    who: TransitionActor,
  ): Promise<Result<Application, ApplicationTransitionError>> {
    assert(who.actor !== '' && who.reason !== '', 'recordScorecard: who/why');
    return inTransaction(this.db, async (tx) => {
      const current = await this.findById(id, tx);
      if (current === undefined)
        return err({ code: 'application.not_found', applicationId: id });
      const at = this.deps.now();
      const updated = await tx
        .updateTable('applications')
        .set({
          scorecard: JSON.stringify(scorecard),
          version: BigInt(current.version + 1),
          updated_at: at,
        })
        .where('id', '=', id)
        .where('version', '=', BigInt(current.version))
        .executeTakeFirst();
      if (updated.numUpdatedRows !== 1n)
        return err({
          code: 'application.concurrent_update',
          applicationId: id,
          version: current.version,
        });
      await appendAudit(
        tx,
        {
          actor: who.actor,
          action: 'application.assess',
          subjectType: 'application',
          subjectId: id,
          details: {
            status: current.status,
            reason: who.reason,
            decision: scorecard.decision ?? null,
            total_points: scorecard.total_points ?? null,
          },
        },
        at,
      );
      const after = await this.findById(id, tx);
      assert(after !== undefined, `application ${id} vanished`);
      return ok(after);
    });
  }

  async listByCustomer(customerId: string): Promise<Application[]> {
    const rows = await this.db
      .selectFrom('applications')
      .selectAll()
      .where('customer_id', '=', customerId)
      .orderBy('submitted_on')
      .orderBy('id')
      .execute();
    return rows.map(toApplication);
  }

  /**
   * Applies `event` to the application: validated by the state machine,
   * stored with a version check, audited with `who.actor` and `who.reason`.
   * `scorecard` is recorded with the transition when given; `approval`
   * (only with `approve`) fixes the pricing read at disbursement.
   */
  async transition(
    id: string,
    event: ApplicationEvent,
    who: TransitionActor,
    scorecard?: { readonly [key: string]: CanonicalValue },
    approval?: ApprovalTerms,
  ): Promise<Result<Application, ApplicationTransitionError>> {
    assert(
      approval === undefined || event.type === 'approve',
      'transition: approval terms go with approve only',
    );
    assert(who.actor !== '' && who.reason !== '', 'transition: who/why');
    return inTransaction(this.db, async (tx) => {
      const current = await this.findById(id, tx);
      if (current === undefined) {
        return err({ code: 'application.not_found', applicationId: id });
      }
      const next = transitionApplication(current.status, event);
      if (!next.ok) return next;
      // After this point, the transition must be recorded.
      const at = this.deps.now();
      const reasons = event.type === 'reject' ? event.reasons : undefined;
      const updated = await tx
        .updateTable('applications')
        .set({
          status: next.value,
          version: BigInt(current.version + 1),
          updated_at: at,
          ...(reasons === undefined
            ? {}
            : { decision_reasons: JSON.stringify(reasons) }),
          ...(scorecard === undefined
            ? {}
            : { scorecard: JSON.stringify(scorecard) }),
          ...(approval === undefined
            ? {}
            : {
                approved_rate_annual: rateText(approval.rateAnnual),
                approved_method: approval.method,
              }),
        })
        .where('id', '=', id)
        .where('version', '=', BigInt(current.version))
        .executeTakeFirst();
      if (updated.numUpdatedRows !== 1n) {
        return err({
          code: 'application.concurrent_update',
          applicationId: id,
          version: current.version,
        });
      }
      await appendAudit(
        tx,
        {
          actor: who.actor,
          action: `application.${event.type}`,
          subjectType: 'application',
          subjectId: id,
          details: {
            from: current.status,
            to: next.value,
            reason: who.reason,
            reasons: reasons === undefined ? undefined : [...reasons],
            rate_annual:
              approval === undefined
                ? undefined
                : rateText(approval.rateAnnual),
            method: approval?.method,
          },
        },
        at,
      );
      const after = await this.findById(id, tx);
      assert(after !== undefined, `application ${id} vanished`);
      return ok(after);
    });
  }
}
