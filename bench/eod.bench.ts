// Measures the end-of-day batch on a generated book (default 1,000,000
// loans of 12 monthly installments: 12 M installment rows), on SQLite and on
// PostgreSQL, through the same code path as `loandesk eod` (runEndOfDay over
// createEodStore). The book is generated with bulk SQL (not the
// repositories): 95 % of loans current with every past installment paid and
// one recent payment each, 5 % overdue 1–97 days with a payment per paid
// installment; some failed contacts and pending promises to pay.
// Records wall time, loans/s and the resident memory sampled after every
// batch (flat = constant memory), and, in the same run, the machine's
// reference speed for a single-statement update of every delinquency row.
// Run: node bin/run-ts.js bench/eod.bench.ts [--loans N] [--dialect sqlite|postgres|both] [--batch-size N] [--write]
// (--generate-only PATH writes the SQLite book to PATH and stops, for profiling.)
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { createEodStore } from '../src/adapters/db/eod-store.js';
import {
  type DialectName,
  openDatabase,
} from '../src/adapters/db/kysely-database.js';
import { migrateToLatestOrThrow } from '../src/adapters/db/migrator.js';
import type { Database } from '../src/adapters/db/schema.js';
import {
  EOD_BATCH_SIZE_DEFAULT,
  runEndOfDay,
} from '../src/app/collections/run-end-of-day.js';
import { calendarDate } from '../src/domain/shared/calendar-date.js';

const args = process.argv.slice(2);
function arg(name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
}
const LOANS = Number(arg('--loans', '1000000'));
const BATCH = Number(arg('--batch-size', String(EOD_BATCH_SIZE_DEFAULT)));
const WHICH = arg('--dialect', 'both');
const WRITE = args.includes('--write');
const PG_URL =
  process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DAY = calendarDate('2026-11-20');
const NOW = '2026-11-20T18:00:00.000Z';
const TERM = 12;

type Result = {
  dialect: DialectName;
  loans: number;
  installments: number;
  generateS: number;
  eodS: number;
  /** CPU seconds of this process during the run (SQLite runs in it). */
  cpuS: number;
  loansPerS: number;
  rssMb: number[];
  baselineMb: number;
  peakMb: number;
  summary: Record<string, number>;
  referenceRowsPerS: number;
  rerunS: number;
};

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

// ---- book generation -------------------------------------------------

function sqliteBook(path: string): void {
  const db = new SqliteDatabase(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -400000');
  const x = `CAST(substr(id, 6) AS INTEGER)`;
  const seq = `WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < ${LOANS})`;
  const od = (v: string) =>
    `(CASE WHEN ${v} % 100 < 5 THEN ${v} % 97 + 1 ELSE 0 END)`;
  db.exec('BEGIN');
  db.exec(`${seq} INSERT INTO customers (id, name_enc, id_number_enc, id_number_bidx, phone_enc, phone_bidx, monthly_income_fen, created_at, updated_at)
    SELECT 'cust_' || printf('%07d', x), 'x', 'x', 'bidx' || x, 'x', 'p' || x,
      400000 + (x * 7919) % 2000000, '${NOW}', '${NOW}' FROM s`);
  db.exec(`${seq} INSERT INTO loans (id, loan_no, customer_id, application_id, product_id, principal_fen, rate_annual, term_months, method, day_count, rounding, start_date, status, schedule_version, version, closed_on, created_at, updated_at)
    SELECT 'loan_' || printf('%07d', x), 'B' || x, 'cust_' || printf('%07d', x),
      NULL, NULL, ${TERM} * (100000 + (x % 50) * 1000), '0.0728', ${TERM},
      'equal_installment', '30/360', 'half_up',
      date('${DAY}', '-' || (1 + x % 11) || ' months', '-' || (x % 28) || ' days'),
      'repaying', 1, 1, NULL, '${NOW}', '${NOW}' FROM s`);
  db.exec(`WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ${TERM})
    INSERT INTO installments (loan_id, schedule_version, n, due_date, payment_fen, principal_fen, interest_fen, fee_fen, balance_fen, penalty_fen, paid_principal_fen, paid_interest_fen, paid_fee_fen, paid_penalty_fen)
    SELECT id, 1, n, due, p + i, p, i, 0, (${TERM} - n) * p, 0,
      CASE WHEN due < cutoff THEN p ELSE 0 END,
      CASE WHEN due < cutoff THEN i ELSE 0 END, 0, 0
    FROM (SELECT id, n, date(start_date, '+' || n || ' months') AS due,
            principal_fen / ${TERM} AS p, 5000 + (${x} % 7) * 100 AS i,
            date('${DAY}', '-' || ${od(x)} || ' days') AS cutoff
          FROM loans CROSS JOIN k)`);
  // Overdue loans: one payment per paid installment, with its allocation.
  const paidRows = `FROM installments WHERE paid_principal_fen > 0
      AND (CAST(substr(loan_id, 6) AS INTEGER) % 100 < 5
        OR due_date >= date('${DAY}', '-31 days'))`;
  db.exec(`INSERT INTO payments (id, loan_id, kind, amount_fen, paid_on, channel, reverses_payment_id, idempotency_key, actor, created_at)
    SELECT 'pay_' || loan_id || '_' || n, loan_id, 'repayment',
      payment_fen - CASE WHEN CAST(substr(loan_id, 6) AS INTEGER) % 10 = 3 THEN 1000 ELSE 0 END,
      due_date, 'bank_transfer', NULL, 'k_' || loan_id || '_' || n, 'bench', '${NOW}'
    ${paidRows}`);
  db.exec(`INSERT INTO payment_allocations (payment_id, line, schedule_version, installment_n, component, amount_fen)
    SELECT 'pay_' || loan_id || '_' || n, 1, 1, n, 'principal', payment_fen
    FROM installments WHERE paid_principal_fen > 0
      AND CAST(substr(loan_id, 6) AS INTEGER) % 100 < 5`);
  db.exec(`INSERT INTO contact_logs (id, customer_id, loan_id, user_id, channel, target, outcome, contacted_at, note)
    SELECT 'contact_' || id, customer_id, id, NULL, 'phone', 'debtor', 'no_answer',
      '${DAY}T10:00:00+08:00', NULL FROM loans WHERE ${x} % 50 = 7`);
  db.exec(`INSERT INTO promises_to_pay (id, loan_id, amount_fen, promised_on, status, user_id, created_at, resolved_at)
    SELECT 'ptp_' || id, id, 100000, date('${DAY}', '-2 days'), 'pending', NULL,
      '2026-11-10T02:00:00.000Z', NULL FROM loans WHERE ${x} % 100 = 1`);
  db.exec('COMMIT');
  db.exec('ANALYZE');
  db.close();
}

async function pgBook(client: pg.Client): Promise<void> {
  const x = 'x';
  const od = `(CASE WHEN x % 100 < 5 THEN x % 97 + 1 ELSE 0 END)`;
  await client.query('SET session_replication_role = replica');
  await client.query('BEGIN');
  await client.query(`INSERT INTO customers (id, name_enc, id_number_enc, id_number_bidx, phone_enc, phone_bidx, monthly_income_fen, created_at, updated_at)
    SELECT 'cust_' || lpad(x::text, 7, '0'), 'x', 'x', 'bidx' || x, 'x', 'p' || x,
      400000 + (x::bigint * 7919) % 2000000, '${NOW}', '${NOW}'
    FROM generate_series(1, ${LOANS}) AS x`);
  await client.query(`INSERT INTO loans (id, loan_no, customer_id, application_id, product_id, principal_fen, rate_annual, term_months, method, day_count, rounding, start_date, status, schedule_version, version, closed_on, created_at, updated_at)
    SELECT 'loan_' || lpad(x::text, 7, '0'), 'B' || x, 'cust_' || lpad(x::text, 7, '0'),
      NULL, NULL, ${TERM} * (100000 + (x % 50) * 1000), '0.0728', ${TERM},
      'equal_installment', '30/360', 'half_up',
      to_char(date '${DAY}' - make_interval(months => 1 + x % 11) - (x % 28) * interval '1 day', 'YYYY-MM-DD'),
      'repaying', 1, 1, NULL, '${NOW}', '${NOW}'
    FROM generate_series(1, ${LOANS}) AS x`);
  await client.query(`INSERT INTO installments (loan_id, schedule_version, n, due_date, payment_fen, principal_fen, interest_fen, fee_fen, balance_fen, penalty_fen, paid_principal_fen, paid_interest_fen, paid_fee_fen, paid_penalty_fen)
    SELECT id, 1, n, due, p + i, p, i, 0, (${TERM} - n) * p, 0,
      CASE WHEN due < cutoff THEN p ELSE 0 END,
      CASE WHEN due < cutoff THEN i ELSE 0 END, 0, 0
    FROM (SELECT id, n, to_char(start_date::date + make_interval(months => n), 'YYYY-MM-DD') AS due,
            principal_fen / ${TERM} AS p, 5000 + (${x} % 7) * 100 AS i,
            to_char(date '${DAY}' - ${od} * interval '1 day', 'YYYY-MM-DD') AS cutoff
          FROM (SELECT id, principal_fen, start_date, substr(id, 6)::bigint AS x FROM loans) l
          CROSS JOIN generate_series(1, ${TERM}) AS n) g`);
  await client.query(`INSERT INTO payments (id, loan_id, kind, amount_fen, paid_on, channel, reverses_payment_id, idempotency_key, actor, created_at)
    SELECT 'pay_' || loan_id || '_' || n, loan_id, 'repayment',
      payment_fen - CASE WHEN substr(loan_id, 6)::bigint % 10 = 3 THEN 1000 ELSE 0 END,
      due_date, 'bank_transfer', NULL, 'k_' || loan_id || '_' || n, 'bench', '${NOW}'
    FROM installments WHERE paid_principal_fen > 0
      AND (substr(loan_id, 6)::bigint % 100 < 5
        OR due_date >= to_char(date '${DAY}' - 31, 'YYYY-MM-DD'))`);
  await client.query(`INSERT INTO payment_allocations (payment_id, line, schedule_version, installment_n, component, amount_fen)
    SELECT 'pay_' || loan_id || '_' || n, 1, 1, n, 'principal', payment_fen
    FROM installments WHERE paid_principal_fen > 0 AND substr(loan_id, 6)::bigint % 100 < 5`);
  await client.query(`INSERT INTO contact_logs (id, customer_id, loan_id, user_id, channel, target, outcome, contacted_at, note)
    SELECT 'contact_' || id, customer_id, id, NULL, 'phone', 'debtor', 'no_answer',
      '${DAY}T10:00:00+08:00', NULL FROM loans WHERE substr(id, 6)::bigint % 50 = 7`);
  await client.query(`INSERT INTO promises_to_pay (id, loan_id, amount_fen, promised_on, status, user_id, created_at, resolved_at)
    SELECT 'ptp_' || id, id, 100000, to_char(date '${DAY}' - 2, 'YYYY-MM-DD'), 'pending', NULL,
      '2026-11-10T02:00:00.000Z', NULL FROM loans WHERE substr(id, 6)::bigint % 100 = 1`);
  await client.query('COMMIT');
  await client.query('SET session_replication_role = origin');
  await client.query('ANALYZE');
}

// ---- the run ---------------------------------------------------------

async function measure(
  dialect: DialectName,
  db: Kysely<Database>,
  sqlite?: SqliteDatabase.Database,
): Promise<Omit<Result, 'generateS' | 'installments'>> {
  const store = createEodStore(db, dialect, sqlite);
  const rssMb: number[] = [];
  let baselineMb = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const summary = await runEndOfDay(store, {
    date: DAY,
    batchSize: BATCH,
    now: () => NOW,
    onProgress: (p) => {
      const rss = mb(process.memoryUsage().rss);
      if (p.counts.batches === 0) baselineMb = rss;
      else rssMb.push(rss);
    },
  });
  const eodS = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuS = (used.user + used.system) / 1e6;
  if (!summary.ok) throw new Error(summary.error.code);
  // Same date again: the completed run is recognised, nothing is redone.
  const rerunStarted = performance.now();
  await runEndOfDay(store, { date: DAY, batchSize: BATCH, now: () => NOW });
  const rerunS = (performance.now() - rerunStarted) / 1000;
  // The machine's reference under the same load: one statement updating
  // every delinquency row.
  const refStarted = performance.now();
  await sql`UPDATE delinquency SET updated_at = ${'2026-11-20T18:00:01.000Z'}`.execute(
    db,
  );
  const referenceRowsPerS = LOANS / ((performance.now() - refStarted) / 1000);
  return {
    dialect,
    loans: summary.counts.loans,
    eodS,
    cpuS,
    loansPerS: summary.counts.loans / eodS,
    rssMb,
    baselineMb,
    peakMb: Math.max(baselineMb, ...rssMb),
    summary: { ...summary.counts },
    referenceRowsPerS,
    rerunS,
  };
}

async function benchSqlite(): Promise<Result> {
  const dir = join(os.tmpdir(), `loandesk-eod-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'book.sqlite');
  try {
    const setup = openDatabase(path);
    await migrateToLatestOrThrow(setup.db);
    await setup.db.destroy();
    const g = performance.now();
    sqliteBook(path);
    const generateS = (performance.now() - g) / 1000;
    const handle = openDatabase(path);
    try {
      const r = await measure('sqlite', handle.db, handle.sqlite);
      return { ...r, generateS, installments: LOANS * TERM };
    } finally {
      await handle.db.destroy();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchPostgres(): Promise<Result> {
  const schema = `bench_eod_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    const handle = openDatabase(PG_URL, { searchPath: schema });
    try {
      await migrateToLatestOrThrow(handle.db);
      await admin.query(`SET search_path = ${schema}`);
      const g = performance.now();
      await pgBook(admin);
      const generateS = (performance.now() - g) / 1000;
      const r = await measure('postgres', handle.db);
      return { ...r, generateS, installments: LOANS * TERM };
    } finally {
      await handle.db.destroy();
    }
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

// ---- report ----------------------------------------------------------

function line(r: Result): string {
  const target = r.dialect === 'sqlite' ? 20 : 30;
  const q = (i: number) =>
    r.rssMb[Math.min(r.rssMb.length - 1, Math.floor(i * r.rssMb.length))] ?? 0;
  return `| ${r.dialect} | ${r.loans.toLocaleString('en')} | ${r.eodS.toFixed(1)} s (target < ${target} s) | ${r.cpuS.toFixed(1)} s | ${Math.round(r.loansPerS).toLocaleString('en')} | ${r.baselineMb} → ${q(0.25)} / ${q(0.5)} / ${q(0.75)} / ${q(0.999)} MB (peak ${r.peakMb}) | ${Math.round(r.referenceRowsPerS).toLocaleString('en')} rows/s (${(r.referenceRowsPerS / r.loansPerS).toFixed(1)}×) | ${r.rerunS.toFixed(2)} s | ${r.generateS.toFixed(0)} s |`;
}

const results: Result[] = [];
const generateOnly = arg('--generate-only', '');
if (generateOnly !== '') {
  // Writes the SQLite book to that path and stops (for profiling).
  const setup = openDatabase(generateOnly);
  await migrateToLatestOrThrow(setup.db);
  await setup.db.destroy();
  sqliteBook(generateOnly);
  process.exit(0);
}
if (WHICH === 'sqlite' || WHICH === 'both') results.push(await benchSqlite());
if (WHICH === 'postgres' || WHICH === 'both')
  results.push(await benchPostgres());

const load = os.loadavg().map((l) => l.toFixed(1));
const table = [
  '| dialect | loans | wall time | CPU time of the Node process | loans/s | RSS at start → 25 / 50 / 75 / 100 % of batches | one-statement UPDATE of the same rows, same run (ratio) | same date again | book generation |',
  '|---|---:|---:|---:|---:|---|---:|---:|---:|',
  ...results.map(line),
].join('\n');
const counts = results
  .map((r) => `${r.dialect}: ${JSON.stringify(r.summary)}`)
  .join('\n');
process.stdout.write(
  `${table}\n\n${counts}\n\nload average ${load.join(' ')}, batch size ${BATCH}\n`,
);

if (WRITE) {
  const path = 'BENCHMARKS.md';
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf('## End-of-day batch');
  if (start < 0)
    throw new Error('BENCHMARKS.md has no "## End-of-day batch" section');
  const end = text.indexOf('\n## ', start + 1);
  const marker = '<!-- eod-bench-table -->';
  const section = text.slice(start, end < 0 ? undefined : end);
  const a = section.indexOf(marker);
  const b = section.indexOf(marker, a + 1);
  if (a < 0 || b < 0) throw new Error('eod section lacks the table markers');
  const measured = `${marker}\nMeasured ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} cores, load average ${load.join(' / ')} (1/5/15 min) while measuring, batch size ${BATCH}.\n\n${table}\n\nCounts: ${counts.replaceAll('\n', '; ')}\n${marker}`;
  const updated =
    section.slice(0, a) + measured + section.slice(b + marker.length);
  writeFileSync(
    path,
    text.slice(0, start) + updated + (end < 0 ? '' : text.slice(end)),
  );
}
