// Measures the agent-act classifier the simulated customers read trainees
// with: trains on the fixed training split of content/training/agent-acts.txt
// (the held-out 20 % by text hash is never seen), scores the held-out split
// per act, times training and reading a whole trainee message.
// Run: node bin/run-ts.js bench/agent-acts.bench.ts [--errors]

import { readFileSync } from 'node:fs';
import os from 'node:os';
import { loadAgentActs } from '../src/adapters/training/load-agent-acts.js';
import { calendarDate } from '../src/domain/shared/calendar-date.js';
import {
  AGENT_ACT_CONFIDENCE_MIN,
  AGENT_ACTS,
  evaluateAgentActs,
  isHeldOutClause,
  parseAgentActCorpus,
} from '../src/domain/training/agent-acts.js';
import { readAgentMessage } from '../src/domain/training/read-agent-message.js';

const percent = (value: number): string => `${(value * 100).toFixed(1)} %`;

const loaded = loadAgentActs({ trainOn: 'train', cacheDir: null });
const heldOut = loaded.corpus.filter((c) => isHeldOutClause(c.text));
const train = loaded.corpus.filter((c) => !isHeldOutClause(c.text));
const evaluation = evaluateAgentActs(loaded.model, heldOut);
const onTrain = evaluateAgentActs(loaded.model, train);
const challengeParsed = parseAgentActCorpus(
  'agent-acts-challenge.txt',
  readFileSync(
    new URL('../content/training/agent-acts-challenge.txt', import.meta.url),
    'utf8',
  ),
);
if (!challengeParsed.ok) throw new Error(challengeParsed.error);
const challenge = evaluateAgentActs(loaded.model, challengeParsed.value);

const messages = [
  '您好，我是LoanDesk客服。让您久等了，非常理解您着急的心情。为了帮您查询进度，请提供您的姓名和注册手机号。',
  '已核实，感谢配合。请问您是着急什么时候用这笔钱呢？',
  '明白了。①请在App上传收入证明；②材料齐全后一般3个工作日内完成审核；③我会请专员跟进进度，审批结果以短信通知为准。请问还有其他可以帮您的吗？',
];
const today = calendarDate('2026-11-23');
const rounds = 200;
const started = performance.now();
for (let round = 0; round < rounds; round += 1)
  for (const message of messages)
    readAgentMessage(loaded.model, message, today);
const perMessageMs = (performance.now() - started) / (rounds * messages.length);

const lines = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus()[0]?.model ?? 'cpu'} (${os.cpus().length} cores, load ${os.loadavg()[0]?.toFixed(1)}), Node ${process.version}.`,
  `Corpus: ${loaded.corpus.length} labelled agent clauses, ${AGENT_ACTS.length} acts; trained on ${train.length}, scored on the held-out ${heldOut.length}.`,
  '',
  `| measure | held-out (${heldOut.length}) | challenge set (${challenge.clauses}) | training split (${train.length}) |`,
  '|---|---|---|---|',
  `| act accuracy (clauses below confidence ${AGENT_ACT_CONFIDENCE_MIN} read as other) | ${percent(evaluation.accuracy)} | ${percent(challenge.accuracy)} | ${percent(onTrain.accuracy)} |`,
  `| act macro-F1 | ${percent(evaluation.macroF1)} | ${percent(challenge.macroF1)} | ${percent(onTrain.macroF1)} |`,
  `| training time (softmax + 3-fold temperature fit) | ${loaded.trainingMs.toFixed(0)} ms | — | — |`,
  `| reading one trainee message (3–6 clauses) | ${perMessageMs.toFixed(2)} ms | — | — |`,
  '',
  '| act | precision | recall | held-out n |',
  '|---|---|---|---|',
  ...Object.entries(evaluation.perAct).map(
    ([act, s]) =>
      `| ${act} | ${percent(s.precision)} | ${percent(s.recall)} | ${s.support} |`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
if (process.argv.includes('--errors'))
  for (const [set, errors] of [
    ['held-out', evaluation.errors],
    ['challenge', challenge.errors],
  ] as const)
    for (const error of errors)
      process.stdout.write(
        `${set}\t${error.gold} → ${error.read}\t${error.text}\n`,
      );
