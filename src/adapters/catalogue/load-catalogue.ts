// Loads and validates the product catalogue (content/catalogue/products.yaml)
// at start-up: a malformed catalogue stops the process with the field named.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse } from 'yaml';
import type { Product } from '../../domain/catalogue/product.js';
import {
  NO_PREPAYMENT_FEE_TERMS,
  type PrepaymentFeeTerms,
} from '../../domain/loan/early-repayment/prepayment-fee.js';
import {
  REPAYMENT_METHODS,
  type RepaymentMethod,
} from '../../domain/loan/schedule/types.js';
import { fen } from '../../domain/money/fen.js';
import { parseRate, type Rate } from '../../domain/money/rate.js';

export const CATALOGUE_PATH = fileURLToPath(
  new URL('../../../content/catalogue/products.yaml', import.meta.url),
);

const RateText = Type.String({ pattern: '^0\\.\\d{1,6}$' });
const Yuan = Type.Integer({ minimum: 0, maximum: 1_000_000_000 });
const FreeAfterMonths = Type.Integer({ minimum: 0, maximum: 360 });
const FeeTermsEntry = Type.Union([
  Type.Object({ kind: Type.Literal('none') }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('share_of_prepaid'),
      share: RateText,
      free_after_months: FreeAfterMonths,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('months_of_interest'),
      months: Type.Integer({ minimum: 1, maximum: 12 }),
      free_after_months: FreeAfterMonths,
    },
    { additionalProperties: false },
  ),
]);
const ProductEntry = Type.Object({
  code: Type.String({ pattern: '^[a-z_]+$' }),
  name: Type.String({ minLength: 1 }),
  summary: Type.String({ minLength: 1 }),
  purposes: Type.Array(Type.String()),
  methods: Type.Array(
    Type.Union(REPAYMENT_METHODS.map((m) => Type.Literal(m))),
    { minItems: 1 },
  ),
  annual_rate_min: RateText,
  annual_rate_max: RateText,
  amount_min: Yuan,
  amount_max: Yuan,
  term_months_min: Type.Integer({ minimum: 1, maximum: 360 }),
  term_months_max: Type.Integer({ minimum: 1, maximum: 360 }),
  fees: Type.Object({
    upfront: Yuan,
    prepayment: Type.String(),
    prepayment_fee: FeeTermsEntry,
  }),
  eligibility: Type.Array(Type.String(), { minItems: 1 }),
  materials: Type.Array(Type.String(), { minItems: 1 }),
});
const Catalogue = Type.Object({
  version: Type.Integer(),
  products: Type.Array(ProductEntry, { minItems: 1 }),
});

function rateOf(text: string, where: string): Rate {
  const rate = parseRate(text);
  if (rate === undefined)
    throw new Error(`catalogue: ${where} is not a decimal rate`);
  return rate;
}

function feeTermsOf(
  entry: Static<typeof FeeTermsEntry>,
  where: string,
): PrepaymentFeeTerms {
  if (entry.kind === 'none') return NO_PREPAYMENT_FEE_TERMS;
  if (entry.kind === 'months_of_interest')
    return {
      kind: 'months_of_interest',
      months: entry.months,
      freeAfterMonths: entry.free_after_months,
    };
  return {
    kind: 'share_of_prepaid',
    shareOfPrincipal: rateOf(entry.share, `${where}.share`),
    freeAfterMonths: entry.free_after_months,
  };
}

function toProduct(entry: Static<typeof ProductEntry>): Product {
  if (
    entry.amount_min > entry.amount_max ||
    entry.term_months_min > entry.term_months_max
  ) {
    throw new Error(`catalogue: ${entry.code} has a minimum above its maximum`);
  }
  return {
    code: entry.code,
    nameZh: entry.name,
    summaryZh: entry.summary,
    purposes: entry.purposes,
    methods: entry.methods as RepaymentMethod[],
    rateAnnualMin: rateOf(
      entry.annual_rate_min,
      `${entry.code}.annual_rate_min`,
    ),
    rateAnnualMax: rateOf(
      entry.annual_rate_max,
      `${entry.code}.annual_rate_max`,
    ),
    amountFenMin: fen(BigInt(entry.amount_min) * 100n),
    amountFenMax: fen(BigInt(entry.amount_max) * 100n),
    termMonthsMin: entry.term_months_min,
    termMonthsMax: entry.term_months_max,
    upfrontFeeFen: fen(BigInt(entry.fees.upfront) * 100n),
    prepaymentFeeZh: entry.fees.prepayment,
    prepaymentFee: feeTermsOf(
      entry.fees.prepayment_fee,
      `${entry.code}.fees.prepayment_fee`,
    ),
    eligibilityZh: entry.eligibility,
    materialsZh: entry.materials,
  };
}

/** Parses catalogue YAML text; throws with the first invalid field named. */
export function parseCatalogue(text: string): Product[] {
  const data: unknown = parse(text);
  if (!Value.Check(Catalogue, data)) {
    const first = Value.Errors(Catalogue, data).First();
    throw new Error(
      `catalogue: ${first?.path ?? '/'} ${first?.message ?? 'is invalid'}`,
    );
  }
  return data.products.map(toProduct);
}

export function loadCatalogue(path: string = CATALOGUE_PATH): Product[] {
  return parseCatalogue(readFileSync(path, 'utf8'));
}
