// The loan engine's answers in wire form, shared by the CLI commands and the
// HTTP calculator routes: parse the request, call the domain, format.
import type {
  PayoffOutput,
  PrepayOutput,
  RestructureOutput,
  ScheduleOutput,
} from '../../contracts/loan.js';
import { formatFen } from '../../contracts/money.js';
import { computeApr } from '../../domain/loan/apr.js';
import { prepayPartially } from '../../domain/loan/early-repayment/partial-prepayment.js';
import { payoffQuote } from '../../domain/loan/early-repayment/payoff.js';
import { outstandingAt } from '../../domain/loan/early-repayment/position.js';
import { type Debt, waive } from '../../domain/loan/restructuring/debt.js';
import {
  extendLoan,
  type RestructuringError,
  type RestructuringPlan,
  reamortize,
  stopInterestInstallments,
} from '../../domain/loan/restructuring/plans.js';
import { DEFAULT_RESTRUCTURING_POLICY } from '../../domain/loan/restructuring/policy.js';
import { buildSchedule } from '../../domain/loan/schedule/build-schedule.js';
import { fen } from '../../domain/money/fen.js';
import type { CalendarDate } from '../../domain/shared/calendar-date.js';
import type { Result } from '../../domain/shared/result.js';
import { InputError, type JsonObject } from './input-error.js';
import {
  formatDebt,
  parseFeePolicy,
  parsePosition,
  readMode,
} from './position-codec.js';
import {
  formatSchedule,
  parseLoanTerms,
  readChoice,
  readInteger,
  readRate,
  readYuan,
} from './schedule-codec.js';

/** Builds the contract's output for one request, or throws InputError. */
export function scheduleAnswer(
  input: JsonObject,
  today: CalendarDate,
): ScheduleOutput {
  const terms = parseLoanTerms(input, today);
  const built = buildSchedule(terms);
  if (!built.ok)
    throw new InputError(`${built.error.field}: ${built.error.detail}`);
  return formatSchedule(built.value, computeApr(built.value));
}

/** 一次性结清: what settles the loan in full on `as_of`, by component. */
export function payoffAnswer(
  input: JsonObject,
  today: CalendarDate,
): PayoffOutput {
  const position = parsePosition(input, today);
  const penaltyFen =
    input.penalty === undefined
      ? undefined
      : readYuan(input.penalty, 'penalty');
  const quote = payoffQuote(position, {
    feePolicy: parseFeePolicy(input.prepayment_fee),
    ...(penaltyFen === undefined ? {} : { penaltyFen }),
  });
  if (!quote.ok) throw new InputError(`as_of: ${quote.error.detail}`);
  const q = quote.value;
  return {
    as_of: q.asOf,
    principal: formatFen(q.principalFen),
    interest: formatFen(q.interestFen),
    accrued_interest: formatFen(q.accruedInterestFen),
    fee: formatFen(q.feeFen),
    penalty: formatFen(q.penaltyFen),
    prepayment_fee: formatFen(q.prepaymentFeeFen),
    total: formatFen(q.totalFen),
    interest_saved: formatFen(q.interestSavedFen),
  };
}

/** 提前部分还款: pay part of the principal now; keep the term or the installment. */
export function prepayAnswer(
  input: JsonObject,
  today: CalendarDate,
): PrepayOutput {
  const position = parsePosition(input, today);
  const result = prepayPartially(position, {
    amountFen: readYuan(input.amount, 'amount'),
    mode: readMode(input.mode),
    feePolicy: parseFeePolicy(input.prepayment_fee),
  });
  if (!result.ok) throw new InputError(`amount: ${result.error.detail}`);
  const r = result.value;
  return {
    amount: formatFen(r.amountFen),
    interest_due_now: formatFen(r.interestDueNowFen),
    prepayment_fee: formatFen(r.prepaymentFeeFen),
    pay_now: formatFen(r.payNowFen),
    interest_saved: formatFen(r.interestSavedFen),
    new_payment:
      r.newPaymentFen === undefined ? null : formatFen(r.newPaymentFen),
    periods_left: r.periodsLeft,
    schedule: formatSchedule(r.schedule, computeApr(r.schedule)),
  };
}

const OPTIONS = ['extension', 'reamortization', 'stop_interest'] as const;

function readWaiver(value: unknown) {
  const w = (value ?? {}) as JsonObject;
  return {
    penaltyShare: readRate(w.penalty ?? 0, 'waiver.penalty'),
    interestShare: readRate(w.interest ?? 0, 'waiver.interest'),
    feeShare: readRate(w.fee ?? 0, 'waiver.fee'),
    principalFen: readYuan(w.principal ?? 0, 'waiver.principal'),
  };
}

function plan(
  input: JsonObject,
  today: CalendarDate,
  debt: Debt,
): Result<RestructuringPlan, RestructuringError> {
  const position = parsePosition(input, today);
  const terms = position.schedule.terms;
  const option = readChoice(input.option, 'option', OPTIONS);
  const months = readInteger(input.months, 'months', 1, 360);
  const common = {
    debt,
    months,
    startDate: position.asOf,
    rounding: terms.rounding,
  };
  const policy = DEFAULT_RESTRUCTURING_POLICY;
  if (option === 'stop_interest')
    return stopInterestInstallments(common, policy);
  if (option === 'reamortization') {
    const rateAnnual =
      input.rate === undefined
        ? terms.rateAnnual
        : readRate(input.rate, 'rate');
    return reamortize({ ...common, rateAnnual }, policy);
  }
  const remainingPeriods =
    position.schedule.installments.length - position.paidPeriods;
  return extendLoan(
    {
      ...common,
      remainingPeriods,
      originalTermMonths: terms.termMonths,
      method: terms.method,
      rateAnnual: terms.rateAnnual,
    },
    policy,
  );
}

/** 协商还款: a restructuring of the debt on `as_of`, after any waiver. */
export function restructureAnswer(
  input: JsonObject,
  today: CalendarDate,
): RestructureOutput {
  const position = parsePosition(input, today);
  const outstanding = outstandingAt(position);
  const debt: Debt = {
    principalFen: outstanding.principalFen,
    interestFen: outstanding.interestFen,
    feeFen: outstanding.feeFen,
    penaltyFen:
      input.penalty === undefined
        ? fen(0n)
        : readYuan(input.penalty, 'penalty'),
  };
  const waived = waive(
    debt,
    readWaiver(input.waiver),
    DEFAULT_RESTRUCTURING_POLICY,
  );
  if (!waived.ok)
    throw new InputError(
      `waiver.${waived.error.component}: ${waived.error.detail}`,
    );
  const result = plan(input, today, waived.value.after);
  if (!result.ok) throw new InputError(`months: ${result.error.detail}`);
  const p = result.value;
  return {
    kind: p.kind,
    months: p.months,
    debt: formatDebt(debt),
    waived: formatDebt(waived.value.waived),
    capitalized: formatFen(p.capitalizedFen),
    due_at_signing: formatFen(p.dueAtSigningFen),
    first_payment: formatFen(p.firstPaymentFen),
    monthly_payment: formatFen(p.monthlyPaymentFen),
    total_paid: formatFen(p.totalPaidFen),
    schedule: formatSchedule(p.schedule, computeApr(p.schedule)),
  };
}
