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

// Chinese display names shown beside the ids in the agent UI (taxonomy.md).
// A Record over each union fails to compile when a label lacks its name.

export const INTENT_NAMES_ZH: Record<Intent, string> = {
  greeting: '问候',
  thanks_goodbye: '感谢/告别',
  product_inquiry: '产品咨询',
  rate_inquiry: '利率咨询',
  fee_inquiry: '费用咨询',
  credit_limit: '额度咨询',
  eligibility: '申请条件',
  required_materials: '所需材料',
  apply_loan: '申请办理',
  approval_progress: '审批进度',
  disbursement: '放款到账',
  repayment_schedule: '还款计划',
  repayment_method: '还款方式',
  early_repayment: '提前还款',
  overdue_consequence: '逾期后果',
  repayment_difficulty: '还款困难/协商',
  settlement_certificate: '结清证明',
  update_info: '信息变更',
  complaint: '投诉',
  fraud_report: '诈骗举报',
  privacy_concern: '隐私/骚扰',
  human_agent: '转人工',
  out_of_scope: '无关',
};

export const EMOTION_NAMES_ZH: Record<Emotion, string> = {
  neutral: '平静',
  anxious: '焦虑',
  angry: '愤怒',
};

export const RISK_SIGNAL_NAMES_ZH: Record<RiskSignal, string> = {
  urgent_need: '急切用款',
  rate_insensitive: '对利率不敏感',
  vague_repayment_source: '还款来源含糊',
  frequent_urging: '频繁催促审批',
  job_change: '工作变动',
  many_online_loans: '多头网贷',
  many_credit_inquiries: '征信查询多',
  falsify_request: '要求造假',
  borrow_to_repay: '以贷养贷',
  high_debt: '负债过高',
};

export const FRAUD_SIGNAL_NAMES_ZH: Record<FraudSignal, string> = {
  upfront_fee: '先交费用',
  impersonation: '冒充身份',
  credential_request: '索要验证码/密码',
  fake_flow: '刷流水',
  account_cancellation_scam: '注销账户骗局',
};
