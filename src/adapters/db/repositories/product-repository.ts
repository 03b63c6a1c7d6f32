import type { Kysely, Selectable } from 'kysely';
import {
  NO_PREPAYMENT_FEE_TERMS,
  type PrepaymentFeeTerms,
} from '../../../domain/loan/early-repayment/prepayment-fee.js';
import type { RepaymentMethod } from '../../../domain/loan/schedule/types.js';
import { type Fen, fen } from '../../../domain/money/fen.js';
import type { Rate } from '../../../domain/money/rate.js';
import { assert } from '../../../domain/shared/assert.js';
import { TERM_MONTHS_MAX } from '../../../domain/shared/limits.js';
import type { Database, ProductsTable } from '../schema.js';
import { feeTermsText, readFeeTerms } from './prepayment-fee-column.js';
import {
  parseJsonArrayOfStrings,
  type RepositoryDeps,
  rateText,
  readRate,
  toCount,
  toFen,
} from './repository-context.js';

// Loan products (产品) and their pricing bounds.

export type ProductStatus = 'active' | 'retired';

export type NewProduct = {
  readonly code: string;
  readonly name: string;
  readonly methods: readonly RepaymentMethod[];
  readonly rateAnnualMin: Rate;
  readonly rateAnnualMax: Rate;
  readonly amountFenMin: Fen;
  readonly amountFenMax: Fen;
  readonly termMonthsMin: number;
  readonly termMonthsMax: number;
  /** The early-repayment fee the product's contracts set; default none. */
  readonly prepaymentFee?: PrepaymentFeeTerms;
};

export type Product = NewProduct & {
  readonly prepaymentFee: PrepaymentFeeTerms;
  readonly id: string;
  readonly status: ProductStatus;
  readonly createdAt: string;
};

function toProduct(row: Selectable<ProductsTable>): Product {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    methods: parseJsonArrayOfStrings(row.methods) as RepaymentMethod[],
    rateAnnualMin: readRate(row.rate_annual_min),
    rateAnnualMax: readRate(row.rate_annual_max),
    amountFenMin: toFen(row.amount_fen_min),
    amountFenMax: toFen(row.amount_fen_max),
    termMonthsMin: toCount(row.term_months_min, TERM_MONTHS_MAX),
    termMonthsMax: toCount(row.term_months_max, TERM_MONTHS_MAX),
    prepaymentFee: readFeeTerms(row.prepayment_fee),
    status: row.status as ProductStatus,
    createdAt: row.created_at,
  };
}

export class ProductRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly deps: RepositoryDeps,
  ) {}

  async create(input: NewProduct): Promise<Product> {
    assert(input.methods.length > 0, 'product: no repayment method');
    assert(input.amountFenMin <= input.amountFenMax, 'product: amounts');
    assert(input.termMonthsMin <= input.termMonthsMax, 'product: terms');
    const row = {
      id: this.deps.newId('prod'),
      code: input.code,
      name: input.name,
      methods: JSON.stringify(input.methods),
      rate_annual_min: rateText(input.rateAnnualMin),
      rate_annual_max: rateText(input.rateAnnualMax),
      amount_fen_min: fen(input.amountFenMin),
      amount_fen_max: fen(input.amountFenMax),
      term_months_min: BigInt(input.termMonthsMin),
      term_months_max: BigInt(input.termMonthsMax),
      status: 'active',
      prepayment_fee: feeTermsText(
        input.prepaymentFee ?? NO_PREPAYMENT_FEE_TERMS,
      ),
      created_at: this.deps.now(),
    };
    await this.db.insertInto('products').values(row).execute();
    return toProduct(row);
  }

  async findById(id: string): Promise<Product | undefined> {
    const row = await this.db
      .selectFrom('products')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toProduct(row);
  }

  async findByCode(code: string): Promise<Product | undefined> {
    const row = await this.db
      .selectFrom('products')
      .selectAll()
      .where('code', '=', code)
      .executeTakeFirst();
    return row === undefined ? undefined : toProduct(row);
  }

  async listActive(): Promise<Product[]> {
    const rows = await this.db
      .selectFrom('products')
      .selectAll()
      .where('status', '=', 'active')
      .orderBy('code')
      .execute();
    return rows.map(toProduct);
  }
}
