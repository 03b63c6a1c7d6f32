import { type CashFlow, compoundRate, solveIrr } from '../money/irr.js';
import { isZeroRate, multiplyRate, type Rate, rate } from '../money/rate.js';
import { daysBetween } from '../shared/calendar-date.js';
import { upfrontFeeFen } from './schedule/build-schedule.js';
import { isFirstPeriodBroken } from './schedule/due-dates.js';
import type { Schedule } from './schedule/types.js';

/**
 * The annualised cost of a loan as Chinese disclosure rules ask for it: the
 * IRR of the borrower's real cash flows (the amount actually received, net of
 * upfront fees, then every installment with its fees and every prepayment).
 * Basis: regulations.md DIS-01, 中国人民银行公告〔2021〕第3号 — the annualised
 * rate is the total cost (interest and loan-related fees) over the principal
 * actually received; IRR (compound) or simple methods are both allowed.
 */
export type Apr = {
  readonly irrMonthly: Rate;
  /** Monthly IRR × 12 (the "年化利率（单利）" most disclosures show). */
  readonly aprNominal: Rate;
  /** (1 + monthly IRR)^12 − 1. */
  readonly aprEffective: Rate;
  /** Monthly IRR of the real cash flows × 12, before the contract-rate rule. */
  readonly irrAprNominal: Rate;
};

/** The time of the first installment in months (fractional when broken). */
function firstOffsetMonths(schedule: Schedule): Rate {
  const terms = schedule.terms;
  const first = schedule.installments[0];
  if (first === undefined) return rate(1n, 1n);
  if (
    terms.method === 'bullet' &&
    !isFirstPeriodBroken(terms) &&
    terms.firstDueDate === undefined
  ) {
    return rate(BigInt(terms.termMonths), 1n);
  }
  if (!isFirstPeriodBroken(terms) && terms.method !== 'bullet')
    return rate(1n, 1n);
  // A broken period counts its actual days in months of 365/12 days.
  return rate(BigInt(daysBetween(terms.startDate, first.dueDate)) * 12n, 365n);
}

export function cashFlows(schedule: Schedule): CashFlow[] {
  const received = schedule.terms.principalFen - upfrontFeeFen(schedule.terms);
  const flows: CashFlow[] = [{ periodIndex: 0, amountFen: -received }];
  for (const installment of schedule.installments) {
    flows.push({
      periodIndex: installment.n,
      amountFen: installment.paymentFen,
    });
  }
  for (const prepayment of schedule.prepayments) {
    flows.push({
      periodIndex: prepayment.afterPeriod,
      amountFen: prepayment.amountFen,
    });
  }
  return flows;
}

/**
 * True when the borrower's cash flows are the contract rate's by construction:
 * no fees, declining-balance interest, no installment rounding coarser than a
 * fen, and a day count whose year of interest is the annual rate. Rounding to
 * the fen then moves each flow by under half a fen, which on a small loan
 * shifts a raw IRR in the 4th digit (100 yuan at 7 % → 7.012 %); disclosing
 * that artefact as the loan's cost would mislead, so the APR is the rate.
 */
export function isContractRateApr(schedule: Schedule): boolean {
  const terms = schedule.terms;
  return (
    terms.fees.length === 0 &&
    terms.paymentMultipleFen === 1n &&
    terms.method !== 'flat' &&
    terms.dayCount !== 'actual/360'
  );
}

/** Solves the APR of a schedule; undefined only if no IRR exists. */
export function computeApr(schedule: Schedule): Apr | undefined {
  const monthlyNominal = multiplyRate(schedule.terms.rateAnnual, rate(1n, 12n));
  const irr = solveScheduleIrr(schedule);
  if (irr === undefined) return undefined;
  const irrMonthly = isContractRateApr(schedule) ? monthlyNominal : irr;
  return {
    irrMonthly,
    aprNominal: multiplyRate(irrMonthly, rate(12n, 1n)),
    aprEffective: compoundRate(irrMonthly, 12),
    irrAprNominal: multiplyRate(irr, rate(12n, 1n)),
  };
}

/** The monthly IRR of the schedule's real cash flows. */
export function solveScheduleIrr(schedule: Schedule): Rate | undefined {
  const monthlyNominal = multiplyRate(schedule.terms.rateAnnual, rate(1n, 12n));
  const guess = isZeroRate(monthlyNominal) ? rate(1n, 1000n) : monthlyNominal;
  return solveIrr(cashFlows(schedule), guess, firstOffsetMonths(schedule))
    ?.irrPerPeriod;
}
