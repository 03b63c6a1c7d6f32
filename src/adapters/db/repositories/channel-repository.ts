import type { Kysely, Selectable } from 'kysely';
import { MESSAGE_STATUS_VALUES } from '../../../contracts/channels.js';
import type { MessageChannel } from '../../../domain/channels/template.js';
import type { Fen } from '../../../domain/money/fen.js';
import type { FieldCipher } from '../../crypto/field-cipher.js';
import type {
  Database,
  OutboundMessagesTable,
  RemindersTable,
} from '../schema.js';
import {
  optional,
  type RepositoryDeps,
  toCount,
  toFen,
  toFenOrUndefined,
} from './repository-context.js';

// Outbound messages (one per reminder and channel, or per complaint notice
// and channel), the customer's channel settings, and the reminders the
// end-of-day batch left pending. Every status change is a conditional
// update on the expected current status, so two dispatchers (or a rerun)
// never move the same message twice: whoever updates the row owns it.

export type MessageStatus = (typeof MESSAGE_STATUS_VALUES)[number];

export const MESSAGE_STATUSES: readonly MessageStatus[] = MESSAGE_STATUS_VALUES;

export type OutboundMessage = {
  readonly id: string;
  readonly dedupeKey: string;
  readonly sourceType: 'reminder' | 'complaint';
  readonly sourceId: string;
  readonly customerId: string;
  readonly channel: MessageChannel;
  readonly purpose: 'reminder' | 'collection';
  readonly templateId: string;
  readonly recipientMasked: string;
  readonly subject: string | undefined;
  readonly body: string;
  readonly amountFen: Fen | undefined;
  readonly status: MessageStatus;
  readonly statusRule: string | undefined;
  readonly statusReason: string | undefined;
  readonly notBefore: string;
  readonly expiresAt: string;
  readonly queuedAt: string | undefined;
  readonly attempts: number;
  readonly claimedAt: string | undefined;
  readonly provider: string | undefined;
  readonly providerMessageId: string | undefined;
  readonly sentAt: string | undefined;
  readonly createdAt: string;
  readonly updatedAt: string;
};

export type NewOutboundMessage = {
  readonly dedupeKey: string;
  readonly sourceType: 'reminder' | 'complaint';
  readonly sourceId: string;
  readonly customerId: string;
  readonly channel: MessageChannel;
  readonly purpose: 'reminder' | 'collection';
  readonly templateId: string;
  /** Phone or e-mail address in clear; stored encrypted. */
  readonly recipient: string;
  readonly recipientMasked: string;
  readonly subject: string | undefined;
  readonly body: string;
  readonly amountFen: Fen | undefined;
  readonly notBefore: string;
  readonly expiresAt: string;
};

export type PendingReminder = {
  readonly id: string;
  readonly loanId: string;
  readonly customerId: string;
  readonly kind: string;
  readonly forDate: string;
  readonly installmentN: number;
  readonly dueDate: string;
  readonly amountFen: Fen;
  readonly daysPastDue: number;
  readonly bucket: string;
  readonly status: string;
  readonly statusReason: string | undefined;
};

export type CustomerChannelSettings = {
  readonly email: string | undefined;
  readonly smsEnabled: boolean;
  readonly emailEnabled: boolean;
  readonly appEnabled: boolean;
};

export type InAppMessage = {
  readonly messageId: string;
  readonly title: string;
  readonly body: string;
  readonly createdAt: string;
  readonly readAt: string | undefined;
};

export type MessageFilter = {
  readonly statuses?: readonly MessageStatus[];
  readonly channel?: MessageChannel;
  readonly customerId?: string;
  readonly sourceId?: string;
  readonly limit: number;
};

const ATTEMPTS_MAX = 1000;
const DAYS_PAST_DUE_MAX = 100_000;
const INSTALLMENT_N_MAX = 10_000;

function toMessage(row: Selectable<OutboundMessagesTable>): OutboundMessage {
  return {
    id: row.id,
    dedupeKey: row.dedupe_key,
    sourceType: row.source_type as OutboundMessage['sourceType'],
    sourceId: row.source_id,
    customerId: row.customer_id,
    channel: row.channel as MessageChannel,
    purpose: row.purpose as OutboundMessage['purpose'],
    templateId: row.template_id,
    recipientMasked: row.recipient_masked,
    subject: optional(row.subject),
    body: row.body,
    amountFen: toFenOrUndefined(row.amount_fen),
    status: row.status as MessageStatus,
    statusRule: optional(row.status_rule),
    statusReason: optional(row.status_reason),
    notBefore: row.not_before,
    expiresAt: row.expires_at,
    queuedAt: optional(row.queued_at),
    attempts: toCount(row.attempts, ATTEMPTS_MAX),
    claimedAt: optional(row.claimed_at),
    provider: optional(row.provider),
    providerMessageId: optional(row.provider_message_id),
    sentAt: optional(row.sent_at),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toReminder(row: Selectable<RemindersTable>): PendingReminder {
  return {
    id: row.id,
    loanId: row.loan_id,
    customerId: row.customer_id,
    kind: row.kind,
    forDate: row.for_date,
    installmentN: toCount(row.installment_n, INSTALLMENT_N_MAX),
    dueDate: row.due_date,
    amountFen: toFen(row.amount_fen),
    daysPastDue: toCount(row.days_past_due, DAYS_PAST_DUE_MAX),
    bucket: row.bucket,
    status: row.status,
    statusReason: optional(row.status_reason),
  };
}

export class ChannelRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly deps: RepositoryDeps,
    private readonly cipher: FieldCipher,
  ) {}

  /** Reminders the batch left pending, oldest business date first. */
  async pendingReminders(limit: number): Promise<PendingReminder[]> {
    const rows = await this.db
      .selectFrom('reminders')
      .selectAll()
      .where('status', '=', 'pending')
      .orderBy('for_date')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toReminder);
  }

  async listReminders(filter: {
    readonly status?: string;
    readonly forDate?: string;
    readonly limit: number;
  }): Promise<PendingReminder[]> {
    let query = this.db.selectFrom('reminders').selectAll();
    if (filter.status !== undefined)
      query = query.where('status', '=', filter.status);
    if (filter.forDate !== undefined)
      query = query.where('for_date', '=', filter.forDate);
    const rows = await query
      .orderBy('for_date', 'desc')
      .orderBy('id')
      .limit(filter.limit)
      .execute();
    return rows.map(toReminder);
  }

  /** The loan a reminder is about (the contact gate reads its case). */
  async reminderLoanId(id: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('reminders')
      .select('loan_id')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.loan_id;
  }

  /** Moves a pending reminder on; false when another run already did. */
  async settleReminder(
    id: string,
    status: 'dispatched' | 'suppressed',
    reason: string,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('reminders')
      .set({ status, status_reason: reason, updated_at: this.deps.now() })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /**
   * Inserts a message unless one with the same dedupe key exists; returns
   * the new id, or undefined when the key was already planned.
   */
  async planMessage(input: NewOutboundMessage): Promise<string | undefined> {
    const id = this.deps.newId('omsg');
    const at = this.deps.now();
    const result = await this.db
      .insertInto('outbound_messages')
      .values({
        id,
        dedupe_key: input.dedupeKey,
        source_type: input.sourceType,
        source_id: input.sourceId,
        customer_id: input.customerId,
        channel: input.channel,
        purpose: input.purpose,
        template_id: input.templateId,
        recipient_enc: this.cipher.encrypt(
          input.recipient,
          `outbound_messages.recipient:${id}`,
        ),
        recipient_masked: input.recipientMasked,
        subject: input.subject ?? null,
        body: input.body,
        amount_fen: input.amountFen ?? null,
        status: 'pending',
        status_rule: null,
        status_reason: null,
        not_before: input.notBefore,
        expires_at: input.expiresAt,
        queued_at: null,
        attempts: 0,
        claimed_at: null,
        provider: null,
        provider_message_id: null,
        sent_at: null,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) === 1n ? id : undefined;
  }

  async findMessage(id: string): Promise<OutboundMessage | undefined> {
    const row = await this.db
      .selectFrom('outbound_messages')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toMessage(row);
  }

  /** The recipient address in clear, for the provider only. */
  async recipientOf(id: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('outbound_messages')
      .select('recipient_enc')
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : this.cipher.decrypt(
          row.recipient_enc,
          `outbound_messages.recipient:${id}`,
        );
  }

  /** Messages in `statuses` whose `not_before` has come, oldest first. */
  async messagesDue(
    statuses: readonly MessageStatus[],
    now: string,
    limit: number,
    onlyIds?: readonly string[],
  ): Promise<OutboundMessage[]> {
    if (onlyIds !== undefined && onlyIds.length === 0) return [];
    let query = this.db
      .selectFrom('outbound_messages')
      .selectAll()
      .where('status', 'in', [...statuses])
      .where('not_before', '<=', now);
    if (onlyIds !== undefined) query = query.where('id', 'in', [...onlyIds]);
    const rows = await query
      .orderBy('not_before')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toMessage);
  }

  /** Messages left in `sending` since before `claimedBefore` (a crash). */
  async stuckSending(
    claimedBefore: string,
    limit: number,
  ): Promise<OutboundMessage[]> {
    const rows = await this.db
      .selectFrom('outbound_messages')
      .selectAll()
      .where('status', '=', 'sending')
      .where('claimed_at', '<', claimedBefore)
      .orderBy('claimed_at')
      .limit(limit)
      .execute();
    return rows.map(toMessage);
  }

  /** Messages queued for a customer on a channel in [fromIso, toIso). */
  async countQueuedBetween(
    customerId: string,
    channel: MessageChannel,
    fromIso: string,
    toIso: string,
  ): Promise<number> {
    const row = await this.db
      .selectFrom('outbound_messages')
      .select((eb) => eb.fn.countAll<bigint>().as('n'))
      .where('customer_id', '=', customerId)
      .where('channel', '=', channel)
      .where('queued_at', '>=', fromIso)
      .where('queued_at', '<', toIso)
      .executeTakeFirstOrThrow();
    return toCount(BigInt(row.n), Number.MAX_SAFE_INTEGER);
  }

  /**
   * Moves a message from one of `from` to `to`, setting the given fields;
   * false when its status was no longer one of `from` (someone else moved it).
   */
  async transition(
    id: string,
    from: readonly MessageStatus[],
    to: MessageStatus,
    fields: {
      readonly rule?: string | null;
      readonly reason?: string | null;
      readonly notBefore?: string;
      readonly queuedAt?: string;
      readonly claimedAt?: string;
      readonly incrementAttempts?: boolean;
      readonly provider?: string;
      readonly providerMessageId?: string;
      readonly sentAt?: string;
    } = {},
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('outbound_messages')
      .set((eb) => ({
        status: to,
        updated_at: this.deps.now(),
        ...(fields.rule === undefined ? {} : { status_rule: fields.rule }),
        ...(fields.reason === undefined
          ? {}
          : { status_reason: fields.reason }),
        ...(fields.notBefore === undefined
          ? {}
          : { not_before: fields.notBefore }),
        ...(fields.queuedAt === undefined
          ? {}
          : { queued_at: fields.queuedAt }),
        ...(fields.claimedAt === undefined
          ? {}
          : { claimed_at: fields.claimedAt }),
        ...(fields.incrementAttempts === true
          ? { attempts: eb('attempts', '+', 1n) }
          : {}),
        ...(fields.provider === undefined ? {} : { provider: fields.provider }),
        ...(fields.providerMessageId === undefined
          ? {}
          : { provider_message_id: fields.providerMessageId }),
        ...(fields.sentAt === undefined ? {} : { sent_at: fields.sentAt }),
      }))
      .where('id', '=', id)
      .where('status', 'in', [...from])
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async listMessages(filter: MessageFilter): Promise<OutboundMessage[]> {
    let query = this.db.selectFrom('outbound_messages').selectAll();
    if (filter.statuses !== undefined && filter.statuses.length > 0)
      query = query.where('status', 'in', [...filter.statuses]);
    if (filter.channel !== undefined)
      query = query.where('channel', '=', filter.channel);
    if (filter.customerId !== undefined)
      query = query.where('customer_id', '=', filter.customerId);
    if (filter.sourceId !== undefined)
      query = query.where('source_id', '=', filter.sourceId);
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .execute();
    return rows.map(toMessage);
  }

  async settings(customerId: string): Promise<CustomerChannelSettings> {
    const row = await this.db
      .selectFrom('customer_channels')
      .selectAll()
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    if (row === undefined)
      return {
        email: undefined,
        smsEnabled: true,
        emailEnabled: true,
        appEnabled: true,
      };
    return {
      email:
        row.email_enc === null
          ? undefined
          : this.cipher.decrypt(
              row.email_enc,
              `customer_channels.email:${customerId}`,
            ),
      smsEnabled: row.sms_enabled === 1n,
      emailEnabled: row.email_enabled === 1n,
      appEnabled: row.app_enabled === 1n,
    };
  }

  async saveSettings(
    customerId: string,
    settings: CustomerChannelSettings,
  ): Promise<void> {
    const values = {
      email_enc:
        settings.email === undefined
          ? null
          : this.cipher.encrypt(
              settings.email,
              `customer_channels.email:${customerId}`,
            ),
      sms_enabled: settings.smsEnabled ? 1 : 0,
      email_enabled: settings.emailEnabled ? 1 : 0,
      app_enabled: settings.appEnabled ? 1 : 0,
      updated_at: this.deps.now(),
    };
    await this.db
      .insertInto('customer_channels')
      .values({ customer_id: customerId, ...values })
      .onConflict((oc) => oc.column('customer_id').doUpdateSet(values))
      .execute();
  }

  /** The borrower's in-app messages, newest first. */
  async inbox(customerId: string, limit: number): Promise<InAppMessage[]> {
    const rows = await this.db
      .selectFrom('in_app_messages')
      .selectAll()
      .where('customer_id', '=', customerId)
      .orderBy('created_at', 'desc')
      .orderBy('message_id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      messageId: row.message_id,
      title: row.title,
      body: row.body,
      createdAt: row.created_at,
      readAt: optional(row.read_at),
    }));
  }
}
