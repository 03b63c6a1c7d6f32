// A product's annualised rate range for a given need, computed by the loan
// engine: the schedule at the lowest and highest catalogue rate, upfront fee
// included, then its APR. Basis: regulations.md DIS-01 (中国人民银行公告
// 〔2021〕第3号) — every rate shown to a borrower is the annualised rate.
import type { Product } from '../../catalogue/product.js';
import { buildSchedule } from '../../loan/schedule/build-schedule.js';
import type { Fee, Schedule } from '../../loan/schedule/types.js';
import { type Fen, fen, maxFen, minFen } from '../../money/fen.js';
import type { Rate } from '../../money/rate.js';
import type { CalendarDate } from '../../shared/calendar-date.js';
import { annualisedRate } from './loan-facts.js';

export type ProductOffer = {
  readonly product: Product;
  readonly aprMin: Rate;
  readonly aprMax: Rate;
  /** The installment at the highest rate (the prudent affordability figure). */
  readonly paymentFenMax: Fen | undefined;
};

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function scheduleAt(
  product: Product,
  rateAnnual: Rate,
  principalFen: Fen,
  termMonths: number,
  today: CalendarDate,
): Schedule | undefined {
  const fees: Fee[] =
    product.upfrontFeeFen > 0n
      ? [{ kind: 'upfront', amountFen: product.upfrontFeeFen }]
      : [];
  const built = buildSchedule({
    principalFen,
    rateAnnual,
    termMonths,
    method: product.methods[0] ?? 'equal_installment',
    startDate: today,
    dayCount: '30/360',
    rounding: 'half_up',
    paymentMultipleFen: fen(1n),
    interestOnlyPeriods: 0,
    fees,
    prepayments: [],
  });
  return built.ok ? built.value : undefined;
}

/**
 * The offer for a need; without one, the product's smallest amount and
 * shortest term stand in (the rate range is what the customer asked for).
 */
export function productOffer(
  product: Product,
  need: { amountFen?: Fen; termMonths?: number },
  today: CalendarDate,
): ProductOffer {
  const amountFen =
    need.amountFen === undefined
      ? product.amountFenMin
      : maxFen(
          product.amountFenMin,
          minFen(need.amountFen, product.amountFenMax),
        );
  const termMonths = clamp(
    need.termMonths ?? product.termMonthsMin,
    product.termMonthsMin,
    product.termMonthsMax,
  );
  const low = scheduleAt(
    product,
    product.rateAnnualMin,
    amountFen,
    termMonths,
    today,
  );
  const high = scheduleAt(
    product,
    product.rateAnnualMax,
    amountFen,
    termMonths,
    today,
  );
  return {
    product,
    aprMin: low === undefined ? product.rateAnnualMin : annualisedRate(low),
    aprMax: high === undefined ? product.rateAnnualMax : annualisedRate(high),
    paymentFenMax: high?.installments[0]?.paymentFen,
  };
}
