// The dialogue policy: from the NLU's reading of one utterance, the session
// state and the customer's records, decide the actions and the reply of one
// bot turn. Pure: no I/O, no clock, no randomness (the engine passes today).
import type { Product } from '../../catalogue/product.js';
import type { CalendarDate } from '../../shared/calendar-date.js';
import type { Intent } from '../nlu/labels.js';
import { NLU_CONFIDENCE_CLARIFY_BELOW, type NluResult } from '../nlu/nlu.js';
import {
  answerApplications,
  answerDifficulty,
  answerLoanApr,
  answerPayoff,
  answerSchedule,
} from './account-answers.js';
import {
  advanceForm,
  answerGeneral,
  answerProductRates,
  reaskForm,
} from './general-answers.js';
import {
  ACCOUNT_INTENTS,
  asksForThirdParty,
  FACTORS_TO_VERIFY,
  mergeFactors,
  needsAccount,
  offersIdentity,
  readIdentity,
} from './identity.js';
import { overdueFacts } from './loan-facts.js';
import { fillForm, productsForForm } from './needs-form.js';
import { handleSignals } from './signals.js';
import {
  act,
  hasAction,
  newTurn,
  open,
  say,
  type TurnBuilder,
  yuan,
} from './turn-builder.js';
import type { CustomerData, DialogueState, KnowledgeBase } from './types.js';

/** Consecutive unclear turns before a person takes over. */
export const LOW_CONFIDENCE_TURNS_TO_HANDOFF = 2;
/** Consecutive angry turns before a person takes over. */
export const ANGRY_TURNS_TO_HANDOFF = 2;

export type TurnInput = {
  readonly state: DialogueState;
  readonly understanding: NluResult;
  readonly data: CustomerData;
  readonly today: CalendarDate;
  readonly catalogue: readonly Product[];
  readonly knowledge: KnowledgeBase | undefined;
};

export type TurnDecision = {
  readonly state: DialogueState;
  readonly turn: TurnBuilder;
};

// Intents of an utterance that only carries identity data (王小明 138…).
const IDLE_INTENTS: ReadonlySet<Intent> = new Set<Intent>([
  'out_of_scope',
  'greeting',
]);

// After these answers the needs form's open question is asked again.
const RESUMES_FORM: ReadonlySet<Intent> = new Set<Intent>([
  'rate_inquiry',
  'fee_inquiry',
  'eligibility',
  'required_materials',
  'credit_limit',
  'repayment_method',
]);

const FORM_INTENTS: ReadonlySet<Intent> = new Set<Intent>([
  'apply_loan',
  'product_inquiry',
]);

type Step = { state: DialogueState; intent: Intent; handled: boolean };

function identityStep(input: TurnInput, turn: TurnBuilder, step: Step): Step {
  const { state } = step;
  const customer = input.data.customer;
  const text = input.understanding.normalized;
  if (asksForThirdParty(text, step.intent)) {
    act(turn, { type: 'refuse_disclosure', reason: 'third_party' });
    say(turn, 'refuse_third_party');
    return {
      ...step,
      state: { ...state, thirdParty: true, pendingIntent: undefined },
      handled: true,
    };
  }
  if (state.verified) return step;
  if (customer === undefined) {
    if (input.data.identityPending !== true) return step;
    if (!offersIdentity(text, input.understanding.slots)) return step;
    if (state.thirdParty) {
      act(turn, { type: 'refuse_disclosure', reason: 'third_party' });
      say(turn, 'refuse_third_party');
    } else say(turn, 'verify_pending');
    return { ...step, handled: true };
  }
  const reading = readIdentity(text, input.understanding.slots, customer);
  if (state.thirdParty) {
    // Data of the person asked about proves nothing: the asker already said
    // the account is someone else's.
    if (!reading.offered) return step;
    act(turn, { type: 'refuse_disclosure', reason: 'third_party' });
    say(turn, 'refuse_third_party');
    return { ...step, handled: true };
  }
  const factorsMatched = mergeFactors(state.factorsMatched, reading.matched);
  if (factorsMatched.length >= FACTORS_TO_VERIFY) {
    act(turn, { type: 'verified' });
    const pending = state.pendingIntent;
    const resumes = pending !== undefined && !ACCOUNT_INTENTS.has(step.intent);
    // Nothing else asked: the verification utterance carries no question.
    const idle = !resumes && IDLE_INTENTS.has(step.intent);
    say(turn, idle ? 'verified_ask' : 'verified');
    return {
      state: {
        ...state,
        factorsMatched,
        verified: true,
        pendingIntent: undefined,
      },
      intent: resumes ? pending : step.intent,
      handled: idle,
    };
  }
  if (!reading.offered) return step;
  say(turn, reading.matched.length === 0 ? 'verify_mismatch' : 'verify_more');
  return { ...step, state: { ...state, factorsMatched }, handled: true };
}

function formStep(input: TurnInput, turn: TurnBuilder, step: Step): Step {
  const { state } = step;
  if (state.form === undefined && !FORM_INTENTS.has(step.intent)) return step;
  const u = input.understanding;
  const filled = fillForm(state.form ?? {}, u.slots, u.normalized);
  if (!filled.filled && !FORM_INTENTS.has(step.intent)) return step;
  if (filled.form.purpose === 'debt_repayment') {
    // Borrowing to repay other debt is flagged, never served with a product
    // (《个人贷款管理办法》第十三条: repayment ability comes first).
    if (!state.riskFlags.includes('borrow_to_repay')) {
      act(turn, { type: 'flag_risk', signal: 'borrow_to_repay' });
      say(turn, 'borrow_to_repay');
    }
    const riskFlags = state.riskFlags.includes('borrow_to_repay')
      ? state.riskFlags
      : [...state.riskFlags, 'borrow_to_repay' as const];
    return {
      ...step,
      state: { ...state, form: undefined, riskFlags },
      handled: true,
    };
  }
  const form = advanceForm(turn, filled.form, input.catalogue, input.today);
  return { ...step, state: { ...state, form }, handled: true };
}

function accountStep(input: TurnInput, turn: TurnBuilder, step: Step): Step {
  const { state, intent } = step;
  if (
    input.data.customer === undefined &&
    input.data.identityPending !== true
  ) {
    act(turn, { type: 'refuse_disclosure', reason: 'no_record' });
    say(turn, 'no_record');
    return { ...step, handled: true };
  }
  if (state.thirdParty && !state.verified) {
    act(turn, { type: 'refuse_disclosure', reason: 'third_party' });
    say(turn, 'refuse_third_party');
    return { ...step, handled: true };
  }
  if (!state.verified) {
    act(turn, { type: 'ask_verification' });
    say(turn, 'ask_verification');
    return {
      ...step,
      state: { ...state, pendingIntent: intent },
      handled: true,
    };
  }
  answerAccount(input, turn, intent);
  return { ...step, handled: true };
}

function answerAccount(
  input: TurnInput,
  turn: TurnBuilder,
  intent: Intent,
): void {
  const { data, today } = input;
  const loanNo = input.understanding.slots.loan_no;
  if (intent === 'repayment_schedule')
    answerSchedule(turn, data, today, loanNo);
  else if (intent === 'early_repayment')
    answerPayoff(turn, data, today, loanNo);
  else if (intent === 'approval_progress')
    answerApplications(turn, data.applications);
  else if (intent === 'disbursement') {
    answerApplications(turn, data.applications);
    say(turn, 'disbursement_general');
  } else if (!answerDifficulty(turn, data, today, loanNo)) {
    act(turn, { type: 'handoff', reason: 'negotiation' });
    say(turn, 'difficulty_handoff');
  }
}

function overdueOwn(input: TurnInput, turn: TurnBuilder): void {
  for (const loan of input.data.loans) {
    const overdue = overdueFacts(loan, input.today);
    if (overdue === undefined) continue;
    say(turn, 'schedule_overdue', {
      days: overdue.days,
      amount: yuan(turn, overdue.amountFen),
      penalty: yuan(turn, overdue.penaltyFen),
    });
  }
}

function intentStep(input: TurnInput, turn: TurnBuilder, step: Step): Step {
  const { state, intent } = step;
  const resumed = intent !== input.understanding.intent;
  if (resumed || needsAccount(intent, input.understanding.normalized))
    return accountStep(input, turn, step);
  const context = {
    knowledge: input.knowledge,
    catalogue: input.catalogue,
    form: state.form,
  };
  switch (intent) {
    case 'greeting':
      say(turn, 'greeting');
      break;
    case 'thanks_goodbye':
      say(turn, 'closing');
      return { ...step, state: { ...state, form: undefined }, handled: true };
    case 'rate_inquiry':
      if (state.verified && input.data.loans.length > 0)
        answerLoanApr(turn, input.data, input.understanding.slots.loan_no);
      else answerProductRates(turn, rateProducts(input, state), input.today);
      break;
    case 'complaint':
      act(turn, { type: 'create_ticket', ticket_type: 'complaint' });
      act(turn, { type: 'handoff', reason: 'complaint' });
      say(turn, 'complaint');
      break;
    case 'privacy_concern':
      act(turn, { type: 'create_ticket', ticket_type: 'privacy' });
      say(turn, 'privacy_concern');
      break;
    case 'human_agent':
      act(turn, { type: 'handoff', reason: 'customer_request' });
      say(turn, 'handoff_request');
      break;
    case 'fraud_report':
      break;
    default:
      answerGeneral(turn, intent, input.understanding.normalized, context);
      if (intent === 'overdue_consequence' && state.verified)
        overdueOwn(input, turn);
  }
  if (RESUMES_FORM.has(intent)) reaskForm(turn, state.form);
  return { ...step, handled: true };
}

function rateProducts(
  input: TurnInput,
  state: DialogueState,
): readonly Product[] {
  const purpose = state.form?.purpose;
  if (purpose === undefined) return input.catalogue;
  const fitting = productsForForm(input.catalogue, { purpose });
  return fitting.length > 0 ? fitting : input.catalogue;
}

// The intents' display names (taxonomy.md 中文), for a clarifying question
// that restates the guess (rubric: confirm_need).
const INTENT_ZH: Record<Intent, string> = {
  greeting: '问候',
  thanks_goodbye: '结束咨询',
  product_inquiry: '贷款产品',
  rate_inquiry: '利率',
  fee_inquiry: '费用',
  credit_limit: '额度',
  eligibility: '申请条件',
  required_materials: '所需材料',
  apply_loan: '申请办理',
  approval_progress: '审批进度',
  disbursement: '放款到账',
  repayment_schedule: '还款计划',
  repayment_method: '还款方式',
  early_repayment: '提前还款',
  overdue_consequence: '逾期后果',
  repayment_difficulty: '还款困难与协商',
  settlement_certificate: '结清证明',
  update_info: '信息变更',
  complaint: '投诉',
  fraud_report: '诈骗举报',
  privacy_concern: '隐私与骚扰',
  human_agent: '转人工',
  out_of_scope: '其他',
};

const GENERIC_CLARIFY: ReadonlySet<Intent> = new Set<Intent>([
  'out_of_scope',
  'greeting',
  'thanks_goodbye',
]);

function clarify(turn: TurnBuilder, guess: Intent): void {
  if (GENERIC_CLARIFY.has(guess)) say(turn, 'clarify');
  else say(turn, 'clarify_intent', { topic: INTENT_ZH[guess] });
}

function escalate(turn: TurnBuilder, state: DialogueState): DialogueState {
  if (
    state.angryStreak >= ANGRY_TURNS_TO_HANDOFF &&
    !hasAction(turn, 'handoff')
  ) {
    act(turn, { type: 'handoff', reason: 'persistent_anger' });
    say(turn, 'handoff_anger');
  }
  return { ...state, handedOff: state.handedOff || hasAction(turn, 'handoff') };
}

/**
 * One bot turn. Order: empathy first, then scam and risk signals, identity,
 * the needs form, the intent's answer (or a clarifying question when the
 * NLU is unsure), then escalation to a person.
 */
export function decideTurn(input: TurnInput): TurnDecision {
  const u = input.understanding;
  const turns = input.state.turns + 1;
  const turn = newTurn(turns);
  let state: DialogueState = {
    ...input.state,
    turns,
    angryStreak: u.emotion === 'angry' ? input.state.angryStreak + 1 : 0,
  };
  // The first reply of a session introduces the service (rubric: greeting).
  if (turns === 1 && u.intent !== 'greeting') open(turn, 'greeting_short');
  if (u.emotion !== 'neutral') {
    act(turn, { type: 'empathy', emotion: u.emotion });
    open(turn, u.emotion === 'angry' ? 'empathy_angry' : 'empathy_anxious');
  }
  state = handleSignals(turn, state, u);
  // A scam warning is the whole answer: never ask a possible victim for
  // identity data or carry on with the request the fraudster framed.
  let step: Step = {
    state,
    intent: u.intent,
    handled: u.fraud_signals.length > 0,
  };
  if (!step.handled) step = identityStep(input, turn, step);
  if (!step.handled) step = formStep(input, turn, step);
  const unsure =
    u.confidence < NLU_CONFIDENCE_CLARIFY_BELOW && step.intent === u.intent;
  if (!step.handled && unsure && turn.body.length === 0) {
    const lowConfidenceStreak = step.state.lowConfidenceStreak + 1;
    step = {
      ...step,
      state: { ...step.state, lowConfidenceStreak },
      handled: true,
    };
    if (lowConfidenceStreak >= LOW_CONFIDENCE_TURNS_TO_HANDOFF) {
      act(turn, { type: 'handoff', reason: 'low_confidence' });
      say(turn, 'handoff_low_confidence');
    } else clarify(turn, u.intent);
  } else {
    step = { ...step, state: { ...step.state, lowConfidenceStreak: 0 } };
  }
  if (!step.handled) step = intentStep(input, turn, step);
  if (turn.body.length === 0) say(turn, 'clarify');
  return { state: escalate(turn, step.state), turn };
}
