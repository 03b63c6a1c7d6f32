// Per-category precision and recall of the compliance engine on the labelled
// development set (content/compliance/dev-set/dev-set.jsonl), the rate of
// compliant messages wrongly blocked, and overall violation recall.
// Run: node bin/run-ts.js bench/compliance-quality.ts [--set NAME] [--misses]
//      [--heldout]  (retrain the classifier without NAME before measuring)
import { readFileSync } from 'node:fs';
import {
  countGrams,
  labelledSamples,
  toModel,
} from '../src/adapters/compliance/classifier-training.js';
import {
  DEFAULT_PACK_DIR,
  defaultComplianceEngine,
  loadRulePack,
} from '../src/adapters/compliance/load-pack.js';
import { createComplianceEngine } from '../src/domain/compliance/engine.js';
import { createNormalizer } from '../src/domain/compliance/normalize.js';
import {
  CATEGORIES,
  type Category,
  type Recipient,
  type Role,
} from '../src/domain/compliance/types.js';

type Sample = {
  id: string;
  text: string;
  role: Role;
  recipient: Recipient;
  label: Category | 'compliant';
  expect: 'pass' | 'warn' | 'block';
  tricky?: boolean;
};

const setIndex = process.argv.indexOf('--set');
const setName = setIndex > 0 ? process.argv[setIndex + 1] : 'dev-set';
const file = new URL(
  `../content/compliance/dev-set/${setName}.jsonl`,
  import.meta.url,
);
const samples = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Sample);
const showMisses = process.argv.includes('--misses');
// --heldout: the classifier never saw the measured set (the rules may have).
function heldOutEngine(name: string) {
  const pack = loadRulePack();
  if (!pack.ok) throw new Error(pack.error.join('; '));
  const threshold = pack.value.classifier?.thresholdLogOdds ?? 0;
  const counts = countGrams(
    labelledSamples(DEFAULT_PACK_DIR, [name]),
    createNormalizer(pack.value.charMap),
  );
  return createComplianceEngine({
    ...pack.value,
    classifier: toModel(counts, threshold),
  });
}
const engine = process.argv.includes('--heldout')
  ? heldOutEngine(setName ?? 'dev-set')
  : defaultComplianceEngine();

const flagged = new Map<Category, number>();
const correct = new Map<Category, number>();
const labelled = new Map<Category, number>();
let violations = 0;
let caught = 0;
let compliant = 0;
let tricky = 0;
let wronglyBlocked = 0;
let wronglyWarned = 0;
for (const sample of samples) {
  const result = engine.check(sample);
  const categories = new Set(result.violations.map((v) => v.category));
  for (const category of categories) {
    flagged.set(category, (flagged.get(category) ?? 0) + 1);
  }
  if (sample.label === 'compliant') {
    compliant += 1;
    if (sample.tricky === true) tricky += 1;
    if (result.verdict === 'block') wronglyBlocked += 1;
    if (result.verdict === 'warn') wronglyWarned += 1;
    if (showMisses && result.verdict !== 'pass') {
      const rules = result.violations.map(
        (v) => `${v.rule}「${sample.text.slice(v.span[0], v.span[1])}」`,
      );
      console.log(
        `FALSE ${result.verdict} ${sample.id} ${sample.text} ${rules.join(' ')}`,
      );
    }
    continue;
  }
  violations += 1;
  labelled.set(sample.label, (labelled.get(sample.label) ?? 0) + 1);
  if (result.verdict !== 'pass') caught += 1;
  if (categories.has(sample.label)) {
    correct.set(sample.label, (correct.get(sample.label) ?? 0) + 1);
  }
  if (showMisses && !categories.has(sample.label)) {
    const got = [...categories].join(',') || 'pass';
    console.log(`MISS ${sample.label} ${sample.id} ${sample.text} → ${got}`);
  }
  if (
    showMisses &&
    result.verdict !== sample.expect &&
    categories.has(sample.label)
  ) {
    console.log(
      `SEVERITY ${sample.id} expected ${sample.expect} got ${result.verdict} ${sample.text}`,
    );
  }
}

const percent = (numerator: number, denominator: number): string =>
  denominator === 0
    ? 'n/a'
    : `${((100 * numerator) / denominator).toFixed(1)} %`;
const lines = [
  `${setName}${process.argv.includes('--heldout') ? ' (classifier trained without it)' : ''}: ${samples.length} messages — ${violations} violations, ${compliant} compliant (${tricky} tricky look-alikes).`,
  '',
  '| category | messages | precision | recall |',
  '|---|---:|---:|---:|',
];
for (const category of CATEGORIES) {
  const hits = correct.get(category) ?? 0;
  lines.push(
    `| ${category} | ${labelled.get(category) ?? 0} | ${percent(hits, flagged.get(category) ?? 0)} | ${percent(hits, labelled.get(category) ?? 0)} |`,
  );
}
lines.push(
  '',
  `- Violation recall (verdict warn or block): ${percent(caught, violations)} (${caught}/${violations})`,
  `- Compliant wrongly blocked: ${percent(wronglyBlocked, compliant)} (${wronglyBlocked}/${compliant}); wrongly warned: ${percent(wronglyWarned, compliant)} (${wronglyWarned}/${compliant})`,
);
console.log(lines.join('\n'));
