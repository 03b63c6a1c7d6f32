// Messages per second of the compliance engine on one core, full rule pack,
// messages of about 60 characters built from the dev set (two messages joined
// and cut to 60 characters, so violations and look-alikes are both present).
// Run: node bin/run-ts.js bench/compliance-throughput.ts
import { readFileSync } from 'node:fs';
import { defaultComplianceEngine } from '../src/adapters/compliance/load-pack.js';
import type { Recipient, Role } from '../src/domain/compliance/types.js';

type Sample = { text: string; role: Role; recipient: Recipient };

const MESSAGE_CHARS = 60;
const DURATION_MS = 3000;

const samples = readFileSync(
  new URL('../content/compliance/dev-set/dev-set.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Sample);
const messages = samples.map((sample, index) => {
  const next = samples[(index * 7 + 3) % samples.length] ?? sample;
  let text = `${sample.text}${next.text}`;
  while (text.length < MESSAGE_CHARS) text += sample.text;
  return { ...sample, text: text.slice(0, MESSAGE_CHARS) };
});
const meanChars =
  messages.reduce((sum, message) => sum + message.text.length, 0) /
  messages.length;

const engine = defaultComplianceEngine();

// Timed in CPU time of this process (process.cpuUsage), not wall time: the
// machine is shared, and "per core" means per second of one core's work.
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function measure(batch: typeof messages): {
  perSecond: number;
  blockedShare: number;
} {
  // Warm-up: let the JIT compile the hot paths before timing.
  for (let round = 0; round < 20; round += 1) {
    for (const message of batch) engine.check(message);
  }
  let checked = 0;
  let blocked = 0;
  const started = cpuMs();
  while (cpuMs() - started < DURATION_MS) {
    for (const message of batch) {
      if (engine.check(message).verdict === 'block') blocked += 1;
    }
    checked += batch.length;
  }
  const elapsedMs = cpuMs() - started;
  return {
    perSecond: Math.round((checked * 1000) / elapsedMs),
    blockedShare: blocked / checked,
  };
}

const compliant = messages.filter(
  (message) => engine.check(message).verdict === 'pass',
);
const all = measure(messages);
const clean = measure(compliant);
console.log(
  `messages of ${meanChars.toFixed(1)} characters, full pack, one core, ${DURATION_MS} ms of CPU time each:\n` +
    `- dev-set mix (${messages.length} messages, ${(100 * all.blockedShare).toFixed(0)} % blocked): ${all.perSecond.toLocaleString('en-US')} messages/s\n` +
    `- compliant only (${compliant.length} messages): ${clean.perSecond.toLocaleString('en-US')} messages/s`,
);
