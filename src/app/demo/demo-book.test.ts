import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../adapters/catalogue/load-catalogue.js';
import { isValidIdNumber } from '../../domain/compliance/pii-detect.js';
import { outstandingAt } from '../../domain/loan/early-repayment/position.js';
import { buildSchedule } from '../../domain/loan/schedule/build-schedule.js';
import {
  calendarDate,
  daysBetween,
} from '../../domain/shared/calendar-date.js';
import { generateDemoBook } from './demo-book.js';

const today = calendarDate('2026-11-20');
const catalogue = loadCatalogue();
const book = generateDemoBook({
  seed: 20261120,
  today,
  catalogue,
  customers: 200,
  loans: 500,
});

describe('demo book', () => {
  it('is the same for the same seed', () => {
    const again = generateDemoBook({
      seed: 20261120,
      today,
      catalogue,
      customers: 200,
      loans: 500,
    });
    expect(again.customers.map((c) => c.person.idNumber)).toEqual(
      book.customers.map((c) => c.person.idNumber),
    );
  });

  it('gives every customer a checksum-valid ID number, a mainland mobile and a unique identity', () => {
    for (const customer of book.customers) {
      expect(isValidIdNumber(customer.person.idNumber)).toBe(true);
      expect(customer.person.phone).toMatch(/^1[3-9]\d{9}$/);
      expect(customer.person.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
    }
    expect(new Set(book.customers.map((c) => c.person.idNumber)).size).toBe(
      200,
    );
  });

  it('builds a valid schedule for every loan, across all methods and products', () => {
    const methods = new Set<string>();
    for (const loan of book.loans) {
      const built = buildSchedule(loan.terms);
      expect(built.ok, loan.loanNo).toBe(true);
      methods.add(loan.terms.method);
    }
    expect(methods).toEqual(
      new Set([
        'equal_installment',
        'equal_principal',
        'interest_first',
        'bullet',
        'flat',
      ]),
    );
    expect(new Set(book.loans.map((l) => l.productCode)).size).toBe(
      catalogue.length,
    );
  });

  it('puts overdue loans in every bucket with the oldest unpaid installment due that many days ago', () => {
    const buckets = new Set<number>();
    for (const loan of book.loans.filter(
      (l) => l.state === 'overdue' || l.state === 'written_off',
    )) {
      const built = buildSchedule(loan.terms);
      if (!built.ok) throw new Error(loan.loanNo);
      const firstUnpaid = built.value.installments[loan.paidPeriods];
      expect(
        firstUnpaid && daysBetween(firstUnpaid.dueDate, today),
        loan.loanNo,
      ).toBe(loan.overdueDays);
      buckets.add(Math.min(7, Math.ceil(loan.overdueDays / 30)));
    }
    expect([...buckets].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('leaves current loans with nothing overdue today', () => {
    for (const loan of book.loans.filter((l) => l.state === 'current')) {
      const built = buildSchedule(loan.terms);
      if (!built.ok) throw new Error(loan.loanNo);
      const position = outstandingAt({
        schedule: built.value,
        paidPeriods: loan.paidPeriods,
        asOf: today,
      });
      expect(position.overdueInstallments, loan.loanNo).toHaveLength(0);
    }
  });
});
