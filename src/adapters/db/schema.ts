import type { ColumnType, Selectable } from 'kysely';

// Kysely table types: the shape of each table as the drivers return it.
// Drivers decide runtime types (Kysely recipe "data types"): with
// better-sqlite3 `defaultSafeIntegers(true)` and pg's int8 parser set to
// BigInt, every integer column comes back as `bigint` on both databases.
// Repositories turn rows into domain objects: money → Fen, small counts →
// number after a range assert.

/** Money in fen: bigint in, bigint out, on both dialects. */
export type FenColumn = ColumnType<bigint, bigint, bigint>;
/** A nullable amount in fen. */
export type FenColumnNullable = ColumnType<
  bigint | null,
  bigint | null,
  bigint | null
>;
/** A small integer (count, term, sequence): read as bigint, written as either. */
export type IntColumn = ColumnType<bigint, bigint | number, bigint | number>;
/** A nullable small integer. */
export type IntColumnNullable = ColumnType<
  bigint | null,
  bigint | number | null,
  bigint | number | null
>;

export type RolesTable = { id: string; name_zh: string };

export type UsersTable = {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  status: string;
  /** ISO instant; session tokens issued before it are dead (null: none). */
  sessions_valid_from: string | null;
  created_at: string;
  updated_at: string;
};

export type UserRolesTable = { user_id: string; role: string };

export type CustomersTable = {
  id: string;
  name_enc: string;
  id_number_enc: string;
  id_number_bidx: string;
  phone_enc: string;
  phone_bidx: string;
  /** HMAC of the ID number's last six characters; null until indexed. */
  id_tail_bidx: string | null;
  monthly_income_fen: FenColumnNullable;
  created_at: string;
  updated_at: string;
};

export type EmergencyContactsTable = {
  id: string;
  customer_id: string;
  name_enc: string;
  phone_enc: string;
  phone_bidx: string;
  relation: string;
  created_at: string;
};

export type ProductsTable = {
  id: string;
  code: string;
  name: string;
  /** JSON array of repayment method ids. */
  methods: string;
  rate_annual_min: string;
  rate_annual_max: string;
  amount_fen_min: FenColumn;
  amount_fen_max: FenColumn;
  term_months_min: IntColumn;
  term_months_max: IntColumn;
  status: string;
  /** Early-repayment fee terms, canonical JSON (null: none). */
  prepayment_fee: string | null;
  created_at: string;
};

export type ApplicationsTable = {
  id: string;
  app_no: string;
  customer_id: string;
  product_id: string;
  amount_fen: FenColumn;
  term_months: IntColumn;
  purpose: string | null;
  status: string;
  submitted_on: string;
  /** JSON array of strings, set on rejection (and approval conditions). */
  decision_reasons: string | null;
  /** JSON object: the credit-assessment scorecard. */
  scorecard: string | null;
  /** Exact decimal text, fixed at approval within the product's band. */
  approved_rate_annual: string | null;
  approved_method: string | null;
  version: IntColumn;
  created_at: string;
  updated_at: string;
};

export type LoansTable = {
  id: string;
  loan_no: string;
  customer_id: string;
  application_id: string | null;
  product_id: string | null;
  principal_fen: FenColumn;
  rate_annual: string;
  term_months: IntColumn;
  method: string;
  day_count: string;
  rounding: string;
  start_date: string;
  status: string;
  schedule_version: IntColumn;
  version: IntColumn;
  closed_on: string | null;
  /** The contract's early-repayment fee terms, canonical JSON (null: none). */
  prepayment_fee: string | null;
  /** Engine terms (schedule input JSON) of `schedule_terms_version`; null: the loan's columns. */
  schedule_terms: string | null;
  schedule_terms_version: IntColumn | null;
  created_at: string;
  updated_at: string;
};

export type InstallmentsTable = {
  loan_id: string;
  schedule_version: IntColumn;
  n: IntColumn;
  due_date: string;
  payment_fen: FenColumn;
  principal_fen: FenColumn;
  interest_fen: FenColumn;
  fee_fen: FenColumn;
  balance_fen: FenColumn;
  penalty_fen: FenColumn;
  paid_principal_fen: FenColumn;
  paid_interest_fen: FenColumn;
  paid_fee_fen: FenColumn;
  paid_penalty_fen: FenColumn;
};

export type PaymentsTable = {
  id: string;
  loan_id: string;
  kind: string;
  amount_fen: FenColumn;
  paid_on: string;
  channel: string;
  reverses_payment_id: string | null;
  idempotency_key: string;
  actor: string;
  created_at: string;
};

export type PaymentAllocationsTable = {
  payment_id: string;
  line: IntColumn;
  schedule_version: IntColumn;
  installment_n: IntColumn;
  component: string;
  amount_fen: FenColumn;
};

export type IdempotencyKeysTable = {
  key: string;
  scope: string;
  request_hash: string;
  result_id: string;
  created_at: string;
};

export type ContactLogsTable = {
  id: string;
  customer_id: string;
  loan_id: string | null;
  user_id: string | null;
  channel: string;
  target: string;
  outcome: string;
  contacted_at: string;
  note: string | null;
  /** Call result code (结果代码); null for contacts logged before it existed. */
  result_code: string | null;
};

export type PromisesToPayTable = {
  id: string;
  loan_id: string;
  amount_fen: FenColumn;
  promised_on: string;
  status: string;
  user_id: string | null;
  created_at: string;
  resolved_at: string | null;
};

export type ConversationsTable = {
  id: string;
  customer_id: string | null;
  channel: string;
  status: string;
  assigned_user_id: string | null;
  verified_at: string | null;
  created_at: string;
  updated_at: string;
  /** Why the bot handed off (handoff action reason), while waiting or after. */
  handoff_reason: string | null;
  handed_off_at: string | null;
  /** The NLU intent of the customer's latest message. */
  last_intent: string | null;
};

export type ChatSessionsTable = {
  conversation_id: string;
  /** SHA-256 hex of the borrower's token. */
  token_hash: string;
  /** JSON of the dialogue state. */
  dialogue_state: string;
  candidate_customer_id: string | null;
  rating_score: IntColumnNullable;
  rating_comment: string | null;
  rated_at: string | null;
  updated_at: string;
};

export type MessagesTable = {
  id: string;
  conversation_id: string;
  seq: IntColumn;
  sender: string;
  body: string;
  intent: string | null;
  /** JSON array of the bot's actions. */
  actions: string | null;
  compliance_verdict: string | null;
  created_at: string;
  /** The original body, encrypted, when `body` holds it masked. */
  body_enc: string | null;
};

export type ComplaintTicketsTable = {
  id: string;
  ticket_no: string;
  customer_id: string | null;
  conversation_id: string | null;
  ticket_type: string;
  status: string;
  summary: string;
  assigned_user_id: string | null;
  due_at: string;
  created_at: string;
  updated_at: string;
  resolved_at: string | null;
  /** chat | phone | email (null on tickets from before migration 7). */
  source: string | null;
  category: string | null;
  /** simple | complex (CP-01: 15 or 30 days). */
  complexity: string | null;
  escalation_level: IntColumnNullable;
  escalated_at: string | null;
  extension_days: IntColumnNullable;
  extension_reason: string | null;
  resolution: string | null;
  resolved_by: string | null;
};

export type RemindersTable = {
  id: string;
  loan_id: string;
  customer_id: string;
  kind: string;
  for_date: string;
  installment_n: IntColumn;
  due_date: string;
  amount_fen: FenColumn;
  days_past_due: IntColumn;
  bucket: string;
  status: string;
  status_reason: string | null;
  created_at: string;
  updated_at: string;
};

export type DelinquencyTable = {
  loan_id: string;
  as_of: string;
  days_past_due: IntColumn;
  bucket: string;
  classification: string;
  overdue_installments: IntColumn;
  overdue_principal_fen: FenColumn;
  overdue_interest_fen: FenColumn;
  penalty_fen: FenColumn;
  fees_fen: FenColumn;
  total_overdue_fen: FenColumn;
  outstanding_principal_fen: FenColumn;
  accrued_interest_fen: FenColumn;
  next_due_date: string | null;
  next_due_fen: FenColumnNullable;
  early_warning_score: IntColumnNullable;
  early_warning_reasons: string | null;
  updated_at: string;
  /** Highest days past due ever reached (carried forward by the batch). */
  max_days_past_due: IntColumn;
  /** Times the loan went from current to overdue. */
  overdue_episodes: IntColumn;
};

export type EodRunsTable = {
  business_date: string;
  status: string;
  cursor_loan_id: string;
  batches: IntColumn;
  loans: IntColumn;
  overdue_loans: IntColumn;
  transitions: IntColumn;
  reminders: IntColumn;
  promises_broken: IntColumn;
  promises_kept: IntColumn;
  errors: IntColumn;
  started_at: string;
  updated_at: string;
  finished_at: string | null;
};

export type RevokedSessionsTable = {
  token_id: string;
  user_id: string;
  expires_at: string;
  revoked_at: string;
};

export type LoanPrepaymentsTable = {
  payment_id: string;
  loan_id: string;
  schedule_version: IntColumn;
  kind: string;
  after_period: IntColumn;
  principal_fen: FenColumn;
  mode: string | null;
  created_at: string;
};

export type CaseAssignmentsTable = {
  loan_id: string;
  user_id: string;
  assigned_by: string;
  assigned_at: string;
};

export type NegotiationApprovalsTable = {
  id: string;
  loan_id: string;
  /** Canonical JSON of the approved plan terms. */
  terms: string;
  reason: string;
  approved_by: string;
  approved_at: string;
  agreement_id: string | null;
};

export type NegotiationAgreementsTable = {
  id: string;
  agreement_no: string;
  loan_id: string;
  kind: string;
  months: IntColumn;
  terms: string;
  principal_fen: FenColumn;
  interest_fen: FenColumn;
  fee_fen: FenColumn;
  penalty_fen: FenColumn;
  waived_fen: FenColumn;
  due_at_signing_fen: FenColumn;
  total_paid_fen: FenColumn;
  /** 1 when the plan was within policy, 0 when a supervisor approved it. */
  within_policy: IntColumn;
  approval_id: string | null;
  schedule_version: IntColumn;
  signed_on: string;
  signed_by: string;
  created_at: string;
};

export type NegotiationPoliciesTable = {
  version: IntColumn;
  /** Canonical JSON of the policy (the fields of content/negotiation/policy.yaml). */
  body: string;
  reason: string;
  created_by: string;
  created_at: string;
};

export type OutboundMessagesTable = {
  id: string;
  dedupe_key: string;
  source_type: string;
  source_id: string;
  customer_id: string;
  channel: string;
  purpose: string;
  template_id: string;
  recipient_enc: string;
  recipient_masked: string;
  subject: string | null;
  body: string;
  amount_fen: FenColumnNullable;
  status: string;
  status_rule: string | null;
  status_reason: string | null;
  not_before: string;
  expires_at: string;
  queued_at: string | null;
  attempts: IntColumn;
  claimed_at: string | null;
  provider: string | null;
  provider_message_id: string | null;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
};

export type SmsOutboxTable = {
  message_id: string;
  phone_enc: string;
  phone_masked: string;
  body: string;
  created_at: string;
};

export type InAppMessagesTable = {
  message_id: string;
  customer_id: string;
  title: string;
  body: string;
  created_at: string;
  read_at: string | null;
};

export type CustomerChannelsTable = {
  customer_id: string;
  email_enc: string | null;
  sms_enabled: IntColumn;
  email_enabled: IntColumn;
  app_enabled: IntColumn;
  updated_at: string;
};

export type QaScoresTable = {
  id: string;
  conversation_id: string;
  speaker: string;
  agent_user_id: string | null;
  rubric_version: string;
  score: IntColumn;
  hard_fail: IntColumn;
  items: string;
  intent: string | null;
  scored_on: string;
  created_at: string;
  override_score: IntColumnNullable;
  override_comment: string | null;
  override_by: string | null;
  override_at: string | null;
};

export type TeamsTable = {
  id: string;
  name: string;
  lead_user_id: string | null;
  created_at: string;
  updated_at: string;
};

export type TeamMembersTable = {
  user_id: string;
  team_id: string;
  assigned_at: string;
};

export type QaRubricsTable = {
  version: string;
  body: string;
  created_by: string;
  created_at: string;
};

export type TrainingSessionsTable = {
  id: string;
  user_id: string;
  persona_id: string;
  variant_id: string;
  exam: IntColumn;
  status: string;
  state: string;
  turns: string;
  result: string | null;
  score: IntColumnNullable;
  created_at: string;
  updated_at: string;
};

export type QuizAttemptsTable = {
  id: string;
  user_id: string;
  seed: IntColumn;
  item_count: IntColumn;
  score: IntColumnNullable;
  result: string | null;
  created_at: string;
  graded_at: string | null;
};

export type AuditLogTable = {
  seq: IntColumn;
  at: string;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  /** Canonical JSON (sorted keys); covered by the hash. */
  details: string;
  prev_hash: string;
  hash: string;
};

export type AuditHeadTable = {
  id: IntColumn;
  seq: IntColumn;
  hash: string;
};

export type Database = {
  roles: RolesTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  customers: CustomersTable;
  emergency_contacts: EmergencyContactsTable;
  products: ProductsTable;
  applications: ApplicationsTable;
  loans: LoansTable;
  installments: InstallmentsTable;
  payments: PaymentsTable;
  payment_allocations: PaymentAllocationsTable;
  idempotency_keys: IdempotencyKeysTable;
  contact_logs: ContactLogsTable;
  promises_to_pay: PromisesToPayTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  chat_sessions: ChatSessionsTable;
  complaint_tickets: ComplaintTicketsTable;
  reminders: RemindersTable;
  delinquency: DelinquencyTable;
  qa_scores: QaScoresTable;
  qa_rubrics: QaRubricsTable;
  training_sessions: TrainingSessionsTable;
  quiz_attempts: QuizAttemptsTable;
  eod_runs: EodRunsTable;
  revoked_sessions: RevokedSessionsTable;
  loan_prepayments: LoanPrepaymentsTable;
  case_assignments: CaseAssignmentsTable;
  negotiation_approvals: NegotiationApprovalsTable;
  negotiation_agreements: NegotiationAgreementsTable;
  negotiation_policies: NegotiationPoliciesTable;
  outbound_messages: OutboundMessagesTable;
  sms_outbox: SmsOutboxTable;
  in_app_messages: InAppMessagesTable;
  customer_channels: CustomerChannelsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
};

export type AuditLogRow = Selectable<AuditLogTable>;
