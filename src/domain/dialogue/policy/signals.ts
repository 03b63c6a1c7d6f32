// Risk and fraud signals (taxonomy.md). Risk signals become flags for the
// agent and steer the wording: responsible lending for an urgent,
// rate-insensitive applicant (《个人贷款管理办法》第十三条), a firm refusal
// to help falsify anything (induce_falsify). Fraud signals get a clear scam
// warning with the official channels and a ticket (regulations.md, 《关于
// 防范电信网络诈骗》 notices: lenders never charge before disbursement).
import type { NluResult } from '../nlu/nlu.js';
import { act, say, type TurnBuilder } from './turn-builder.js';
import type { DialogueState } from './types.js';

export function handleSignals(
  turn: TurnBuilder,
  state: DialogueState,
  understanding: NluResult,
): DialogueState {
  const fraud = understanding.fraud_signals;
  const reported = understanding.intent === 'fraud_report';
  if (fraud.length > 0 || reported) {
    for (const signal of fraud) act(turn, { type: 'warn_fraud', signal });
    if (fraud.length === 0)
      act(turn, { type: 'warn_fraud', signal: 'reported' });
    say(turn, 'fraud_warning');
    const known = new Set(state.fraudFlags);
    const fresh = fraud.some((signal) => !known.has(signal));
    if (fresh || (reported && state.fraudFlags.length === 0)) {
      act(turn, { type: 'create_ticket', ticket_type: 'fraud' });
      say(turn, 'fraud_ticket');
    }
  }
  const risk = understanding.risk_signals;
  const newRisk = risk.filter((signal) => !state.riskFlags.includes(signal));
  for (const signal of newRisk) act(turn, { type: 'flag_risk', signal });
  if (risk.includes('falsify_request')) say(turn, 'refuse_falsify');
  if (risk.includes('urgent_need') || risk.includes('rate_insensitive'))
    say(turn, 'responsible_lending');
  if (risk.includes('borrow_to_repay')) say(turn, 'borrow_to_repay');
  if (
    risk.includes('many_online_loans') ||
    risk.includes('high_debt') ||
    risk.includes('many_credit_inquiries')
  )
    say(turn, 'debt_caution');
  return {
    ...state,
    riskFlags: [...state.riskFlags, ...newRisk],
    fraudFlags: [
      ...state.fraudFlags,
      ...fraud.filter((s) => !state.fraudFlags.includes(s)),
    ],
  };
}
