import type { CalendarDate } from '../../shared/calendar-date.js';
import { readIdNumber, readLoanNo, readPhone } from './identifiers.js';
import type { Slots } from './labels.js';
import { readPurpose } from './purpose.js';
import {
  readAmountYuan,
  readMonthlyIncomeYuan,
  readTermMonths,
} from './quantities.js';
import { readDate } from './relative-date.js';
import { maskSpans, type TextSpan } from './text-span.js';

/**
 * Every slot the (normalised) text states. Readers run from the most
 * specific to the most general, and each consumed span is masked so that a
 * phone number's digits never become an amount and 月收入1万2 never becomes
 * the loan amount.
 *
 * @example
 * readSlots('想借5万分3年', calendarDate('2026-11-20'));
 * // { amount_yuan: 50000, term_months: 36 }
 */
export function readSlots(text: string, today: CalendarDate): Slots {
  const slots: Slots = {};
  let rest = text;
  const consume = (span: TextSpan): void => {
    rest = maskSpans(rest, [span]);
  };

  const idNumber = readIdNumber(rest);
  if (idNumber !== undefined) {
    slots.id_number = idNumber.value;
    consume(idNumber.span);
  }
  const phone = readPhone(rest);
  if (phone !== undefined) {
    slots.phone = phone.value;
    consume(phone.span);
  }
  const loanNo = readLoanNo(rest);
  if (loanNo !== undefined) {
    slots.loan_no = loanNo.value;
    consume(loanNo.span);
  }
  const date = readDate(rest, today);
  if (date !== undefined) {
    slots.date = date.value;
    consume(date.span);
  }
  const income = readMonthlyIncomeYuan(rest);
  if (income !== undefined) {
    slots.monthly_income_yuan = income.value;
    consume(income.span);
  }
  const term = readTermMonths(rest);
  if (term !== undefined) {
    slots.term_months = term.value;
    consume(term.span);
  }
  const amount = readAmountYuan(rest);
  if (amount !== undefined) slots.amount_yuan = amount.value;
  const purpose = readPurpose(text);
  if (purpose !== undefined) slots.purpose = purpose.value;
  return slots;
}
