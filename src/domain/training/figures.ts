// The simulated customer checks the figures a trainee states against what
// its own account shows, as the loan engine computes them: amounts (exact
// fen, within the rounding the trainee wrote), due dates, and rates (exact
// millionths, in the period the rate word names).

import { formatFen } from '../../contracts/money.js';
import { isGrounded } from '../compliance/amounts.js';
import type { CalendarDate } from '../shared/calendar-date.js';
import type { AgentReading, StatedRate } from './read-agent-message.js';

/** Annual rates in millionths: the persona's loans, and the products' ranges. */
export type RateTruth = {
  /** Contract rate and APR of each of the persona's loans. */
  readonly loansMicros: readonly bigint[];
  /** [min, max] of each product of the catalogue. */
  readonly rangesMicros: readonly (readonly [bigint, bigint])[];
};

/** What the persona's accounts show; empty lists when it has none. */
export type PersonaLedger = {
  /** Installments, balance, payoff, overdue, plans, applied amounts (fen). */
  readonly amountsFen: readonly bigint[];
  /** Due dates and submission dates. */
  readonly dates: readonly CalendarDate[];
  readonly rates: RateTruth;
};

export type FigureEvent =
  | { readonly type: 'amount_confirmed'; readonly amount: string }
  | { readonly type: 'amount_disputed'; readonly amount: string }
  | { readonly type: 'rate_confirmed'; readonly rate: string }
  | { readonly type: 'rate_disputed'; readonly rate: string }
  | { readonly type: 'date_confirmed'; readonly date: string }
  | { readonly type: 'date_disputed'; readonly date: string };

export type FigureCheck = {
  readonly events: readonly FigureEvent[];
  /** At least one amount stated, and the account shows it. */
  readonly amountConfirmed: boolean;
  /** Some amount, date or rate the account does not show. */
  readonly disputed: boolean;
};

// What a rate of each period is multiplied by to make it annual.
const TO_ANNUAL: Readonly<Record<StatedRate['period'], readonly bigint[]>> = {
  annual: [1n],
  monthly: [12n],
  daily: [360n, 365n],
  unsaid: [1n, 12n, 360n, 365n],
};

function near(value: bigint, target: bigint, tolerance: bigint): boolean {
  return (value > target ? value - target : target - value) <= tolerance;
}

/**
 * A quoted rate is true when it is one of the persona's loan rates, or lies
 * inside a product's range, to the precision the trainee wrote — as the
 * annual, monthly (×12) or daily (×360, ×365) rate its word names, or any of
 * them when no word does.
 */
export function rateIsTrue(rate: StatedRate, truth: RateTruth): boolean {
  const multipliers = TO_ANNUAL[rate.period];
  for (const annual of truth.loansMicros)
    for (const divisor of multipliers)
      if (
        near(
          rate.micros * divisor,
          annual,
          rate.toleranceMicros * divisor + divisor / 2n,
        )
      )
        return true;
  return truth.rangesMicros.some(([min, max]) =>
    multipliers.some(
      (divisor) =>
        (rate.micros + rate.toleranceMicros) * divisor >= min &&
        (rate.micros - rate.toleranceMicros) * divisor <= max,
    ),
  );
}

/**
 * Every figure of the message against the ledger. Amounts and dates are
 * checked only when the persona has an account; rates also against the
 * catalogue.
 */
export function checkFigures(
  reading: AgentReading,
  ledger: PersonaLedger,
): FigureCheck {
  const events: FigureEvent[] = [];
  let amountConfirmed = false;
  let disputed = false;
  if (ledger.amountsFen.length > 0)
    for (const amount of reading.amountsFen) {
      const shown = formatFen(amount.fen);
      const right = isGrounded(amount, ledger.amountsFen);
      amountConfirmed ||= right;
      disputed ||= !right;
      events.push({
        type: right ? 'amount_confirmed' : 'amount_disputed',
        amount: shown,
      });
    }
  if (ledger.dates.length > 0)
    for (const date of reading.dates) {
      const right = ledger.dates.includes(date);
      disputed ||= !right;
      events.push({ type: right ? 'date_confirmed' : 'date_disputed', date });
    }
  for (const rate of reading.rates) {
    const right = rateIsTrue(rate, ledger.rates);
    disputed ||= !right;
    events.push({
      type: right ? 'rate_confirmed' : 'rate_disputed',
      rate: rate.text,
    });
  }
  return { events, amountConfirmed, disputed };
}

/** No figures read (a blocked message is not listened to). */
export const NO_FIGURES: FigureCheck = {
  events: [],
  amountConfirmed: false,
  disputed: false,
};
