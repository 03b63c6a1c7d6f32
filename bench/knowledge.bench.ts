// Measures the knowledge base. (1) Question-pair matching on the public
// BQ, AFQMC and ATEC sets: how well `similarity` separates same-meaning
// from different-meaning pairs. The accuracy threshold is chosen on a dev
// split and applied to a test split; F1, ROC AUC and Spearman need no
// threshold. (2) Retrieval on our own held-out questions. (3) Query latency.
// The public sets are read from /work/shared/data at run time only: they
// have no redistribution licence, so nothing from them (text, thresholds)
// enters the repository; only these aggregate numbers do.
// Run: node bin/run-ts.js bench/knowledge.bench.ts [--write]
// With --write it replaces the `## Knowledge base` section of BENCHMARKS.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import {
  createKnowledgeTools,
  KNOWLEDGE_DIR_DEFAULT,
  type LabelledQuestion,
  readKnowledgeEntries,
  readLabelledQuestions,
} from '../src/adapters/knowledge/load-knowledge.js';
import {
  bestAccuracyThreshold,
  pairMetricsAt,
  rocAuc,
  type ScoredPair,
  spearman,
} from '../src/domain/knowledge/pair-metrics.js';
import {
  createKnowledgeBase,
  type KnowledgeBase,
} from '../src/domain/knowledge/retrieve.js';
import { createSimilarity } from '../src/domain/knowledge/similarity.js';

const DATA_DIR = process.env.LOANDESK_PUBLIC_DATA ?? '/work/shared/data';

type Pair = { s1: string; s2: string; label: number };

function readPairs(relative: string): Pair[] {
  return readFileSync(join(DATA_DIR, relative), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Pair);
}

const started = performance.now();
const tools = createKnowledgeTools();
const toolsMs = performance.now() - started;
const similarity = createSimilarity(tools.tokenize, tools.weight);

function score(pairs: readonly Pair[]): ScoredPair[] {
  return pairs.map(({ s1, s2, label }) => ({
    score: similarity(s1, s2),
    same: label === 1,
  }));
}

type Row = {
  name: string;
  thresholdFrom: string;
  threshold: number;
  test: ScoredPair[];
  majority: number;
};

function matchingRow(
  name: string,
  dev: ScoredPair[],
  devName: string,
  test: ScoredPair[],
): Row {
  const positives = test.filter((pair) => pair.same).length;
  const majority = Math.max(positives, test.length - positives) / test.length;
  return {
    name,
    thresholdFrom: devName,
    threshold: bestAccuracyThreshold(dev),
    test,
    majority,
  };
}

const pct = (value: number) => `${(value * 100).toFixed(1)} %`;

function matchingLine(row: Row): string {
  const at = pairMetricsAt(row.test, row.threshold);
  return `| ${row.name} | ${row.test.length} | ${row.thresholdFrom}: ${row.threshold.toFixed(3)} | ${pct(at.accuracy)} (majority ${pct(row.majority)}) | ${pct(at.f1)} | ${rocAuc(row.test).toFixed(3)} | ${(spearman(row.test) * 100).toFixed(2)} |`;
}

const pairStarted = performance.now();
const bqDev = score(readPairs('bq/dev.jsonl'));
const bqTest = score(readPairs('bq/test.jsonl'));
const afqmcDev = score(readPairs('afqmc/dev.jsonl'));
const afqmcLoan = score(readPairs('afqmc/dev_loan.jsonl'));
const atec = score(readPairs('atec/test_jiebei.jsonl'));
const pairCount =
  bqDev.length +
  bqTest.length +
  afqmcDev.length +
  afqmcLoan.length +
  atec.length;
const pairsPerSecond = pairCount / ((performance.now() - pairStarted) / 1000);

const rows = [
  matchingRow('BQ test (WeBank 微粒贷)', bqDev, 'BQ dev', bqTest),
  matchingRow('ATEC 借呗 test subset', afqmcDev, 'AFQMC dev', atec),
  // AFQMC has no labelled test split here: its row scores the dev split
  // with the dev-chosen threshold (in-sample accuracy; AUC is unaffected).
  matchingRow(
    'AFQMC dev (花呗/借呗), in-sample',
    afqmcDev,
    'AFQMC dev',
    afqmcDev,
  ),
  matchingRow(
    'AFQMC dev loan subset, in-sample',
    afqmcLoan,
    'AFQMC loan',
    afqmcLoan,
  ),
];

// Retrieval on our own content.
const entries = readKnowledgeEntries();
const kb = createKnowledgeBase(entries, tools);
const heldOut = (name: string): LabelledQuestion[] =>
  readLabelledQuestions(join(KNOWLEDGE_DIR_DEFAULT, 'held-out', name));

function retrievalLine(name: string, questions: LabelledQuestion[]): string {
  let top1 = 0;
  let answeredRight = 0;
  let answeredWrong = 0;
  for (const { question, entryId } of questions) {
    const [top] = kb.search(question, 1);
    if (top?.entryId === entryId) top1 += 1;
    const found = kb.answer(question);
    if (found === undefined) continue;
    if (found.entryId === entryId) answeredRight += 1;
    else answeredWrong += 1;
  }
  const n = questions.length;
  return `| ${name} | ${n} | ${pct(top1 / n)} | ${pct(answeredRight / n)} | ${pct(answeredWrong / n)} | ${pct((n - answeredRight - answeredWrong) / n)} |`;
}

// Each question is asked ROUNDS times. The raw percentiles count every
// call; the "best of rounds" percentiles take each question's fastest call,
// which removes the time slices other processes take on a shared machine
// (the same question repeated costs the same work).
const ROUNDS = 5;

function latency(base: KnowledgeBase, questions: readonly string[]) {
  for (const question of questions.slice(0, 200)) base.answer(question);
  const all: number[] = [];
  const best = questions.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < ROUNDS; round += 1) {
    questions.forEach((question, index) => {
      const before = performance.now();
      base.answer(question);
      const elapsed = performance.now() - before;
      all.push(elapsed);
      best[index] = Math.min(best[index] ?? elapsed, elapsed);
    });
  }
  const at = (samples: number[], share: number) => {
    const sorted = [...samples].sort((a, b) => a - b);
    return sorted[Math.floor(share * (sorted.length - 1))] ?? 0;
  };
  return {
    n: questions.length,
    p50: at(all, 0.5),
    p99: at(all, 0.99),
    bestP50: at(best, 0.5),
    bestP99: at(best, 0.99),
  };
}

// Retrieval on real customer wording: BQ's derived paraphrase clusters
// (see its README) become FAQ entries. Within each cluster, questions at
// even positions are indexed and those at odd positions are asked; top-1 is
// right when it lands in the asker's cluster (a lower bound: one intent can
// span two clusters).
type ClusterLine = { text: string; cluster: number };

function clusterRetrieval(relative: string) {
  const byCluster = new Map<number, string[]>();
  for (const line of readFileSync(join(DATA_DIR, relative), 'utf8').split(
    '\n',
  )) {
    if (line.trim() === '') continue;
    const { text, cluster } = JSON.parse(line) as ClusterLine;
    byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), text]);
  }
  const clusterEntries = [...byCluster].map(([cluster, texts]) => ({
    id: `cluster-${cluster}`,
    topic: 'bq',
    questions: texts.filter((_, i) => i % 2 === 0).slice(0, 20),
    answer: '',
  }));
  const base = createKnowledgeBase(clusterEntries, tools, 0);
  let asked = 0;
  let right = 0;
  for (const [cluster, texts] of byCluster) {
    texts.forEach((text, i) => {
      if (i % 2 === 0) return;
      asked += 1;
      if (base.search(text, 1)[0]?.entryId === `cluster-${cluster}`) right += 1;
    });
  }
  return { clusters: byCluster.size, asked, top1: right / asked };
}

const clusterDev = clusterRetrieval('bq/clusters_dev.jsonl');
const clusterTest = clusterRetrieval('bq/clusters_test.jsonl');

// Real customer questions (BQ test, first sentence of each pair) plus ours.
const queries = [
  ...new Set(readPairs('bq/test.jsonl').map((pair) => pair.s1)),
].slice(0, 3000);
const latencyResult = latency(kb, queries);
const buildStarted = performance.now();
createKnowledgeBase(entries, tools);
const buildMs = performance.now() - buildStarted;

const date = new Date().toISOString().slice(0, 10);
const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
const lines = [
  '## Knowledge base',
  '',
  `Measured ${date} on ${cpu} (${os.cpus().length} cores, shared), Node ${process.version}.`,
  'Reproduce with `node bin/run-ts.js bench/knowledge.bench.ts` (add `--write` to refresh this section); the public sets are read from `/work/shared/data/` at run time and never copied.',
  '',
  `### Question-pair matching (\`similarity\`, ${Math.round(pairsPerSecond)} pairs/s)`,
  '',
  "No training: jieba words plus character pairs, synonyms, weights from jieba's general-corpus IDF table, weighted cosine. The accuracy threshold is picked on the dev split named and applied unchanged to the test split; it is used only here (the product threshold comes from our own content).",
  '',
  '| set | pairs | threshold chosen on | accuracy | F1 (same) | ROC AUC | Spearman ×100 |',
  '|---|---|---|---|---|---|---|',
  ...rows.map(matchingLine),
  '',
  "Published baselines, all models trained on the set's own training split (we train on nothing):",
  '',
  '| set | model | score | source |',
  '|---|---|---|---|',
  '| BQ test | ERNIE 2.0 base / large (fine-tuned) | accuracy 85.0 % / 85.2 % | ERNIE 2.0 paper, via paperswithcode |',
  '| BQ test | CoSENT bert-base-chinese (trained on BQ) | Spearman 72.38 | shibing624/text2vec README |',
  '| BQ test | Word2Vec average, Tencent embeddings (untrained on BQ) | Spearman 31.49 | shibing624/text2vec README |',
  '| BQ test | text2vec-base-chinese (CoSENT, STS-B) | Spearman 42.67 | shibing624/text2vec README |',
  '| ATEC test (all 20,000 pairs, not the 借呗 subset) | CoSENT bert-base-chinese | Spearman 49.74 | shibing624/text2vec README |',
  '| AFQMC dev | BERT-base (fine-tuned) | accuracy 73.70 % | CLUE baseline as reported by PaddleNLP |',
  '| AFQMC dev | BERT-base (fine-tuned) | accuracy 73.1 %, AUC 0.768 | bigjeager/afqmc README (source of this copy) |',
  '| AFQMC dev | RoBERTa-wwm-ext-large (fine-tuned) | accuracy 76.20 % | PaddleNLP CLUE table |',
  '',
  '### Retrieval on real customer wording (BQ paraphrase clusters)',
  '',
  "Each cluster becomes an entry indexed with its even-position questions (at most 20); its odd-position questions are asked. Top-1 right = lands in the asker's own cluster (a lower bound, since one intent can span two clusters). No threshold.",
  '',
  '| split | clusters | questions asked | top-1 right |',
  '|---|---|---|---|',
  `| BQ clusters dev | ${clusterDev.clusters} | ${clusterDev.asked} | ${pct(clusterDev.top1)} |`,
  `| BQ clusters test | ${clusterTest.clusters} | ${clusterTest.asked} | ${pct(clusterTest.top1)} |`,
  '',
  '### Retrieval on our own held-out questions (never indexed)',
  '',
  `${entries.length} entries, ${entries.reduce((sum, entry) => sum + entry.questions.length, 0)} phrasings; confidence threshold ${kb.confidenceMin} (calibrated by \`bench/knowledge-calibration.ts\` on our content).`,
  '',
  '| set | questions | top-1 right | answered right | answered wrong | refused |',
  '|---|---|---|---|---|---|',
  retrievalLine(
    'development paraphrases (guided design)',
    heldOut('paraphrases.yaml'),
  ),
  retrievalLine(
    'blind paraphrases (first scored 84.1 % top-1, before ten later entries)',
    heldOut('blind.yaml'),
  ),
  retrievalLine(
    'out-of-domain (must be refused)',
    heldOut('out-of-domain.yaml'),
  ),
  '',
  '### Latency',
  '',
  '| measure | value | target |',
  '|---|---|---|',
  `| \`answer()\` p50 / p99, every call (${latencyResult.n} real customer questions from BQ test × ${ROUNDS}) | ${latencyResult.p50.toFixed(3)} / ${latencyResult.p99.toFixed(3)} ms | p99 ≤ 2 ms |`,
  `| \`answer()\` p50 / p99, each question's best of ${ROUNDS} | ${latencyResult.bestP50.toFixed(3)} / ${latencyResult.bestP99.toFixed(3)} ms | p99 ≤ 2 ms |`,
  `| build the index (${entries.length} entries) | ${buildMs.toFixed(0)} ms | start-up |`,
  `| load jieba and the IDF table | ${toolsMs.toFixed(0)} ms | start-up, once per process |`,
  '',
  `Machine load average during the run: ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores (other engineers' jobs). Under that load the every-call p99 is dominated by time slices lost to other processes; the best-of-${ROUNDS} column is the cost of the work itself.`,
  '',
];
const section = lines.join('\n');
process.stdout.write(`${section}\n`);

if (process.argv.includes('--write')) {
  const path = 'BENCHMARKS.md';
  const current = existsSync(path)
    ? readFileSync(path, 'utf8')
    : '# Benchmarks\n';
  const start = current.indexOf('\n## Knowledge base\n');
  let next = start < 0 ? -1 : current.indexOf('\n## ', start + 1);
  if (next < 0) next = current.length;
  const updated =
    start < 0
      ? `${current.trimEnd()}\n\n${section}`
      : `${current.slice(0, start + 1)}${section}${current.slice(next + 1).length > 0 ? `\n${current.slice(next + 1)}` : ''}`;
  writeFileSync(path, updated);
}
