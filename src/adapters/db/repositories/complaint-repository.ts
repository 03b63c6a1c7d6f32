import type { Kysely, Selectable } from 'kysely';
import type { ComplaintTicketsTable, Database } from '../schema.js';
import { optional, type RepositoryDeps } from './repository-context.js';

// Complaint tickets (投诉工单), raised by an agent or by the bot from a
// conversation, with a handling deadline (`due_at`). Basis: 《银行业保险业
// 消费投诉处理管理办法》(银保监会令2020年第3号) — a complaint is decided
// within 15 days, 30 for complex cases, 60 at most (spec/regulations.md CP-01);
// the caller computes the deadline, this table keeps it with the ticket.

export type TicketStatus = 'open' | 'in_progress' | 'resolved' | 'closed';

export type NewComplaintTicket = {
  readonly ticketNo: string;
  readonly customerId?: string;
  readonly conversationId?: string;
  readonly ticketType: string;
  readonly summary: string;
  /** Handling deadline, ISO-8601 instant. */
  readonly dueAt: string;
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
};

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
  };
}

export class ComplaintRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly deps: RepositoryDeps,
  ) {}

  async openTicket(input: NewComplaintTicket): Promise<ComplaintTicket> {
    const at = this.deps.now();
    const row = {
      id: this.deps.newId('tkt'),
      ticket_no: input.ticketNo,
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

  async listTickets(
    status: TicketStatus,
    limit: number,
  ): Promise<ComplaintTicket[]> {
    const rows = await this.db
      .selectFrom('complaint_tickets')
      .selectAll()
      .where('status', '=', status)
      .orderBy('due_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toTicket);
  }
}
