import { describe, expect, it } from 'vitest';
import { isHeldOut, parseCorpusFile, splitCorpus } from './corpus.js';

const FILE = [
  '# intent: apply_loan',
  '# today: 2026-11-20',
  '想借5万 | amount_yuan=50000',
  '# a comment',
  '急用钱 | emotion=anxious risk=urgent_need,rate_insensitive',
  '下个月15号还 | date=2026-12-15 fraud=upfront_fee',
  '',
].join('\n');

describe('corpus files', () => {
  it('parses utterances with their labels', () => {
    const parsed = parseCorpusFile('apply_loan.txt', FILE);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.map((u) => u.text)).toEqual([
      '想借5万',
      '急用钱',
      '下个月15号还',
    ]);
    expect(parsed.value[0]).toMatchObject({
      intent: 'apply_loan',
      slots: { amount_yuan: 50000 },
      emotion: 'neutral',
      source: 'apply_loan.txt:3',
    });
    expect(parsed.value[1]?.riskSignals).toEqual([
      'urgent_need',
      'rate_insensitive',
    ]);
    expect(parsed.value[2]?.slots.date).toBe('2026-12-15');
    expect(parsed.value[2]?.fraudSignals).toEqual(['upfront_fee']);
  });

  it.each([
    ['# intent: not_an_intent\n你好', 'unknown intent'],
    ['你好', 'before the intent header'],
    ['# intent: greeting\n你好 | mood=happy', 'unknown annotation'],
    ['# intent: greeting\n你好 | risk=not_a_signal', 'unknown annotation'],
    ['# intent: greeting\n你好 | date=2026-02-30', 'unknown annotation'],
  ])('rejects %j with a line reference', (content, reason) => {
    const parsed = parseCorpusFile('x.txt', content);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.code).toBe('corpus.bad_line');
    expect(parsed.error.reason).toContain(reason);
    expect(parsed.error.source).toMatch(/^x\.txt:\d+$/);
  });

  it('splits by text hash, so the held-out part does not depend on order', () => {
    const parsed = parseCorpusFile('apply_loan.txt', FILE);
    if (!parsed.ok) throw new Error('fixture must parse');
    const forward = splitCorpus(parsed.value);
    const backward = splitCorpus([...parsed.value].reverse());
    expect(new Set(forward.heldOut.map((u) => u.text))).toEqual(
      new Set(backward.heldOut.map((u) => u.text)),
    );
    expect(forward.train.length + forward.heldOut.length).toBe(3);
  });

  it('holds out about a fifth of many texts', () => {
    const texts = Array.from({ length: 5000 }, (_, index) => `句子${index}`);
    const share = texts.filter(isHeldOut).length / texts.length;
    expect(share).toBeGreaterThan(0.17);
    expect(share).toBeLessThan(0.23);
  });
});
