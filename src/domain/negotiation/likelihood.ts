import { type Fen, fen } from '../money/fen.js';
import { type Rate, rate } from '../money/rate.js';
import { divRound } from '../money/rounding.js';
import { assert } from '../shared/assert.js';

// How likely a customer in difficulty is to complete a plan, and what the
// plan is worth to the institution today. Deliberately simple and readable
// (a collector must be able to explain it): the only input is the plan's
// heaviest single payment as a share of the customer's disposable income
// (income minus essential expenses).
//
//   share ≤ 30 %           → 95 %  (comfortable)
//   30 % < share ≤ 100 %   → falls linearly from 95 % to 20 %
//   share > 100 %          → 20 % / share²  (needs money from elsewhere)
//   no disposable income   → 5 %
//
// The knots are judgement, not a fitted model; they live here so a change
// is one reviewed edit. docs/negotiation.md explains them.

export const COMFORTABLE_SHARE = rate(3n, 10n);
export const LIKELIHOOD_COMFORTABLE = rate(19n, 20n);
export const LIKELIHOOD_AT_FULL_INCOME = rate(1n, 5n);
export const LIKELIHOOD_NO_INCOME = rate(1n, 20n);

/** The share `paymentFen / disposableFen`; undefined without disposable income. */
export function shareOfDisposable(
  paymentFen: Fen,
  disposableFen: bigint,
): Rate | undefined {
  assert(paymentFen >= 0n, 'shareOfDisposable: negative payment');
  if (disposableFen <= 0n) return undefined;
  return rate(paymentFen, disposableFen);
}

/** Completion likelihood (an exact ratio in 0..1) for a payment share. */
export function completionLikelihood(share: Rate | undefined): Rate {
  if (share === undefined) return LIKELIHOOD_NO_INCOME;
  const a = share.numerator;
  const b = share.denominator;
  // share ≤ 3/10  ⇔  10a ≤ 3b
  if (10n * a <= 3n * b) return LIKELIHOOD_COMFORTABLE;
  // The line through (0.3, 0.95) and (1, 0.2): p = (178b − 150a) / (140b).
  if (a <= b) return rate(178n * b - 150n * a, 140n * b);
  // Squared, so that the expected amount (likelihood × payment) still falls
  // as a payment grows beyond what the income can carry.
  return rate(b * b, 5n * a * a);
}

/** A payment `monthsFromSigning` months after signing (0 = at signing). */
export type CashFlow = {
  readonly monthsFromSigning: number;
  readonly amountFen: Fen;
};

/**
 * Present value at `discountRateAnnual` (compounded monthly), weighted by
 * `likelihood`: Σ amount_k / (1 + r/12)^k × p, computed as one exact
 * fraction and rounded once, half-up, to the fen.
 */
export function recoveryValue(
  flows: readonly CashFlow[],
  discountRateAnnual: Rate,
  likelihood: Rate,
): Fen {
  assert(flows.length > 0, 'recoveryValue: no cash flows');
  const base = 12n * discountRateAnnual.denominator;
  const grown = base + discountRateAnnual.numerator;
  let last = 0;
  for (const flow of flows) {
    assert(
      Number.isInteger(flow.monthsFromSigning) && flow.monthsFromSigning >= 0,
      'recoveryValue: month index',
    );
    if (flow.monthsFromSigning > last) last = flow.monthsFromSigning;
  }
  // amount × base^k × grown^(K−k) over grown^K: every term on one denominator.
  let numerator = 0n;
  for (const flow of flows) {
    const k = BigInt(flow.monthsFromSigning);
    numerator += flow.amountFen * base ** k * grown ** (BigInt(last) - k);
  }
  const denominator = grown ** BigInt(last);
  return fen(
    divRound(
      numerator * likelihood.numerator,
      denominator * likelihood.denominator,
      'half_up',
    ),
  );
}
