import { describe, expect, it } from 'vitest';
import type { Product } from '../../catalogue/product.js';
import { fen } from '../../money/fen.js';
import { rate } from '../../money/rate.js';
import { calendarDate } from '../../shared/calendar-date.js';
import { TEMPLATES } from '../replies/templates.js';
import { advanceForm, answerGeneral } from './general-answers.js';
import { newTurn } from './turn-builder.js';

const car: Product = {
  code: 'auto',
  nameZh: '车贷',
  summaryZh: '购车贷款',
  purposes: ['car'],
  methods: ['equal_installment'],
  rateAnnualMin: rate(4n, 100n),
  rateAnnualMax: rate(1n, 10n),
  amountFenMin: fen(3_000_000n),
  amountFenMax: fen(50_000_000n),
  termMonthsMin: 12,
  termMonthsMax: 60,
  upfrontFeeFen: fen(0n),
  prepaymentFeeZh: '满12个月免收',
  eligibilityZh: [],
  materialsZh: ['身份证', '购车合同'],
};
const today = calendarDate('2026-11-20');
const need = {
  purpose: 'car',
  amountFen: fen(5_000_000n),
  termMonths: 36,
} as const;

describe('advanceForm', () => {
  it('asks only for the first missing slot', () => {
    const turn = newTurn(0);
    const form = advanceForm(turn, { purpose: 'car' }, [car], today);
    expect(turn.actions).toEqual([{ type: 'ask_slot', slot: 'amount_yuan' }]);
    expect(form?.awaiting).toBe('amount_yuan');
  });

  it('recommends a product whose installment fits half the income, with its APR', () => {
    const turn = newTurn(0);
    const form = advanceForm(
      turn,
      { ...need, monthlyIncomeFen: fen(1_000_000n) },
      [car],
      today,
    );
    expect(form).toBeUndefined();
    expect(turn.actions).toEqual([
      {
        type: 'recommend_product',
        product: '车贷',
        code: 'auto',
        apr_min: '0.040000',
        apr_max: '0.100000',
      },
      {
        type: 'state_apr',
        apr: '0.040000',
        apr_max: '0.100000',
        subject: '车贷',
      },
    ]);
    expect(turn.body.join('')).toContain('年化利率（单利）4.00%至10.00%');
  });

  it('recommends nothing when the installment exceeds half the income', () => {
    const turn = newTurn(0);
    advanceForm(
      turn,
      { ...need, monthlyIncomeFen: fen(200_000n) },
      [car],
      today,
    );
    expect(turn.actions).toEqual([]);
    expect(turn.body.join('')).toContain('一半');
  });
});

describe('answerGeneral', () => {
  const context = { catalogue: [car], form: undefined };

  it('answers from the knowledge base when it has a confident answer', () => {
    const turn = newTurn(0);
    const knowledge = {
      answer: () => ({ answer: '知识库的回答。', confidence: 0.9 }),
    };
    answerGeneral(turn, 'fee_inquiry', '有手续费吗', { ...context, knowledge });
    expect(turn.body).toEqual(['知识库的回答。']);
  });

  it('falls back to its own reply when the knowledge base has none', () => {
    const turn = newTurn(0);
    const knowledge = { answer: () => undefined };
    answerGeneral(turn, 'fee_inquiry', '有手续费吗', { ...context, knowledge });
    expect(turn.body).toEqual([TEMPLATES.fee_general[0]]);
  });

  it('lists the materials of the products that fit the purpose in the form', () => {
    const turn = newTurn(0);
    answerGeneral(turn, 'required_materials', '要什么材料', {
      ...context,
      knowledge: undefined,
      form: { purpose: 'car' },
    });
    expect(turn.body.join('')).toContain('身份证、购车合同');
  });
});
