import { type Fen, fen, ZERO_FEN } from '../../money/fen.js';
import { type Rate, rate } from '../../money/rate.js';
import { addMonths, type CalendarDate } from '../../shared/calendar-date.js';
import { err, ok, type Result } from '../../shared/result.js';
import { buildSchedule } from '../schedule/build-schedule.js';
import type {
  LoanTerms,
  RepaymentMethod,
  Schedule,
} from '../schedule/types.js';
import { type Debt, debtTotalFen } from './debt.js';
import { extensionMonthsMax, type RestructuringPolicy } from './policy.js';

export type RestructuringKind =
  | 'extension'
  | 'reamortization'
  | 'stop_interest';

export type RestructuringError = {
  readonly code:
    | 'restructure.months_exceed_policy'
    | 'restructure.months_out_of_range'
    | 'restructure.nothing_owed'
    | 'restructure.schedule_refused';
  readonly detail: string;
  readonly monthsMax?: number;
};

/** A restructured debt: what is paid at signing and the new schedule. */
export type RestructuringPlan = {
  readonly kind: RestructuringKind;
  readonly months: number;
  /** Amount folded into the new schedule's principal. */
  readonly capitalizedFen: Fen;
  /** Paid when the agreement is signed (what is not capitalised). */
  readonly dueAtSigningFen: Fen;
  readonly schedule: Schedule;
  readonly firstPaymentFen: Fen;
  /** The regular installment (the first one for a varying schedule). */
  readonly monthlyPaymentFen: Fen;
  /** Due at signing plus every installment. */
  readonly totalPaidFen: Fen;
};

type PlanInput = {
  readonly debt: Debt;
  readonly months: number;
  readonly startDate: CalendarDate;
  readonly rounding: LoanTerms['rounding'];
};

function planFrom(
  kind: RestructuringKind,
  input: PlanInput,
  capitalizedFen: Fen,
  method: RepaymentMethod,
  rateAnnual: Rate,
): Result<RestructuringPlan, RestructuringError> {
  if (capitalizedFen <= 0n)
    return err({
      code: 'restructure.nothing_owed',
      detail: 'no balance to restructure',
    });
  const built = buildSchedule({
    principalFen: capitalizedFen,
    rateAnnual,
    termMonths: input.months,
    method,
    startDate: input.startDate,
    firstDueDate: addMonths(input.startDate, 1),
    dayCount: '30/360',
    rounding: input.rounding,
    paymentMultipleFen: fen(1n),
    interestOnlyPeriods: 0,
    fees: [],
    prepayments: [],
  });
  if (!built.ok)
    return err({
      code: 'restructure.schedule_refused',
      detail: built.error.detail,
    });
  const schedule = built.value;
  const dueAtSigningFen = fen(debtTotalFen(input.debt) - capitalizedFen);
  const first = schedule.installments[0]?.paymentFen ?? ZERO_FEN;
  return ok({
    kind,
    months: input.months,
    capitalizedFen,
    dueAtSigningFen,
    schedule,
    firstPaymentFen: first,
    monthlyPaymentFen: schedule.paymentFen ?? first,
    totalPaidFen: fen(dueAtSigningFen + schedule.totalPaidFen),
  });
}

function checkMonths(
  months: number,
  monthsMax: number,
): RestructuringError | undefined {
  if (!Number.isInteger(months) || months < 1)
    return {
      code: 'restructure.months_out_of_range',
      detail: 'months must be a whole number of at least 1',
    };
  if (months > monthsMax)
    return {
      code: 'restructure.months_exceed_policy',
      detail: `at most ${monthsMax} months`,
      monthsMax,
    };
  return undefined;
}

/**
 * 展期 extension: the remaining principal is re-scheduled over the remaining
 * periods plus `extensionMonths`, keeping the method and rate; overdue
 * interest, fees and penalty are due at signing.
 */
export function extendLoan(
  input: PlanInput & {
    readonly remainingPeriods: number;
    readonly originalTermMonths: number;
    readonly method: RepaymentMethod;
    readonly rateAnnual: Rate;
  },
  policy: RestructuringPolicy,
): Result<RestructuringPlan, RestructuringError> {
  const extension = input.months - input.remainingPeriods;
  const failure = checkMonths(
    extension,
    extensionMonthsMax(policy, input.originalTermMonths),
  );
  if (failure !== undefined)
    return err({ ...failure, detail: `extension: ${failure.detail}` });
  return planFrom(
    'extension',
    input,
    input.debt.principalFen,
    input.method,
    input.rateAnnual,
  );
}

/**
 * 个性化分期 re-amortisation: the whole debt (after any waiver) becomes a new
 * equal-installment loan of up to the policy maximum (60 months).
 */
export function reamortize(
  input: PlanInput & { readonly rateAnnual: Rate },
  policy: RestructuringPolicy,
): Result<RestructuringPlan, RestructuringError> {
  const failure = checkMonths(input.months, policy.reamortizationMonthsMax);
  if (failure !== undefined) return err(failure);
  return planFrom(
    'reamortization',
    input,
    debtTotalFen(input.debt),
    'equal_installment',
    input.rateAnnual,
  );
}

/**
 * 停息挂账 stop-interest installments: the debt (after any waiver) stops
 * bearing interest and penalty and is repaid in equal parts.
 */
export function stopInterestInstallments(
  input: PlanInput,
  policy: RestructuringPolicy,
): Result<RestructuringPlan, RestructuringError> {
  const failure = checkMonths(input.months, policy.reamortizationMonthsMax);
  if (failure !== undefined) return err(failure);
  return planFrom(
    'stop_interest',
    input,
    debtTotalFen(input.debt),
    'equal_principal',
    rate(0n, 1n),
  );
}
