// Identity verification and third-party detection. Basis: regulations.md
// (privacy_leak / third_party_disclosure) and 《个人信息保护法》第十条 — an
// account detail goes only to the verified account holder. Verified means two
// of full name, ID number (or its last six characters) and registered phone
// match the record (spec/contracts.md, `loandesk chat`).
import type { Intent, Slots } from '../nlu/labels.js';
import type { CustomerRecord, VerificationFactor } from './types.js';

/** Factors that must match before any account detail is disclosed. */
export const FACTORS_TO_VERIFY = 2;

const ID_TAIL_CHARS = 6;
const DIGIT_RUN = /[0-9]{5,}[0-9Xx]?/g;
const DIGIT_RUN_TEST = /[0-9]{5,}/;
const SELF_INTRODUCTION = /我叫|我是|姓名|名字|本人/;

// Full-width digits (１３８…) read as ASCII ones, whatever the NLU kept.
function asciiDigits(text: string): string {
  return text.replace(/[\uFF10-\uFF19]/g, (digit) =>
    String.fromCharCode(digit.charCodeAt(0) - 0xfee0),
  );
}

// 王小明的儿子 / 王小明的家属 names the holder, not the speaker.
function namesSelf(text: string, name: string): boolean {
  if (name.length < 2) return false;
  let from = text.indexOf(name);
  while (from !== -1) {
    if (text[from + name.length] !== '的') return true;
    from = text.indexOf(name, from + 1);
  }
  return false;
}

export type IdentityReading = {
  readonly matched: readonly VerificationFactor[];
  /** The customer offered identity data (matching or not). */
  readonly offered: boolean;
};

/** Which verification factors this utterance states correctly. */
export function readIdentity(
  text: string,
  slots: Slots,
  customer: CustomerRecord,
): IdentityReading {
  const matched: VerificationFactor[] = [];
  const runs = identityNumbers(text);
  const idNumber = customer.idNumber.toUpperCase();
  if (namesSelf(text, customer.name)) matched.push('name');
  const idTail = idNumber.slice(-ID_TAIL_CHARS);
  if (
    slots.id_number?.toUpperCase() === idNumber ||
    runs.some((run) => run === idNumber || run === idTail)
  )
    matched.push('id_number');
  if (slots.phone === customer.phone || runs.includes(customer.phone))
    matched.push('phone');
  const offered = matched.length > 0 || offersIdentity(text, slots);
  return { matched, offered };
}

/** True when the utterance offers identity data (a number, a self-introduction). */
export function offersIdentity(text: string, slots: Slots): boolean {
  return (
    DIGIT_RUN_TEST.test(asciiDigits(text)) ||
    slots.phone !== undefined ||
    slots.id_number !== undefined ||
    SELF_INTRODUCTION.test(text)
  );
}

/** The number runs of an utterance that may be a phone, ID or ID tail. */
export function identityNumbers(text: string): string[] {
  return (asciiDigits(text).match(DIGIT_RUN) ?? []).map((run) =>
    run.toUpperCase(),
  );
}

/** Adds newly matched factors, keeping each once and in a stable order. */
export function mergeFactors(
  known: readonly VerificationFactor[],
  added: readonly VerificationFactor[],
): VerificationFactor[] {
  const all = new Set([...known, ...added]);
  return (['name', 'id_number', 'phone'] as const).filter((f) => all.has(f));
}

/** Intents whose answer is an account detail (balance, due, status …). */
export const ACCOUNT_INTENTS: ReadonlySet<Intent> = new Set<Intent>([
  'repayment_schedule',
  'early_repayment',
  'approval_progress',
  'disbursement',
  'repayment_difficulty',
]);

// 提前还款 is an account question only when the customer asks for a figure
// (结清要多少钱); 可以提前还吗 / 有违约金吗 are answered for anyone.
const ASKS_FOR_FIGURE = /多少|金额|几块|几万|算一下|算算|报个数|结清要/;

/** True when answering this utterance needs the customer's own records. */
export function needsAccount(intent: Intent, text: string): boolean {
  if (!ACCOUNT_INTENTS.has(intent)) return false;
  return intent !== 'early_repayment' || ASKS_FOR_FIGURE.test(text);
}

const RELATIVE =
  /(?:我|帮|替|代|给)(?:妈|爸|母亲|父亲|老公|老婆|爱人|丈夫|妻子|媳妇|儿子|女儿|孩子|朋友|哥|姐|弟|妹|家人|亲戚|同事|舅|姨|叔|婶|奶奶|爷爷|外婆|外公|岳父|岳母|公公|婆婆)|别人的|(?<!其)他的|她的|家里人的/;
// The speaker says outright that they act for someone else.
const SPEAKS_FOR_ANOTHER =
  /家属|(?:替|代|帮)(?:他|她)(?:查|问|看)|我是.{1,4}的(?:家人|亲戚|朋友|同事|儿子|女儿|老公|老婆|爱人|妈妈|爸爸|父亲|母亲|丈夫|妻子)/;
const ACCOUNT_WORDS =
  /欠|还款|还了|还多少|逾期|进度|审批|额度|账户|贷款|借款|放款|结清/;

/**
 * True when the customer asks about somebody else's loan (我妈的贷款还欠多少).
 * The bot then refuses account details for the rest of the session, even if
 * the person's data is offered later.
 */
export function asksForThirdParty(text: string, intent: Intent): boolean {
  if (SPEAKS_FOR_ANOTHER.test(text)) return true;
  if (!RELATIVE.test(text)) return false;
  return ACCOUNT_INTENTS.has(intent) || ACCOUNT_WORDS.test(text);
}
