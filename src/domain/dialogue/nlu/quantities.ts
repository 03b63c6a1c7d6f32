import { NUMBER_CHARS, parseChineseNumber } from './chinese-number.js';
import type { Reading } from './text-span.js';

// A number expression starts with a digit (not with 万 or 千: 日息万五 and
// 千万别 are not amounts) and runs over digits and magnitude units.
const NUMBER_RUN = new RegExp(
  `(?:[0-9]|[零〇一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾])[${NUMBER_CHARS}]*`,
  'g',
);

type NumberRun = { value: number; start: number; end: number; raw: string };

// After a magnitude, a trailing count belongs to what follows it: 5万一年 is
// 5万 and 一年, 10万3年 is 10万 and 3年 (but 1万2 on its own is 12000).
const COUNT_UNIT_NEXT = /^(?:年|个|期|天|月|次|岁|号|日|周)/;
const TRAILING_COUNT = /(?:[0-9]+|[零一二两三四五六七八九十]+)$/;
const MAGNITUDE = /[万千百亿kw]/;

function splitTrailingCount(run: NumberRun, next: string): NumberRun[] {
  if (!COUNT_UNIT_NEXT.test(next) || !MAGNITUDE.test(run.raw)) return [run];
  const trailing = TRAILING_COUNT.exec(run.raw);
  if (trailing === null || trailing.index === 0) return [run];
  const headRaw = run.raw.slice(0, trailing.index);
  if (!MAGNITUDE.test(headRaw)) return [run];
  const head = parseChineseNumber(headRaw);
  const tail = parseChineseNumber(trailing[0]);
  if (head === undefined || tail === undefined) return [run];
  const middle = run.start + trailing.index;
  return [
    { value: head, start: run.start, end: middle, raw: headRaw },
    { value: tail, start: middle, end: run.end, raw: trailing[0] },
  ];
}

// Bounds on what counts as one typed number: a run longer than this is
// noise (万万万…), and no borrower types an amount above a trillion yuan.
const NUMBER_RUN_CHARS_MAX = 24;
const NUMBER_VALUE_MAX = 1e12;

function numberRuns(text: string): NumberRun[] {
  const runs: NumberRun[] = [];
  for (const match of text.matchAll(NUMBER_RUN)) {
    const raw = match[0].replace(/\.+$/, '');
    if (raw.length > NUMBER_RUN_CHARS_MAX) continue;
    const start = match.index;
    const run = {
      value: parseChineseNumber(raw) ?? Number.NaN,
      start,
      end: start + raw.length,
      raw,
    };
    for (const part of splitTrailingCount(run, text.slice(run.end))) {
      const readable =
        Number.isFinite(part.value) && part.value <= NUMBER_VALUE_MAX;
      if (readable) runs.push(part);
    }
  }
  return runs;
}

// What follows a number that makes it a count, a duration, a rate or a day
// rather than money.
const NOT_MONEY_AFTER =
  /^(?:多)?(?:期|个|年|天|号|日|次|岁|%|倍|周|星期|分之|点|厘|分(?![0-9一二两三四五六七八九十]|期)|遍|位|张|笔|家|条|小时|月)/;
// After a magnitude (3万, 两千) only these still make it a non-amount.
const NOT_MONEY_AFTER_MAGNITUDE = /^(?:多)?(?:倍|%|岁|次|人|分之|个人)/;
const MONEY_UNIT_AFTER = /^(?:多)?(?:元|块|rmb|人民币|的额度|额度)/;
// A bare number (借50000) is money only after a money verb.
const MONEY_VERB_BEFORE =
  /(?:只有|才|金额|月供|欠款|余额|本金|利息|罚息|手续费|服务费|借|贷|贷款|还|还了|额度|要|转|转了|交|交了|付|扣|扣了|欠|差|剩|存|到账|到手|放款|批)(?:了|个|款|给)?(?:金额)?[:：为是]?$/;
const RATE_BEFORE =
  /(?:日息|月息|年化|利率|利息率|费率|年利率|日利率)[^,，。]{0,2}$/;
const ID_BEFORE = /(?:工号|编号|尾号|号码|单号|卡号|验证码)[^,，。]{0,2}$/;
const BARE_AMOUNT_YUAN_MIN = 100;

function isMoney(text: string, run: NumberRun): boolean {
  const before = text.slice(Math.max(0, run.start - 6), run.start);
  const after = text.slice(run.end, run.end + 4);
  if (RATE_BEFORE.test(before) || ID_BEFORE.test(before)) return false;
  if (MONEY_UNIT_AFTER.test(after)) return true;
  if (MAGNITUDE.test(run.raw)) return !NOT_MONEY_AFTER_MAGNITUDE.test(after);
  if (NOT_MONEY_AFTER.test(after)) return false;
  return run.value >= BARE_AMOUNT_YUAN_MIN && MONEY_VERB_BEFORE.test(before);
}

// 首付5万贷15万: the amount right after a borrowing verb is the loan amount.
const BORROW_VERB_BEFORE = /(?:借|贷|贷款|借款|申请)(?:了|个)?$/;

/**
 * The amount of money the text states, in yuan: the first one right after a
 * borrowing verb, else the first one.
 */
export function readAmountYuan(text: string): Reading<number> | undefined {
  let first: Reading<number> | undefined;
  for (const run of numberRuns(text)) {
    if (run.value <= 0 || !isMoney(text, run)) continue;
    const reading = {
      value: run.value,
      span: { start: run.start, end: run.end },
    };
    const before = text.slice(Math.max(0, run.start - 3), run.start);
    if (BORROW_VERB_BEFORE.test(before)) return reading;
    first ??= reading;
  }
  return first;
}

const MONTHLY_INCOME_CUE =
  /(?:月收入|月薪|月入|月工资|每月收入|每个月收入|工资|收入|每月挣|每个月挣|一个月挣|每月赚|每个月赚|一个月赚|一个月能挣)/g;
const ANNUAL_INCOME_CUE = /(?:年收入|年薪|一年挣|一年赚)/g;
const INCOME_GAP_CHARS_MAX = 6;
const INCOME_YUAN_MIN = 100;
const MONTHS_PER_YEAR = 12;

function incomeAfter(text: string, cue: RegExp): Reading<number> | undefined {
  for (const match of text.matchAll(cue)) {
    const from = match.index + match[0].length;
    const window = text.slice(from, from + INCOME_GAP_CHARS_MAX + 8);
    for (const run of numberRuns(window)) {
      if (run.start > INCOME_GAP_CHARS_MAX) break;
      if (/[,，。!?;；]/.test(window.slice(0, run.start))) break;
      if (/^(?:个|期|年|天|次|%)/.test(window.slice(run.end))) continue;
      if (run.value < INCOME_YUAN_MIN) continue;
      const span = { start: from + run.start, end: from + run.end };
      return { value: run.value, span };
    }
  }
  return undefined;
}

/** Monthly income in yuan (月收入1万2 → 12000; 年薪24万 → 20000). */
export function readMonthlyIncomeYuan(
  text: string,
): Reading<number> | undefined {
  const annual = incomeAfter(text, ANNUAL_INCOME_CUE);
  if (annual !== undefined) {
    return { ...annual, value: Math.round(annual.value / MONTHS_PER_YEAR) };
  }
  return incomeAfter(text, MONTHLY_INCOME_CUE);
}

// Words before a duration that make it elapsed time or a count of paid
// periods, not the loan term: 逾期3个月, 工作两年, 还剩8期, 满一年.
const NOT_TERM_BEFORE =
  /(?:逾期|晚了|晚|拖了|拖|欠了|已经|工作|上班|干了|入职|还了|已还|剩|剩下|剩下的|还剩|还有|满|超过|保留|过了|等了|第|最近|近|前|这|都)$/;
const NOT_TERM_AFTER =
  /^(?:了|没|前|以前|以来|之前|内|多了|以上|后|的?(?:流水|工资|社保|公积金|记录))/;
const TERM_UNIT = /^(?:年(?!化|利率|息|费|薪|收入|龄|级|纪|底|初|终)|个月|期)/;
const TERM_MONTHS_READ_MAX = 360;

function termFromSpecialWords(text: string): Reading<number> | undefined {
  const half =
    /(?<![上下满])(?:([0-9]+|[一二两三四五六七八九十]+)年半|半年)/.exec(text);
  if (half === null) return undefined;
  const years = half[1] === undefined ? 0 : (parseChineseNumber(half[1]) ?? 0);
  const start = half.index;
  const end = start + half[0].length;
  if (NOT_TERM_AFTER.test(text.slice(end))) return undefined;
  if (NOT_TERM_BEFORE.test(text.slice(Math.max(0, start - 3), start)))
    return undefined;
  return { value: years * MONTHS_PER_YEAR + 6, span: { start, end } };
}

/** The loan term in months (3年 → 36; 36期 → 36; 半年 → 6). */
export function readTermMonths(text: string): Reading<number> | undefined {
  const special = termFromSpecialWords(text);
  for (const run of numberRuns(text)) {
    if (special !== undefined && special.span.start <= run.start) break;
    const after = text.slice(run.end, run.end + 4);
    const unit = TERM_UNIT.exec(after);
    if (unit === null || !Number.isInteger(run.value)) continue;
    const unitEnd = run.end + unit[0].length;
    if (NOT_TERM_AFTER.test(text.slice(unitEnd))) continue;
    const before = text.slice(Math.max(0, run.start - 3), run.start);
    if (NOT_TERM_BEFORE.test(before)) continue;
    const months = unit[0] === '年' ? run.value * MONTHS_PER_YEAR : run.value;
    // One month or one period is how people ask per-month costs (一个月利息).
    if (unit[0] !== '年' && months < 2) continue;
    if (months < 1 || months > TERM_MONTHS_READ_MAX) continue;
    return { value: months, span: { start: run.start, end: unitEnd } };
  }
  return special;
}
