// Quick-reply chips under bot messages and the agents' reply library per
// intent (wordings of the bot's own templates that carry no placeholder,
// so they are complete sentences an agent can send as they are).
import type { Intent } from '../../domain/dialogue/nlu/labels.js';
import type { HandoffReason } from '../../domain/dialogue/policy/types.js';
import {
  TEMPLATES,
  type TemplateId,
} from '../../domain/dialogue/replies/templates.js';

export const GREETING_QUICK_REPLIES: readonly string[] = [
  '我的下一期还多少',
  '贷款产品的年化利率',
  '申请需要什么材料',
  '提前还款',
  '转人工客服',
];

type ActionLike = { readonly type?: unknown };

/** Chips offered under a bot message, from what the bot just did. */
export function quickRepliesOf(
  actions: readonly unknown[],
): string[] | undefined {
  const types = new Set(
    actions.map((action) => (action as ActionLike | null)?.type),
  );
  if (types.has('handoff')) return undefined;
  if (types.has('verified'))
    return ['下一期还多少', '还剩多少本金', '提前结清要多少钱'];
  if (types.has('recommend_product'))
    return ['申请需要什么材料', '有哪些费用', '转人工客服'];
  if (types.has('offer_plans')) return ['转人工客服'];
  if (types.has('refuse_disclosure')) return ['转人工客服'];
  return undefined;
}

export const HANDOFF_REASON_ZH: Record<HandoffReason, string> = {
  customer_request: '客户要求转人工',
  low_confidence: '机器人未能理解',
  persistent_anger: '客户情绪激动',
  complaint: '客户投诉',
  negotiation: '还款困难协商',
  compliance_block: '回复未通过合规审查',
};

export function handoffReasonZh(reason: string | undefined): string | null {
  if (reason === undefined) return null;
  return HANDOFF_REASON_ZH[reason as HandoffReason] ?? reason;
}

const LIBRARY: Partial<Record<Intent, readonly TemplateId[]>> = {
  greeting: ['greeting'],
  thanks_goodbye: ['closing'],
  product_inquiry: ['product_rates_outro', 'credit_limit'],
  rate_inquiry: ['product_rates_outro', 'fee_general'],
  fee_inquiry: ['fee_general'],
  credit_limit: ['credit_limit'],
  eligibility: ['eligibility_general'],
  required_materials: ['materials_general'],
  apply_loan: ['eligibility_general', 'materials_general'],
  approval_progress: ['ask_verification', 'app_none'],
  disbursement: ['disbursement_general', 'ask_verification'],
  repayment_schedule: ['ask_verification', 'repayment_method'],
  repayment_method: ['repayment_method'],
  early_repayment: ['early_repayment_general', 'ask_verification'],
  overdue_consequence: ['overdue_general'],
  repayment_difficulty: ['difficulty_handoff', 'debt_caution'],
  settlement_certificate: ['settlement_certificate'],
  update_info: ['update_info'],
  complaint: ['complaint'],
  fraud_report: ['fraud_warning', 'fraud_ticket'],
  privacy_concern: ['privacy_concern'],
  human_agent: ['greeting_short'],
  out_of_scope: ['out_of_scope', 'clarify'],
};

const PLACEHOLDER = /\{[a-zA-Z]+\}/;

/** Complete wordings from the reply library for an intent. */
export function libraryReplies(intent: string | undefined): string[] {
  const ids = LIBRARY[(intent ?? 'greeting') as Intent] ?? ['clarify'];
  const out: string[] = [];
  for (const id of ids) {
    const wordings: readonly string[] = TEMPLATES[id];
    for (const text of wordings) if (!PLACEHOLDER.test(text)) out.push(text);
  }
  return out;
}
