import type { DelinquencyBucket } from '../loan/delinquency/classification.js';
import type { Fen } from '../money/fen.js';
import { assert } from '../shared/assert.js';
import { type CalendarDate, daysBetween } from '../shared/calendar-date.js';

// Which reminders the end-of-day batch queues for a loan on a business day.
// The batch only decides that a reminder is due; the channel dispatcher
// renders it, checks compliance and the contact policy (hours, frequency
// caps) and sends it or suppresses it with a reason.
//
// The plan is deliberately modest — enough to help a borrower pay on time,
// never a daily drumbeat:
// - before the due date: 3 days before (pre_due_3), the day before
//   (pre_due_1) and on the due day (due_day), only while the loan is current
//   and the installment still owes money (a prepaid installment gets none);
// - once overdue, by bucket: in M1 and M2 on the first day of the bucket and
//   weekly within it (days past due 1, 8, 15, 22, 29; 31, 38, …, 59); from
//   M3 on (legal review territory, where collectors call) only on entering
//   each 30-day bucket (61, 91, 121, …);
// - promise_broken on the day a promise to pay is found broken.
// Weekends and holidays are not special-cased here: the dispatcher holds a
// reminder until the contact policy allows it.

export type ReminderKind =
  | 'pre_due_3'
  | 'pre_due_1'
  | 'due_day'
  | 'overdue_m1'
  | 'overdue_m2'
  | 'overdue_m3_plus'
  | 'promise_broken';

export type ReminderDraft = {
  readonly kind: ReminderKind;
  readonly installmentN: number;
  readonly dueDate: CalendarDate;
  /** What the borrower owes on the day (the installment, or all overdue). */
  readonly amountFen: Fen;
};

export type ReminderPlanInput = {
  readonly asOf: CalendarDate;
  readonly daysPastDue: number;
  readonly bucket: DelinquencyBucket;
  /** The first installment due on or after `asOf`, with what it still owes. */
  readonly next:
    | {
        readonly n: number;
        readonly dueDate: CalendarDate;
        readonly unpaidFen: Fen;
      }
    | undefined;
  /** The oldest installment past due and unpaid (when overdue). */
  readonly oldest:
    | { readonly n: number; readonly dueDate: CalendarDate }
    | undefined;
  readonly totalOverdueFen: Fen;
  readonly promiseBroken: boolean;
};

const PRE_DUE_KINDS: Readonly<Record<number, ReminderKind>> = {
  3: 'pre_due_3',
  1: 'pre_due_1',
  0: 'due_day',
};

const BUCKET_DAYS = 30;
const WEEK_DAYS = 7;

/** True on the days past due that get an overdue reminder. */
export function isOverdueReminderDay(daysPastDue: number): boolean {
  assert(Number.isInteger(daysPastDue) && daysPastDue >= 0, 'days past due');
  if (daysPastDue === 0) return false;
  const dayInBucket = (daysPastDue - 1) % BUCKET_DAYS;
  if (daysPastDue <= 2 * BUCKET_DAYS) return dayInBucket % WEEK_DAYS === 0;
  return dayInBucket === 0;
}

export function overdueReminderKind(bucket: DelinquencyBucket): ReminderKind {
  if (bucket === 'M1') return 'overdue_m1';
  if (bucket === 'M2') return 'overdue_m2';
  return 'overdue_m3_plus';
}

/** The reminders due for one loan on `asOf` (at most one per kind). */
export function remindersFor(input: ReminderPlanInput): ReminderDraft[] {
  const drafts: ReminderDraft[] = [];
  const { next, oldest } = input;
  if (input.daysPastDue === 0) {
    if (next !== undefined && next.unpaidFen > 0n) {
      const kind = PRE_DUE_KINDS[daysBetween(input.asOf, next.dueDate)];
      if (kind !== undefined) {
        drafts.push({
          kind,
          installmentN: next.n,
          dueDate: next.dueDate,
          amountFen: next.unpaidFen,
        });
      }
    }
  } else {
    assert(oldest !== undefined, 'overdue loan without an oldest installment');
    if (isOverdueReminderDay(input.daysPastDue)) {
      drafts.push({
        kind: overdueReminderKind(input.bucket),
        installmentN: oldest.n,
        dueDate: oldest.dueDate,
        amountFen: input.totalOverdueFen,
      });
    }
  }
  if (input.promiseBroken) {
    const about = oldest ?? next;
    if (about !== undefined) {
      drafts.push({
        kind: 'promise_broken',
        installmentN: about.n,
        dueDate: about.dueDate,
        amountFen: input.totalOverdueFen,
      });
    }
  }
  return drafts;
}
