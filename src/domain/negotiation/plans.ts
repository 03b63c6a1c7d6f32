import { type Debt, debtTotalFen, waive } from '../loan/restructuring/debt.js';
import {
  extendLoan,
  type RestructuringError,
  type RestructuringPlan,
  reamortize,
  stopInterestInstallments,
} from '../loan/restructuring/plans.js';
import {
  DEFAULT_RESTRUCTURING_POLICY,
  extensionMonthsMax,
  type RestructuringPolicy,
} from '../loan/restructuring/policy.js';
import type { RepaymentMethod, Schedule } from '../loan/schedule/types.js';
import { type Fen, fen, ZERO_FEN } from '../money/fen.js';
import { compareRate, type Rate, rate } from '../money/rate.js';
import { divRound, type Rounding } from '../money/rounding.js';
import type { CalendarDate } from '../shared/calendar-date.js';
import { REAMORTIZATION_MONTHS_MAX } from '../shared/limits.js';
import { err, ok, type Result } from '../shared/result.js';
import {
  type CashFlow,
  completionLikelihood,
  recoveryValue,
  shareOfDisposable,
} from './likelihood.js';

// 协商还款方案: from what the customer owes, earns and must spend, the plans
// the institution can offer, each one the schedule the loan engine
// (domain/loan/restructuring) creates when the agreement is signed, with
// the customer's burden and the institution's expected recovery, ranked.

export const PLAN_KINDS = [
  'reamortize',
  'stop_interest',
  'waiver',
  'settlement',
  'extension',
] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

/** The institution's negotiation limits (configuration, not code). */
export type NegotiationPolicy = {
  /** Longest plan; never above the 60-month cap of INT-06. */
  readonly maxMonths: number;
  readonly maxPenaltyWaiver: Rate;
  readonly maxInterestWaiver: Rate;
  /** The first payment under a plan must be at least this (诚意金). */
  readonly minFirstPaymentFen: Fen;
  /** Largest discount of the whole debt for a lump-sum settlement. */
  readonly settlementDiscountMax: Rate;
  /** For the recovery value (present value), compounded monthly. */
  readonly discountRateAnnual: Rate;
};

export const DEFAULT_NEGOTIATION_POLICY: NegotiationPolicy = {
  maxMonths: REAMORTIZATION_MONTHS_MAX,
  maxPenaltyWaiver: DEFAULT_RESTRUCTURING_POLICY.penaltyWaiverShareMax,
  maxInterestWaiver: DEFAULT_RESTRUCTURING_POLICY.interestWaiverShareMax,
  minFirstPaymentFen: fen(50_000n),
  settlementDiscountMax: rate(1n, 5n),
  discountRateAnnual: rate(6n, 100n),
};

/** The loan being negotiated: what its current contract says. */
export type NegotiatedLoan = {
  readonly rateAnnual: Rate;
  readonly method: RepaymentMethod;
  readonly originalTermMonths: number;
  /** Installments of the current schedule not yet paid. */
  readonly remainingPeriods: number;
  readonly rounding: Rounding;
};

export type NegotiationCase = {
  readonly debt: Debt;
  readonly loan: NegotiatedLoan;
  readonly monthlyIncomeFen: Fen;
  readonly monthlyExpensesFen: Fen;
  /** The signing date: the new schedule starts on it. */
  readonly today: CalendarDate;
};

/** What a plan is, exactly enough to rebuild it on signing. */
export type PlanTerms = {
  readonly kind: PlanKind;
  readonly months: number;
  readonly penaltyWaiver: Rate;
  readonly interestWaiver: Rate;
  /** Settlement only: the share of the whole debt forgiven. */
  readonly discount: Rate;
};

export type PolicyBreach =
  | 'months'
  | 'penalty_waiver'
  | 'interest_waiver'
  | 'settlement_discount'
  | 'first_payment';

export type NegotiatedPlan = {
  readonly terms: PlanTerms;
  readonly kind: PlanKind;
  readonly months: number;
  /** Paid when the agreement is signed (extension: interest, fees, penalty). */
  readonly dueAtSigningFen: Fen;
  /** The first amount the customer pays: at signing if anything, else installment 1. */
  readonly firstPaymentFen: Fen;
  /** The regular installment (the first one when installments vary). */
  readonly monthlyPaymentFen: Fen;
  readonly totalPaidFen: Fen;
  readonly waived: Debt;
  readonly waivedFen: Fen;
  /** Heaviest single payment ÷ disposable income; undefined without any. */
  readonly shareOfDisposableIncome: Rate | undefined;
  readonly completionLikelihood: Rate;
  readonly recoveryValueFen: Fen;
  readonly policyBreaches: readonly PolicyBreach[];
  readonly withinPolicy: boolean;
  /** The schedule the loan engine books on signing. */
  readonly schedule: Schedule;
};

export type RankedPlan = NegotiatedPlan & { readonly rank: number };

export type NegotiationError = {
  readonly code:
    | 'negotiation.nothing_owed'
    | 'negotiation.months_out_of_range'
    | 'negotiation.plan_refused';
  readonly detail: string;
};

/** Share of disposable income a regular installment should stay under. */
export const TARGET_SHARE = rate(1n, 2n);

function disposableFen(c: NegotiationCase): bigint {
  return c.monthlyIncomeFen - c.monthlyExpensesFen;
}

/** The longest plan the policy and INT-06 allow. */
export function monthsCap(policy: NegotiationPolicy): number {
  return Math.max(1, Math.min(policy.maxMonths, REAMORTIZATION_MONTHS_MAX));
}

function shareOf(amountFen: Fen, part: Rate): Fen {
  return fen(divRound(amountFen * part.numerator, part.denominator, 'down'));
}

/** The engine checks waivers against a policy; limits are checked here. */
const SIGNING_AUTHORITY: RestructuringPolicy = {
  ...DEFAULT_RESTRUCTURING_POLICY,
  reamortizationMonthsMax: REAMORTIZATION_MONTHS_MAX,
  penaltyWaiverShareMax: rate(1n, 1n),
  interestWaiverShareMax: rate(1n, 1n),
};

/** Forgives `discount` of the whole debt: penalty first, then fees, interest, principal. */
function discountDebt(
  debt: Debt,
  discount: Rate,
): { after: Debt; waived: Debt } {
  let left = shareOf(debtTotalFen(debt), discount);
  const take = (owed: Fen): Fen => {
    const taken = left < owed ? left : owed;
    left = fen(left - taken);
    return taken;
  };
  const waived: Debt = {
    penaltyFen: take(debt.penaltyFen),
    feeFen: take(debt.feeFen),
    interestFen: take(debt.interestFen),
    principalFen: take(debt.principalFen),
  };
  return {
    waived,
    after: {
      principalFen: fen(debt.principalFen - waived.principalFen),
      interestFen: fen(debt.interestFen - waived.interestFen),
      feeFen: fen(debt.feeFen - waived.feeFen),
      penaltyFen: fen(debt.penaltyFen - waived.penaltyFen),
    },
  };
}

const NONE: Debt = {
  principalFen: ZERO_FEN,
  interestFen: ZERO_FEN,
  feeFen: ZERO_FEN,
  penaltyFen: ZERO_FEN,
};

function engineError(error: RestructuringError): NegotiationError {
  if (error.code === 'restructure.nothing_owed')
    return { code: 'negotiation.nothing_owed', detail: error.detail };
  if (
    error.code === 'restructure.months_out_of_range' ||
    error.code === 'restructure.months_exceed_policy'
  )
    return { code: 'negotiation.months_out_of_range', detail: error.detail };
  return { code: 'negotiation.plan_refused', detail: error.detail };
}

/** The loan engine's schedule for `terms`, with what was waived. */
function engineSchedule(
  c: NegotiationCase,
  terms: PlanTerms,
): Result<{ plan: RestructuringPlan; waived: Debt }, NegotiationError> {
  const common = {
    months: terms.months,
    startDate: c.today,
    rounding: c.loan.rounding,
  };
  let debt = c.debt;
  let waived = NONE;
  if (terms.kind === 'waiver') {
    const result = waive(
      c.debt,
      {
        penaltyShare: terms.penaltyWaiver,
        interestShare: terms.interestWaiver,
        feeShare: rate(0n, 1n),
        principalFen: ZERO_FEN,
      },
      SIGNING_AUTHORITY,
    );
    if (!result.ok)
      return err({
        code: 'negotiation.plan_refused',
        detail: result.error.detail,
      });
    debt = result.value.after;
    waived = result.value.waived;
  }
  if (terms.kind === 'settlement') {
    const discounted = discountDebt(c.debt, terms.discount);
    debt = discounted.after;
    waived = discounted.waived;
  }
  let planned: Result<RestructuringPlan, RestructuringError>;
  if (terms.kind === 'extension') {
    planned = extendLoan(
      {
        ...common,
        debt,
        remainingPeriods: c.loan.remainingPeriods,
        originalTermMonths: c.loan.originalTermMonths,
        method: c.loan.method,
        rateAnnual: c.loan.rateAnnual,
      },
      SIGNING_AUTHORITY,
    );
  } else if (terms.kind === 'stop_interest' || terms.kind === 'settlement') {
    // A settlement is one interest-free installment due a month after signing.
    planned = stopInterestInstallments({ ...common, debt }, SIGNING_AUTHORITY);
  } else {
    planned = reamortize(
      { ...common, debt, rateAnnual: c.loan.rateAnnual },
      SIGNING_AUTHORITY,
    );
  }
  if (!planned.ok) return err(engineError(planned.error));
  return ok({ plan: planned.value, waived });
}

function breachesOf(
  terms: PlanTerms,
  firstPaymentFen: Fen,
  policy: NegotiationPolicy,
): PolicyBreach[] {
  const breaches: PolicyBreach[] = [];
  if (terms.months > monthsCap(policy)) breaches.push('months');
  if (compareRate(terms.penaltyWaiver, policy.maxPenaltyWaiver) > 0)
    breaches.push('penalty_waiver');
  if (compareRate(terms.interestWaiver, policy.maxInterestWaiver) > 0)
    breaches.push('interest_waiver');
  if (compareRate(terms.discount, policy.settlementDiscountMax) > 0)
    breaches.push('settlement_discount');
  if (firstPaymentFen < policy.minFirstPaymentFen)
    breaches.push('first_payment');
  return breaches;
}

function heaviestPaymentFen(plan: RestructuringPlan): Fen {
  let max = plan.dueAtSigningFen;
  for (const row of plan.schedule.installments)
    if (row.paymentFen > max) max = row.paymentFen;
  return max;
}

/**
 * Builds one plan exactly as it would be signed: the loan engine's schedule,
 * the burden, the recovery value and the policy check. Terms outside the
 * policy are built too (and marked): they need a supervisor's approval.
 */
export function buildPlan(
  c: NegotiationCase,
  terms: PlanTerms,
  policy: NegotiationPolicy,
): Result<NegotiatedPlan, NegotiationError> {
  if (
    !Number.isInteger(terms.months) ||
    terms.months < 1 ||
    terms.months > REAMORTIZATION_MONTHS_MAX
  )
    return err({
      code: 'negotiation.months_out_of_range',
      detail: `months must be 1..${REAMORTIZATION_MONTHS_MAX} (INT-06)`,
    });
  const built = engineSchedule(c, terms);
  if (!built.ok) return built;
  const { plan, waived } = built.value;
  const first = plan.schedule.installments[0];
  const firstPaymentFen =
    plan.dueAtSigningFen > 0n
      ? plan.dueAtSigningFen
      : (first?.paymentFen ?? ZERO_FEN);
  const share = shareOfDisposable(heaviestPaymentFen(plan), disposableFen(c));
  const likelihood = completionLikelihood(share);
  const flows: CashFlow[] = [
    { monthsFromSigning: 0, amountFen: plan.dueAtSigningFen },
    ...plan.schedule.installments.map((row) => ({
      monthsFromSigning: row.n,
      amountFen: row.paymentFen,
    })),
  ];
  const breaches = breachesOf(terms, firstPaymentFen, policy);
  return ok({
    terms,
    kind: terms.kind,
    months: plan.months,
    dueAtSigningFen: plan.dueAtSigningFen,
    firstPaymentFen,
    monthlyPaymentFen: plan.monthlyPaymentFen,
    totalPaidFen: plan.totalPaidFen,
    waived,
    waivedFen: debtTotalFen(waived),
    shareOfDisposableIncome: share,
    completionLikelihood: likelihood,
    recoveryValueFen: recoveryValue(
      flows,
      policy.discountRateAnnual,
      likelihood,
    ),
    policyBreaches: breaches,
    withinPolicy: breaches.length === 0,
    schedule: plan.schedule,
  });
}

/**
 * The shortest term in `from..to` whose installments stay under half the
 * disposable income; the longest one when none does.
 */
function affordable(
  c: NegotiationCase,
  base: Omit<PlanTerms, 'months'>,
  from: number,
  to: number,
  policy: NegotiationPolicy,
): NegotiatedPlan | undefined {
  const disposable = disposableFen(c);
  const targetFen =
    disposable > 0n
      ? divRound(
          disposable * TARGET_SHARE.numerator,
          TARGET_SHARE.denominator,
          'down',
        )
      : -1n;
  let chosen: number | undefined;
  for (let months = from; months <= to; months += 1) {
    const built = engineSchedule(c, { ...base, months });
    if (!built.ok) continue;
    chosen = months;
    let heaviest = 0n;
    for (const row of built.value.plan.schedule.installments)
      if (row.paymentFen > heaviest) heaviest = row.paymentFen;
    if (heaviest <= targetFen) break;
  }
  if (chosen === undefined) return undefined;
  const plan = buildPlan(c, { ...base, months: chosen }, policy);
  return plan.ok ? plan.value : undefined;
}

const NO_SHARE = rate(0n, 1n);

/** The plans the policy allows for this case (one per kind), unranked. */
export function proposePlans(
  c: NegotiationCase,
  policy: NegotiationPolicy,
): NegotiatedPlan[] {
  const cap = monthsCap(policy);
  const plain = {
    penaltyWaiver: NO_SHARE,
    interestWaiver: NO_SHARE,
    discount: NO_SHARE,
  };
  const plans: (NegotiatedPlan | undefined)[] = [
    affordable(c, { ...plain, kind: 'reamortize' }, 1, cap, policy),
    affordable(c, { ...plain, kind: 'stop_interest' }, 1, cap, policy),
  ];
  const canWaive =
    (policy.maxPenaltyWaiver.numerator > 0n && c.debt.penaltyFen > 0n) ||
    (policy.maxInterestWaiver.numerator > 0n && c.debt.interestFen > 0n);
  if (canWaive)
    plans.push(
      affordable(
        c,
        {
          ...plain,
          kind: 'waiver',
          penaltyWaiver: policy.maxPenaltyWaiver,
          interestWaiver: policy.maxInterestWaiver,
        },
        1,
        cap,
        policy,
      ),
    );
  if (policy.settlementDiscountMax.numerator > 0n) {
    const built = buildPlan(
      c,
      {
        ...plain,
        kind: 'settlement',
        months: 1,
        discount: policy.settlementDiscountMax,
      },
      policy,
    );
    if (built.ok) plans.push(built.value);
  }
  const remaining = c.loan.remainingPeriods;
  const extensionMax = Math.min(
    extensionMonthsMax(DEFAULT_RESTRUCTURING_POLICY, c.loan.originalTermMonths),
    cap - remaining,
  );
  if (remaining > 0 && extensionMax >= 1 && c.debt.principalFen > 0n)
    plans.push(
      affordable(
        c,
        { ...plain, kind: 'extension' },
        remaining + 1,
        remaining + extensionMax,
        policy,
      ),
    );
  return plans.filter((plan): plan is NegotiatedPlan => plan !== undefined);
}

/**
 * Ranks plans: within policy first, then by the institution's recovery
 * value (higher first), then by what the customer pays (lower first).
 */
export function rankPlans(plans: readonly NegotiatedPlan[]): RankedPlan[] {
  const order = [...plans].sort((a, b) => {
    if (a.withinPolicy !== b.withinPolicy) return a.withinPolicy ? -1 : 1;
    if (a.recoveryValueFen !== b.recoveryValueFen)
      return a.recoveryValueFen > b.recoveryValueFen ? -1 : 1;
    if (a.totalPaidFen !== b.totalPaidFen)
      return a.totalPaidFen < b.totalPaidFen ? -1 : 1;
    return PLAN_KINDS.indexOf(a.kind) - PLAN_KINDS.indexOf(b.kind);
  });
  return order.map((plan, index) => ({ ...plan, rank: index + 1 }));
}

/** Proposes and ranks; empty when nothing is owed. */
export function negotiate(
  c: NegotiationCase,
  policy: NegotiationPolicy,
): RankedPlan[] {
  if (debtTotalFen(c.debt) <= 0n) return [];
  return rankPlans(proposePlans(c, policy));
}
