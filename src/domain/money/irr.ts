import { assert } from '../shared/assert.js';
import { IRR_ITERATIONS_MAX } from '../shared/limits.js';
import { DecimalCtx, type DecimalValue } from './decimal-math.js';
import { type Rate, rate } from './rate.js';

/**
 * A cash flow at `periodIndex` whole periods after the first flow, shifted
 * by `offset` (see `solveIrr`). Positive amounts flow to the lender.
 */
export type CashFlow = {
  readonly periodIndex: number;
  readonly amountFen: bigint;
};

export type IrrResult = {
  /** Periodic IRR, exact to 1e-24 and kept as a ratio. */
  readonly irrPerPeriod: Rate;
  readonly iterations: number;
};

// Stop when a Newton step moves the rate by less than this.
const TOLERANCE = new DecimalCtx('1e-28');
const RATIO_SCALE = 10n ** 30n;

/**
 * Solves Σ amount_k · (1 + x)^−(t_k) = 0 for the periodic rate x, where the
 * flow at index 0 is at time 0 and the flow at index k ≥ 1 is at time
 * k − 1 + `firstOffset` (a broken first period is a fraction of a period).
 * Newton's method from `guess`, in 40-digit decimals, bounded by
 * IRR_ITERATIONS_MAX; returns undefined when no rate above −100 % exists.
 */
export function solveIrr(
  flows: readonly CashFlow[],
  guess: Rate,
  firstOffset: Rate = rate(1n, 1n),
): IrrResult | undefined {
  assert(flows.length >= 2, 'irr: need at least two cash flows');
  const offset = new DecimalCtx(firstOffset.numerator.toString()).div(
    firstOffset.denominator.toString(),
  );
  const amounts = denseAmounts(flows);
  let x = new DecimalCtx(guess.numerator.toString()).div(
    guess.denominator.toString(),
  );
  for (let iteration = 1; iteration <= IRR_ITERATIONS_MAX; iteration += 1) {
    const { value, derivative } = npv(amounts, x, offset);
    if (derivative.isZero()) return undefined;
    const step = value.div(derivative);
    x = x.minus(step);
    if (x.lte(-1)) return undefined;
    if (step.abs().lt(TOLERANCE)) {
      const scaled = BigInt(
        x.times(RATIO_SCALE.toString()).toDecimalPlaces(0).toFixed(0),
      );
      return { irrPerPeriod: ratioOf(scaled), iterations: iteration };
    }
  }
  return undefined;
}

function ratioOf(scaled: bigint): Rate {
  return scaled >= 0n
    ? rate(scaled, RATIO_SCALE)
    : { numerator: scaled, denominator: RATIO_SCALE };
}

function denseAmounts(flows: readonly CashFlow[]): DecimalValue[] {
  let last = 0;
  for (const flow of flows) last = Math.max(last, flow.periodIndex);
  const amounts: DecimalValue[] = Array.from(
    { length: last + 1 },
    () => new DecimalCtx(0),
  );
  for (const flow of flows) {
    assert(
      Number.isInteger(flow.periodIndex) && flow.periodIndex >= 0,
      'irr: bad period index',
    );
    amounts[flow.periodIndex] = (
      amounts[flow.periodIndex] as DecimalValue
    ).plus(flow.amountFen.toString());
  }
  return amounts;
}

// NPV and its derivative by Horner's rule in v = 1/(1+x):
// f(x) = a_0 + v^offset · Σ_{k≥1} a_k v^(k−1).
function npv(
  amounts: readonly DecimalValue[],
  x: DecimalValue,
  offset: DecimalValue,
) {
  const v = new DecimalCtx(1).div(x.plus(1));
  let poly = new DecimalCtx(0);
  let polyDerivative = new DecimalCtx(0); // d/dv of the polynomial
  for (let k = amounts.length - 1; k >= 1; k -= 1) {
    polyDerivative = polyDerivative.times(v).plus(poly);
    poly = poly.times(v).plus(amounts[k] as DecimalValue);
  }
  const vOffset = v.pow(offset);
  const a0 = amounts[0] as DecimalValue;
  const value = a0.plus(vOffset.times(poly));
  // d/dv [v^c · P(v)] = c·v^(c−1)·P + v^c·P'; dv/dx = −v².
  const dValueDv = offset
    .times(vOffset.div(v))
    .times(poly)
    .plus(vOffset.times(polyDerivative));
  const derivative = dValueDv.times(v.times(v)).neg();
  return { value, derivative };
}

/** (1 + r)^periods − 1 for a periodic rate, as a ratio exact to 1e-30. */
export function compoundRate(perPeriod: Rate, periods: number): Rate {
  const r = new DecimalCtx(perPeriod.numerator.toString()).div(
    perPeriod.denominator.toString(),
  );
  const value = r.plus(1).pow(periods).minus(1);
  return ratioOf(
    BigInt(value.times(RATIO_SCALE.toString()).toDecimalPlaces(0).toFixed(0)),
  );
}
