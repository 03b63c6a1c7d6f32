import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trainSoftmax } from '../../domain/dialogue/nlu/softmax-classifier.js';
import {
  modelCacheKey,
  readCachedModel,
  writeCachedModel,
} from './model-cache.js';

const dir = mkdtempSync(join(tmpdir(), 'loandesk-nlu-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MODEL = trainSoftmax(
  [
    { features: ['a'], label: 'x' },
    { features: ['b'], label: 'y' },
  ],
  ['x', 'y'],
  { epochs: 3, learningRate: 1, l2: 0, seed: 1 },
);

describe('NLU model cache', () => {
  it('reads back exactly the weights it wrote', () => {
    writeCachedModel(dir, 'k1', MODEL);
    const cached = readCachedModel(dir, 'k1');
    expect(cached?.labels).toEqual(MODEL.labels);
    expect([...(cached?.weights ?? [])]).toEqual([...MODEL.weights]);
    expect([...(cached?.bias ?? [])]).toEqual([...MODEL.bias]);
  });

  it('treats a missing or corrupt file as no cache', () => {
    expect(readCachedModel(dir, 'absent')).toBeUndefined();
    writeFileSync(join(dir, 'broken.json'), '{"labels":');
    expect(readCachedModel(dir, 'broken')).toBeUndefined();
  });

  it('changes the key when the corpus or the options change', () => {
    const base = modelCacheKey(['a.txt\n你好'], { epochs: 15 });
    expect(modelCacheKey(['a.txt\n你好'], { epochs: 15 })).toBe(base);
    expect(modelCacheKey(['a.txt\n您好'], { epochs: 15 })).not.toBe(base);
    expect(modelCacheKey(['a.txt\n你好'], { epochs: 16 })).not.toBe(base);
  });
});
