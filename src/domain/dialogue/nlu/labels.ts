// The label ids of spec/taxonomy.md. They are part of the product contract:
// adding a label is fine, renaming one is a breaking change.

export const INTENTS = [
  'greeting',
  'thanks_goodbye',
  'product_inquiry',
  'rate_inquiry',
  'fee_inquiry',
  'credit_limit',
  'eligibility',
  'required_materials',
  'apply_loan',
  'approval_progress',
  'disbursement',
  'repayment_schedule',
  'repayment_method',
  'early_repayment',
  'overdue_consequence',
  'repayment_difficulty',
  'settlement_certificate',
  'update_info',
  'complaint',
  'fraud_report',
  'privacy_concern',
  'human_agent',
  'out_of_scope',
] as const;
export type Intent = (typeof INTENTS)[number];

export const SLOT_NAMES = [
  'amount_yuan',
  'term_months',
  'purpose',
  'monthly_income_yuan',
  'id_number',
  'phone',
  'loan_no',
  'date',
] as const;
export type SlotName = (typeof SLOT_NAMES)[number];

export const PURPOSES = [
  'home_renovation',
  'car',
  'education',
  'business',
  'consumption',
  'medical',
  'wedding',
  'travel',
  'debt_repayment',
  'other',
] as const;
export type Purpose = (typeof PURPOSES)[number];

export const EMOTIONS = ['neutral', 'anxious', 'angry'] as const;
export type Emotion = (typeof EMOTIONS)[number];

export const RISK_SIGNALS = [
  'urgent_need',
  'rate_insensitive',
  'vague_repayment_source',
  'frequent_urging',
  'job_change',
  'many_online_loans',
  'many_credit_inquiries',
  'falsify_request',
  'borrow_to_repay',
  'high_debt',
] as const;
export type RiskSignal = (typeof RISK_SIGNALS)[number];

export const FRAUD_SIGNALS = [
  'upfront_fee',
  'impersonation',
  'credential_request',
  'fake_flow',
  'account_cancellation_scam',
] as const;
export type FraudSignal = (typeof FRAUD_SIGNALS)[number];

/**
 * What the text states, by slot id. Amounts are yuan as plain numbers: a slot
 * is a reading of what the customer typed, never a ledger value (the ledger
 * converts to fen with the money codec).
 */
export type Slots = {
  amount_yuan?: number;
  term_months?: number;
  purpose?: Purpose;
  monthly_income_yuan?: number;
  id_number?: string;
  phone?: string;
  loan_no?: string;
  date?: string;
};

export function isIntent(value: string): value is Intent {
  return (INTENTS as readonly string[]).includes(value);
}
export function isPurpose(value: string): value is Purpose {
  return (PURPOSES as readonly string[]).includes(value);
}
export function isEmotion(value: string): value is Emotion {
  return (EMOTIONS as readonly string[]).includes(value);
}
export function isRiskSignal(value: string): value is RiskSignal {
  return (RISK_SIGNALS as readonly string[]).includes(value);
}
export function isFraudSignal(value: string): value is FraudSignal {
  return (FRAUD_SIGNALS as readonly string[]).includes(value);
}
