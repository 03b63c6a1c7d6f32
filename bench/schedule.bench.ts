// Schedules per second: LoanDesk's exact engine against the float `financial`
// package (a port of numpy-financial) building the same 等额本息 schedule,
// due dates included, in the same run; plus how often the float schedule
// misses the fen.
//
// What each side produces and is timed on:
// - LoanDesk: `buildSchedule(terms)`, the public API, returns the schedule
//   with every row computed (`schedule.rows`: due day and exact payment,
//   principal, interest, fee and balance in fen, see
//   src/domain/loan/schedule/rows.ts). The timed block then reads every row's
//   due day and four amounts through the accessors `formatSchedule` (the CLI
//   and HTTP calculator output) uses.
// - `financial`: pmt() once, ipmt()/ppmt() each period rounded to cents (as
//   numpy-financial documents an amortisation table), one row object a
//   period; the timed block reads the same five fields of every row.
// - Both take their due dates as day numbers from the same routine
//   (`dueDays`); neither formats an ISO string.
// - For reference, LoanDesk with every row also materialised as bigint `Fen`
//   objects with ISO due dates (`schedule.installments`, what domain callers
//   that do Fen arithmetic read), and a hand-written float loop.
// The sides run in interleaved rounds so load on a shared machine falls on
// all of them alike.
//
// Run: node bin/run-ts.js bench/schedule.bench.ts
import { cpus } from 'node:os';
import { ipmt, pmt, ppmt } from 'financial';
import { buildSchedule } from '../src/domain/loan/schedule/build-schedule.js';
import { dueDays } from '../src/domain/loan/schedule/due-dates.js';
import type { LoanTerms, Schedule } from '../src/domain/loan/schedule/types.js';
import { fen } from '../src/domain/money/fen.js';
import { parseRate } from '../src/domain/money/rate.js';
import { calendarDate } from '../src/domain/shared/calendar-date.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = 20;
const START = calendarDate('2026-01-15');

function terms(principalYuan: number, rate: string, months: number): LoanTerms {
  const rateAnnual = parseRate(rate);
  if (rateAnnual === undefined) throw new Error(rate);
  return {
    principalFen: fen(BigInt(principalYuan) * 100n),
    rateAnnual,
    termMonths: months,
    method: 'equal_installment',
    startDate: START,
    dayCount: '30/360',
    rounding: 'half_up',
    paymentMultipleFen: fen(1n),
    interestOnlyPeriods: 0,
    fees: [],
    prepayments: [],
  };
}

type FloatRow = {
  dueDay: number;
  payment: number;
  principal: number;
  interest: number;
  balance: number;
};

const cents = (x: number) => Math.round(x * 100) / 100;

// The `financial` peer as numpy-financial documents an amortisation table:
// pmt() for the installment, ipmt()/ppmt() for each period, rounded to cents.
function financialSchedule(
  principal: number,
  annual: number,
  months: number,
): FloatRow[] {
  const r = annual / 12;
  const days = dueDays({ startDate: START }, months);
  const payment = cents(-pmt(r, months, principal));
  let balance = principal;
  const rows: FloatRow[] = [];
  for (let n = 1; n <= months; n += 1) {
    const interest = cents(-ipmt(r, n, months, principal));
    const principalPart =
      n === months ? balance : cents(-ppmt(r, n, months, principal));
    balance = cents(balance - principalPart);
    rows.push({
      dueDay: days[n - 1] as number,
      payment: n === months ? principalPart + interest : payment,
      principal: principalPart,
      interest,
      balance,
    });
  }
  return rows;
}

// A hand-written float loop (interest = balance × r each period): faster than
// the library's own functions, shown for reference.
function floatSchedule(
  principal: number,
  annual: number,
  months: number,
): FloatRow[] {
  const r = annual / 12;
  const days = dueDays({ startDate: START }, months);
  const payment = cents(-pmt(r, months, principal));
  let balance = principal;
  const rows: FloatRow[] = [];
  for (let n = 1; n <= months; n += 1) {
    const interest = cents(balance * r);
    const principalPart = n === months ? balance : cents(payment - interest);
    balance = cents(balance - principalPart);
    rows.push({
      dueDay: days[n - 1] as number,
      payment: n === months ? principalPart + interest : payment,
      principal: principalPart,
      interest,
      balance,
    });
  }
  return rows;
}

// What a consumer reads from each row; the sums keep the work observable.
let sink = 0;

function readFloatRows(rows: readonly FloatRow[]): void {
  for (const row of rows) {
    sink +=
      row.dueDay + row.payment + row.principal + row.interest + row.balance;
  }
}

function built(t: LoanTerms): Schedule {
  const result = buildSchedule(t);
  if (!result.ok) throw new Error(result.error.detail);
  return result.value;
}

function readExactRows(schedule: Schedule): void {
  const { rows } = schedule;
  for (let i = 0; i < rows.count; i += 1) {
    sink +=
      rows.dueDay(i) +
      rows.paymentSafeFen(i) +
      rows.principalSafeFen(i) +
      rows.interestSafeFen(i) +
      rows.balanceSafeFen(i);
  }
}

type Side = { label: string; run: () => void; count: number; ns: bigint };

// Every side runs ROUNDS slices of SECONDS / ROUNDS, in turn.
function measure(sides: Side[]): void {
  for (const side of sides) for (let i = 0; i < 200; i += 1) side.run();
  const slice = BigInt(Math.round((SECONDS / ROUNDS) * 1e9));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const side of sides) {
      const start = process.hrtime.bigint();
      let elapsed = 0n;
      while (elapsed < slice) {
        for (let i = 0; i < 50; i += 1) side.run();
        side.count += 50;
        elapsed = process.hrtime.bigint() - start;
      }
      side.ns += elapsed;
    }
  }
}

const perSecond = (side: Side) => side.count / (Number(side.ns) / 1e9);

// Fen-exactness of the float peer against the exact engine on a grid of loans.
function floatMisses(): { loans: number; loansWithMiss: number } {
  let loans = 0;
  let loansWithMiss = 0;
  for (const months of [12, 36, 120, 360]) {
    for (let principal = 10_000; principal <= 2_000_000; principal += 99_990) {
      for (const rate of [
        '0.0345',
        '0.0435',
        '0.049',
        '0.0588',
        '0.0728',
        '0.0888',
        '0.1200',
        '0.1499',
      ]) {
        const { rows } = built(terms(principal, rate, months));
        const float = financialSchedule(principal, Number(rate), months);
        loans += 1;
        const miss =
          float.length !== rows.count ||
          float.some(
            (f, i) =>
              BigInt(Math.round(f.interest * 100)) !== rows.interestFen(i) ||
              BigInt(Math.round(f.balance * 100)) !== rows.balanceFen(i),
          );
        if (miss) loansWithMiss += 1;
      }
    }
  }
  return { loans, loansWithMiss };
}

const lines: string[] = [];
for (const months of [36, 360]) {
  const exactTerms = terms(1_000_000, '0.049', months);
  const side = (label: string, run: () => void): Side => ({
    label,
    run,
    count: 0,
    ns: 0n,
  });
  const exact = side('LoanDesk exact', () => readExactRows(built(exactTerms)));
  const library = side('financial ipmt/ppmt', () =>
    readFloatRows(financialSchedule(1_000_000, 0.049, months)),
  );
  const bigintRows = side('LoanDesk exact + bigint rows', () => {
    sink += built(exactTerms).installments.length;
  });
  const loop = side('hand float loop', () =>
    readFloatRows(floatSchedule(1_000_000, 0.049, months)),
  );
  measure([exact, library, bigintRows, loop]);
  for (const s of [exact, library, bigintRows, loop]) {
    const rate = Math.round(perSecond(s)).toLocaleString('en-US');
    process.stderr.write(
      `${s.label}, ${months} periods: ${rate} schedules/s\n`,
    );
  }
  const fmt = (s: Side) => Math.round(perSecond(s)).toLocaleString('en-US');
  const ratio = (s: Side) =>
    `${(perSecond(s) / perSecond(library)).toFixed(2)}×`;
  lines.push(
    `| ${months} | ${fmt(exact)} | ${fmt(library)} | **${ratio(exact)}** | ${fmt(bigintRows)} | ${ratio(bigintRows)} | ${fmt(loop)} | ${(perSecond(exact) / perSecond(loop)).toFixed(2)}× |`,
  );
}
const misses = floatMisses();
const cpu = cpus()[0]?.model ?? 'unknown CPU';
process.stdout.write(
  [
    `Machine: ${cpu}, Node ${process.version}, one core, ${SECONDS} s per side in ${ROUNDS} interleaved rounds; due dates as day numbers from the same routine on both sides (checksum ${sink > 0 ? 'ok' : 'empty'}).`,
    '',
    '| periods | LoanDesk exact (schedules/s) | `financial` ipmt/ppmt (schedules/s) | ratio | LoanDesk + bigint rows (schedules/s) | ratio | hand float loop (schedules/s) | LoanDesk / loop |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...lines,
    '',
    `Fen-exactness on a grid of ${misses.loans} loans (12–360 months, 10,000–2,000,000 yuan, 3.45–14.99 %): the \`financial\` schedule misses at least one interest or balance fen in ${misses.loansWithMiss} loans (${((100 * misses.loansWithMiss) / misses.loans).toFixed(1)} %); the exact engine matches the public vectors to the fen by test.`,
    '',
  ].join('\n'),
);
