import type { PrepaymentFeeTerms } from '../loan/early-repayment/prepayment-fee.js';
import type { RepaymentMethod } from '../loan/schedule/types.js';
import type { Fen } from '../money/fen.js';
import type { Rate } from '../money/rate.js';

/** A loan product of the catalogue (产品目录), as the bot and agents quote it. */
export type Product = {
  readonly code: string;
  readonly nameZh: string;
  readonly summaryZh: string;
  readonly purposes: readonly string[];
  readonly methods: readonly RepaymentMethod[];
  readonly rateAnnualMin: Rate;
  readonly rateAnnualMax: Rate;
  readonly amountFenMin: Fen;
  readonly amountFenMax: Fen;
  readonly termMonthsMin: number;
  readonly termMonthsMax: number;
  readonly upfrontFeeFen: Fen;
  readonly prepaymentFeeZh: string;
  /** The early-repayment fee the ledger charges (copied onto each loan); none if absent. */
  readonly prepaymentFee?: PrepaymentFeeTerms;
  readonly eligibilityZh: readonly string[];
  readonly materialsZh: readonly string[];
};

/** Products that fit an amount, a term and a purpose (any left undefined). */
export function eligibleProducts(
  catalogue: readonly Product[],
  need: {
    readonly amountFen?: Fen;
    readonly termMonths?: number;
    readonly purpose?: string;
  },
): Product[] {
  return catalogue.filter(
    (p) =>
      (need.amountFen === undefined ||
        (need.amountFen >= p.amountFenMin &&
          need.amountFen <= p.amountFenMax)) &&
      (need.termMonths === undefined ||
        (need.termMonths >= p.termMonthsMin &&
          need.termMonths <= p.termMonthsMax)) &&
      (need.purpose === undefined || p.purposes.includes(need.purpose)),
  );
}
