// Proves the shipped corpus meets the brief (size, every intent, clean labels)
// and that loading trains once and then serves the same model from the cache.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { splitCorpus } from '../../domain/dialogue/nlu/corpus.js';
import { INTENTS } from '../../domain/dialogue/nlu/labels.js';
import { calendarDate } from '../../domain/shared/calendar-date.js';
import { loadNlu, readCorpus } from './load-nlu.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'loandesk-nlu-test-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('shipped NLU corpus', () => {
  const corpus = readCorpus();

  it('holds at least 1,500 utterances over all 23 intents', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(1500);
    for (const intent of INTENTS) {
      const count = corpus.filter((u) => u.intent === intent).length;
      expect(count, intent).toBeGreaterThanOrEqual(50);
    }
  });

  it('has no utterance twice', () => {
    const texts = corpus.map((u) => u.text);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('shares no utterance with the challenge sets, which are never trained on', () => {
    const challengeDir = fileURLToPath(
      new URL('../../../content/nlu/challenge/', import.meta.url),
    );
    const challenge = readCorpus(challengeDir).map((u) => u.text);
    expect(challenge.length).toBeGreaterThan(0);
    const training = new Set(corpus.map((u) => u.text));
    expect(challenge.filter((text) => training.has(text))).toEqual([]);
  });

  it('keeps a held-out split of about a fifth with every intent in it', () => {
    const { heldOut } = splitCorpus(corpus);
    expect(heldOut.length / corpus.length).toBeGreaterThan(0.15);
    expect(heldOut.length / corpus.length).toBeLessThan(0.25);
    expect(new Set(heldOut.map((u) => u.intent)).size).toBe(INTENTS.length);
  });
});

describe('loading the NLU', () => {
  it('trains on first load and reuses the cached weights on the next', {
    timeout: 120_000,
  }, () => {
    const first = loadNlu({ cacheDir });
    expect(first.trainingMs).toBeGreaterThan(0);
    expect(
      readdirSync(cacheDir).filter((name) => name.endsWith('.json')),
    ).toHaveLength(1);
    const second = loadNlu({ cacheDir });
    expect(second.trainingMs).toBe(0);
    const input = {
      text: '我想提前还款，要违约金吗',
      today: calendarDate('2026-11-20'),
    };
    expect(second.nlu.understand(input)).toEqual(first.nlu.understand(input));
    expect(first.nlu.understand(input).intent).toBe('early_repayment');
  });
});
