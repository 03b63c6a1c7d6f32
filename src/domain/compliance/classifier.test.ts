// Proves the naive Bayes backstop on a tiny hand-made model: it flags wording
// shared with violations, stays silent on unknown or compliant wording, names
// the likeliest category, and adds only a warning through the engine.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLASSIFIER_CLASSES,
  type ClassifierModel,
  compileClassifier,
  gramsOf,
} from './classifier.js';
import { createComplianceEngine } from './engine.js';
import { RECIPIENTS, ROLES, type RulePack } from './types.js';

function counts(entries: Record<string, number>): number[] {
  return CLASSIFIER_CLASSES.map((name) => entries[name] ?? 0);
}

const MODEL: ClassifierModel = {
  classCounts: counts({ compliant: 10, insult_abuse: 10 }),
  gramCounts: new Map([
    ['废物', counts({ insult_abuse: 8 })],
    ['没用', counts({ insult_abuse: 6, compliant: 1 })],
    ['您好', counts({ compliant: 9 })],
    ['谢谢', counts({ compliant: 8 })],
  ]),
  thresholdLogOdds: 0,
};

describe('naive Bayes backstop', () => {
  const classifier = compileClassifier(MODEL);

  it('takes bigrams and trigrams without crossing punctuation', () => {
    expect([...gramsOf('你好，谢谢')].sort()).toEqual(['你好', '谢谢'].sort());
    expect(gramsOf('包过了')).toEqual(new Set(['包过', '过了', '包过了']));
  });

  it('finds through its gram table each known gram of a text once, in automaton order', () => {
    const grams = [
      '废物',
      '没用',
      '真是废',
      '是废物',
      '您好',
      '好谢',
      '谢谢您',
    ];
    const model: ClassifierModel = {
      ...MODEL,
      gramCounts: new Map(
        grams.map((gram) => [gram, counts({ compliant: 1 })]),
      ),
    };
    const compiled = compileClassifier(model);
    const alphabet = fc.constantFrom(...'真是废物没用您好谢，x');
    let stamp = 0;
    const seen = new Int32Array(grams.length);
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 30 }), (chars) => {
        const text = chars.join('');
        const codes = Uint16Array.from(text, (char) => char.charCodeAt(0));
        const out = new Int32Array(2 * text.length);
        stamp += 1;
        const count = compiled.gramTable.collect(
          codes,
          codes.length,
          seen,
          stamp,
          out,
        );
        const found = [...out.subarray(0, count)].map(
          (index) => compiled.gramKeys[index],
        );
        // Expected: by end position, longer gram first, first occurrence only.
        const expected: string[] = [];
        for (let end = 2; end <= text.length; end += 1) {
          for (const start of [end - 3, end - 2]) {
            const gram = start >= 0 ? text.slice(start, end) : '';
            if (model.gramCounts.has(gram) && !expected.includes(gram)) {
              expected.push(gram);
            }
          }
        }
        expect(found).toEqual(expected);
        expect(new Set(found)).toEqual(
          new Set([...gramsOf(text)].filter((gram) => grams.includes(gram))),
        );
      }),
    );
  });

  it('flags wording shared with labelled violations and names the category', () => {
    expect(classifier.classify('真是废物，没用')).toMatchObject({
      category: 'insult_abuse',
    });
  });

  it('stays silent on compliant or unknown wording', () => {
    expect(classifier.classify('您好，谢谢')).toBeUndefined();
    expect(classifier.classify('今天天气')).toBeUndefined();
  });

  it('adds a warning, never a block, and only when no rule fired', () => {
    const pack: RulePack = {
      version: '2026.1.1',
      charMap: new Map(),
      aliases: new Map(),
      negators: [],
      negatorExceptions: [],
      postNegators: [],
      hedges: [],
      firmMarkers: [],
      warningFrames: [],
      frameExceptions: [],
      reportedSpeech: [],
      classifier: MODEL,
      rules: [
        {
          id: 'insult.abuse',
          kind: 'lexical',
          category: 'insult_abuse',
          severity: 'block',
          basis: 'COL-05',
          message: '侮辱',
          suggestion: '请文明沟通',
          conditions: { roles: ROLES, recipients: RECIPIENTS },
          context: { negation: true, quotation: true, warningFrame: false },
          patterns: [{ ordered: true, groups: [['老赖']] }],
          gapCharsMax: 8,
        },
      ],
    };
    const engine = createComplianceEngine(pack);
    const check = (text: string) =>
      engine.check({ text, role: 'collector', recipient: 'customer' });
    expect(check('真是废物，没用')).toMatchObject({
      verdict: 'warn',
      violations: [{ rule: 'classifier.insult_abuse', basis: 'COL-05' }],
    });
    expect(check('你这个老赖，废物').violations.map((v) => v.rule)).toEqual([
      'insult.abuse',
    ]);
  });
});
