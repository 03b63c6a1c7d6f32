import { type Static, Type } from '@sinclair/typebox';

// Wire types of the outbound channels (reminders, outbox, inbox) and the
// complaint desk, shared by the server and the web workspace.

/** An ISO-8601 instant with seconds optional and an offset or Z. */
export const ISO_INSTANT_PATTERN =
  '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$';

/** An optional `{ now }` body of the operational runs (dispatch, escalate). */
export const RunAtInput = Type.Union([
  Type.Null(),
  Type.Object(
    { now: Type.Optional(Type.String({ pattern: ISO_INSTANT_PATTERN })) },
    { additionalProperties: false },
  ),
]);

export const MESSAGE_STATUS_VALUES = [
  'pending',
  'deferred',
  'queued',
  'sending',
  'retrying',
  'sent',
  'failed',
  'suppressed',
  'uncertain',
] as const;

export const OutboxMessageOutput = Type.Object({
  id: Type.String(),
  source_type: Type.String(),
  source_id: Type.String(),
  customer_id: Type.String(),
  channel: Type.String(),
  template_id: Type.String(),
  /** Masked: 138****1111, w***@example.com. */
  recipient: Type.String(),
  subject: Type.Union([Type.String(), Type.Null()]),
  body: Type.String(),
  status: Type.String(),
  rule: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  not_before: Type.String(),
  attempts: Type.Integer(),
  sent_at: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
});
export type OutboxMessageOutput = Static<typeof OutboxMessageOutput>;

export const DispatchSummaryOutput = Type.Object({
  reminders: Type.Integer(),
  reminders_without_channel: Type.Integer(),
  messages_planned: Type.Integer(),
  queued: Type.Integer(),
  deferred: Type.Integer(),
  suppressed: Type.Integer(),
  sent: Type.Integer(),
  retrying: Type.Integer(),
  failed: Type.Integer(),
  uncertain: Type.Integer(),
  recovered: Type.Integer(),
});
export type DispatchSummaryOutput = Static<typeof DispatchSummaryOutput>;

export const ReminderOutput = Type.Object({
  id: Type.String(),
  loan_id: Type.String(),
  customer_id: Type.String(),
  kind: Type.String(),
  for_date: Type.String(),
  installment_n: Type.Integer(),
  due_date: Type.String(),
  amount: Type.String(),
  days_past_due: Type.Integer(),
  bucket: Type.String(),
  status: Type.String(),
  status_reason: Type.Union([Type.String(), Type.Null()]),
});

export const InboxMessageOutput = Type.Object({
  message_id: Type.String(),
  title: Type.String(),
  body: Type.String(),
  created_at: Type.String(),
  read_at: Type.Union([Type.String(), Type.Null()]),
});

export const COMPLAINT_SOURCE_VALUES = ['chat', 'phone', 'email'] as const;
export const COMPLEXITY_VALUES = ['simple', 'complex'] as const;
export const TICKET_STATUS_VALUES = [
  'open',
  'in_progress',
  'resolved',
  'closed',
] as const;

export const NewComplaintInput = Type.Object(
  {
    customer_id: Type.Optional(Type.String({ maxLength: 64 })),
    conversation_id: Type.Optional(Type.String({ maxLength: 64 })),
    source: Type.Union(COMPLAINT_SOURCE_VALUES.map((v) => Type.Literal(v))),
    category: Type.String({ pattern: '^[a-z_]{1,40}$' }),
    complexity: Type.Optional(
      Type.Union(COMPLEXITY_VALUES.map((v) => Type.Literal(v))),
    ),
    summary: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
export type NewComplaintInput = Static<typeof NewComplaintInput>;

export const ComplaintOutput = Type.Object({
  id: Type.String(),
  ticket_no: Type.String(),
  customer_id: Type.Union([Type.String(), Type.Null()]),
  conversation_id: Type.Union([Type.String(), Type.Null()]),
  source: Type.Union([Type.String(), Type.Null()]),
  category: Type.Union([Type.String(), Type.Null()]),
  category_zh: Type.Union([Type.String(), Type.Null()]),
  complexity: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  summary: Type.String(),
  assigned_user_id: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  due_at: Type.String(),
  /** Deadline countdown: the last local day, minutes and whole days left. */
  decision_date: Type.String(),
  minutes_left: Type.Integer(),
  days_left: Type.Integer(),
  overdue: Type.Boolean(),
  escalation_level: Type.Integer(),
  escalated_at: Type.Union([Type.String(), Type.Null()]),
  extension_days: Type.Integer(),
  extension_reason: Type.Union([Type.String(), Type.Null()]),
  resolution: Type.Union([Type.String(), Type.Null()]),
  resolved_at: Type.Union([Type.String(), Type.Null()]),
});
export type ComplaintOutput = Static<typeof ComplaintOutput>;
