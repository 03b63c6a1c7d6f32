// The `setup` of a chat scenario (spec/contracts.md, `loandesk chat`) →
// the customer's records as the dialogue engine reads them. Bad input throws
// InputError naming the field.
import {
  APPLICATION_STATUSES,
  type ApplicationRecord,
  type CustomerData,
  type CustomerRecord,
  type LoanAccount,
} from '../../domain/dialogue/policy/types.js';
import { buildSchedule } from '../../domain/loan/schedule/build-schedule.js';
import type { CalendarDate } from '../../domain/shared/calendar-date.js';
import {
  OVERDUE_DAYS_MAX,
  TERM_MONTHS_MAX,
} from '../../domain/shared/limits.js';
import { InputError, type JsonObject } from '../wire/input-error.js';
import {
  parseLoanTerms,
  readChoice,
  readDate,
  readInteger,
  readYuan,
} from '../wire/schedule-codec.js';

/** Records per scenario; a bound on the work one JSONL line can ask for. */
export const SETUP_RECORDS_MAX = 20;

function readObject(value: unknown, field: string): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new InputError(`${field}: must be a JSON object`);
  return value as JsonObject;
}

function readList(value: unknown, field: string): JsonObject[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InputError(`${field}: must be a list`);
  if (value.length > SETUP_RECORDS_MAX)
    throw new InputError(`${field}: at most ${SETUP_RECORDS_MAX} entries`);
  return value.map((entry, index) => readObject(entry, `${field}[${index}]`));
}

function readText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new InputError(`${field}: must be a non-empty string`);
  return value.trim();
}

function readCustomer(value: unknown): CustomerRecord | undefined {
  if (value === undefined || value === null) return undefined;
  const input = readObject(value, 'setup.customer');
  return {
    name: readText(input.name, 'setup.customer.name'),
    idNumber: readText(input.id_number, 'setup.customer.id_number'),
    phone: readText(input.phone, 'setup.customer.phone'),
  };
}

// The schedule codec names the field inside the loan; say which loan.
function prefixed<T>(field: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InputError)
      throw new InputError(`${field}.${error.message}`);
    throw error;
  }
}

/** A loan in the `setup` form (`principal_yuan`, `paid_periods`, `overdue_days` …). */
export function readLoan(
  input: JsonObject,
  field: string,
  today: CalendarDate,
): LoanAccount {
  const terms = prefixed(field, () =>
    parseLoanTerms(
      {
        ...input,
        principal: input.principal_yuan ?? input.principal,
        start_date: input.start_date ?? today,
      },
      today,
    ),
  );
  const built = buildSchedule(terms);
  if (!built.ok)
    throw new InputError(
      `${field}.${built.error.field}: ${built.error.detail}`,
    );
  const schedule = built.value;
  return {
    loanNo: readText(input.loan_no, `${field}.loan_no`),
    productNameZh: readText(input.product ?? '贷款', `${field}.product`),
    schedule,
    paidPeriods: readInteger(
      input.paid_periods ?? 0,
      `${field}.paid_periods`,
      0,
      schedule.installments.length,
    ),
    overdueDays: readInteger(
      input.overdue_days ?? 0,
      `${field}.overdue_days`,
      0,
      OVERDUE_DAYS_MAX,
    ),
    overdueAmountFen: readYuan(
      input.overdue_amount_yuan ?? 0,
      `${field}.overdue_amount_yuan`,
    ),
  };
}

function readApplication(input: JsonObject, field: string): ApplicationRecord {
  return {
    appNo: readText(input.app_no, `${field}.app_no`),
    productNameZh: readText(input.product, `${field}.product`),
    amountFen: readYuan(input.amount_yuan, `${field}.amount_yuan`),
    termMonths: readInteger(
      input.term_months,
      `${field}.term_months`,
      1,
      TERM_MONTHS_MAX,
    ),
    submittedDate: readDate(input.submitted_date, `${field}.submitted_date`),
    status: readChoice(input.status, `${field}.status`, APPLICATION_STATUSES),
  };
}

/** Parses a scenario's `setup`; `today` is the default loan start date. */
export function parseSetup(value: unknown, today: CalendarDate): CustomerData {
  const setup =
    value === undefined || value === null ? {} : readObject(value, 'setup');
  return {
    customer: readCustomer(setup.customer),
    loans: readList(setup.loans, 'setup.loans').map((loan, index) =>
      readLoan(loan, `setup.loans[${index}]`, today),
    ),
    applications: readList(setup.applications, 'setup.applications').map(
      (app, index) => readApplication(app, `setup.applications[${index}]`),
    ),
  };
}
