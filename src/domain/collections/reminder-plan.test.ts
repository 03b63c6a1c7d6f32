// Proves the reminder plan: T-3, T-1 and the due day only while current and
// owing; overdue reminders on day 1 and weekly in M1 and M2, then once per
// bucket; a broken promise always gets its own reminder.
import { describe, expect, it } from 'vitest';
import { delinquencyBucket } from '../loan/delinquency/classification.js';
import { fen } from '../money/fen.js';
import { addDays, calendarDate } from '../shared/calendar-date.js';
import { isOverdueReminderDay, remindersFor } from './reminder-plan.js';

const DAY = calendarDate('2026-11-20');

function plan(daysToDue: number, daysPastDue: number, unpaid = 100n) {
  return remindersFor({
    asOf: DAY,
    daysPastDue,
    bucket: delinquencyBucket(daysPastDue),
    next: { n: 5, dueDate: addDays(DAY, daysToDue), unpaidFen: fen(unpaid) },
    oldest:
      daysPastDue > 0
        ? { n: 4, dueDate: addDays(DAY, -daysPastDue) }
        : undefined,
    totalOverdueFen: fen(daysPastDue > 0 ? 999n : 0n),
    promiseBroken: false,
  }).map((r) => r.kind);
}

describe('reminder plan', () => {
  it('reminds 3 days before, the day before and on the due day', () => {
    const kinds = [0, 1, 2, 3, 4, 7].map((d) => plan(d, 0));
    expect(kinds).toEqual([
      ['due_day'],
      ['pre_due_1'],
      [],
      ['pre_due_3'],
      [],
      [],
    ]);
    // A prepaid installment is not chased.
    expect(plan(3, 0, 0n)).toEqual([]);
    // An overdue loan gets collection reminders, not pre-due ones.
    expect(plan(3, 8)).toEqual(['overdue_m1']);
  });

  it('reminds overdue loans on day 1, weekly in M1–M2, then per bucket', () => {
    const days: number[] = [];
    for (let d = 0; d <= 200; d += 1) if (isOverdueReminderDay(d)) days.push(d);
    expect(days).toEqual([
      1, 8, 15, 22, 29, 31, 38, 45, 52, 59, 61, 91, 121, 151, 181,
    ]);
    expect(plan(10, 1)).toEqual(['overdue_m1']);
    expect(plan(10, 31)).toEqual(['overdue_m2']);
    expect(plan(10, 91)).toEqual(['overdue_m3_plus']);
    expect(plan(10, 35)).toEqual([]);
  });

  it('queues a promise_broken reminder for the oldest unpaid installment', () => {
    const drafts = remindersFor({
      asOf: DAY,
      daysPastDue: 12,
      bucket: 'M1',
      next: undefined,
      oldest: { n: 4, dueDate: addDays(DAY, -12) },
      totalOverdueFen: fen(5_000n),
      promiseBroken: true,
    });
    expect(drafts).toEqual([
      {
        kind: 'promise_broken',
        installmentN: 4,
        dueDate: addDays(DAY, -12),
        amountFen: 5_000n,
      },
    ]);
  });
});
