import { readdirSync, readFileSync } from 'node:fs';
import {
  CLASSIFIER_CLASSES,
  type ClassifierClass,
  type ClassifierModel,
  gramsOf,
} from '../../domain/compliance/classifier.js';
import type { Normalizer } from '../../domain/compliance/normalize.js';

// Counting for the naive Bayes backstop (classifier.ts): one presence count per
// distinct gram per message, per class. Used by train-classifier.ts and by the
// held-out benchmark, which trains without the set it measures.

/** Grams seen fewer times than this are dropped to keep the file small. */
export const GRAM_COUNT_MIN = 2;

export type LabelledSample = { text: string; label: ClassifierClass };

/** Every labelled set in dir/dev-set, optionally leaving some out. */
export function labelledSamples(
  dir: string,
  excludedSets: readonly string[] = [],
): LabelledSample[] {
  return readdirSync(`${dir}/dev-set`)
    .filter((name) => name.endsWith('.jsonl'))
    .filter((name) => !excludedSets.includes(name.replace(/\.jsonl$/, '')))
    .sort()
    .flatMap((name) =>
      readFileSync(`${dir}/dev-set/${name}`, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as LabelledSample),
    );
}

export type ClassifierCounts = {
  classCounts: number[];
  grams: [string, number[]][];
};

export function countGrams(
  samples: readonly LabelledSample[],
  normalizer: Normalizer,
): ClassifierCounts {
  const classCounts = CLASSIFIER_CLASSES.map(() => 0);
  const grams = new Map<string, number[]>();
  for (const sample of samples) {
    const index = CLASSIFIER_CLASSES.indexOf(sample.label);
    if (index < 0) throw new Error(`unknown label ${sample.label}`);
    classCounts[index] = (classCounts[index] ?? 0) + 1;
    for (const gram of gramsOf(normalizer.normalize(sample.text).text)) {
      const counts = grams.get(gram) ?? CLASSIFIER_CLASSES.map(() => 0);
      counts[index] = (counts[index] ?? 0) + 1;
      grams.set(gram, counts);
    }
  }
  const kept = [...grams]
    .filter(
      ([, counts]) =>
        counts.reduce((sum, count) => sum + count, 0) >= GRAM_COUNT_MIN,
    )
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return { classCounts, grams: kept };
}

export function toModel(
  counts: ClassifierCounts,
  thresholdLogOdds: number,
): ClassifierModel {
  return {
    classCounts: counts.classCounts,
    gramCounts: new Map(counts.grams),
    thresholdLogOdds,
  };
}
