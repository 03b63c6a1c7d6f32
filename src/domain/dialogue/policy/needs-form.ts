// The needs-analysis form (需求分析): purpose, amount, term and monthly
// income, asked one at a time, then eligible products from the catalogue
// with their annualised rates. Basis: regulations.md (responsible lending) —
// 《个人贷款管理办法》第十三条: assess the borrower's purpose and repayment
// ability before recommending a loan.
import { parseYuanStrict } from '../../../contracts/money.js';
import { eligibleProducts, type Product } from '../../catalogue/product.js';
import { type Fen, fen } from '../../money/fen.js';
import type { Purpose, Slots } from '../nlu/labels.js';
import type { FormSlot, NeedsForm } from './types.js';

export const FORM_ORDER: readonly FormSlot[] = [
  'purpose',
  'amount_yuan',
  'term_months',
  'monthly_income_yuan',
];

// Short answers to "用来做什么" that carry no loan word for the NLU to anchor on.
const PURPOSE_WORDS: readonly [RegExp, Purpose][] = [
  [/装修|翻新|家装/, 'home_renovation'],
  [/买车|购车|车/, 'car'],
  [/学费|上学|读书|培训|教育|留学/, 'education'],
  [/生意|经营|进货|店|公司|周转/, 'business'],
  [/看病|医疗|手术|住院/, 'medical'],
  [/结婚|婚礼|婚庆/, 'wedding'],
  [/旅游|旅行|出国玩/, 'travel'],
  [/还别的|还其他|还信用卡|还网贷|还贷/, 'debt_repayment'],
  [/消费|买东西|家电|手机|电脑|日常/, 'consumption'],
];

function toFen(yuan: number | undefined): Fen | undefined {
  if (yuan === undefined || !(yuan > 0)) return undefined;
  const parsed = parseYuanStrict(yuan.toFixed(2));
  return parsed.ok ? fen(parsed.value) : undefined;
}

function purposeFrom(text: string): Purpose | undefined {
  for (const [pattern, purpose] of PURPOSE_WORDS)
    if (pattern.test(text)) return purpose;
  return undefined;
}

/**
 * Fills the form from what this utterance states. A bare amount answers the
 * question that was asked: after "月收入多少" a "2万" is income, not a loan.
 */
export function fillForm(
  form: NeedsForm,
  slots: Slots,
  text: string,
): { form: NeedsForm; filled: boolean } {
  const awaiting = form.awaiting;
  let next: NeedsForm = { ...form };
  const purpose =
    slots.purpose ??
    (awaiting === 'purpose' || form.purpose === undefined
      ? purposeFrom(text)
      : undefined);
  if (purpose !== undefined) next = { ...next, purpose };
  const income = toFen(slots.monthly_income_yuan);
  const amount = toFen(slots.amount_yuan);
  if (income !== undefined) next = { ...next, monthlyIncomeFen: income };
  if (amount !== undefined) {
    next =
      awaiting === 'monthly_income_yuan' && income === undefined
        ? { ...next, monthlyIncomeFen: amount }
        : { ...next, amountFen: amount };
  }
  if (slots.term_months !== undefined && slots.term_months > 0)
    next = { ...next, termMonths: slots.term_months };
  const filled =
    next.purpose !== form.purpose ||
    next.amountFen !== form.amountFen ||
    next.termMonths !== form.termMonths ||
    next.monthlyIncomeFen !== form.monthlyIncomeFen;
  return { form: next, filled };
}

export function missingSlot(form: NeedsForm): FormSlot | undefined {
  if (form.purpose === undefined) return 'purpose';
  if (form.amountFen === undefined) return 'amount_yuan';
  if (form.termMonths === undefined) return 'term_months';
  if (form.monthlyIncomeFen === undefined) return 'monthly_income_yuan';
  return undefined;
}

/** Products whose amount, term and purpose fit the completed form. */
export function productsForForm(
  catalogue: readonly Product[],
  form: NeedsForm,
): Product[] {
  const need: { amountFen?: Fen; termMonths?: number; purpose?: string } = {};
  if (form.amountFen !== undefined) need.amountFen = form.amountFen;
  if (form.termMonths !== undefined) need.termMonths = form.termMonths;
  // "Other" and debt repayment fit no product by purpose alone; the consumer
  // loan's purposes decide (debt repayment is flagged, never recommended).
  if (form.purpose !== undefined && form.purpose !== 'debt_repayment')
    need.purpose = form.purpose;
  if (form.purpose === 'debt_repayment') return [];
  return eligibleProducts(catalogue, need);
}
