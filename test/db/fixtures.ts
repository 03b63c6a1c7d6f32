import {
  createRepositories,
  type Repositories,
} from '../../src/adapters/db/repositories/index.js';
import type { Loan } from '../../src/adapters/db/repositories/loan-repository.js';
import { sequentialDeps } from '../../src/adapters/db/repositories/repository-context.js';
import { buildSchedule } from '../../src/domain/loan/schedule/build-schedule.js';
import type {
  LoanTerms,
  Schedule,
} from '../../src/domain/loan/schedule/types.js';
import { fen } from '../../src/domain/money/fen.js';
import { parseRate, type Rate } from '../../src/domain/money/rate.js';
import { assert } from '../../src/domain/shared/assert.js';
import { calendarDate } from '../../src/domain/shared/calendar-date.js';
import { type TestDatabase, testCipher } from './dialects.js';

// Shared test data. The ID numbers carry valid GB 11643 check digits and the
// people are invented.

export const WANG = {
  name: '王小明',
  idNumber: '110101199003071233',
  phone: '13800001111',
} as const;

export const LI = {
  name: '李娜',
  idNumber: '11010519850612107X',
  phone: '13900002222',
} as const;

export function rateOf(text: string): Rate {
  const r = parseRate(text);
  assert(r !== undefined, `rateOf ${text}`);
  return r;
}

export function termsOf(principalYuan: bigint, termMonths: number): LoanTerms {
  return {
    principalFen: fen(principalYuan * 100n),
    rateAnnual: rateOf('0.0728'),
    termMonths,
    method: 'equal_installment',
    startDate: calendarDate('2026-01-10'),
    dayCount: '30/360',
    rounding: 'half_up',
    paymentMultipleFen: fen(1n),
    interestOnlyPeriods: 0,
    fees: [],
    prepayments: [],
  };
}

export function scheduleOf(
  principalYuan: bigint,
  termMonths: number,
): Schedule {
  const built = buildSchedule(termsOf(principalYuan, termMonths));
  assert(built.ok, 'scheduleOf: schedule refused');
  return built.value;
}

export function repositoriesFor(t: TestDatabase): Repositories {
  return createRepositories(
    t.db,
    sequentialDeps('2026-11-20T08:00:00.000Z'),
    testCipher(),
  );
}

export const AGENT = 'user_agent01';

/** A customer with one product and one disbursed 12-month loan. */
export async function seedLoan(
  r: Repositories,
  loanNo = 'L202601001',
  person: { name: string; idNumber: string; phone: string } = WANG,
): Promise<{ customerId: string; loan: Loan; schedule: Schedule }> {
  const customer = await r.customers.create(person, AGENT);
  assert(customer.ok, 'seedLoan: customer');
  const product = await r.products.create({
    code: `XFD-${loanNo}`,
    name: '个人消费贷',
    methods: ['equal_installment', 'equal_principal'],
    rateAnnualMin: rateOf('0.0365'),
    rateAnnualMax: rateOf('0.18'),
    amountFenMin: fen(1_000_00n),
    amountFenMax: fen(200_000_00n),
    termMonthsMin: 3,
    termMonthsMax: 36,
  });
  const schedule = scheduleOf(12_000n, 12);
  const loan = await r.loans.createFromSchedule(
    { loanNo, customerId: customer.value.id, productId: product.id, schedule },
    AGENT,
  );
  return { customerId: customer.value.id, loan, schedule };
}
