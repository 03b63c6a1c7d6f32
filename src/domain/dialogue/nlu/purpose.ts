import type { Purpose } from './labels.js';
import type { Reading } from './text-span.js';

// Cue words per loan purpose. A data table: one row per purpose, cues in the
// words borrowers use. `other` is never read: it is what the dialogue records
// when the customer names a purpose outside this list.
const PURPOSE_CUES: readonly (readonly [Purpose, RegExp])[] = [
  ['home_renovation', /装修|装潢|翻新房子|装房子/],
  ['car', /买车|购车|车贷|提车|买辆车|汽车|二手车|新能源车|4s店/],
  ['education', /学费|上学|读书|教育|培训|留学|考研|进修/],
  [
    'business',
    /经营|做生意|进货|开了?(?:个|家|一家)?[^，,。]{0,3}店(?!的(?!贷|产品|钱))|进[^，,。]{0,3}货|饭馆|餐馆|饭店|小生意|(?<!做)生意(?!亏|赔)|店里|小微企业|开公司/,
  ],
  ['consumption', /买.{0,2}(?:手机|电脑|家电|家具)|分期买|日常消费|购物/],
  ['medical', /看病|住院|手术|医疗|医药费|治病/],
  ['wedding', /结婚|婚礼|彩礼|婚庆|办婚事|婚纱/],
  ['travel', /旅游|旅行|出去玩|度假/],
  [
    'debt_repayment',
    /还(?:掉|清)?(?:信用卡|网贷|花呗|借呗|白条|别的|其他|债)|把.{0,4}(?:网贷|信用卡|花呗|借呗|白条|债).{0,2}还/,
  ],
];

// A purpose is a loan purpose only when the text is about borrowing: 生病住院了
// 能不能延期 explains a hardship and names no purpose for a loan.
const BORROWING_CONTEXT =
  /借|贷|分期|申请|产品|额度|利息|利率|资料|材料|合同|用钱|要钱|缺钱|费|证明|办|提供/;

// Talk about repaying an existing loan names no purpose for a new one:
// 住院了，这个月的贷款能不能晚点还 explains a hardship.
const REPAYING_CONTEXT =
  /还不上|还不起|还不了|晚点还|延期|缓一缓|月供|逾期|这个月的贷款/;

/** The loan purpose the text names, the earliest cue winning. */
export function readPurpose(text: string): Reading<Purpose> | undefined {
  if (!BORROWING_CONTEXT.test(text) || REPAYING_CONTEXT.test(text)) {
    return undefined;
  }
  let best: Reading<Purpose> | undefined;
  for (const [purpose, cue] of PURPOSE_CUES) {
    const match = cue.exec(text);
    if (match === null) continue;
    if (best !== undefined && best.span.start <= match.index) continue;
    const span = { start: match.index, end: match.index + match[0].length };
    best = { value: purpose, span };
  }
  return best;
}
