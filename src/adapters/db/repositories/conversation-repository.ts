import type { Kysely, Selectable } from 'kysely';
import { assert } from '../../../domain/shared/assert.js';
import type { ConversationsTable, Database, MessagesTable } from '../schema.js';
import {
  inTransaction,
  optional,
  type RepositoryDeps,
  toCount,
} from './repository-context.js';

// Conversations with the bot or an agent and their messages. Message bodies are stored as sent
// (after the compliance gate); the chat adapter masks PII in what it stores.

export type ConversationChannel = 'web' | 'app' | 'wechat' | 'phone' | 'cli';
export type ConversationStatus = 'bot' | 'handed_off' | 'closed';
export type MessageSender = 'customer' | 'bot' | 'agent';

export type Conversation = {
  readonly id: string;
  readonly customerId: string | undefined;
  readonly channel: ConversationChannel;
  readonly status: ConversationStatus;
  readonly assignedUserId: string | undefined;
  readonly verifiedAt: string | undefined;
  readonly createdAt: string;
  readonly updatedAt: string;
};

export type NewMessage = {
  readonly conversationId: string;
  readonly sender: MessageSender;
  readonly body: string;
  readonly intent?: string;
  /** The bot's actions as plain JSON (contracts.md action objects). */
  readonly actions?: readonly unknown[];
  readonly complianceVerdict?: 'pass' | 'warn' | 'block';
};

export type Message = {
  readonly id: string;
  readonly conversationId: string;
  readonly seq: number;
  readonly sender: MessageSender;
  readonly body: string;
  readonly intent: string | undefined;
  readonly actions: readonly unknown[];
  readonly complianceVerdict: 'pass' | 'warn' | 'block' | undefined;
  readonly createdAt: string;
};

// Bound: a conversation longer than this is a loop, not a customer.
export const MESSAGES_PER_CONVERSATION_MAX = 10_000;

function toConversation(row: Selectable<ConversationsTable>): Conversation {
  return {
    id: row.id,
    customerId: optional(row.customer_id),
    channel: row.channel as ConversationChannel,
    status: row.status as ConversationStatus,
    assignedUserId: optional(row.assigned_user_id),
    verifiedAt: optional(row.verified_at),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toMessage(row: Selectable<MessagesTable>): Message {
  const actions: unknown = row.actions === null ? [] : JSON.parse(row.actions);
  assert(Array.isArray(actions), `message ${row.id}: actions not an array`);
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: toCount(row.seq, MESSAGES_PER_CONVERSATION_MAX),
    sender: row.sender as MessageSender,
    body: row.body,
    intent: optional(row.intent),
    actions,
    complianceVerdict: optional(
      row.compliance_verdict,
    ) as Message['complianceVerdict'],
    createdAt: row.created_at,
  };
}

export class ConversationRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly deps: RepositoryDeps,
  ) {}

  async open(
    channel: ConversationChannel,
    customerId?: string,
  ): Promise<Conversation> {
    const at = this.deps.now();
    const row = {
      id: this.deps.newId('conv'),
      customer_id: customerId ?? null,
      channel,
      status: 'bot',
      assigned_user_id: null,
      verified_at: null,
      created_at: at,
      updated_at: at,
    };
    await this.db.insertInto('conversations').values(row).execute();
    return toConversation(row);
  }

  async findById(id: string): Promise<Conversation | undefined> {
    const row = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toConversation(row);
  }

  /** Records who the customer is once verified (two matching facts). */
  async markVerified(id: string, customerId: string): Promise<void> {
    const at = this.deps.now();
    await this.db
      .updateTable('conversations')
      .set({ customer_id: customerId, verified_at: at, updated_at: at })
      .where('id', '=', id)
      .execute();
  }

  /** Hands the conversation to a human; visible in the agents' inbox. */
  async handOff(id: string, assignedUserId?: string): Promise<void> {
    await this.db
      .updateTable('conversations')
      .set({
        status: 'handed_off',
        assigned_user_id: assignedUserId ?? null,
        updated_at: this.deps.now(),
      })
      .where('id', '=', id)
      .execute();
  }

  async close(id: string): Promise<void> {
    await this.db
      .updateTable('conversations')
      .set({ status: 'closed', updated_at: this.deps.now() })
      .where('id', '=', id)
      .execute();
  }

  async listByStatus(
    status: ConversationStatus,
    limit: number,
  ): Promise<Conversation[]> {
    const rows = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('status', '=', status)
      .orderBy('updated_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toConversation);
  }

  /** Appends a message with the next sequence number of its conversation. */
  async appendMessage(input: NewMessage): Promise<Message> {
    return inTransaction(this.db, async (tx) => {
      const last = await tx
        .selectFrom('messages')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('conversation_id', '=', input.conversationId)
        .executeTakeFirst();
      const seq = BigInt(last?.seq ?? 0n) + 1n;
      assert(
        seq <= BigInt(MESSAGES_PER_CONVERSATION_MAX),
        'appendMessage: conversation too long',
      );
      const at = this.deps.now();
      const row = {
        id: this.deps.newId('msg'),
        conversation_id: input.conversationId,
        seq,
        sender: input.sender,
        body: input.body,
        intent: input.intent ?? null,
        actions:
          input.actions === undefined ? null : JSON.stringify(input.actions),
        compliance_verdict: input.complianceVerdict ?? null,
        created_at: at,
      };
      await tx.insertInto('messages').values(row).execute();
      await tx
        .updateTable('conversations')
        .set({ updated_at: at })
        .where('id', '=', input.conversationId)
        .execute();
      return toMessage(row);
    });
  }

  async listMessages(conversationId: string): Promise<Message[]> {
    const rows = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('seq')
      .execute();
    return rows.map(toMessage);
  }
}
