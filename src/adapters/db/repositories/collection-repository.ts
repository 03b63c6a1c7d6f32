import type { Kysely, Selectable } from 'kysely';
import type { Fen } from '../../../domain/money/fen.js';
import { assert } from '../../../domain/shared/assert.js';
import type { CalendarDate } from '../../../domain/shared/calendar-date.js';
import type {
  ContactLogsTable,
  Database,
  PromisesToPayTable,
} from '../schema.js';
import { appendAudit } from './audit-repository.js';
import {
  inTransaction,
  optional,
  type RepositoryDeps,
  toFen,
} from './repository-context.js';

// The collections record: every contact attempt (联系记录) and every promise
// to pay (承诺还款). Contact logs are what the contact policy counts against
// (frequency caps, hours), so they are written even when the attempt failed.

export type ContactChannel =
  | 'app'
  | 'phone'
  | 'sms'
  | 'email'
  | 'wechat'
  | 'letter'
  | 'visit';
export type ContactTarget =
  | 'debtor'
  | 'guarantor'
  | 'emergency_contact'
  | 'third_party';
export type ContactOutcome =
  | 'connected'
  | 'no_answer'
  | 'refused'
  | 'wrong_number'
  | 'sent';

export type NewContactLog = {
  readonly customerId: string;
  readonly loanId?: string;
  readonly userId?: string;
  readonly channel: ContactChannel;
  readonly target: ContactTarget;
  readonly outcome: ContactOutcome;
  /** The instant of the contact, ISO-8601 with the debtor's UTC offset. */
  readonly contactedAt: string;
  /** Free text; callers run it through PII masking before it gets here. */
  readonly note?: string;
  /** Call result code (结果代码), e.g. promise_to_pay. */
  readonly resultCode?: string;
};

export type ContactLog = {
  readonly id: string;
  readonly customerId: string;
  readonly loanId: string | undefined;
  readonly userId: string | undefined;
  readonly channel: ContactChannel;
  readonly target: ContactTarget;
  readonly outcome: ContactOutcome;
  readonly contactedAt: string;
  readonly note: string | undefined;
  readonly resultCode: string | undefined;
};

export type PromiseStatus = 'pending' | 'kept' | 'broken';

export type NewPromiseToPay = {
  readonly loanId: string;
  readonly amountFen: Fen;
  readonly promisedOn: CalendarDate;
  readonly userId?: string;
};

export type PromiseToPay = {
  readonly id: string;
  readonly loanId: string;
  readonly amountFen: Fen;
  readonly promisedOn: CalendarDate;
  readonly status: PromiseStatus;
  readonly userId: string | undefined;
  readonly createdAt: string;
  readonly resolvedAt: string | undefined;
};

function toContactLog(row: Selectable<ContactLogsTable>): ContactLog {
  return {
    id: row.id,
    customerId: row.customer_id,
    loanId: optional(row.loan_id),
    userId: optional(row.user_id),
    channel: row.channel as ContactChannel,
    target: row.target as ContactTarget,
    outcome: row.outcome as ContactOutcome,
    contactedAt: row.contacted_at,
    note: optional(row.note),
    resultCode: optional(row.result_code),
  };
}

function toPromise(row: Selectable<PromisesToPayTable>): PromiseToPay {
  return {
    id: row.id,
    loanId: row.loan_id,
    amountFen: toFen(row.amount_fen),
    promisedOn: row.promised_on as CalendarDate,
    status: row.status as PromiseStatus,
    userId: optional(row.user_id),
    createdAt: row.created_at,
    resolvedAt: optional(row.resolved_at),
  };
}

export class CollectionRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly deps: RepositoryDeps,
  ) {}

  async logContact(input: NewContactLog): Promise<ContactLog> {
    const row = {
      id: this.deps.newId('contact'),
      customer_id: input.customerId,
      loan_id: input.loanId ?? null,
      user_id: input.userId ?? null,
      channel: input.channel,
      target: input.target,
      outcome: input.outcome,
      contacted_at: input.contactedAt,
      note: input.note ?? null,
      result_code: input.resultCode ?? null,
    };
    await this.db.insertInto('contact_logs').values(row).execute();
    return toContactLog(row);
  }

  /** Contacts with a customer since `fromInstant` (inclusive), oldest first. */
  async listContactsSince(
    customerId: string,
    fromInstant: string,
  ): Promise<ContactLog[]> {
    const rows = await this.db
      .selectFrom('contact_logs')
      .selectAll()
      .where('customer_id', '=', customerId)
      .where('contacted_at', '>=', fromInstant)
      .orderBy('contacted_at')
      .orderBy('id')
      .execute();
    return rows.map(toContactLog);
  }

  async recordPromise(
    input: NewPromiseToPay,
    actor: string,
  ): Promise<PromiseToPay> {
    assert(input.amountFen > 0n, 'promise: amount must be positive');
    const at = this.deps.now();
    const row = {
      id: this.deps.newId('ptp'),
      loan_id: input.loanId,
      amount_fen: input.amountFen,
      promised_on: input.promisedOn,
      status: 'pending',
      user_id: input.userId ?? null,
      created_at: at,
      resolved_at: null,
    };
    return inTransaction(this.db, async (tx) => {
      await tx.insertInto('promises_to_pay').values(row).execute();
      await appendAudit(
        tx,
        {
          actor,
          action: 'promise.record',
          subjectType: 'loan',
          subjectId: input.loanId,
          details: {
            promise_id: row.id,
            amount_fen: input.amountFen,
            promised_on: input.promisedOn,
          },
        },
        at,
      );
      return toPromise(row);
    });
  }

  /** Marks a pending promise kept or broken; false if it was not pending. */
  async resolvePromise(
    id: string,
    status: 'kept' | 'broken',
    actor: string,
  ): Promise<boolean> {
    const at = this.deps.now();
    return inTransaction(this.db, async (tx) => {
      const result = await tx
        .updateTable('promises_to_pay')
        .set({ status, resolved_at: at })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .returning(['loan_id'])
        .executeTakeFirst();
      if (result === undefined) return false;
      await appendAudit(
        tx,
        {
          actor,
          action: `promise.${status}`,
          subjectType: 'loan',
          subjectId: result.loan_id,
          details: { promise_id: id },
        },
        at,
      );
      return true;
    });
  }

  async listPromises(loanId: string): Promise<PromiseToPay[]> {
    const rows = await this.db
      .selectFrom('promises_to_pay')
      .selectAll()
      .where('loan_id', '=', loanId)
      .orderBy('promised_on')
      .orderBy('id')
      .execute();
    return rows.map(toPromise);
  }

  /** Pending promises due on or before `today` (the follow-up queue). */
  async listPromisesDue(today: CalendarDate): Promise<PromiseToPay[]> {
    const rows = await this.db
      .selectFrom('promises_to_pay')
      .selectAll()
      .where('status', '=', 'pending')
      .where('promised_on', '<=', today)
      .orderBy('promised_on')
      .orderBy('id')
      .execute();
    return rows.map(toPromise);
  }
}
