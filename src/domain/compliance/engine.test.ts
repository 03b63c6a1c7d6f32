// Proves the engine's judgement of context on a small inline pack: negation,
// quotation, reported speech, fraud-warning frames, hedging, ordered and
// co-occurrence patterns, role/recipient/time conditions and spans mapped to
// the original text. The repository's own pack is tested in
// src/adapters/compliance/load-pack.test.ts.
import { describe, expect, it } from 'vitest';
import { createComplianceEngine } from './engine.js';
import { RECIPIENTS, ROLES, type Rule, type RulePack } from './types.js';

function rule(overrides: Partial<Rule> & Pick<Rule, 'id' | 'patterns'>): Rule {
  return {
    kind: 'lexical',
    category: 'promise_approval',
    severity: 'block',
    basis: 'MKT-05',
    message: 'm',
    suggestion: 's',
    conditions: { roles: ROLES, recipients: RECIPIENTS },
    context: { negation: true, quotation: true, warningFrame: true },
    gapCharsMax: 8,
    ...overrides,
  };
}

const PACK: RulePack = {
  version: '2026.1.1',
  charMap: new Map([
    ['過', '过'],
    ['您', '你'],
  ]),
  aliases: new Map([['抱过', '包过']]),
  negators: ['无法', '不会', '请勿'],
  negatorExceptions: ['不会想'],
  postNegators: ['是不存在的'],
  hedges: ['可能', '大概率'],
  firmMarkers: ['保证'],
  warningFrames: ['诈骗'],
  frameExceptions: ['诈骗罪'],
  reportedSpeech: ['你说的'],
  rules: [
    rule({
      id: 'a.literal',
      patterns: [{ ordered: true, groups: [['包过']] }],
      hedgedSeverity: 'warn',
    }),
    rule({
      id: 'a.sequence',
      patterns: [{ ordered: true, groups: [['保证'], ['下款', '放款']] }],
      hedgedSeverity: 'warn',
    }),
    rule({
      id: 'b.cooccur',
      category: 'unauthorized_payment',
      severity: 'warn',
      patterns: [{ ordered: false, groups: [['转账'], ['个人账户']] }],
    }),
    rule({
      id: 'c.threat',
      category: 'threat_intimidation',
      context: { negation: true, quotation: true, warningFrame: false },
      conditions: { roles: ['collector'], recipients: RECIPIENTS },
      patterns: [{ ordered: true, groups: [['坐牢']] }],
    }),
    rule({
      id: 'd.night',
      kind: 'always',
      category: 'threat_intimidation',
      conditions: {
        roles: ['collector'],
        recipients: RECIPIENTS,
        window: { fromMinute: 1320, toMinute: 480 },
      },
      patterns: [],
    }),
  ],
};

const engine = createComplianceEngine(PACK);
const agent = (text: string) =>
  engine.check({ text, role: 'agent', recipient: 'customer' });

describe('compliance engine', () => {
  it('blocks a firm promise and maps the span to the original text', () => {
    const text = '您放心，包 過！';
    const result = agent(text);
    expect(result.verdict).toBe('block');
    const span = result.violations[0]?.span ?? [0, 0];
    expect(text.slice(span[0], span[1])).toBe('包 過');
  });

  it('matches an evasive alias as the word it imitates', () => {
    expect(agent('抱过的').violations[0]?.rule).toBe('a.literal');
  });

  it('passes a negated statement', () => {
    expect(agent('我们无法保证一定下款').verdict).toBe('pass');
  });

  it('passes a quoted or reported trigger and one denied afterwards', () => {
    expect(agent('网上说“包过”都不可信').verdict).toBe('pass');
    expect(agent('你说的包过，我们做不到').verdict).toBe('pass');
    expect(agent('包过是不存在的').verdict).toBe('pass');
  });

  it('passes a trigger inside a fraud warning, but not a threat that names a crime', () => {
    expect(agent('要你转账到个人账户的都是诈骗').verdict).toBe('pass');
    const threat = engine.check({
      text: '你这是诈骗罪，要坐牢',
      role: 'collector',
      recipient: 'customer',
    });
    expect(threat.verdict).toBe('block');
  });

  it('downgrades a hedged promise to a warning unless a firm word remains', () => {
    expect(agent('大概率包过').verdict).toBe('warn');
    expect(agent('保证下款，可能明天').verdict).toBe('block');
  });

  it('finds co-occurring groups in either order within one sentence only', () => {
    expect(agent('个人账户可以，转账吧').violations[0]?.rule).toBe('b.cooccur');
    expect(agent('个人账户。转账').verdict).toBe('pass');
  });

  it('applies a rule only to the roles and hours it names', () => {
    expect(agent('要坐牢').verdict).toBe('pass');
    const late = engine.check({
      text: '请回电',
      role: 'collector',
      recipient: 'customer',
      atMinute: 23 * 60,
    });
    const noon = engine.check({
      text: '请回电',
      role: 'collector',
      recipient: 'customer',
      atMinute: 12 * 60,
    });
    expect(late.violations.map((v) => v.rule)).toEqual(['d.night']);
    expect(noon.verdict).toBe('pass');
  });

  it('gives an empty or blank text a pass', () => {
    expect(agent('').verdict).toBe('pass');
    expect(agent('   ').violations).toEqual([]);
  });
});
