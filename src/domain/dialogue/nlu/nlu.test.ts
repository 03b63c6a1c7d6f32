// Proves the NLU facade on a small inline corpus: a real jieba segmenter and
// OpenCC converter, a model trained in the test, and the contract's fields.
import { dict } from '@node-rs/jieba/dict.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { calendarDate, parseCalendarDate } from '../../shared/calendar-date.js';
import { parseCorpusFile } from './corpus.js';
import { createSegmenter } from './financial-dictionary.js';
import { trainIntentModel } from './intent-model.js';
import { EMOTIONS, INTENTS } from './labels.js';
import { createNlu, type Nlu } from './nlu.js';
import { createToSimplified } from './normalize.js';

const CORPUS = `# intent: rate_inquiry
利息多少
年化是多少
利率高不高
日息多少钱
# intent: disbursement
什么时候放款
钱怎么还没到账
多久能到账
放款要多久
# intent: apply_loan
我想借钱
怎么申请贷款
我要贷款
想借5万
`;

const TODAY = calendarDate('2026-11-20');
let nlu: Nlu;

beforeAll(() => {
  const parsed = parseCorpusFile('inline.txt', CORPUS);
  if (!parsed.ok) throw new Error(parsed.error.reason);
  const toSimplified = createToSimplified();
  const segment = createSegmenter(dict);
  const options = {
    epochs: 20,
    learningRate: 1,
    l2: 1e-5,
    seed: 7,
    calibrationFolds: 0,
  };
  const intentModel = trainIntentModel(
    parsed.value,
    toSimplified,
    segment,
    options,
  );
  nlu = createNlu({ intentModel, toSimplified, segment });
});

describe('NLU facade', () => {
  it('answers with every field of the contract', () => {
    const result = nlu.understand({
      text: '想借五万元分3年，利息多少',
      today: TODAY,
    });
    expect(INTENTS).toContain(result.intent);
    expect(result.confidence).toBeGreaterThanOrEqual(0);
    expect(result.confidence).toBeLessThanOrEqual(1);
    expect(result.slots).toEqual({ amount_yuan: 50_000, term_months: 36 });
    expect(result.emotion).toBe('neutral');
    expect(result.risk_signals).toEqual([]);
    expect(result.fraud_signals).toEqual([]);
  });

  it('classifies unseen wording of a trained intent', () => {
    expect(
      nlu.understand({ text: '年化利率多少啊', today: TODAY }).intent,
    ).toBe('rate_inquiry');
    expect(
      nlu.understand({ text: '钱什么时候到账', today: TODAY }).intent,
    ).toBe('disbursement');
  });

  it('reads traditional and full-width text like simplified text', () => {
    const simplified = nlu.understand({
      text: '想借5万，利息多少',
      today: TODAY,
    });
    const traditional = nlu.understand({
      text: '想借５萬，利息多少',
      today: TODAY,
    });
    expect(traditional).toEqual({
      ...simplified,
      normalized: traditional.normalized,
    });
  });

  it('lets a high-precision rule decide where the wording leaves no doubt', () => {
    // human_agent has no training example here; the rule still finds it.
    const result = nlu.understand({ text: '转人工', today: TODAY });
    expect(result.intent).toBe('human_agent');
    expect(result.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('resolves relative dates against the given today', () => {
    const result = nlu.understand({
      text: '下个月15号放款吗',
      today: calendarDate('2027-01-31'),
    });
    expect(result.slots.date).toBe('2027-02-15');
  });

  it('reports fraud and emotion cues', () => {
    const result = nlu.understand({
      text: '有人冒充你们客服让我先交保证金😭',
      today: TODAY,
    });
    expect(result.fraud_signals).toEqual(['upfront_fee', 'impersonation']);
    expect(result.emotion).toBe('anxious');
  });

  it('answers any text of a chat turn with well-formed labels', () => {
    // Characters that drive the number, date and cue readers, mixed freely.
    const pool = [
      ...'0123456789一二两三五十百千万亿wk.,号月年期天下个明后周借贷还款利息元块有人让我交钱😭!?？ Ｌl',
    ].map((char) => fc.constant(char));
    const text = fc
      .array(fc.oneof(...pool), { maxLength: 120 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(text, (input) => {
        const result = nlu.understand({ text: input, today: TODAY });
        expect(INTENTS).toContain(result.intent);
        expect(EMOTIONS).toContain(result.emotion);
        expect(result.confidence).toBeGreaterThanOrEqual(0);
        expect(result.confidence).toBeLessThanOrEqual(1);
        for (const key of [
          'amount_yuan',
          'term_months',
          'monthly_income_yuan',
        ] as const) {
          const value = result.slots[key];
          if (value !== undefined)
            expect(Number.isFinite(value) && value > 0).toBe(true);
        }
        if (result.slots.date !== undefined) {
          expect(parseCalendarDate(result.slots.date)).toBe(result.slots.date);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses text longer than a chat turn', () => {
    expect(() =>
      nlu.understand({ text: '贷'.repeat(2001), today: TODAY }),
    ).toThrow();
  });
});
