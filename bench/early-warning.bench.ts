// Evaluates the early-warning scorecard (src/domain/collections/early-warning.ts).
// (1) On the public UCI "default of credit card clients" set (Yeh & Lien
// 2009, CC BY 4.0), read from /work/shared/data at run time: its repayment
// history is mapped onto the scorecard's features, the band points are
// fitted by logistic regression on a training split (80 %, by ID) and the
// held-out AUC of that fitted card is reported next to the AUC of the
// shipped expert card. Nothing fitted is written anywhere but stdout and
// the AUC lines of BENCHMARKS.md. (2) On the demo book (src/app/demo).
// Run: node bin/run-ts.js bench/early-warning.bench.ts [--write]
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { loadCatalogue } from '../src/adapters/catalogue/load-catalogue.js';
import { monthsBetween } from '../src/app/collections/run-end-of-day.js';
import { generateDemoBook } from '../src/app/demo/demo-book.js';
import {
  areaUnderRoc,
  DEFAULT_SCORECARD,
  EARLY_WARNING_FEATURES,
  type EarlyWarningFeature,
  type EarlyWarningFeatures,
  earlyWarningScore,
  type ScoreBand,
  type Scorecard,
  scoreBands,
} from '../src/domain/collections/early-warning.js';
import { buildSchedule } from '../src/domain/loan/schedule/build-schedule.js';
import { calendarDate } from '../src/domain/shared/calendar-date.js';

const DATA_DIR = process.env.LOANDESK_PUBLIC_DATA ?? '/work/shared/data';
const WRITE = process.argv.includes('--write');

// ---- UCI → features ---------------------------------------------------

type Sample = { id: number; features: EarlyWarningFeatures; bad: 0 | 1 };

function uciSamples(): Sample[] {
  const text = readFileSync(
    join(DATA_DIR, 'uci-default-credit-card/UCI_Credit_Card.csv'),
    'utf8',
  );
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const samples: Sample[] = [];
  for (const line of lines.slice(1)) {
    const v = line.split(',').map(Number);
    const at = (i: number) => v[i] ?? 0;
    const limit = at(1);
    // X6..X11: PAY_0 (Sep) … PAY_6 (Apr), months of delay (≤ 0 = on time).
    const pay = [6, 7, 8, 9, 10, 11].map(at);
    const bill = [12, 13, 14, 15, 16, 17].map(at); // Sep … Apr
    const paid = [18, 19, 20, 21, 22, 23].map(at); // paid in Sep … Apr
    const worst = Math.max(0, ...pay);
    // A delay of k months ≈ 30k − 15 days past due (the middle of the month).
    const maxDaysPastDue = worst === 0 ? 0 : 30 * worst - 15;
    // Episodes: months where a delay starts (oldest month first).
    let episodes = 0;
    let before = 0;
    for (const p of [...pay].reverse()) {
      if (p > 0 && before <= 0) episodes += 1;
      before = p;
    }
    // Partial payments: paid something, but less than the previous bill.
    let partial = 0;
    for (let m = 0; m < 5; m += 1) {
      const due = bill[m + 1] ?? 0;
      const amount = paid[m] ?? 0;
      if (due > 0 && amount > 0 && amount < due) partial += 1;
    }
    // No income in the set: the balance over the credit limit stands in
    // for the debt burden (a proxy, not a debt-to-income ratio).
    const utilisation =
      limit > 0
        ? Math.max(0, Math.round(((bill[0] ?? 0) / limit) * 10_000))
        : 0;
    samples.push({
      id: at(0),
      features: {
        maxDaysPastDue,
        overdueEpisodes: episodes,
        partialPayments: partial,
        failedContacts: 0, // not in the set
        debtToIncomeBp: utilisation,
        monthsOnBook: 24, // not in the set: scores no points
      },
      bad: at(24) === 1 ? 1 : 0,
    });
  }
  return samples;
}

// ---- fitting the band points -------------------------------------------

// One-hot design: a column per band except each feature's first.
function design(card: Scorecard) {
  const columns: { feature: EarlyWarningFeature; band: ScoreBand }[] = [];
  for (const feature of EARLY_WARNING_FEATURES)
    for (const band of card.bands[feature].slice(1))
      columns.push({ feature, band });
  const encode = (f: EarlyWarningFeatures): number[] => {
    const codes = new Set(scoreBands(f, card).map((b) => b.code));
    return columns.map((c) => (codes.has(c.band.code) ? 1 : 0));
  };
  return { columns, encode };
}

/** Logistic regression by Newton's method with a small ridge. */
function fitLogistic(x: number[][], y: number[], ridge = 1): number[] {
  const k = (x[0]?.length ?? 0) + 1;
  const w = new Array<number>(k).fill(0);
  for (let iteration = 0; iteration < 25; iteration += 1) {
    const g = new Array<number>(k).fill(0);
    const h = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    x.forEach((row, i) => {
      const z = [1, ...row];
      const p =
        1 / (1 + Math.exp(-z.reduce((s, v, j) => s + v * (w[j] ?? 0), 0)));
      const r = (y[i] ?? 0) - p;
      const weight = p * (1 - p);
      for (let a = 0; a < k; a += 1) {
        g[a] = (g[a] ?? 0) + r * (z[a] ?? 0);
        const ha = h[a] ?? [];
        for (let b = 0; b < k; b += 1)
          ha[b] = (ha[b] ?? 0) + weight * (z[a] ?? 0) * (z[b] ?? 0);
      }
    });
    for (let a = 1; a < k; a += 1) {
      g[a] = (g[a] ?? 0) - ridge * (w[a] ?? 0);
      const ha = h[a] ?? [];
      ha[a] = (ha[a] ?? 0) + ridge;
    }
    const step = solve(h, g);
    for (let a = 0; a < k; a += 1) w[a] = (w[a] ?? 0) + (step[a] ?? 0);
  }
  return w;
}

function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] ?? 0]);
  for (let c = 0; c < n; c += 1) {
    let pivot = c;
    for (let r = c + 1; r < n; r += 1)
      if (Math.abs(m[r]?.[c] ?? 0) > Math.abs(m[pivot]?.[c] ?? 0)) pivot = r;
    [m[c], m[pivot]] = [m[pivot] ?? [], m[c] ?? []];
    const row = m[c] ?? [];
    const d = row[c] ?? 1;
    if (Math.abs(d) < 1e-12) continue;
    for (let r = 0; r < n; r += 1) {
      if (r === c) continue;
      const other = m[r] ?? [];
      const f = (other[c] ?? 0) / d;
      for (let j = c; j <= n; j += 1)
        other[j] = (other[j] ?? 0) - f * (row[j] ?? 0);
    }
  }
  return m.map((row, i) => (row[n] ?? 0) / (row[i] ?? 1));
}

/** The card with fitted points (100 points double the odds). */
function fittedCard(train: readonly Sample[]): Scorecard {
  const { columns, encode } = design(DEFAULT_SCORECARD);
  const w = fitLogistic(
    train.map((s) => encode(s.features)),
    train.map((s) => s.bad),
  );
  const slope = DEFAULT_SCORECARD.slope;
  let intercept = w[0] ?? 0;
  const bands = {} as Record<EarlyWarningFeature, ScoreBand[]>;
  for (const feature of EARLY_WARNING_FEATURES) {
    const raw = DEFAULT_SCORECARD.bands[feature].map((band, index) => {
      if (index === 0) return { band, points: 0 };
      const column = columns.findIndex((c) => c.band.code === band.code);
      return { band, points: Math.round((w[column + 1] ?? 0) / slope) };
    });
    // Points are ≥ 0: shift the feature so its lowest band scores 0.
    const low = Math.min(...raw.map((r) => r.points));
    intercept += low * slope;
    bands[feature] = raw.map((r) => ({ ...r.band, points: r.points - low }));
  }
  return { ...DEFAULT_SCORECARD, bands, intercept };
}

function evaluate(card: Scorecard, samples: readonly Sample[]) {
  const scored = samples.map((s) => earlyWarningScore(s.features, card));
  const auc = areaUnderRoc(
    scored.map((s) => s.score),
    samples.map((s) => s.bad),
  );
  const predicted =
    scored.reduce((t, s) => t + s.probability, 0) / Math.max(samples.length, 1);
  const observed =
    samples.reduce((t, s) => t + s.bad, 0) / Math.max(samples.length, 1);
  return { auc, predicted, observed };
}

// ---- demo book -----------------------------------------------------------

function demoEvaluation() {
  const today = calendarDate('2026-11-20');
  const book = generateDemoBook({
    seed: 20_261_123,
    today,
    catalogue: loadCatalogue(),
    customers: 200,
    loans: 500,
  });
  const scores: number[] = [];
  const bad: (0 | 1)[] = [];
  for (const loan of book.loans) {
    if (loan.state !== 'current' && loan.state !== 'overdue') continue;
    const built = buildSchedule(loan.terms);
    if (!built.ok) continue;
    const installment = built.value.installments[0]?.paymentFen ?? 0n;
    const income = book.customers[loan.customerIndex]?.monthlyIncomeFen;
    // Lateness is the label here, so the score sees only what was known
    // before it: the burden of the installment and the loan's age.
    const features: EarlyWarningFeatures = {
      maxDaysPastDue: 0,
      overdueEpisodes: 0,
      partialPayments: 0,
      failedContacts: 0,
      debtToIncomeBp:
        income === undefined || income === 0n
          ? undefined
          : Number((installment * 10_000n) / income),
      monthsOnBook: monthsBetween(loan.terms.startDate, today),
    };
    scores.push(earlyWarningScore(features, DEFAULT_SCORECARD).score);
    bad.push(loan.state === 'overdue' ? 1 : 0);
  }
  return {
    loans: scores.length,
    overdue: bad.filter((b) => b === 1).length,
    auc: areaUnderRoc(scores, bad),
  };
}

// ---- run -----------------------------------------------------------------

const samples = uciSamples();
const isTest = (s: Sample) => s.id % 5 === 0;
const train = samples.filter((s) => !isTest(s));
const test = samples.filter(isTest);
const fitted = fittedCard(train);
const shippedTest = evaluate(DEFAULT_SCORECARD, test);
const fittedTest = evaluate(fitted, test);
const fittedTrain = evaluate(fitted, train);
const lateOnly: Scorecard = {
  ...DEFAULT_SCORECARD,
  bands: {
    ...DEFAULT_SCORECARD.bands,
    ...Object.fromEntries(
      EARLY_WARNING_FEATURES.filter((f) => f !== 'maxDaysPastDue').map((f) => [
        f,
        DEFAULT_SCORECARD.bands[f].map((b) => ({ ...b, points: 0 })),
      ]),
    ),
  },
};
const lateOnlyTest = evaluate(lateOnly, test);
const demo = demoEvaluation();

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const rows = [
  '| card | data | AUC | mean predicted PD | observed default rate |',
  '|---|---|---:|---:|---:|',
  `| fitted on the UCI training split (${train.length.toLocaleString('en')}) | UCI held-out (${test.length.toLocaleString('en')}, ID % 5 = 0) | ${fittedTest.auc.toFixed(3)} | ${pct(fittedTest.predicted)} | ${pct(fittedTest.observed)} |`,
  `| same, on its own training split | UCI training | ${fittedTrain.auc.toFixed(3)} | ${pct(fittedTrain.predicted)} | ${pct(fittedTrain.observed)} |`,
  `| shipped expert points (DEFAULT_SCORECARD) | UCI held-out | ${shippedTest.auc.toFixed(3)} | ${pct(shippedTest.predicted)} | ${pct(shippedTest.observed)} |`,
  `| shipped card, past lateness band only | UCI held-out | ${lateOnlyTest.auc.toFixed(3)} | — | — |`,
  `| shipped card, burden and months on book only | demo book (${demo.loans} current or overdue loans, ${demo.overdue} overdue) | ${demo.auc.toFixed(3)} | — | — |`,
].join('\n');
const fittedPoints = EARLY_WARNING_FEATURES.map(
  (f) =>
    `${f}: ${fitted.bands[f].map((b) => `${b.code}=${b.points}`).join(' ')}`,
).join('\n');
process.stdout.write(
  `${rows}\n\nfitted points (not stored):\n${fittedPoints}\n`,
);

if (WRITE) {
  const path = 'BENCHMARKS.md';
  const marker = '<!-- early-warning-table -->';
  const text = readFileSync(path, 'utf8');
  const a = text.indexOf(marker);
  const b = text.indexOf(marker, a + 1);
  if (a < 0 || b < 0)
    throw new Error('BENCHMARKS.md lacks the early-warning markers');
  const body = `${marker}\nMeasured ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} cores.\n\n${rows}\n${marker}`;
  writeFileSync(path, text.slice(0, a) + body + text.slice(b + marker.length));
}
