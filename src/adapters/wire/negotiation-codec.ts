// Wire ↔ domain for negotiation (spec/contracts.md `loandesk negotiate
// --jsonl`), shared by the CLI and the HTTP API. Amounts are decimal strings;
// every refusal names its field.
import { formatFen } from '../../contracts/money.js';
import { debtOf } from '../../domain/dialogue/policy/loan-facts.js';
import type { Debt } from '../../domain/loan/restructuring/debt.js';
import { type Fen, fen } from '../../domain/money/fen.js';
import { compareRate, formatRate, type Rate } from '../../domain/money/rate.js';
import {
  DEFAULT_NEGOTIATION_POLICY,
  type NegotiationCase,
  type NegotiationPolicy,
  negotiate,
  PLAN_KINDS,
  type PlanKind,
  type PlanTerms,
  type RankedPlan,
} from '../../domain/negotiation/plans.js';
import type { CalendarDate } from '../../domain/shared/calendar-date.js';
import { readLoan } from '../dialogue/setup-codec.js';
import { InputError, type JsonObject } from './input-error.js';
import {
  readChoice,
  readDate,
  readInteger,
  readRate,
  readYuan,
} from './schedule-codec.js';

function readObject(value: unknown, field: string): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new InputError(`${field}: must be a JSON object`);
  return value as JsonObject;
}

const ONE: Rate = { numerator: 1n, denominator: 1n };

/** A share from 0 to 1 (waivers, discounts). */
export function readShare(value: unknown, field: string): Rate {
  const share = readRate(value, field);
  if (compareRate(share, ONE) > 0)
    throw new InputError(`${field}: must be between 0 and 1`);
  return share;
}

function readNonNegativeYuan(value: unknown, field: string): Fen {
  const amount = readYuan(value, field);
  if (amount < 0n) throw new InputError(`${field}: must not be negative`);
  return amount;
}

/** `policy` of the contract; absent fields take the institution's defaults. */
export function parseNegotiationPolicy(value: unknown): NegotiationPolicy {
  if (value === undefined || value === null) return DEFAULT_NEGOTIATION_POLICY;
  const p = readObject(value, 'policy');
  const d = DEFAULT_NEGOTIATION_POLICY;
  return {
    maxMonths:
      p.max_months === undefined
        ? d.maxMonths
        : readInteger(p.max_months, 'policy.max_months', 1, 360),
    maxPenaltyWaiver:
      p.max_penalty_waiver === undefined
        ? d.maxPenaltyWaiver
        : readShare(p.max_penalty_waiver, 'policy.max_penalty_waiver'),
    maxInterestWaiver:
      p.max_interest_waiver === undefined
        ? d.maxInterestWaiver
        : readShare(p.max_interest_waiver, 'policy.max_interest_waiver'),
    minFirstPaymentFen:
      p.min_first_payment_yuan === undefined
        ? d.minFirstPaymentFen
        : readNonNegativeYuan(
            p.min_first_payment_yuan,
            'policy.min_first_payment_yuan',
          ),
    settlementDiscountMax:
      p.settlement_discount_max === undefined
        ? d.settlementDiscountMax
        : readShare(
            p.settlement_discount_max,
            'policy.settlement_discount_max',
          ),
    discountRateAnnual:
      p.discount_rate_annual === undefined
        ? d.discountRateAnnual
        : readRate(p.discount_rate_annual, 'policy.discount_rate_annual'),
  };
}

/** Income and expenses of the contract (`monthly_*_yuan`). */
export function readBudget(input: JsonObject): {
  monthlyIncomeFen: Fen;
  monthlyExpensesFen: Fen;
} {
  for (const field of [
    'monthly_income_yuan',
    'monthly_essential_expenses_yuan',
  ]) {
    if (input[field] === undefined || input[field] === null)
      throw new InputError(`${field}: is required`);
  }
  return {
    monthlyIncomeFen: readNonNegativeYuan(
      input.monthly_income_yuan,
      'monthly_income_yuan',
    ),
    monthlyExpensesFen: readNonNegativeYuan(
      input.monthly_essential_expenses_yuan,
      'monthly_essential_expenses_yuan',
    ),
  };
}

/** The case of one contract line: the loan's balance on `today` and the budget. */
export function parseNegotiationCase(
  input: JsonObject,
  today: CalendarDate,
): NegotiationCase {
  const day =
    input.today === undefined || input.today === null
      ? today
      : readDate(input.today, 'today');
  const raw = readObject(input.loan, 'loan');
  const loan = readLoan({ loan_no: '-', ...raw }, 'loan', day);
  const terms = loan.schedule.terms;
  return {
    debt: debtOf(loan, day),
    loan: {
      rateAnnual: terms.rateAnnual,
      method: terms.method,
      originalTermMonths: terms.termMonths,
      remainingPeriods: loan.schedule.installments.length - loan.paidPeriods,
      rounding: terms.rounding,
    },
    ...readBudget(input),
    today: day,
  };
}

/** Plan terms as a client sends them back to sign (or to price a custom plan). */
export function parsePlanTerms(input: JsonObject): PlanTerms {
  const kind = readChoice<PlanKind>(input.kind, 'kind', PLAN_KINDS);
  const zero = 0;
  return {
    kind,
    months: readInteger(input.months, 'months', 1, 60),
    penaltyWaiver: readShare(input.penalty_waiver ?? zero, 'penalty_waiver'),
    interestWaiver: readShare(input.interest_waiver ?? zero, 'interest_waiver'),
    discount: readShare(input.discount ?? zero, 'discount'),
  };
}

export function formatBalance(debt: Debt) {
  return {
    principal: formatFen(debt.principalFen),
    interest: formatFen(debt.interestFen),
    penalty: formatFen(debt.penaltyFen),
    fees: formatFen(debt.feeFen),
    total: formatFen(
      fen(debt.principalFen + debt.interestFen + debt.penaltyFen + debt.feeFen),
    ),
  };
}

const SHARE_PLACES = 4;

/** A share as a short exact decimal ("0.3"); wire shares have ≤ 12 places. */
function shareText(r: Rate): string {
  const text = formatRate(r, 12);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** Plan terms in their wire form (what a client sends back to sign). */
export function formatTerms(terms: PlanTerms) {
  return {
    kind: terms.kind,
    months: terms.months,
    penalty_waiver: shareText(terms.penaltyWaiver),
    interest_waiver: shareText(terms.interestWaiver),
    discount: shareText(terms.discount),
  };
}

/** One text per distinct set of terms: what a supervisor's approval covers. */
export function termsKey(terms: PlanTerms): string {
  return JSON.stringify(formatTerms(terms));
}

/** One plan in the contract's form, plus the terms needed to sign it. */
export function formatPlan(plan: RankedPlan) {
  return {
    kind: plan.kind,
    months: plan.months,
    first_payment: formatFen(plan.firstPaymentFen),
    monthly_payment: formatFen(plan.monthlyPaymentFen),
    total_paid: formatFen(plan.totalPaidFen),
    waived: formatFen(plan.waivedFen),
    share_of_disposable_income:
      plan.shareOfDisposableIncome === undefined
        ? null
        : formatRate(plan.shareOfDisposableIncome, SHARE_PLACES),
    recovery_value: formatFen(plan.recoveryValueFen),
    within_policy: plan.withinPolicy,
    rank: plan.rank,
    due_at_signing: formatFen(plan.dueAtSigningFen),
    completion_likelihood: formatRate(plan.completionLikelihood, SHARE_PLACES),
    policy_breaches: [...plan.policyBreaches],
    terms: formatTerms(plan.terms),
  };
}

/** `loandesk negotiate --jsonl`: one contract line → its answer. */
export function negotiateAnswer(
  input: JsonObject,
  today: CalendarDate,
): JsonObject {
  const c = parseNegotiationCase(input, today);
  const policy = parseNegotiationPolicy(input.policy);
  const plans = negotiate(c, policy);
  return {
    balance: formatBalance(c.debt),
    plans: plans.map(formatPlan),
  };
}
