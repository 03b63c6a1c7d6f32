import type { Kysely, Selectable } from 'kysely';
import type { ComplaintTicketsTable, Database } from '../schema.js';
import {
  optional,
  type RepositoryDeps,
  toCount,
} from './repository-context.js';

// Complaint tickets (投诉工单), raised by an agent or by the bot from a
// conversation, with a handling deadline (`due_at`). Basis: 《银行业保险业
// 消费投诉处理管理办法》(银保监会令2020年第3号) — a complaint is decided
// within 15 days, 30 for complex cases, 60 at most (spec/regulations.md CP-01);
// the caller computes the deadline, this table keeps it with the ticket.
// State changes are conditional updates (`… where status = …`), so a
// repeated or concurrent call changes nothing the second time.

export type TicketStatus = 'open' | 'in_progress' | 'resolved' | 'closed';

export const TICKET_STATUSES: readonly TicketStatus[] = [
  'open',
  'in_progress',
  'resolved',
  'closed',
];

export type NewComplaintTicket = {
  /** The number, or a function of the new ticket's id that makes it. */
  readonly ticketNo: string | ((id: string) => string);
  readonly customerId?: string;
  readonly conversationId?: string;
  readonly ticketType: string;
  readonly summary: string;
  /** Handling deadline, ISO-8601 instant. */
  readonly dueAt: string;
  /** chat | phone | email */
  readonly source?: string;
  readonly category?: string;
  /** simple | complex */
  readonly complexity?: string;
};

export type ComplaintTicket = {
  readonly id: string;
  readonly ticketNo: string;
  readonly customerId: string | undefined;
  readonly conversationId: string | undefined;
  readonly ticketType: string;
  readonly status: TicketStatus;
  readonly summary: string;
  readonly assignedUserId: string | undefined;
  readonly dueAt: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly resolvedAt: string | undefined;
  readonly source: string | undefined;
  readonly category: string | undefined;
  readonly complexity: string | undefined;
  readonly escalationLevel: number;
  readonly escalatedAt: string | undefined;
  readonly extensionDays: number;
  readonly extensionReason: string | undefined;
  readonly resolution: string | undefined;
  readonly resolvedBy: string | undefined;
};

const LEVEL_MAX = 10;
const EXTENSION_DAYS_MAX = 365;

function toTicket(row: Selectable<ComplaintTicketsTable>): ComplaintTicket {
  return {
    id: row.id,
    ticketNo: row.ticket_no,
    customerId: optional(row.customer_id),
    conversationId: optional(row.conversation_id),
    ticketType: row.ticket_type,
    status: row.status as TicketStatus,
    summary: row.summary,
    assignedUserId: optional(row.assigned_user_id),
    dueAt: row.due_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    resolvedAt: optional(row.resolved_at),
    source: optional(row.source),
    category: optional(row.category),
    complexity: optional(row.complexity),
    escalationLevel: toCount(row.escalation_level ?? 0n, LEVEL_MAX),
    escalatedAt: optional(row.escalated_at),
    extensionDays: toCount(row.extension_days ?? 0n, EXTENSION_DAYS_MAX),
    extensionReason: optional(row.extension_reason),
    resolution: optional(row.resolution),
    resolvedBy: optional(row.resolved_by),
  };
}

export type TicketFilter = {
  readonly statuses?: readonly TicketStatus[];
  readonly assignedUserId?: string;
  readonly limit: number;
};

export class ComplaintRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly deps: RepositoryDeps,
  ) {}

  async openTicket(input: NewComplaintTicket): Promise<ComplaintTicket> {
    const at = this.deps.now();
    const id = this.deps.newId('tkt');
    const row = {
      id,
      ticket_no:
        typeof input.ticketNo === 'string'
          ? input.ticketNo
          : input.ticketNo(id),
      customer_id: input.customerId ?? null,
      conversation_id: input.conversationId ?? null,
      ticket_type: input.ticketType,
      status: 'open',
      summary: input.summary,
      assigned_user_id: null,
      due_at: input.dueAt,
      created_at: at,
      updated_at: at,
      resolved_at: null,
      source: input.source ?? null,
      category: input.category ?? null,
      complexity: input.complexity ?? null,
      escalation_level: 0n,
      escalated_at: null,
      extension_days: 0n,
      extension_reason: null,
      resolution: null,
      resolved_by: null,
    };
    await this.db.insertInto('complaint_tickets').values(row).execute();
    return toTicket(row);
  }

  async updateTicket(
    id: string,
    status: TicketStatus,
    assignedUserId?: string,
  ): Promise<void> {
    const at = this.deps.now();
    const done = status === 'resolved' || status === 'closed';
    await this.db
      .updateTable('complaint_tickets')
      .set({
        status,
        updated_at: at,
        ...(assignedUserId === undefined
          ? {}
          : { assigned_user_id: assignedUserId }),
        ...(done ? { resolved_at: at } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  async findById(id: string): Promise<ComplaintTicket | undefined> {
    const row = await this.db
      .selectFrom('complaint_tickets')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toTicket(row);
  }

  async listTickets(
    status: TicketStatus,
    limit: number,
  ): Promise<ComplaintTicket[]> {
    return this.list({ statuses: [status], limit });
  }

  /** Tickets by deadline, nearest first. */
  async list(filter: TicketFilter): Promise<ComplaintTicket[]> {
    let query = this.db.selectFrom('complaint_tickets').selectAll();
    if (filter.statuses !== undefined && filter.statuses.length > 0)
      query = query.where('status', 'in', [...filter.statuses]);
    if (filter.assignedUserId !== undefined)
      query = query.where('assigned_user_id', '=', filter.assignedUserId);
    const rows = await query
      .orderBy('due_at')
      .orderBy('id')
      .limit(filter.limit)
      .execute();
    return rows.map(toTicket);
  }

  /** Assigns an unresolved ticket; false when it is resolved or closed. */
  async assign(id: string, userId: string): Promise<boolean> {
    const result = await this.db
      .updateTable('complaint_tickets')
      .set({
        assigned_user_id: userId,
        status: 'in_progress',
        updated_at: this.deps.now(),
      })
      .where('id', '=', id)
      .where('status', 'in', ['open', 'in_progress'])
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /**
   * Raises the escalation level to `level`; false (and no change) when the
   * ticket is already there or beyond, or no longer open.
   */
  async escalateTo(id: string, level: number, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('complaint_tickets')
      .set({ escalation_level: level, escalated_at: at, updated_at: at })
      .where('id', '=', id)
      .where('status', 'in', ['open', 'in_progress'])
      .where((eb) =>
        eb.or([
          eb('escalation_level', 'is', null),
          eb('escalation_level', '<', BigInt(level)),
        ]),
      )
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Extends the deadline once (CP-01); false when already extended or done. */
  async extend(
    id: string,
    days: number,
    reason: string,
    dueAt: string,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('complaint_tickets')
      .set({
        extension_days: days,
        extension_reason: reason,
        due_at: dueAt,
        updated_at: this.deps.now(),
      })
      .where('id', '=', id)
      .where('status', 'in', ['open', 'in_progress'])
      .where((eb) =>
        eb.or([
          eb('extension_days', 'is', null),
          eb('extension_days', '=', 0n),
        ]),
      )
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Records the resolution; false when the ticket was already resolved. */
  async resolve(id: string, resolution: string, by: string): Promise<boolean> {
    const at = this.deps.now();
    const result = await this.db
      .updateTable('complaint_tickets')
      .set({
        status: 'resolved',
        resolution,
        resolved_by: by,
        resolved_at: at,
        updated_at: at,
      })
      .where('id', '=', id)
      .where('status', 'in', ['open', 'in_progress'])
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }
}
