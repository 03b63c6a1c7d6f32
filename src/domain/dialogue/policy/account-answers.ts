// Answers that disclose account details; called only once the customer is
// verified (decide-turn.ts checks it). Every figure comes from loan-facts.ts.
import { fen } from '../../money/fen.js';
import type { CalendarDate } from '../../shared/calendar-date.js';
import {
  annualisedRate,
  loanFacts,
  overdueFacts,
  repaymentPlans,
} from './loan-facts.js';
import {
  act,
  listMarker,
  percentText,
  rateWire,
  say,
  type TurnBuilder,
  yuan,
} from './turn-builder.js';
import type {
  ApplicationRecord,
  ApplicationStatus,
  CustomerData,
  LoanAccount,
  PlanSummary,
} from './types.js';

/** At most this many loans or applications are read out in one reply. */
export const RECORDS_PER_REPLY_MAX = 3;

const STATUS_ZH: Record<ApplicationStatus, string> = {
  submitted: '已提交',
  materials_review: '材料审核',
  credit_assessment: '信用评估',
  manual_review: '人工复核',
  approved: '审批通过',
  rejected: '审批未通过',
  contracted: '已签约',
  disbursed: '已放款',
};

const STATUS_DETAIL_ZH: Record<ApplicationStatus, string> = {
  submitted: '我们会尽快安排审核，如需补充材料会及时通知您。',
  materials_review: '材料审核完成后会进入下一环节，如需补充材料会及时通知您。',
  credit_assessment: '审核时长与资料完整程度有关，结果以正式通知为准。',
  manual_review:
    '人工复核需要一定时间，结果以正式通知为准，如需补充材料会第一时间联系您。',
  approved: '请留意官方App中的签约提醒，签约后即可安排放款。',
  rejected: '具体原因可在官方App中查看，资质改善后可以重新申请。',
  contracted: '合同已签订，放款进度请留意官方App的通知。',
  disbursed: '款项已发放至您本人名下的借记卡，请注意查收。',
};

function selectLoans(
  data: CustomerData,
  loanNo: string | undefined,
): LoanAccount[] {
  const chosen =
    loanNo === undefined
      ? data.loans
      : data.loans.filter(
          (loan) => loan.loanNo.toUpperCase() === loanNo.toUpperCase(),
        );
  return (chosen.length > 0 ? chosen : data.loans).slice(
    0,
    RECORDS_PER_REPLY_MAX,
  );
}

/** 还款计划: next installment, remaining principal, overdue and penalty. */
export function answerSchedule(
  turn: TurnBuilder,
  data: CustomerData,
  today: CalendarDate,
  loanNo: string | undefined,
): void {
  const loans = selectLoans(data, loanNo);
  if (loans.length === 0) {
    answerApplications(turn, data.applications);
    return;
  }
  for (const loan of loans) {
    const facts = loanFacts(loan, today);
    const vars = { loanNo: loan.loanNo, product: loan.productNameZh };
    if (facts.next === undefined && facts.overdue === undefined) {
      say(turn, 'schedule_done', vars);
      continue;
    }
    if (facts.next !== undefined)
      say(turn, 'schedule_next', {
        ...vars,
        date: facts.next.dueDate,
        amount: yuan(turn, facts.next.paymentFen),
      });
    say(turn, 'schedule_remaining', {
      principal: yuan(turn, facts.remainingPrincipalFen),
    });
    if (facts.overdue !== undefined)
      say(turn, 'schedule_overdue', {
        days: facts.overdue.days,
        amount: yuan(turn, facts.overdue.amountFen),
        penalty: yuan(turn, facts.overdue.penaltyFen),
      });
  }
}

/** 一次性结清: the payoff quote today, with `quote_payoff`. */
export function answerPayoff(
  turn: TurnBuilder,
  data: CustomerData,
  today: CalendarDate,
  loanNo: string | undefined,
): void {
  const loans = selectLoans(data, loanNo);
  if (loans.length === 0) say(turn, 'app_none');
  for (const loan of loans) {
    const facts = loanFacts(loan, today);
    const quote = facts.payoff;
    if (quote === undefined) {
      // Nothing owed, or a loan not started yet (no quote before its start).
      const done = facts.remainingPrincipalFen === 0n;
      say(turn, done ? 'schedule_done' : 'payoff_unavailable', {
        loanNo: loan.loanNo,
      });
      continue;
    }
    const total = yuan(turn, quote.totalFen);
    say(turn, 'payoff', {
      date: today,
      loanNo: loan.loanNo,
      total,
      principal: yuan(turn, quote.principalFen),
      interest: yuan(turn, quote.interestFen),
      penalty: yuan(
        turn,
        fen(quote.penaltyFen + quote.feeFen + quote.prepaymentFeeFen),
      ),
    });
    act(turn, { type: 'quote_payoff', loan_no: loan.loanNo, amount: total });
  }
}

/** The APR of each of the customer's loans, with `state_apr`. */
export function answerLoanApr(
  turn: TurnBuilder,
  data: CustomerData,
  loanNo: string | undefined,
): void {
  for (const loan of selectLoans(data, loanNo)) {
    const apr = annualisedRate(loan.schedule);
    say(turn, 'loan_apr', { loanNo: loan.loanNo, apr: percentText(apr) });
    act(turn, {
      type: 'state_apr',
      apr: rateWire(apr),
      subject: loan.loanNo,
    });
  }
}

/** 审批进度 / 放款: the status of each application. */
export function answerApplications(
  turn: TurnBuilder,
  applications: readonly ApplicationRecord[],
): void {
  if (applications.length === 0) {
    say(turn, 'app_none');
    return;
  }
  for (const app of applications.slice(0, RECORDS_PER_REPLY_MAX)) {
    say(turn, 'app_status', {
      appNo: app.appNo,
      product: app.productNameZh,
      amount: yuan(turn, app.amountFen),
      term: app.termMonths,
      submitted: app.submittedDate,
      status: STATUS_ZH[app.status],
      detail: STATUS_DETAIL_ZH[app.status],
    });
  }
}

function planLine(turn: TurnBuilder, plan: PlanSummary, index: number): void {
  const vars = {
    n: listMarker(index),
    months: plan.months,
    signing: plan.due_at_signing,
    first: plan.first_payment,
    monthly: plan.monthly_payment,
    total: plan.total_paid,
  };
  if (plan.kind === 'extension') say(turn, 'plan_extension', vars);
  else if (plan.kind === 'reamortization')
    say(turn, 'plan_reamortization', vars);
  else say(turn, 'plan_stop_interest', vars);
}

/**
 * 还款困难: restructuring plans from the loan engine for the first loan in
 * difficulty. An overdue loan also goes to a negotiation specialist with a
 * ticket. Returns false when there is no loan to restructure.
 */
export function answerDifficulty(
  turn: TurnBuilder,
  data: CustomerData,
  today: CalendarDate,
  loanNo: string | undefined,
): boolean {
  const loans = selectLoans(data, loanNo);
  const loan =
    loans.find((candidate) => overdueFacts(candidate, today) !== undefined) ??
    loans[0];
  if (loan === undefined) return false;
  const plans = repaymentPlans(loan, today);
  if (plans.length === 0) return false;
  say(turn, 'difficulty_intro', { loanNo: loan.loanNo });
  for (const [index, plan] of plans.entries()) planLine(turn, plan, index);
  act(turn, { type: 'offer_plans', loan_no: loan.loanNo, plans });
  if (overdueFacts(loan, today) !== undefined) {
    const facts = loanFacts(loan, today);
    if (facts.overdue !== undefined)
      say(turn, 'schedule_overdue', {
        days: facts.overdue.days,
        amount: yuan(turn, facts.overdue.amountFen),
        penalty: yuan(turn, facts.overdue.penaltyFen),
      });
    act(turn, { type: 'create_ticket', ticket_type: 'negotiation' });
    act(turn, { type: 'handoff', reason: 'negotiation' });
    say(turn, 'difficulty_handoff');
  }
  return true;
}
