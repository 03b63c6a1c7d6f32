// The chat turns of the HTTP benchmarks (bench/http.bench.ts and its
// in-process companion bench/http/turn-loop.ts): 200 conversations, one in
// four a demo customer who verifies first and then asks for the next
// installment (their loans read from the store), the rest general questions.
import type { DemoBook } from '../../src/app/demo/demo-book.js';

export const CONVERSATIONS = 200;
export const VERIFIED_SHARE = 4; // one in four

export const GENERAL_QUESTIONS = [
  '你们的贷款年化利率是多少',
  '申请贷款需要准备哪些材料',
  '提前还款有违约金吗',
  '逾期了会有什么影响',
  '可以贷多少钱',
  '怎么还款',
  '你好',
  '放款一般要多久',
];

export const NEXT_INSTALLMENT_QUESTION = '我下一期要还多少钱';

export type ChatMixItem = {
  /** The message sent in every measured turn of the conversation. */
  readonly text: string;
  /** Sent once before the measurement: name and phone of a demo customer. */
  readonly verifyWith?: string;
};

export function chatMix(book: DemoBook): ChatMixItem[] {
  // Demo customers with a current loan: who the verified borrowers are.
  const people = [
    ...new Set(
      book.loans
        .filter((loan) => loan.state === 'current')
        .map((loan) => loan.customerIndex),
    ),
  ].map((index) => book.customers[index]?.person);
  const mix: ChatMixItem[] = [];
  for (let i = 0; i < CONVERSATIONS; i += 1) {
    const person = i % VERIFIED_SHARE === 0 ? people[i] : undefined;
    mix.push(
      person === undefined
        ? { text: GENERAL_QUESTIONS[i % GENERAL_QUESTIONS.length] ?? '你好' }
        : {
            text: NEXT_INSTALLMENT_QUESTION,
            verifyWith: `我叫${person.name}，手机号${person.phone}`,
          },
    );
  }
  return mix;
}

/**
 * The cold-cache variant of a message: the same question made unique by a
 * running number, so no cache keyed by the text can answer it.
 */
export function uniqueText(text: string, serial: number): string {
  return `${text}（第${serial}次咨询）`;
}
