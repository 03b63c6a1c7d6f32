// Answers that disclose nothing about an account: product rates, the
// needs-analysis form and its recommendation, and general questions (the
// knowledge base first, the bot's own short replies otherwise).

import { formatFen } from '../../../contracts/money.js';
import type { Product } from '../../catalogue/product.js';
import type { CalendarDate } from '../../shared/calendar-date.js';
import type { Intent, Purpose } from '../nlu/labels.js';
import type { TemplateId } from '../replies/templates.js';
import { missingSlot, productsForForm } from './needs-form.js';
import { productOffer } from './product-offer.js';
import {
  act,
  hasAction,
  listMarker,
  percentText,
  rateWire,
  say,
  type TurnBuilder,
} from './turn-builder.js';
import type { FormSlot, KnowledgeBase, NeedsForm } from './types.js';

/** Products recommended in one reply. */
export const RECOMMENDATIONS_MAX = 3;
// Basis: catalogue eligibility (每月还款额…一般不超过月收入的50%) and
// 《个人贷款管理办法》第十三条 (repayment ability).
const INCOME_SHARE_MAX_PERCENT = 50n;

const PURPOSE_ZH: Record<Purpose, string> = {
  home_renovation: '装修',
  car: '购车',
  education: '教育',
  business: '经营周转',
  consumption: '日常消费',
  medical: '医疗',
  wedding: '婚庆',
  travel: '旅游',
  debt_repayment: '偿还其他欠款',
  other: '其他用途',
};

const ASK_TEMPLATE: Record<FormSlot, TemplateId> = {
  purpose: 'ask_purpose',
  amount_yuan: 'ask_amount',
  term_months: 'ask_term',
  monthly_income_yuan: 'ask_income',
};

/**
 * Asks the form's open question again after an answer to something else,
 * so the needs analysis resumes where it stopped.
 */
export function reaskForm(
  turn: TurnBuilder,
  form: NeedsForm | undefined,
): void {
  if (form?.awaiting === undefined || hasAction(turn, 'ask_slot')) return;
  say(turn, ASK_TEMPLATE[form.awaiting]);
  act(turn, { type: 'ask_slot', slot: form.awaiting });
}

/** Every product's APR range, with one `state_apr` each. */
export function answerProductRates(
  turn: TurnBuilder,
  products: readonly Product[],
  today: CalendarDate,
): void {
  say(turn, 'product_rates_intro');
  for (const [index, product] of products.entries()) {
    const offer = productOffer(product, {}, today);
    say(turn, 'product_rate_line', {
      n: listMarker(index),
      product: product.nameZh,
      aprMin: percentText(offer.aprMin),
      aprMax: percentText(offer.aprMax),
    });
    act(turn, {
      type: 'state_apr',
      apr: rateWire(offer.aprMin),
      apr_max: rateWire(offer.aprMax),
      subject: product.nameZh,
    });
  }
  say(turn, 'product_rates_outro');
}

function needText(form: NeedsForm): string {
  const parts: string[] = [];
  if (form.purpose !== undefined) parts.push(PURPOSE_ZH[form.purpose]);
  if (form.amountFen !== undefined)
    parts.push(`${formatFen(form.amountFen)}元`);
  if (form.termMonths !== undefined) parts.push(`${form.termMonths}期`);
  return parts.join('，');
}

/**
 * Asks the next missing question, or recommends the eligible products whose
 * installment at the highest rate stays within half the monthly income.
 * Returns the form with what it now awaits (undefined once complete).
 */
export function advanceForm(
  turn: TurnBuilder,
  form: NeedsForm,
  catalogue: readonly Product[],
  today: CalendarDate,
): NeedsForm | undefined {
  const missing = missingSlot(form);
  if (missing !== undefined) {
    say(turn, ASK_TEMPLATE[missing]);
    act(turn, { type: 'ask_slot', slot: missing });
    return { ...form, awaiting: missing };
  }
  const need = needText(form);
  const offers = productsForForm(catalogue, form).map((product) =>
    productOffer(product, form, today),
  );
  if (offers.length === 0) {
    say(turn, 'recommend_none', { need });
    return undefined;
  }
  const income = form.monthlyIncomeFen ?? 0n;
  const affordable = offers.filter(
    (offer) =>
      offer.paymentFenMax !== undefined &&
      offer.paymentFenMax * 100n <= income * INCOME_SHARE_MAX_PERCENT,
  );
  if (affordable.length === 0) {
    say(turn, 'recommend_unaffordable');
    return undefined;
  }
  say(turn, 'recommend_intro', { need });
  for (const offer of affordable.slice(0, RECOMMENDATIONS_MAX)) {
    const product = offer.product;
    say(turn, 'recommend_line', {
      product: product.nameZh,
      aprMin: percentText(offer.aprMin),
      aprMax: percentText(offer.aprMax),
      termMin: product.termMonthsMin,
      termMax: product.termMonthsMax,
      payment: formatFen(offer.paymentFenMax ?? 0n),
    });
    act(turn, {
      type: 'recommend_product',
      product: product.nameZh,
      code: product.code,
      apr_min: rateWire(offer.aprMin),
      apr_max: rateWire(offer.aprMax),
    });
    act(turn, {
      type: 'state_apr',
      apr: rateWire(offer.aprMin),
      apr_max: rateWire(offer.aprMax),
      subject: product.nameZh,
    });
  }
  say(turn, 'recommend_outro');
  return undefined;
}

const GENERAL_TEMPLATE: Partial<Record<Intent, TemplateId>> = {
  fee_inquiry: 'fee_general',
  eligibility: 'eligibility_general',
  required_materials: 'materials_general',
  credit_limit: 'credit_limit',
  repayment_method: 'repayment_method',
  settlement_certificate: 'settlement_certificate',
  update_info: 'update_info',
  overdue_consequence: 'overdue_general',
  disbursement: 'disbursement_general',
  early_repayment: 'early_repayment_general',
  out_of_scope: 'out_of_scope',
};

/** True when the intent has a general answer (used for unverified turns). */
export function hasGeneralAnswer(intent: Intent): boolean {
  return GENERAL_TEMPLATE[intent] !== undefined;
}

/**
 * A general question: materials of the products that fit the form when the
 * purpose is known, else the knowledge base, else the bot's own reply.
 */
export function answerGeneral(
  turn: TurnBuilder,
  intent: Intent,
  question: string,
  context: {
    readonly knowledge: KnowledgeBase | undefined;
    readonly catalogue: readonly Product[];
    readonly form: NeedsForm | undefined;
  },
): void {
  if (intent === 'required_materials' && context.form?.purpose !== undefined) {
    const products = productsForForm(context.catalogue, {
      purpose: context.form.purpose,
    });
    for (const product of products.slice(0, RECOMMENDATIONS_MAX))
      say(turn, 'materials_product', {
        product: product.nameZh,
        materials: product.materialsZh.join('、'),
      });
    if (products.length > 0) return;
  }
  if (intent !== 'out_of_scope') {
    const found = context.knowledge?.answer(question);
    // The port applies its own calibrated threshold: an answer is confident.
    if (found !== undefined) {
      turn.body.push(found.answer);
      return;
    }
  }
  say(turn, GENERAL_TEMPLATE[intent] ?? 'clarify');
}
