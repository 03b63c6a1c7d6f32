// Bot turns per second in process and latency per turn of the dialogue
// engine (NLU + policy + loan engine + FAQ retrieval + compliance gate), over the scripted
// scenarios of test/fixtures/chat/scenarios.json played again and again, each
// from a fresh session. The NLU's start-up training is outside the timing.
// Run: node bin/run-ts.js bench/dialogue.bench.ts
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { loadCatalogue } from '../src/adapters/catalogue/load-catalogue.js';
import { defaultComplianceEngine } from '../src/adapters/compliance/load-pack.js';
import { parseSetup } from '../src/adapters/dialogue/setup-codec.js';
import { loadKnowledgeBase } from '../src/adapters/knowledge/load-knowledge.js';
import { loadNlu } from '../src/adapters/nlu/load-nlu.js';
import { createDialogueEngine } from '../src/domain/dialogue/policy/engine.js';
import { initialDialogueState } from '../src/domain/dialogue/policy/state.js';
import type { CustomerData } from '../src/domain/dialogue/policy/types.js';
import {
  type CalendarDate,
  calendarDate,
} from '../src/domain/shared/calendar-date.js';

type Scenario = {
  id: string;
  today: string;
  setup: unknown;
  turns: { user: string }[];
};
type Prepared = { today: CalendarDate; data: CustomerData; texts: string[] };

const ROUNDS = 60;
const WARM_UP_ROUNDS = 5;

const scenarios = JSON.parse(
  readFileSync(
    new URL('../test/fixtures/chat/scenarios.json', import.meta.url),
    'utf8',
  ),
) as Scenario[];
const prepared: Prepared[] = scenarios.map((s) => {
  const today = calendarDate(s.today);
  return {
    today,
    data: parseSetup(s.setup, today),
    texts: s.turns.map((t) => t.user),
  };
});

const { nlu } = loadNlu();
const engine = createDialogueEngine({
  nlu,
  compliance: defaultComplianceEngine(),
  catalogue: loadCatalogue(),
  knowledge: loadKnowledgeBase(),
});

// CPU time of this process per turn (process.cpuUsage, microseconds): the
// machine is shared, and wall-clock outliers there are mostly time spent
// descheduled; both are reported.
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

const cpuLatencies: number[] = [];

function playAll(latenciesMs: number[] | undefined): number {
  let turns = 0;
  for (const scenario of prepared) {
    let state = initialDialogueState();
    for (const text of scenario.texts) {
      const started = performance.now();
      const cpuStarted = cpuMs();
      const outcome = engine.respond({
        state,
        data: scenario.data,
        today: scenario.today,
        text,
      });
      latenciesMs?.push(performance.now() - started);
      if (latenciesMs !== undefined) cpuLatencies.push(cpuMs() - cpuStarted);
      state = outcome.state;
      turns += 1;
    }
  }
  return turns;
}

function quantile(sorted: readonly number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

for (let round = 0; round < WARM_UP_ROUNDS; round += 1) playAll(undefined);
const latencies: number[] = [];
const started = performance.now();
let turns = 0;
for (let round = 0; round < ROUNDS; round += 1) turns += playAll(latencies);
const elapsedMs = performance.now() - started;
latencies.sort((a, b) => a - b);
cpuLatencies.sort((a, b) => a - b);

const nluLatencies: number[] = [];
for (let round = 0; round < 10; round += 1)
  for (const scenario of prepared)
    for (const text of scenario.texts) {
      const t0 = performance.now();
      nlu.understand({ text, today: scenario.today });
      nluLatencies.push(performance.now() - t0);
    }
nluLatencies.sort((a, b) => a - b);

const f = (ms: number) => ms.toFixed(3);
console.log(
  [
    `Node ${process.version}; ${scenarios.length} scenarios, ${turns / ROUNDS} turns a round, ${ROUNDS} rounds after ${WARM_UP_ROUNDS} warm-up rounds (wall clock, one thread).`,
    '',
    '| measure | value | target |',
    '|---|---|---|',
    `| bot turns per second, in process | ${Math.round((turns * 1000) / elapsedMs).toLocaleString('en-US')} | — |`,
    `| latency per turn p50 / p90 / p99 | ${f(quantile(latencies, 0.5))} / ${f(quantile(latencies, 0.9))} / ${f(quantile(latencies, 0.99))} ms | p99 ≤ 5 ms |`,
    `| latency per turn max | ${f(latencies[latencies.length - 1] ?? 0)} ms | — |`,
    `| CPU time per turn p50 / p90 / p99 | ${f(quantile(cpuLatencies, 0.5))} / ${f(quantile(cpuLatencies, 0.9))} / ${f(quantile(cpuLatencies, 0.99))} ms | p99 ≤ 5 ms |`,
    `| load average during the run (1 min, 2 cores) | ${loadavg()[0]?.toFixed(2)} | — |`,
    `| of which NLU alone p50 / p99 | ${f(quantile(nluLatencies, 0.5))} / ${f(quantile(nluLatencies, 0.99))} ms | — |`,
  ].join('\n'),
);
