// Proves the matcher reports every occurrence of every keyword, overlapping
// and nested ones included, with correct offsets — checked against a naive
// indexOf scan on random texts (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMatcher } from './matcher.js';

function found(keywords: string[], text: string): string[] {
  const matches = createMatcher(keywords).scan(text);
  const out: string[] = [];
  for (let index = 0; index < matches.count; index += 1) {
    out.push(
      `${keywords[matches.keywords[index] ?? 0]}@${matches.starts[index]}-${matches.ends[index]}`,
    );
  }
  return out.sort();
}

function naive(keywords: string[], text: string): string[] {
  const out: string[] = [];
  for (const keyword of keywords) {
    for (
      let at = text.indexOf(keyword);
      at >= 0;
      at = text.indexOf(keyword, at + 1)
    ) {
      out.push(`${keyword}@${at}-${at + keyword.length}`);
    }
  }
  return out.sort();
}

describe('matcher', () => {
  it('reports overlapping and nested keywords', () => {
    expect(
      found(['包过', '过', '保证', '证金', '保证金'], '包过保证金'),
    ).toEqual(
      ['包过@0-2', '过@1-2', '保证@2-4', '保证金@2-5', '证金@3-5'].sort(),
    );
  });

  it('finds the same matches as a naive scan on random texts', () => {
    const alphabet = fc.constantFrom('包', '过', '保', '证', '金', 'a', 'b');
    const word = fc
      .array(alphabet, { minLength: 1, maxLength: 4 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(
        fc.uniqueArray(word, { minLength: 1, maxLength: 12 }),
        fc.array(alphabet, { maxLength: 60 }).map((chars) => chars.join('')),
        (keywords, text) => {
          expect(found(keywords, text)).toEqual(naive(keywords, text));
        },
      ),
    );
  });

  it('grows its result buffer for a text with many matches', () => {
    const text = '过'.repeat(10_000);
    expect(createMatcher(['过']).scan(text).count).toBe(10_000);
  });
});
