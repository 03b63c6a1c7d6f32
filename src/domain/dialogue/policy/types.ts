// Types of the dialogue engine: what it knows about the customer (records
// from the store, passed in), the per-session state it carries between turns
// and what one turn produces (spec/contracts.md, `loandesk chat`).

import type { CheckResult } from '../../compliance/types.js';
import type { PrepaymentFeePolicy } from '../../loan/early-repayment/prepayment-fee.js';
import type { Schedule } from '../../loan/schedule/types.js';
import type { Fen } from '../../money/fen.js';
import type { CalendarDate } from '../../shared/calendar-date.js';
import type {
  Emotion,
  FraudSignal,
  Intent,
  Purpose,
  RiskSignal,
} from '../nlu/labels.js';

/** The customer's identity record; PII never leaves the engine unmasked. */
export type CustomerRecord = {
  readonly name: string;
  readonly idNumber: string;
  readonly phone: string;
};

/** A loan as the ledger holds it: its contract schedule and where it stands. */
export type LoanAccount = {
  readonly loanNo: string;
  readonly productNameZh: string;
  readonly schedule: Schedule;
  /** Installments paid in full, counted from the first. */
  readonly paidPeriods: number;
  readonly overdueDays: number;
  readonly overdueAmountFen: Fen;
  /** The contract's early-repayment fee; none when absent. */
  readonly prepaymentFeePolicy?: PrepaymentFeePolicy;
};

export const APPLICATION_STATUSES = [
  'submitted',
  'materials_review',
  'credit_assessment',
  'manual_review',
  'approved',
  'rejected',
  'contracted',
  'disbursed',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export type ApplicationRecord = {
  readonly appNo: string;
  readonly productNameZh: string;
  readonly amountFen: Fen;
  readonly termMonths: number;
  readonly submittedDate: CalendarDate;
  readonly status: ApplicationStatus;
};

/** The records of the session's customer, read from the store per turn. */
export type CustomerData = {
  readonly customer: CustomerRecord | undefined;
  /**
   * No record given, but the borrower may have one that the store shows
   * only once two factors match (the HTTP chat verifies against the store
   * itself): account questions ask for verification instead of "no record",
   * and every identity offer gets one answer, matched in part or not at all.
   */
  readonly identityPending?: boolean;
  readonly loans: readonly LoanAccount[];
  readonly applications: readonly ApplicationRecord[];
};

/**
 * The knowledge base port (FAQ retrieval). The engine asks it first for
 * general questions and falls back to its own short replies when it has no
 * confident answer.
 */
export type KnowledgeBase = {
  answer: (
    question: string,
  ) => { answer: string; confidence: number } | undefined;
};

export type FormSlot =
  | 'purpose'
  | 'amount_yuan'
  | 'term_months'
  | 'monthly_income_yuan';

/** The needs-analysis form (需求分析): filled one question at a time. */
export type NeedsForm = {
  readonly purpose?: Purpose;
  readonly amountFen?: Fen;
  readonly termMonths?: number;
  readonly monthlyIncomeFen?: Fen;
  /** The slot the last bot turn asked for. */
  readonly awaiting?: FormSlot;
};

export type VerificationFactor = 'name' | 'id_number' | 'phone';

export type DialogueState = {
  /** Bot turns so far in the session. */
  readonly turns: number;
  readonly factorsMatched: readonly VerificationFactor[];
  readonly verified: boolean;
  /** Someone asked about another person's account: no disclosure this session. */
  readonly thirdParty: boolean;
  readonly form: NeedsForm | undefined;
  /** An account question asked before verification, answered once verified. */
  readonly pendingIntent: Intent | undefined;
  readonly riskFlags: readonly RiskSignal[];
  readonly fraudFlags: readonly FraudSignal[];
  /** Consecutive turns below the NLU's clarification threshold. */
  readonly lowConfidenceStreak: number;
  /** Consecutive angry turns. */
  readonly angryStreak: number;
  readonly handedOff: boolean;
};

export type PlanSummary = {
  readonly kind: 'extension' | 'reamortization' | 'stop_interest';
  readonly months: number;
  readonly due_at_signing: string;
  readonly first_payment: string;
  readonly monthly_payment: string;
  readonly total_paid: string;
};

export type TicketType = 'complaint' | 'fraud' | 'privacy' | 'negotiation';
export type HandoffReason =
  | 'customer_request'
  | 'low_confidence'
  | 'persistent_anger'
  | 'complaint'
  | 'negotiation'
  | 'compliance_block';

/** The contract's action types; amounts and rates are decimal strings. */
export type Action =
  | { readonly type: 'ask_verification' }
  | { readonly type: 'verified' }
  | {
      readonly type: 'refuse_disclosure';
      readonly reason: 'third_party' | 'no_record';
    }
  | { readonly type: 'ask_slot'; readonly slot: FormSlot }
  | {
      readonly type: 'recommend_product';
      readonly product: string;
      readonly code: string;
      readonly apr_min: string;
      readonly apr_max: string;
    }
  | { readonly type: 'empathy'; readonly emotion: Emotion }
  | { readonly type: 'flag_risk'; readonly signal: RiskSignal }
  | { readonly type: 'warn_fraud'; readonly signal: FraudSignal | 'reported' }
  | {
      readonly type: 'offer_plans';
      readonly loan_no: string;
      readonly plans: readonly PlanSummary[];
    }
  | { readonly type: 'create_ticket'; readonly ticket_type: TicketType }
  | { readonly type: 'handoff'; readonly reason: HandoffReason }
  | {
      readonly type: 'quote_payoff';
      readonly loan_no: string;
      readonly amount: string;
    }
  | {
      readonly type: 'state_apr';
      readonly apr: string;
      readonly apr_max?: string;
      readonly subject: string;
    };

/** One bot turn: the reply that was sent and what the engine did. */
export type TurnOutcome = {
  readonly state: DialogueState;
  readonly reply: string;
  readonly intent: Intent;
  readonly confidence: number;
  readonly actions: readonly Action[];
  /** The verdict of the reply that was sent. */
  readonly compliance: CheckResult;
  /** A draft the compliance engine blocked (never sent), for the record. */
  readonly blockedDraft?: {
    readonly text: string;
    readonly result: CheckResult;
  };
};
