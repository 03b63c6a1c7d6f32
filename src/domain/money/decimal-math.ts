// decimal.js lives only in domain/money (STYLE §3): for what integers cannot
// do exactly, such as fractional powers and IRR. Results leave this folder as
// exact ratios or fen, rounded once.
import { Decimal } from 'decimal.js';

// 40 significant digits: an IRR solved to 1e-24 is then exact in every digit
// this product prints (rates to 1e-6, amounts to the fen).
export const DecimalCtx = Decimal.clone({
  precision: 40,
  rounding: Decimal.ROUND_HALF_UP,
});
export type DecimalValue = InstanceType<typeof DecimalCtx>;
