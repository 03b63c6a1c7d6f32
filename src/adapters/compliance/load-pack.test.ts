// Proves the repository's rule pack loads and validates, that a broken pack is
// refused with a reason, that the checked-in character map is what opencc-js
// computes, and that the engine over the real pack meets the quality targets
// on the labelled dev set (recall of violations >= 97 %, compliant messages
// wrongly blocked <= 2 %) — a regression guard, not a timing test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNormalizer } from '../../domain/compliance/normalize.js';
import type {
  Category,
  Recipient,
  Role,
} from '../../domain/compliance/types.js';
import { computeCharMap } from './char-map.js';
import { countGrams, labelledSamples } from './classifier-training.js';
import {
  CHAR_MAP_FILE,
  DEFAULT_PACK_DIR,
  defaultComplianceEngine,
  loadRulePack,
  parseRulePack,
} from './load-pack.js';

type Sample = {
  id: string;
  text: string;
  role: Role;
  recipient: Recipient;
  label: Category | 'compliant';
};

function samples(name: string): Sample[] {
  return readFileSync(`${DEFAULT_PACK_DIR}/dev-set/${name}.jsonl`, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Sample);
}

const HEADER = `
version: "2026.1.1"
char_map: {}
aliases: {}
negators: [不会]
negator_exceptions: []
post_negators: []
hedges: []
firm_markers: []
warning_frames: []
frame_exceptions: []
reported_speech: []
rule_files: [one.yaml]
`;

describe('rule pack loading', () => {
  it('loads the repository pack with rules in all twelve categories', () => {
    const pack = loadRulePack();
    expect(pack.ok).toBe(true);
    if (!pack.ok) return;
    const categories = new Set(pack.value.rules.map((rule) => rule.category));
    expect(categories.size).toBe(12);
  });

  it('refuses a rule with an unknown category and names the file', () => {
    const rules = `rules:\n  - id: x.y\n    category: rudeness\n    severity: block\n    basis: "COL-05"\n    message: 说明\n    suggestion: 建议\n    patterns: [滚]\n`;
    const result = parseRulePack(
      HEADER,
      new Map([['one.yaml', rules]]),
      new Map(),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.join(' ')).toMatch(/one\.yaml.*category/);
  });

  it('refuses a basis that cites no rule id of regulations.md', () => {
    const rules = `rules:\n  - id: x.y\n    category: insult_abuse\n    severity: block\n    basis: "because"\n    message: 说明\n    suggestion: 建议\n    patterns: [滚蛋]\n`;
    const result = parseRulePack(
      HEADER,
      new Map([['one.yaml', rules]]),
      new Map(),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.join(' ')).toMatch(/basis/);
  });

  it('ships a classifier trained on the current labelled sets', () => {
    const pack = loadRulePack();
    if (!pack.ok) throw new Error(pack.error.join('; '));
    const shipped = JSON.parse(
      readFileSync(`${DEFAULT_PACK_DIR}/classifier.json`, 'utf8'),
    ) as { class_counts: number[]; grams: Record<string, number[]> };
    const counts = countGrams(
      labelledSamples(DEFAULT_PACK_DIR),
      createNormalizer(pack.value.charMap),
    );
    expect(shipped.class_counts).toEqual(counts.classCounts);
    expect(shipped.grams).toEqual(Object.fromEntries(counts.grams));
  });

  it('ships a character map equal to what opencc-js computes', () => {
    const shipped = JSON.parse(
      readFileSync(`${DEFAULT_PACK_DIR}/${CHAR_MAP_FILE}`, 'utf8'),
    ) as Record<string, string>;
    expect(shipped).toEqual(computeCharMap());
    expect(shipped.過).toBe('过');
  });
});

describe('the engine over the repository pack', () => {
  const engine = defaultComplianceEngine();

  it.each(['dev-set', 'holdout', 'holdout-2', 'holdout-3', 'holdout-4'])(
    'meets the recall and wrongly-blocked targets on %s',
    (name) => {
      const all = samples(name);
      const violations = all.filter((sample) => sample.label !== 'compliant');
      const compliant = all.filter((sample) => sample.label === 'compliant');
      const caught = violations.filter(
        (sample) => engine.check(sample).verdict !== 'pass',
      );
      const blocked = compliant.filter(
        (sample) => engine.check(sample).verdict === 'block',
      );
      expect(caught.length / violations.length).toBeGreaterThanOrEqual(0.97);
      expect(blocked.length / compliant.length).toBeLessThanOrEqual(0.02);
    },
  );

  it('judges each message alone, whatever it checked before (reused buffers)', () => {
    const all = ['dev-set', 'holdout', 'holdout-4'].flatMap(samples);
    const forward = all.map((sample) => engine.check(sample));
    // A long text in between grows and then drops the engine's buffers.
    const long = engine.check({
      text: `${'您好，'.repeat(20_000)}包过`,
      role: 'agent',
      recipient: 'customer',
    });
    expect(long.verdict).toBe('block');
    const backward = [...all].reverse().map((sample) => engine.check(sample));
    expect(backward.reverse()).toEqual(forward);
    const fresh = defaultComplianceEngine();
    expect(all.map((sample) => fresh.check(sample))).toEqual(forward);
  });

  it('labels each dev-set violation with its own category', () => {
    const wrong = samples('dev-set')
      .filter((sample) => sample.label !== 'compliant')
      .filter(
        (sample) =>
          !engine
            .check(sample)
            .violations.some(
              (violation) => violation.category === sample.label,
            ),
      )
      .map((sample) => sample.id);
    expect(wrong).toEqual([]);
  });
});

// Long texts: every hit is judged within its own clause/sentence scope
// (context.ts), so a long message is judged as its sentences are.
describe('long messages over the real pack', () => {
  const engine = defaultComplianceEngine();
  const all = ['dev-set', 'holdout', 'holdout-2', 'holdout-3', 'holdout-4']
    .flatMap(samples)
    .map((sample) => ({
      ...sample,
      expect: (sample as { expect?: string }).expect,
    }));
  const outline = (result: ReturnType<typeof engine.check>) =>
    `${result.verdict} ${result.violations.map((v) => v.rule).join(',')}`;

  it('blocks a message of about 1 MB dense with violations', () => {
    const violating = all.filter(
      (sample) => sample.expect === 'block' && sample.role === 'collector',
    );
    expect(violating.length).toBeGreaterThan(10);
    const parts: string[] = [];
    let length = 0;
    for (let at = 0; length < 1_000_000; at += 1) {
      const text = violating[at % violating.length]?.text ?? '';
      parts.push(text);
      length += text.length;
    }
    const result = engine.check({
      text: parts.join(''),
      role: 'collector',
      recipient: 'third_party',
    });
    expect(result.verdict).toBe('block');
    expect(result.violations.length).toBeGreaterThan(1);
  });

  it('judges a message repeated on 40 lines as it judges the message', () => {
    for (const sample of all) {
      const once = engine.check(sample);
      const repeated = engine.check({
        ...sample,
        text: Array.from({ length: 40 }, () => sample.text).join('\n'),
      });
      expect(`${sample.id} ${outline(repeated)}`).toBe(
        `${sample.id} ${outline(once)}`,
      );
    }
  });

  it('blocks a long compliant text once a violating sentence joins it', () => {
    const compliant = all.filter((sample) => sample.label === 'compliant');
    const text = compliant.map((sample) => sample.text).join('\n');
    const base = engine.check({ text, role: 'agent', recipient: 'customer' });
    expect(base.verdict).not.toBe('block');
    const withViolation = engine.check({
      text: `${text}\n您先交两千元手续费，交了就能放款。\n${text}`,
      role: 'agent',
      recipient: 'customer',
    });
    expect(withViolation.verdict).toBe('block');
    expect(withViolation.violations.map((v) => v.rule)).toContain(
      'unauthorized_payment.upfront_fee',
    );
  });

  it('passes an application-submission sentence but blocks a fee first', () => {
    const check = (text: string) =>
      engine.check({ text, role: 'agent', recipient: 'customer' });
    expect(check('您提交申请后，审批通过当天就可以放款。').verdict).toBe(
      'pass',
    );
    for (const text of [
      '先交手续费才能放款。',
      '提交申请再交2000块就能放款。',
      '交五百就能下款。',
    ]) {
      expect(check(text).violations.map((v) => v.rule)).toContain(
        'unauthorized_payment.upfront_fee',
      );
    }
  });
});
