import type { Kysely, Selectable } from 'kysely';
import { maskPii } from '../../../domain/compliance/pii-mask.js';
import { assert } from '../../../domain/shared/assert.js';
import { err, ok, type Result } from '../../../domain/shared/result.js';
import type { FieldCipher } from '../../crypto/field-cipher.js';
import { type Param, PreparedQuery } from '../prepared-query.js';
import type {
  ChatSessionsTable,
  ConversationsTable,
  Database,
  MessagesTable,
} from '../schema.js';
import {
  inTransaction,
  optional,
  type RepositoryDeps,
  toCount,
} from './repository-context.js';

// Conversations with the bot or an agent, their messages and the borrower's
// chat session (token hash, dialogue state, rating). A message body is
// stored masked (maskPii: no full ID, card or phone number in the table);
// when masking changed it, the original is kept encrypted beside it
// (AES-256-GCM bound to the message id), readable only through the cipher.

export type ConversationChannel = 'web' | 'app' | 'wechat' | 'phone' | 'cli';
/**
 * bot: the bot answers; waiting_agent: handed off, in the agents' inbox;
 * agent: an agent owns it (the bot is silent); closed.
 */
export type ConversationStatus = 'bot' | 'waiting_agent' | 'agent' | 'closed';
export const CONVERSATION_STATUSES: readonly ConversationStatus[] = [
  'bot',
  'waiting_agent',
  'agent',
  'closed',
];
export type MessageSender = 'customer' | 'bot' | 'agent' | 'system';

export type Conversation = {
  readonly id: string;
  readonly customerId: string | undefined;
  readonly channel: ConversationChannel;
  readonly status: ConversationStatus;
  readonly assignedUserId: string | undefined;
  readonly verifiedAt: string | undefined;
  readonly handoffReason: string | undefined;
  readonly handedOffAt: string | undefined;
  readonly lastIntent: string | undefined;
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
  /** As stored: PII masked. */
  readonly body: string;
  readonly intent: string | undefined;
  readonly actions: readonly unknown[];
  readonly complianceVerdict: 'pass' | 'warn' | 'block' | undefined;
  readonly createdAt: string;
};

export type ChatSession = {
  readonly conversationId: string;
  readonly tokenHash: string;
  /** The dialogue state as stored JSON text (the chat adapter decodes it). */
  readonly dialogueState: string;
  readonly candidateCustomerId: string | undefined;
  readonly ratingScore: number | undefined;
  readonly ratingComment: string | undefined;
};

export type InboxEntry = {
  readonly conversation: Conversation;
  readonly lastMessage: Message | undefined;
};

export type TakeOverError =
  | { readonly code: 'conversation.not_found' }
  | { readonly code: 'conversation.closed' }
  | { readonly code: 'conversation.taken'; readonly assignedUserId: string };

// Bound: a conversation longer than this is a loop, not a customer.
export const MESSAGES_PER_CONVERSATION_MAX = 10_000;
const RATING_MAX = 5;

function toConversation(row: Selectable<ConversationsTable>): Conversation {
  assert(
    (CONVERSATION_STATUSES as readonly string[]).includes(row.status),
    `conversation ${row.id}: unknown status ${row.status}`,
  );
  return {
    id: row.id,
    customerId: optional(row.customer_id),
    channel: row.channel as ConversationChannel,
    status: row.status as ConversationStatus,
    assignedUserId: optional(row.assigned_user_id),
    verifiedAt: optional(row.verified_at),
    handoffReason: optional(row.handoff_reason),
    handedOffAt: optional(row.handed_off_at),
    lastIntent: optional(row.last_intent),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toMessage(row: Omit<Selectable<MessagesTable>, 'body_enc'>): Message {
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

function toSession(row: Selectable<ChatSessionsTable>): ChatSession {
  return {
    conversationId: row.conversation_id,
    tokenHash: row.token_hash,
    dialogueState: row.dialogue_state,
    candidateCustomerId: optional(row.candidate_customer_id),
    ratingScore:
      row.rating_score === null
        ? undefined
        : toCount(row.rating_score, RATING_MAX),
    ratingComment: optional(row.rating_comment),
  };
}

const MESSAGE_COLUMNS = [
  'id',
  'conversation_id',
  'seq',
  'sender',
  'body',
  'intent',
  'actions',
  'compliance_verdict',
  'created_at',
] as const;

// The statements of a chat turn, prepared (see prepared-query.ts): the
// conversation with its session, the last sequence number, each message,
// the session's state and the conversation's line.

const FIND_CHAT = new PreparedQuery((db: Kysely<Database>, p: Param) =>
  db
    .selectFrom('conversations as c')
    .innerJoin('chat_sessions as s', 's.conversation_id', 'c.id')
    .selectAll('c')
    .select([
      's.conversation_id',
      's.token_hash',
      's.dialogue_state',
      's.candidate_customer_id',
      's.rating_score',
      's.rating_comment',
      's.rated_at',
      's.updated_at as session_updated_at',
    ])
    .where('c.id', '=', p<string>('conversationId')),
);

const LAST_SEQ = new PreparedQuery((db: Kysely<Database>, p: Param) =>
  db
    .selectFrom('messages')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('conversation_id', '=', p<string>('conversationId')),
);

const INSERT_MESSAGE = new PreparedQuery((db: Kysely<Database>, p: Param) =>
  db.insertInto('messages').values({
    id: p('id'),
    conversation_id: p('conversation_id'),
    seq: p('seq'),
    sender: p('sender'),
    body: p('body'),
    intent: p('intent'),
    actions: p('actions'),
    compliance_verdict: p('compliance_verdict'),
    created_at: p('created_at'),
    body_enc: p('body_enc'),
  }),
);

const UPDATE_SESSION_STATE = new PreparedQuery(
  (db: Kysely<Database>, p: Param) =>
    db
      .updateTable('chat_sessions')
      .set({
        dialogue_state: p('dialogueState'),
        candidate_customer_id: p('candidateCustomerId'),
        updated_at: p('at'),
      })
      .where('conversation_id', '=', p<string>('conversationId')),
);

// One shape per combination of what the turn changes.
const AFTER_TURN = [false, true].map((verifies) =>
  [false, true].map(
    (handsOff) =>
      new PreparedQuery((db: Kysely<Database>, p: Param) =>
        db
          .updateTable('conversations')
          .set({
            updated_at: p('at'),
            last_intent: p('lastIntent'),
            ...(verifies
              ? { customer_id: p('customerId'), verified_at: p('at') }
              : {}),
            ...(handsOff
              ? {
                  status: 'waiting_agent',
                  handoff_reason: p('handoffReason'),
                  handed_off_at: p('at'),
                }
              : {}),
          })
          .where('id', '=', p<string>('id')),
      ),
  ),
);

function updateAfterTurn(verifies: boolean, handsOff: boolean) {
  const query = AFTER_TURN[verifies ? 1 : 0]?.[handsOff ? 1 : 0];
  assert(query !== undefined, 'updateAfterTurn');
  return query;
}

export class ConversationRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly deps: RepositoryDeps,
    private readonly cipher: FieldCipher,
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
      handoff_reason: null,
      handed_off_at: null,
      last_intent: null,
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

  /**
   * Hands a bot conversation to a human: status `waiting_agent` with the
   * reason, visible in the agents' inbox. No effect on any other status.
   */
  async handOff(id: string, reason: string): Promise<boolean> {
    assert(reason !== '', 'handOff: reason');
    const at = this.deps.now();
    const result = await this.db
      .updateTable('conversations')
      .set({
        status: 'waiting_agent',
        handoff_reason: reason,
        handed_off_at: at,
        updated_at: at,
      })
      .where('id', '=', id)
      .where('status', '=', 'bot')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** An agent takes the conversation over; the bot falls silent. */
  async takeOver(
    id: string,
    userId: string,
  ): Promise<Result<Conversation, TakeOverError>> {
    return inTransaction(this.db, async (tx) => {
      const row = await tx
        .selectFrom('conversations')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (row === undefined) return err({ code: 'conversation.not_found' });
      if (row.status === 'closed') return err({ code: 'conversation.closed' });
      if (
        row.status === 'agent' &&
        row.assigned_user_id !== null &&
        row.assigned_user_id !== userId
      )
        return err({
          code: 'conversation.taken',
          assignedUserId: row.assigned_user_id,
        });
      const at = this.deps.now();
      const changes = {
        status: 'agent',
        assigned_user_id: userId,
        handed_off_at: row.handed_off_at ?? at,
        updated_at: at,
      };
      // Guarded by the status read above, so two agents racing cannot
      // both win (the loser updates no row).
      const updated = await tx
        .updateTable('conversations')
        .set(changes)
        .where('id', '=', id)
        .where('status', '=', row.status)
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n)
        return err({ code: 'conversation.taken', assignedUserId: '' });
      return ok(toConversation({ ...row, ...changes }));
    });
  }

  async close(id: string): Promise<void> {
    await this.db
      .updateTable('conversations')
      .set({ status: 'closed', updated_at: this.deps.now() })
      .where('id', '=', id)
      .execute();
  }

  async setLastIntent(id: string, intent: string): Promise<void> {
    await this.db
      .updateTable('conversations')
      .set({ last_intent: intent })
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

  /**
   * The agents' inbox: conversations in `status` with their last message.
   * Waiting ones oldest hand-off first (who waited longest), others most
   * recently active first.
   */
  async listInbox(
    status: ConversationStatus,
    limit: number,
  ): Promise<InboxEntry[]> {
    let query = this.db
      .selectFrom('conversations')
      .selectAll()
      .where('status', '=', status);
    query =
      status === 'waiting_agent'
        ? query.orderBy('handed_off_at', 'asc')
        : query.orderBy('updated_at', 'desc');
    const rows = await query.orderBy('id').limit(limit).execute();
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const last = await this.db
      .selectFrom('messages as m')
      .select(MESSAGE_COLUMNS.map((column) => `m.${column}` as const))
      .where('m.conversation_id', 'in', ids)
      .where((eb) =>
        eb(
          'm.seq',
          '=',
          eb
            .selectFrom('messages as n')
            .select((inner) => inner.fn.max('n.seq').as('seq'))
            .whereRef('n.conversation_id', '=', 'm.conversation_id'),
        ),
      )
      .execute();
    const byConversation = new Map(
      last.map((row) => [row.conversation_id, toMessage(row)]),
    );
    return rows.map((row) => ({
      conversation: toConversation(row),
      lastMessage: byConversation.get(row.id),
    }));
  }

  /** Appends a message with the next sequence number of its conversation. */
  async appendMessage(input: NewMessage): Promise<Message> {
    const [message] = await this.appendMessages(input.conversationId, [input]);
    assert(message !== undefined, 'appendMessage: nothing appended');
    return message;
  }

  /**
   * Appends messages in order, in one transaction. Bodies are stored with
   * PII masked; a masked body's original is stored encrypted.
   */
  async appendMessages(
    conversationId: string,
    inputs: readonly NewMessage[],
  ): Promise<Message[]> {
    return inTransaction(this.db, async (tx) => {
      const at = this.deps.now();
      const rows = await this.insertMessages(tx, conversationId, inputs, at);
      if (rows.length > 0)
        await tx
          .updateTable('conversations')
          .set({ updated_at: at })
          .where('id', '=', conversationId)
          .execute();
      return rows;
    });
  }

  private async insertMessages(
    tx: Kysely<Database>,
    conversationId: string,
    inputs: readonly NewMessage[],
    at: string,
  ): Promise<Message[]> {
    assert(
      inputs.every((input) => input.conversationId === conversationId),
      'appendMessages: one conversation',
    );
    if (inputs.length === 0) return [];
    const last = (await LAST_SEQ.execute(tx, { conversationId })).rows[0];
    let seq = BigInt(last?.seq ?? 0n);
    const rows = inputs.map((input) => {
      seq += 1n;
      const id = this.deps.newId('msg');
      const masked = maskPii(input.body);
      return {
        id,
        conversation_id: conversationId,
        seq,
        sender: input.sender,
        body: masked,
        intent: input.intent ?? null,
        actions:
          input.actions === undefined ? null : JSON.stringify(input.actions),
        compliance_verdict: input.complianceVerdict ?? null,
        created_at: at,
        body_enc:
          masked === input.body
            ? null
            : this.cipher.encrypt(input.body, `messages.body:${id}`),
      };
    });
    assert(
      seq <= BigInt(MESSAGES_PER_CONVERSATION_MAX),
      'appendMessages: conversation too long',
    );
    // The hot path (a chat turn) inserts one row per statement, prepared.
    for (const row of rows) await INSERT_MESSAGE.execute(tx, row);
    return rows.map(toMessage);
  }

  /** A conversation and its borrower session, in one read. */
  async findChat(
    conversationId: string,
  ): Promise<{ conversation: Conversation; session: ChatSession } | undefined> {
    const row = (await FIND_CHAT.execute(this.db, { conversationId })).rows[0];
    if (row === undefined) return undefined;
    return {
      conversation: toConversation(row),
      session: toSession({ ...row, updated_at: row.session_updated_at }),
    };
  }

  /**
   * Writes one bot turn in one transaction: the messages, the dialogue
   * state, and the conversation's last intent, verification and hand-off.
   * `conversation` is the row as read for this turn (the caller serialises
   * turns of one conversation); the hand-off applies only to a bot
   * conversation, as in `handOff`.
   */
  async recordTurn(input: {
    readonly conversation: Conversation;
    readonly messages: readonly NewMessage[];
    readonly dialogueState: string;
    readonly candidateCustomerId: string | undefined;
    readonly lastIntent: string;
    readonly verifiedCustomerId?: string;
    readonly handoffReason?: string;
  }): Promise<{ messages: Message[]; conversation: Conversation }> {
    const before = input.conversation;
    const id = before.id;
    return inTransaction(this.db, async (tx) => {
      const at = this.deps.now();
      const messages = await this.insertMessages(tx, id, input.messages, at);
      await UPDATE_SESSION_STATE.execute(tx, {
        conversationId: id,
        dialogueState: input.dialogueState,
        candidateCustomerId: input.candidateCustomerId ?? null,
        at,
      });
      const verifies =
        input.verifiedCustomerId !== undefined &&
        before.verifiedAt === undefined;
      const handsOff =
        input.handoffReason !== undefined && before.status === 'bot';
      await updateAfterTurn(verifies, handsOff).execute(tx, {
        id,
        at,
        lastIntent: input.lastIntent,
        customerId: input.verifiedCustomerId ?? null,
        handoffReason: input.handoffReason ?? null,
      });
      const conversation: Conversation = {
        ...before,
        updatedAt: at,
        lastIntent: input.lastIntent,
        ...(verifies
          ? { customerId: input.verifiedCustomerId, verifiedAt: at }
          : {}),
        ...(handsOff
          ? {
              status: 'waiting_agent' as const,
              handoffReason: input.handoffReason,
              handedOffAt: at,
            }
          : {}),
      };
      return { messages, conversation };
    });
  }

  async listMessages(conversationId: string): Promise<Message[]> {
    const rows = await this.db
      .selectFrom('messages')
      .select(MESSAGE_COLUMNS)
      .where('conversation_id', '=', conversationId)
      .orderBy('seq')
      .execute();
    return rows.map(toMessage);
  }

  /** The last `limit` messages, oldest first. */
  async listRecentMessages(
    conversationId: string,
    limit: number,
  ): Promise<Message[]> {
    const rows = await this.db
      .selectFrom('messages')
      .select(MESSAGE_COLUMNS)
      .where('conversation_id', '=', conversationId)
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
    return rows.reverse().map(toMessage);
  }

  async createSession(
    conversationId: string,
    tokenHash: string,
    dialogueState: string,
  ): Promise<void> {
    await this.db
      .insertInto('chat_sessions')
      .values({
        conversation_id: conversationId,
        token_hash: tokenHash,
        dialogue_state: dialogueState,
        candidate_customer_id: null,
        rating_score: null,
        rating_comment: null,
        rated_at: null,
        updated_at: this.deps.now(),
      })
      .execute();
  }

  async findSession(conversationId: string): Promise<ChatSession | undefined> {
    const row = await this.db
      .selectFrom('chat_sessions')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    return row === undefined ? undefined : toSession(row);
  }

  async saveSessionState(
    conversationId: string,
    dialogueState: string,
    candidateCustomerId: string | undefined,
  ): Promise<void> {
    await this.db
      .updateTable('chat_sessions')
      .set({
        dialogue_state: dialogueState,
        candidate_customer_id: candidateCustomerId ?? null,
        updated_at: this.deps.now(),
      })
      .where('conversation_id', '=', conversationId)
      .execute();
  }

  /** The borrower's satisfaction rating (1–5) and comment; the last one counts. */
  async rate(
    conversationId: string,
    score: number,
    comment: string | undefined,
  ): Promise<void> {
    assert(
      Number.isInteger(score) && score >= 1 && score <= RATING_MAX,
      'rate: score 1..5',
    );
    const at = this.deps.now();
    await this.db
      .updateTable('chat_sessions')
      .set({
        rating_score: BigInt(score),
        rating_comment: comment ?? null,
        rated_at: at,
        updated_at: at,
      })
      .where('conversation_id', '=', conversationId)
      .execute();
  }

  /** Messages of one conversation by id, in sequence order (the chat broker). */
  async findMessages(
    conversationId: string,
    ids: readonly string[],
  ): Promise<Message[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('messages')
      .select(MESSAGE_COLUMNS)
      .where('conversation_id', '=', conversationId)
      .where('id', 'in', [...ids])
      .orderBy('seq')
      .execute();
    return rows.map(toMessage);
  }

  /**
   * What the customer wrote last in the conversation, as written (the
   * encrypted original when the stored body was masked): the borrower
   * verification reads a name given one message before the number. Never
   * shown or logged.
   */
  async lastCustomerText(conversationId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('messages')
      .select(['id', 'body', 'body_enc'])
      .where('conversation_id', '=', conversationId)
      .where('sender', '=', 'customer')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return row.body_enc === null
      ? row.body
      : this.cipher.decrypt(row.body_enc, `messages.body:${row.id}`);
  }
}
