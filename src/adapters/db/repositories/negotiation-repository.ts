import type { Kysely, Selectable } from 'kysely';
import type { Debt } from '../../../domain/loan/restructuring/debt.js';
import type { Fen } from '../../../domain/money/fen.js';
import { assert } from '../../../domain/shared/assert.js';
import type { CalendarDate } from '../../../domain/shared/calendar-date.js';
import { TERM_MONTHS_MAX } from '../../../domain/shared/limits.js';
import type { CanonicalValue } from '../canonical-json.js';
import type {
  Database,
  NegotiationAgreementsTable,
  NegotiationApprovalsTable,
} from '../schema.js';
import { appendAudit } from './audit-repository.js';
import {
  inTransaction,
  optional,
  type RepositoryDeps,
  toCount,
  toFen,
} from './repository-context.js';

export type StoredPolicy = {
  readonly version: number;
  /** Canonical JSON of the policy fields. */
  readonly body: string;
  readonly reason: string;
  readonly createdBy: string;
  readonly createdAt: string;
};

// Negotiation records: a supervisor's approval of plan terms outside the
// policy (used by at most one agreement), and the signed agreements
// (协商还款协议) with the balance they started from and the schedule
// version the loan engine booked for them.

export type Approval = {
  readonly id: string;
  readonly loanId: string;
  /** Canonical JSON of the plan terms approved. */
  readonly terms: string;
  readonly reason: string;
  readonly approvedBy: string;
  readonly approvedAt: string;
  readonly agreementId: string | undefined;
};

export type Agreement = {
  readonly id: string;
  readonly agreementNo: string;
  readonly loanId: string;
  readonly kind: string;
  readonly months: number;
  readonly terms: string;
  readonly debt: Debt;
  readonly waivedFen: Fen;
  readonly dueAtSigningFen: Fen;
  readonly totalPaidFen: Fen;
  readonly withinPolicy: boolean;
  readonly approvalId: string | undefined;
  readonly scheduleVersion: number;
  readonly signedOn: CalendarDate;
  readonly signedBy: string;
  readonly createdAt: string;
};

export type NewAgreement = Omit<Agreement, 'id' | 'createdAt'>;

function toApproval(row: Selectable<NegotiationApprovalsTable>): Approval {
  return {
    id: row.id,
    loanId: row.loan_id,
    terms: row.terms,
    reason: row.reason,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    agreementId: optional(row.agreement_id),
  };
}

function toAgreement(row: Selectable<NegotiationAgreementsTable>): Agreement {
  return {
    id: row.id,
    agreementNo: row.agreement_no,
    loanId: row.loan_id,
    kind: row.kind,
    months: toCount(row.months, TERM_MONTHS_MAX),
    terms: row.terms,
    debt: {
      principalFen: toFen(row.principal_fen),
      interestFen: toFen(row.interest_fen),
      feeFen: toFen(row.fee_fen),
      penaltyFen: toFen(row.penalty_fen),
    },
    waivedFen: toFen(row.waived_fen),
    dueAtSigningFen: toFen(row.due_at_signing_fen),
    totalPaidFen: toFen(row.total_paid_fen),
    withinPolicy: row.within_policy === 1n,
    approvalId: optional(row.approval_id),
    scheduleVersion: toCount(row.schedule_version, 1_000),
    signedOn: row.signed_on as CalendarDate,
    signedBy: row.signed_by,
    createdAt: row.created_at,
  };
}

export class NegotiationRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly deps: RepositoryDeps,
  ) {}

  async approve(
    input: { loanId: string; terms: string; reason: string },
    actor: string,
  ): Promise<Approval> {
    assert(input.reason.trim() !== '', 'approve: reason required');
    const at = this.deps.now();
    const row: Selectable<NegotiationApprovalsTable> = {
      id: this.deps.newId('apv'),
      loan_id: input.loanId,
      terms: input.terms,
      reason: input.reason.trim(),
      approved_by: actor,
      approved_at: at,
      agreement_id: null,
    };
    return inTransaction(this.db, async (tx) => {
      await tx.insertInto('negotiation_approvals').values(row).execute();
      await appendAudit(
        tx,
        {
          actor,
          action: 'negotiation.approve',
          subjectType: 'loan',
          subjectId: input.loanId,
          details: { approval_id: row.id, terms: input.terms },
        },
        at,
      );
      return toApproval(row);
    });
  }

  async findApproval(id: string): Promise<Approval | undefined> {
    const row = await this.db
      .selectFrom('negotiation_approvals')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toApproval(row);
  }

  /** Marks an unused approval used by `agreementId`; false if already used. */
  async consumeApproval(id: string, agreementId: string): Promise<boolean> {
    const updated = await this.db
      .updateTable('negotiation_approvals')
      .set({ agreement_id: agreementId })
      .where('id', '=', id)
      .where('agreement_id', 'is', null)
      .executeTakeFirst();
    return updated.numUpdatedRows === 1n;
  }

  /** Records a signed agreement, audited; call inside the signing transaction. */
  async recordAgreement(
    input: NewAgreement,
    actor: string,
  ): Promise<Agreement> {
    const at = this.deps.now();
    const row: Selectable<NegotiationAgreementsTable> = {
      id: this.deps.newId('agr'),
      agreement_no: input.agreementNo,
      loan_id: input.loanId,
      kind: input.kind,
      months: BigInt(input.months),
      terms: input.terms,
      principal_fen: input.debt.principalFen,
      interest_fen: input.debt.interestFen,
      fee_fen: input.debt.feeFen,
      penalty_fen: input.debt.penaltyFen,
      waived_fen: input.waivedFen,
      due_at_signing_fen: input.dueAtSigningFen,
      total_paid_fen: input.totalPaidFen,
      within_policy: input.withinPolicy ? 1n : 0n,
      approval_id: input.approvalId ?? null,
      schedule_version: BigInt(input.scheduleVersion),
      signed_on: input.signedOn,
      signed_by: input.signedBy,
      created_at: at,
    };
    return inTransaction(this.db, async (tx) => {
      await tx.insertInto('negotiation_agreements').values(row).execute();
      await appendAudit(
        tx,
        {
          actor,
          action: 'negotiation.sign',
          subjectType: 'loan',
          subjectId: input.loanId,
          details: {
            agreement_no: input.agreementNo,
            kind: input.kind,
            months: input.months,
            waived_fen: input.waivedFen,
            total_paid_fen: input.totalPaidFen,
            within_policy: input.withinPolicy,
            approval_id: input.approvalId,
            schedule_version: input.scheduleVersion,
          },
        },
        at,
      );
      return toAgreement(row);
    });
  }

  async findAgreementById(id: string): Promise<Agreement | undefined> {
    const row = await this.db
      .selectFrom('negotiation_agreements')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toAgreement(row);
  }

  async findAgreement(agreementNo: string): Promise<Agreement | undefined> {
    const row = await this.db
      .selectFrom('negotiation_agreements')
      .selectAll()
      .where('agreement_no', '=', agreementNo)
      .executeTakeFirst();
    return row === undefined ? undefined : toAgreement(row);
  }

  async listAgreements(loanId: string): Promise<Agreement[]> {
    const rows = await this.db
      .selectFrom('negotiation_agreements')
      .selectAll()
      .where('loan_id', '=', loanId)
      .orderBy('created_at')
      .execute();
    return rows.map(toAgreement);
  }

  /** The newest stored policy version, or undefined (the file is in force). */
  async latestPolicy(): Promise<StoredPolicy | undefined> {
    const row = await this.db
      .selectFrom('negotiation_policies')
      .selectAll()
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : {
          version: Number(row.version),
          body: row.body,
          reason: row.reason,
          createdBy: row.created_by,
          createdAt: row.created_at,
        };
  }

  /**
   * Stores `version` of the policy and audits who changed it, why, and from
   * what to what; false when that version exists already (a concurrent
   * edit won).
   */
  async savePolicy(
    input: {
      readonly version: number;
      readonly body: string;
      readonly reason: string;
      readonly createdBy: string;
    },
    audit: { readonly before: CanonicalValue; readonly after: CanonicalValue },
  ): Promise<boolean> {
    return inTransaction(this.db, async (tx) => {
      const at = this.deps.now();
      const result = await tx
        .insertInto('negotiation_policies')
        .values({
          version: BigInt(input.version),
          body: input.body,
          reason: input.reason,
          created_by: input.createdBy,
          created_at: at,
        })
        .onConflict((oc) => oc.column('version').doNothing())
        .executeTakeFirst();
      if ((result.numInsertedOrUpdatedRows ?? 0n) === 0n) return false;
      await appendAudit(
        tx,
        {
          actor: input.createdBy,
          action: 'negotiation.policy_update',
          subjectType: 'negotiation_policy',
          subjectId: String(input.version),
          details: {
            version: input.version,
            reason: input.reason,
            before: audit.before,
            after: audit.after,
          },
        },
        at,
      );
      return true;
    });
  }
}
