// Proves the policy's decisions on hand-made NLU readings (no model): the
// verification gate and its resumption, third-party refusal, the scam
// warning taking precedence, clarification and the hand-off rules.
import { describe, expect, it } from 'vitest';
import { fen } from '../../money/fen.js';
import { calendarDate } from '../../shared/calendar-date.js';
import type { NluResult } from '../nlu/nlu.js';
import { decideTurn } from './decide-turn.js';
import { initialDialogueState } from './state.js';
import type { CustomerData, DialogueState } from './types.js';

const data: CustomerData = {
  customer: {
    name: '王小明',
    idNumber: '110105198503124523',
    phone: '13800001111',
  },
  loans: [],
  applications: [
    {
      appNo: 'AP1',
      productNameZh: '个人消费贷',
      amountFen: fen(8_000_000n),
      termMonths: 24,
      submittedDate: calendarDate('2026-11-05'),
      status: 'manual_review',
    },
  ],
};

function reading(text: string, overrides: Partial<NluResult> = {}): NluResult {
  return {
    intent: 'out_of_scope',
    confidence: 0.9,
    slots: {},
    emotion: 'neutral',
    risk_signals: [],
    fraud_signals: [],
    normalized: text,
    ...overrides,
  };
}

function turn(state: DialogueState, understanding: NluResult, customer = data) {
  const decision = decideTurn({
    state,
    understanding,
    data: customer,
    today: calendarDate('2026-11-20'),
    catalogue: [],
    knowledge: undefined,
  });
  return {
    state: decision.state,
    types: decision.turn.actions.map((action) => action.type),
    actions: decision.turn.actions,
    text: [...decision.turn.opening, ...decision.turn.body].join(''),
  };
}

describe('decideTurn', () => {
  it('asks for verification and answers the pending question once verified', () => {
    const first = turn(
      initialDialogueState(),
      reading('审批到哪了', { intent: 'approval_progress' }),
    );
    expect(first.types).toEqual(['ask_verification']);
    expect(first.state.pendingIntent).toBe('approval_progress');
    const second = turn(first.state, reading('王小明 13800001111'));
    expect(second.types).toEqual(['verified']);
    expect(second.state.verified).toBe(true);
    expect(second.text).toContain('AP1');
  });

  it('refuses a third party and does not verify them on the holder data', () => {
    const first = turn(
      initialDialogueState(),
      reading('我妈的贷款审批到哪了', { intent: 'approval_progress' }),
    );
    expect(first.actions).toEqual([
      { type: 'refuse_disclosure', reason: 'third_party' },
    ]);
    const second = turn(first.state, reading('她叫王小明，手机13800001111'));
    expect(second.types).toEqual(['refuse_disclosure']);
    expect(second.state.verified).toBe(false);
  });

  it('puts empathy first and warns about a scam without asking for identity', () => {
    const result = turn(
      initialDialogueState(),
      reading('让我先交保证金才放款', {
        intent: 'disbursement',
        emotion: 'anxious',
        fraud_signals: ['upfront_fee'],
      }),
    );
    expect(result.types).toEqual(['empathy', 'warn_fraud', 'create_ticket']);
    expect(result.text).toContain('官方');
  });

  it('clarifies once, naming its guess, and hands off on the second unclear turn', () => {
    const unclear = reading('这个呢', {
      intent: 'fee_inquiry',
      confidence: 0.2,
    });
    const first = turn(initialDialogueState(), unclear);
    expect(first.types).toEqual([]);
    expect(first.text).toContain('费用');
    expect(first.state.lowConfidenceStreak).toBe(1);
    const second = turn(first.state, unclear);
    expect(second.actions).toEqual([
      { type: 'handoff', reason: 'low_confidence' },
    ]);
  });

  it('hands off when anger persists over two turns', () => {
    const angry = reading('太慢了', { intent: 'greeting', emotion: 'angry' });
    const first = turn(initialDialogueState(), angry);
    expect(first.types).toEqual(['empathy']);
    const second = turn(first.state, angry);
    expect(second.actions).toContainEqual({
      type: 'handoff',
      reason: 'persistent_anger',
    });
  });

  it('flags a risk signal once per session', () => {
    const urgent = reading('急用钱', {
      intent: 'apply_loan',
      risk_signals: ['urgent_need'],
    });
    const first = turn(initialDialogueState(), urgent);
    expect(first.actions).toContainEqual({
      type: 'flag_risk',
      signal: 'urgent_need',
    });
    const second = turn(first.state, urgent);
    expect(second.types).not.toContain('flag_risk');
  });

  it('refuses account details when no customer record exists', () => {
    const result = turn(
      initialDialogueState(),
      reading('这个月还多少', { intent: 'repayment_schedule' }),
      { customer: undefined, loans: [], applications: [] },
    );
    expect(result.actions).toEqual([
      { type: 'refuse_disclosure', reason: 'no_record' },
    ]);
  });
});
