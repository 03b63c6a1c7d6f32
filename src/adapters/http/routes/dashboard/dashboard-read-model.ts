import { type Kysely, sql } from 'kysely';
import type { DashboardOutput } from '../../../../contracts/dashboard.js';
import { formatFen } from '../../../../contracts/money.js';
import { delinquencyBucket } from '../../../../domain/loan/delinquency/classification.js';
import { assert } from '../../../../domain/shared/assert.js';
import {
  addDays,
  type CalendarDate,
  daysBetween,
  parseCalendarDate,
} from '../../../../domain/shared/calendar-date.js';
import type { Database } from '../../../db/schema.js';

// The supervisor dashboard as a read model: a handful of aggregate queries
// over the store, the same on SQLite and PostgreSQL. Every figure is counted
// or summed by the database (bigint fen, exact); ratios are formatted with
// integer arithmetic. Conversation days are China business days: rows are
// grouped by UTC hour in SQL and shifted by +8 h here, so no dialect-specific
// time-zone function is needed.

export type DashboardClock = {
  readonly today: CalendarDate;
  /** The current instant, ISO-8601 UTC. */
  readonly now: string;
};

// Bound: the dashboard lists at most this many complaint deadlines and
// hand-off reasons; it is an overview, not a work list.
const UPCOMING_COMPLAINTS_MAX = 10;
const HANDOFF_REASONS_MAX = 12;
// Bound: hand-off actions parsed per request.
const HANDOFF_MESSAGES_MAX = 20_000;
// Roll rates compare each loan's bucket now with its bucket 30 days ago.
const ROLL_WINDOW_DAYS = 30;
const CHINA_OFFSET_HOURS = 8;
const HOUR_MS = 3_600_000;

/** A count or sum from either driver (bigint, numeric string or number). */
export function big(value: unknown): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    assert(Number.isSafeInteger(value), () => `big: ${value}`);
    return BigInt(value);
  }
  const text = String(value);
  assert(/^-?\d+$/.test(text), () => `big: not an integer ${text}`);
  return BigInt(text);
}

function count(value: unknown): number {
  const n = big(value);
  assert(n >= 0n && n <= BigInt(Number.MAX_SAFE_INTEGER), 'count range');
  return Number(n);
}

/** part / whole as a 4-place decimal string, half up; null for 0 / 0. */
export function ratioText(part: bigint, whole: bigint): string | null {
  assert(part >= 0n && whole >= 0n && part <= whole, 'ratioText: range');
  if (whole === 0n) return null;
  // Divide last, round once (half up) to 1/10,000.
  const scaled = (part * 20_000n + whole) / (2n * whole);
  const text = scaled.toString().padStart(5, '0');
  return `${text.slice(0, -4)}.${text.slice(-4)}`;
}

function chinaDayOfUtcHour(hour: string): string {
  const at = Date.parse(`${hour}:00:00.000Z`);
  assert(Number.isFinite(at), () => `bad hour ${hour}`);
  return new Date(at + CHINA_OFFSET_HOURS * HOUR_MS).toISOString().slice(0, 10);
}

/** The UTC instant at which the China business day `date` begins. */
function chinaDayStartUtc(date: CalendarDate): string {
  const at = Date.parse(`${date}T00:00:00.000Z`) - CHINA_OFFSET_HOURS * HOUR_MS;
  return new Date(at).toISOString();
}

async function conversationFigures(
  db: Kysely<Database>,
  from: CalendarDate,
  days: number,
) {
  const since = chinaDayStartUtc(from);
  const handedOff = db
    .selectFrom('messages')
    .select('conversation_id')
    .where((eb) =>
      eb.or([
        eb('sender', '=', 'agent'),
        eb('actions', 'like', '%"type":"handoff"%'),
      ]),
    );
  const rows = await db
    .selectFrom('conversations')
    .select((eb) => [
      sql<string>`substr(created_at, 1, 13)`.as('hour'),
      eb.fn.countAll().as('total'),
      sql<unknown>`sum(case when ${eb.or([
        eb('status', 'in', ['handed_off', 'waiting_agent', 'agent']),
        eb('id', 'in', handedOff),
      ])} then 1 else 0 end)`.as('handed_off'),
    ])
    .where('created_at', '>=', since)
    .groupBy(sql`substr(created_at, 1, 13)`)
    .execute();
  const perDay = new Map<string, { total: number; handed_off: number }>();
  for (let offset = 0; offset < days; offset += 1)
    perDay.set(addDays(from, offset), { total: 0, handed_off: 0 });
  for (const row of rows) {
    const entry = perDay.get(chinaDayOfUtcHour(row.hour));
    if (entry === undefined) continue;
    entry.total += count(row.total);
    entry.handed_off += count(row.handed_off);
  }
  const series = [...perDay].map(([date, figures]) => ({ date, ...figures }));
  const total = series.reduce((sum, day) => sum + day.total, 0);
  const handed = series.reduce((sum, day) => sum + day.handed_off, 0);
  const reasons = await db
    .selectFrom('messages')
    .select('actions')
    .where('created_at', '>=', since)
    .where('actions', 'like', '%"type":"handoff"%')
    .limit(HANDOFF_MESSAGES_MAX)
    .execute();
  const byReason = new Map<string, number>();
  for (const row of reasons) {
    const actions: unknown = JSON.parse(row.actions ?? '[]');
    if (!Array.isArray(actions)) continue;
    for (const action of actions as { type?: unknown; reason?: unknown }[]) {
      if (action?.type !== 'handoff') continue;
      const reason =
        typeof action.reason === 'string' ? action.reason : 'other';
      byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
    }
  }
  return {
    conversations_per_day: series,
    containment: {
      conversations: total,
      contained: total - handed,
      rate: ratioText(BigInt(total - handed), BigInt(total)),
    },
    handoff_reasons: [...byReason]
      .map(([reason, n]) => ({ reason, count: n }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason))
      .slice(0, HANDOFF_REASONS_MAX),
  };
}

type LedgerState = { readonly bucket: string; readonly overdueFen: bigint };

/**
 * Each loan's bucket on `asOf` from the ledger alone: the oldest installment
 * due before `asOf` that payments booked by `asOf` had not covered (penalty
 * aside) sets the days past due. Loans absent from the map are current.
 */
async function ledgerStates(
  db: Kysely<Database>,
  asOf: CalendarDate,
): Promise<Map<string, LedgerState>> {
  const paid = db
    .selectFrom('payment_allocations as a')
    .innerJoin('payments as p', 'p.id', 'a.payment_id')
    .select((eb) => [
      'p.loan_id',
      'a.schedule_version',
      'a.installment_n',
      eb.fn.sum<string | number | bigint | null>('a.amount_fen').as('paid_fen'),
    ])
    .where('p.paid_on', '<=', asOf)
    .where('a.component', '!=', 'penalty')
    .groupBy(['p.loan_id', 'a.schedule_version', 'a.installment_n'])
    .as('paid');
  const rows = await db
    .selectFrom('installments as i')
    .innerJoin('loans as l', (join) =>
      join
        .onRef('l.id', '=', 'i.loan_id')
        .onRef('l.schedule_version', '=', 'i.schedule_version'),
    )
    .leftJoin(paid, (join) =>
      join
        .onRef('paid.loan_id', '=', 'i.loan_id')
        .onRef('paid.schedule_version', '=', 'i.schedule_version')
        .onRef('paid.installment_n', '=', 'i.n'),
    )
    .select((eb) => [
      'i.loan_id',
      eb.fn.min('i.due_date').as('oldest_due'),
      sql<unknown>`sum(i.principal_fen + i.interest_fen + i.fee_fen - coalesce(paid.paid_fen, 0))`.as(
        'overdue_fen',
      ),
    ])
    .where('i.due_date', '<', asOf)
    .where('l.start_date', '<=', asOf)
    .where((eb) =>
      eb.or([eb('l.closed_on', 'is', null), eb('l.closed_on', '>', asOf)]),
    )
    .where(
      sql<boolean>`i.principal_fen + i.interest_fen + i.fee_fen > coalesce(paid.paid_fen, 0)`,
    )
    .groupBy('i.loan_id')
    .execute();
  const states = new Map<string, LedgerState>();
  for (const row of rows) {
    const oldest = parseCalendarDate(String(row.oldest_due));
    assert(oldest !== undefined, 'ledgerStates: bad due date');
    states.set(row.loan_id, {
      bucket: delinquencyBucket(daysBetween(oldest, asOf)),
      overdueFen: big(row.overdue_fen),
    });
  }
  return states;
}

async function activeLoanIds(
  db: Kysely<Database>,
  asOf: CalendarDate,
): Promise<string[]> {
  const rows = await db
    .selectFrom('loans')
    .select('id')
    .where('start_date', '<=', asOf)
    .where((eb) =>
      eb.or([eb('closed_on', 'is', null), eb('closed_on', '>', asOf)]),
    )
    .execute();
  return rows.map((row) => row.id);
}

const BUCKET_ORDER = ['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M6+'];

function rollRates(
  loansThen: readonly string[],
  then: Map<string, LedgerState>,
  now: Map<string, LedgerState>,
): DashboardOutput['roll_rates']['rates'] {
  const start = new Map<string, number>();
  const rolled = new Map<string, number>();
  for (const loanId of loansThen) {
    const from = then.get(loanId)?.bucket ?? 'M0';
    if (from === 'M6+') continue;
    const to = now.get(loanId)?.bucket ?? 'M0';
    start.set(from, (start.get(from) ?? 0) + 1);
    const next = BUCKET_ORDER[BUCKET_ORDER.indexOf(from) + 1];
    if (to === next) rolled.set(from, (rolled.get(from) ?? 0) + 1);
  }
  return BUCKET_ORDER.slice(0, -1).map((from, index) => {
    const loans = start.get(from) ?? 0;
    const moved = rolled.get(from) ?? 0;
    return {
      from,
      to: BUCKET_ORDER[index + 1] ?? 'M6+',
      loans,
      rolled: moved,
      rate: ratioText(BigInt(moved), BigInt(loans)),
    };
  });
}

async function overdueByBucket(
  db: Kysely<Database>,
  ledgerNow: Map<string, LedgerState>,
): Promise<DashboardOutput['overdue_by_bucket']> {
  const eodRows = await db
    .selectFrom('delinquency')
    .select((eb) => [
      'bucket',
      eb.fn.countAll().as('loans'),
      eb.fn
        .sum<string | number | bigint | null>('total_overdue_fen')
        .as('amount_fen'),
      eb.fn.max('as_of').as('as_of'),
    ])
    .where('bucket', '!=', 'M0')
    .groupBy('bucket')
    .execute();
  if (eodRows.length > 0) {
    const asOf = eodRows
      .map((row) => String(row.as_of))
      .sort()
      .at(-1);
    return {
      source: 'eod',
      as_of: asOf ?? null,
      buckets: BUCKET_ORDER.slice(1).map((bucket) => {
        const row = eodRows.find((r) => r.bucket === bucket);
        return {
          bucket,
          loans: count(row?.loans),
          amount: formatFen(big(row?.amount_fen)),
        };
      }),
    };
  }
  return {
    source: 'ledger',
    as_of: null,
    buckets: BUCKET_ORDER.slice(1).map((bucket) => {
      const states = [...ledgerNow.values()].filter((s) => s.bucket === bucket);
      return {
        bucket,
        loans: states.length,
        amount: formatFen(states.reduce((sum, s) => sum + s.overdueFen, 0n)),
      };
    }),
  };
}

async function promiseFigures(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('promises_to_pay')
    .select((eb) => ['status', eb.fn.countAll().as('n')])
    .groupBy('status')
    .execute();
  const of = (status: string) =>
    count(rows.find((row) => row.status === status)?.n);
  const kept = of('kept');
  const broken = of('broken');
  return {
    kept,
    broken,
    pending: of('pending'),
    kept_rate: ratioText(BigInt(kept), BigInt(kept + broken)),
  };
}

async function complaintFigures(db: Kysely<Database>, now: string) {
  const open = db
    .selectFrom('complaint_tickets')
    .where('status', 'not in', ['resolved', 'closed']);
  const soon = new Date(Date.parse(now) + 72 * HOUR_MS).toISOString();
  const totals = await open
    .select((eb) => [
      eb.fn.countAll().as('open'),
      sql<unknown>`sum(case when due_at < ${now} then 1 else 0 end)`.as(
        'overdue',
      ),
      sql<unknown>`sum(case when due_at >= ${now} and due_at < ${soon} then 1 else 0 end)`.as(
        'soon',
      ),
    ])
    .executeTakeFirst();
  const upcoming = await open
    .select(['ticket_no', 'ticket_type', 'status', 'due_at'])
    .orderBy('due_at')
    .orderBy('ticket_no')
    .limit(UPCOMING_COMPLAINTS_MAX)
    .execute();
  const nowMs = Date.parse(now);
  return {
    open: count(totals?.open),
    overdue: count(totals?.overdue),
    due_within_72h: count(totals?.soon),
    upcoming: upcoming.map((row) => ({
      ...row,
      hours_left: Math.floor((Date.parse(row.due_at) - nowMs) / HOUR_MS),
    })),
  };
}

/**
 * Outbound messages the compliance engine stopped, by category, since `from`
 * (the agents' blocked drafts, recorded in the audit log by the chat service).
 */
async function complianceBlocks(
  db: Kysely<Database>,
  from: CalendarDate,
): Promise<{ category: string; count: number }[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select('details')
    .where('action', '=', 'compliance.blocked')
    .where('at', '>=', `${from}T00:00:00`)
    .execute();
  const counts = new Map<string, number>();
  for (const row of rows) {
    const details = JSON.parse(row.details) as { categories?: unknown };
    if (!Array.isArray(details.categories)) continue;
    for (const category of details.categories)
      if (typeof category === 'string')
        counts.set(category, (counts.get(category) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([category, count]) => ({ category, count }))
    .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category));
}

/** Everything the supervisor dashboard shows, for the `days` ending today. */
export async function readDashboard(
  db: Kysely<Database>,
  clock: DashboardClock,
  days: number,
): Promise<DashboardOutput> {
  assert(Number.isInteger(days) && days >= 1 && days <= 90, 'days range');
  const from = addDays(clock.today, 1 - days);
  const rollFrom = addDays(clock.today, -ROLL_WINDOW_DAYS);
  const [conversations, ledgerNow, ledgerThen, loansThen] = await Promise.all([
    conversationFigures(db, from, days),
    ledgerStates(db, clock.today),
    ledgerStates(db, rollFrom),
    activeLoanIds(db, rollFrom),
  ]);
  return {
    as_of: clock.today,
    days,
    ...conversations,
    compliance_blocks: await complianceBlocks(db, from),
    overdue_by_bucket: await overdueByBucket(db, ledgerNow),
    roll_rates: {
      from_date: rollFrom,
      to_date: clock.today,
      rates: rollRates(loansThen, ledgerThen, ledgerNow),
    },
    promises: await promiseFigures(db),
    complaints: await complaintFigures(db, clock.now),
  };
}
