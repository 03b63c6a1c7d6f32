// Trains the naive Bayes backstop (src/domain/compliance/classifier.ts) on
// every labelled set in content/compliance/dev-set/ and writes
// content/compliance/classifier.json. All training text was written for
// LoanDesk; no third-party corpus is used.
// Run: node bin/run-ts.js src/adapters/compliance/train-classifier.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { CLASSIFIER_CLASSES } from '../../domain/compliance/classifier.js';
import { createNormalizer } from '../../domain/compliance/normalize.js';
import { countGrams, labelledSamples } from './classifier-training.js';
import { DEFAULT_PACK_DIR, traditionalCharMap } from './load-pack.js';

// The same character map as the engine: opencc's table plus the pack's own.
const header = parse(readFileSync(`${DEFAULT_PACK_DIR}/pack.yaml`, 'utf8')) as {
  char_map: Record<string, string>;
};
const normalizer = createNormalizer(
  new Map([...traditionalCharMap(), ...Object.entries(header.char_map)]),
);
const counts = countGrams(labelledSamples(DEFAULT_PACK_DIR), normalizer);
const file = {
  classes: CLASSIFIER_CLASSES,
  class_counts: counts.classCounts,
  grams: Object.fromEntries(counts.grams),
};
writeFileSync(
  `${DEFAULT_PACK_DIR}/classifier.json`,
  `${JSON.stringify(file)}\n`,
);
const messages = counts.classCounts.reduce((sum, count) => sum + count, 0);
process.stdout.write(`${messages} messages, ${counts.grams.length} grams\n`);
