import { describe, expect, it } from 'vitest';
import type { Product } from '../../catalogue/product.js';
import { fen } from '../../money/fen.js';
import { rate } from '../../money/rate.js';
import { fillForm, missingSlot, productsForForm } from './needs-form.js';

const renovation: Product = {
  code: 'renovation',
  nameZh: '装修贷',
  summaryZh: '装修专项贷款',
  purposes: ['home_renovation'],
  methods: ['equal_installment'],
  rateAnnualMin: rate(35n, 1000n),
  rateAnnualMax: rate(8n, 100n),
  amountFenMin: fen(5_000_000n),
  amountFenMax: fen(100_000_000n),
  termMonthsMin: 12,
  termMonthsMax: 120,
  upfrontFeeFen: fen(0n),
  prepaymentFeeZh: '免收',
  eligibilityZh: [],
  materialsZh: ['身份证'],
};

describe('fillForm', () => {
  it('reads a bare amount as income when income was asked', () => {
    const { form } = fillForm(
      { awaiting: 'monthly_income_yuan', purpose: 'car' },
      { amount_yuan: 20000 },
      '2万',
    );
    expect(form.monthlyIncomeFen).toBe(2_000_000n);
    expect(form.amountFen).toBeUndefined();
  });

  it('reads a short purpose answer the NLU has no slot for', () => {
    const { form, filled } = fillForm({ awaiting: 'purpose' }, {}, '用来装修');
    expect(form.purpose).toBe('home_renovation');
    expect(filled).toBe(true);
  });

  it('reports nothing filled for an unrelated utterance', () => {
    expect(fillForm({ awaiting: 'amount_yuan' }, {}, '你好').filled).toBe(
      false,
    );
  });
});

describe('missingSlot', () => {
  it('asks purpose, amount, term and income in that order', () => {
    expect(missingSlot({})).toBe('purpose');
    expect(missingSlot({ purpose: 'car' })).toBe('amount_yuan');
    expect(missingSlot({ purpose: 'car', amountFen: fen(1n) })).toBe(
      'term_months',
    );
    expect(
      missingSlot({ purpose: 'car', amountFen: fen(1n), termMonths: 12 }),
    ).toBe('monthly_income_yuan');
  });
});

describe('productsForForm', () => {
  it('keeps products whose purpose, amount and term fit', () => {
    const form = {
      purpose: 'home_renovation',
      amountFen: fen(20_000_000n),
      termMonths: 60,
    } as const;
    expect(productsForForm([renovation], form)).toEqual([renovation]);
    expect(productsForForm([renovation], { ...form, termMonths: 6 })).toEqual(
      [],
    );
  });

  it('recommends nothing for borrowing to repay other debt', () => {
    expect(
      productsForForm([renovation], { purpose: 'debt_repayment' }),
    ).toEqual([]);
  });
});
