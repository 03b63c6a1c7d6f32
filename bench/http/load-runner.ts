// The load generator of bench/http.bench.ts, run as its own process so it
// does not share the event loop with the server it measures. Reads a plan
// (JSON file named on the command line), drives it with autocannon, prints
// one JSON line: requests per second, latency percentiles, errors.
//
// Requests rotate over the plan's list from a shared counter, so concurrent
// connections address different conversations (or loans); `uniqueKey` adds
// a fresh Idempotency-Key to every request; `uniqueText` sends each chat
// message as a text never sent before (cold caches, see chat-mix.ts).
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { uniqueText } from './chat-mix.js';

export type LoadPlan = {
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly method: 'GET' | 'POST';
  readonly uniqueKey?: boolean;
  readonly uniqueText?: boolean;
  /** First running number of `uniqueText` (unique across runs). */
  readonly uniqueFrom?: number;
  readonly requests: readonly {
    readonly path: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
    /** The chat message of `body`, for `uniqueText`. */
    readonly text?: string;
  }[];
};

export type LoadResult = {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly total: number;
  readonly non2xx: number;
  readonly errors: number;
};

const planFile = process.argv[2];
if (planFile === undefined) throw new Error('usage: load-runner PLAN.json');
const plan = JSON.parse(readFileSync(planFile, 'utf8')) as LoadPlan;
let next = 0;
const run = `${process.pid}-${Date.now()}`;

const result = await autocannon({
  url: plan.url,
  connections: plan.connections,
  duration: plan.durationSeconds,
  method: plan.method,
  requests: [
    {
      setupRequest: (request) => {
        const index = next;
        next += 1;
        const item = plan.requests[index % plan.requests.length];
        if (item === undefined) return request;
        return {
          ...request,
          method: plan.method,
          path: item.path,
          headers: {
            'content-type': 'application/json',
            ...item.headers,
            ...(plan.uniqueKey === true
              ? { 'idempotency-key': `bench-${run}-${index}` }
              : {}),
          },
          body:
            plan.uniqueText === true && item.text !== undefined
              ? JSON.stringify({
                  text: uniqueText(item.text, (plan.uniqueFrom ?? 0) + index),
                })
              : item.body,
        };
      },
    },
  ],
});

const out: LoadResult = {
  requestsPerSecond: result.requests.average,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  total: result.requests.total,
  non2xx: result.non2xx,
  errors: result.errors,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
