// The memoized engine (what the server runs) answers exactly as the plain
// one, turn after turn and state after state; repeated questions are served
// from the memos; texts that may hold an ID, phone or card number are never
// kept; kept values cannot be changed by a caller; the memo forgets the
// least recently used entry at its bound.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConversationParts } from '../../src/adapters/chat/default-parts.js';
import { BoundedMemo, type EngineMemos } from '../../src/adapters/chat/memo.js';
import { NO_CUSTOMER_DATA } from '../../src/adapters/dialogue/store-customer-data.js';
import type { DialogueEngine } from '../../src/domain/dialogue/policy/engine.js';
import { initialDialogueState } from '../../src/domain/dialogue/policy/state.js';
import type { DialogueState } from '../../src/domain/dialogue/policy/types.js';
import { calendarDate } from '../../src/domain/shared/calendar-date.js';

const TODAY = calendarDate('2026-12-08');

// A conversation that moves through states: greeting, products, a needs
// form, an abusive message, a repeat of each.
const SCRIPT = [
  '你好',
  '你们的贷款年化利率是多少',
  '我想借5万块钱装修房子',
  '分24个月还',
  '月收入8000左右',
  '提前还款有违约金吗',
  '逾期了会有什么影响',
  '放款一般要多久',
  '你们这是骗子吧，垃圾公司',
  '怎么还款',
];

let plain: DialogueEngine;
let memoized: DialogueEngine;
let memos: EngineMemos;

beforeAll(() => {
  plain = loadConversationParts({ memo: false }).engine;
  const parts = loadConversationParts();
  memoized = parts.engine;
  if (parts.memos === undefined) throw new Error('memos are on by default');
  memos = parts.memos;
}, 120_000);

function run(engine: DialogueEngine, texts: readonly string[]) {
  let state: DialogueState = initialDialogueState();
  return texts.map((text) => {
    const outcome = engine.respond({
      state,
      data: NO_CUSTOMER_DATA,
      today: TODAY,
      text,
    });
    state = outcome.state;
    return outcome;
  });
}

describe('memoized dialogue engine', () => {
  it('answers every turn exactly as the plain engine, also when served from the memos', () => {
    const texts = [...SCRIPT, ...SCRIPT, ...SCRIPT];
    const expected = run(plain, texts);
    const first = run(memoized, texts);
    const hitsAfterFirst = memos.nlu.hits;
    const second = run(memoized, texts);
    expect(first).toEqual(expected);
    expect(second).toEqual(expected);
    expect(memos.nlu.hits).toBeGreaterThan(hitsAfterFirst);
    expect(memos.nlu.hits).toBeGreaterThanOrEqual(
      texts.length * 2 - SCRIPT.length,
    );
    expect(memos.compliance.hits).toBeGreaterThan(0);
    expect(memos.knowledge.hits).toBeGreaterThan(0);
  });

  it('never keeps a text that may hold an ID, phone or card number', () => {
    const sizes = () => [memos.nlu.size, memos.knowledge.size];
    const before = sizes();
    const text = '我叫王小明，手机号13812345678';
    const expected = run(plain, [text, text]);
    expect(run(memoized, [text, text])).toEqual(expected);
    expect(sizes()).toEqual(before);
  });

  it('hands out values that cannot be changed', () => {
    const [outcome] = run(memoized, ['你好']);
    const [again] = run(memoized, ['你好']);
    if (outcome === undefined || again === undefined)
      throw new Error('no turn');
    expect(again.compliance).toBe(outcome.compliance);
    const violations = outcome.compliance.violations as unknown[];
    expect(Object.isFrozen(violations)).toBe(true);
    expect(() => violations.push('x')).toThrow(TypeError);
    expect(violations).toEqual([]);
  });
});

describe('BoundedMemo', () => {
  it('forgets the least recently used entry at its bound', () => {
    const memo = new BoundedMemo<number>(2);
    let computed = 0;
    const get = (key: string) =>
      memo.get(key, () => {
        computed += 1;
        return key.length;
      });
    get('a');
    get('bb');
    get('a'); // a is now the most recently used
    get('ccc'); // evicts bb
    expect(memo.size).toBe(2);
    expect(computed).toBe(3);
    get('a');
    expect(computed).toBe(3);
    get('bb');
    expect(computed).toBe(4);
    expect(memo.hits).toBe(2);
    expect(memo.misses).toBe(4);
  });
});
