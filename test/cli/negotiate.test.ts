// Proves `loandesk negotiate --jsonl` (spec/contracts.md) through the real
// bin: every plan's numbers are the ones the loan engine's restructuring
// functions produce for the same debt (rebuilt here from the engine, not
// hard-coded), every kind appears when the policy allows it, the policy's
// limits hold, and a bad line is answered with an error line.
import { describe, expect, it } from 'vitest';
import { type Debt, waive } from '../../src/domain/loan/restructuring/debt.js';
import {
  extendLoan,
  type RestructuringPlan,
  reamortize,
  stopInterestInstallments,
} from '../../src/domain/loan/restructuring/plans.js';
import { DEFAULT_RESTRUCTURING_POLICY } from '../../src/domain/loan/restructuring/policy.js';
import { buildSchedule } from '../../src/domain/loan/schedule/build-schedule.js';
import { fen } from '../../src/domain/money/fen.js';
import { rate } from '../../src/domain/money/rate.js';
import { calendarDate } from '../../src/domain/shared/calendar-date.js';
import { rateOf, termsOf } from '../db/fixtures.js';
import { runCli } from '../helpers/run-cli.js';

const TODAY = '2026-11-20';
const LOAN = {
  loan_no: 'L202401001',
  principal_yuan: 60000,
  annual_rate: 0.0888,
  term_months: 36,
  method: 'equal_installment',
  start_date: '2024-01-10',
  paid_periods: 20,
  overdue_days: 75,
  overdue_amount_yuan: 5800.0,
};
const POLICY = {
  max_months: 60,
  max_penalty_waiver: 1.0,
  max_interest_waiver: 0.3,
  min_first_payment_yuan: 500,
  settlement_discount_max: 0.2,
  discount_rate_annual: 0.06,
};
const CASE = {
  id: 'n1',
  today: TODAY,
  loan: LOAN,
  monthly_income_yuan: 6000,
  monthly_essential_expenses_yuan: 4200,
  policy: POLICY,
};

type Plan = {
  kind: string;
  months: number;
  first_payment: string;
  monthly_payment: string;
  total_paid: string;
  waived: string;
  share_of_disposable_income: string | null;
  recovery_value: string;
  within_policy: boolean;
  rank: number;
  due_at_signing: string;
};
type Answer = {
  id: string | null;
  error?: string;
  balance: Record<
    'principal' | 'interest' | 'penalty' | 'fees' | 'total',
    string
  >;
  plans: Plan[];
};

const toFen = (text: string) => fen(BigInt(text.replace('.', '')));
const money = (amount: bigint) => {
  const text = amount.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
};

function negotiate(lines: readonly unknown[]): Answer[] {
  const input = lines
    .map((line) => (typeof line === 'string' ? line : JSON.stringify(line)))
    .join('\n');
  const result = runCli(['negotiate', '--jsonl'], `${input}\n`);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Answer);
}

function debtOf(answer: Answer): Debt {
  return {
    principalFen: toFen(answer.balance.principal),
    interestFen: toFen(answer.balance.interest),
    feeFen: toFen(answer.balance.fees),
    penaltyFen: toFen(answer.balance.penalty),
  };
}

function expectEngineNumbers(plan: Plan, engine: RestructuringPlan): void {
  expect(plan.months).toBe(engine.months);
  expect(plan.monthly_payment).toBe(money(engine.monthlyPaymentFen));
  expect(plan.total_paid).toBe(money(engine.totalPaidFen));
  expect(plan.due_at_signing).toBe(money(engine.dueAtSigningFen));
  expect(plan.first_payment).toBe(
    money(
      engine.dueAtSigningFen > 0n
        ? engine.dueAtSigningFen
        : engine.firstPaymentFen,
    ),
  );
}

describe('loandesk negotiate --jsonl', () => {
  const [answer] = negotiate([CASE]);
  if (answer === undefined) throw new Error('no answer');
  const byKind = new Map(answer.plans.map((plan) => [plan.kind, plan]));
  const debt = debtOf(answer);
  const common = {
    debt,
    startDate: calendarDate(TODAY),
    rounding: 'half_up' as const,
  };
  const authority = {
    ...DEFAULT_RESTRUCTURING_POLICY,
    penaltyWaiverShareMax: rate(1n, 1n),
  };

  it('states the balance the loan engine gives for the unpaid schedule', () => {
    const schedule = buildSchedule({
      ...termsOf(60_000n, 36),
      rateAnnual: rateOf('0.0888'),
      startDate: calendarDate('2024-01-10'),
      paymentMultipleFen: fen(1n),
    });
    if (!schedule.ok) throw new Error('schedule');
    expect(answer.id).toBe('n1');
    expect(answer.balance.principal).toBe(
      money(schedule.value.installments[19]?.balanceFen ?? -1n),
    );
    expect(toFen(answer.balance.penalty)).toBeGreaterThan(0n);
    expect(toFen(answer.balance.total)).toBe(
      debt.principalFen + debt.interestFen + debt.feeFen + debt.penaltyFen,
    );
  });

  it('offers every kind, ranked 1..n in order, all within this policy', () => {
    expect([...byKind.keys()].sort()).toEqual([
      'extension',
      'reamortize',
      'settlement',
      'stop_interest',
      'waiver',
    ]);
    expect(answer.plans.map((p) => p.rank)).toEqual([1, 2, 3, 4, 5]);
    for (const plan of answer.plans) {
      expect(plan.within_policy).toBe(true);
      expect(plan.months).toBeLessThanOrEqual(POLICY.max_months);
      expect(toFen(plan.first_payment)).toBeGreaterThanOrEqual(50_000n);
    }
    const values = answer.plans.map((p) => toFen(p.recovery_value));
    expect(values).toEqual([...values].sort((a, b) => (a < b ? 1 : -1)));
  });

  it('re-amortises and stops interest exactly as the loan engine schedules it', () => {
    const re = byKind.get('reamortize');
    const stop = byKind.get('stop_interest');
    if (re === undefined || stop === undefined) throw new Error('missing');
    const engineRe = reamortize(
      { ...common, months: re.months, rateAnnual: rateOf('0.0888') },
      authority,
    );
    const engineStop = stopInterestInstallments(
      { ...common, months: stop.months },
      authority,
    );
    if (!engineRe.ok || !engineStop.ok) throw new Error('engine refused');
    expectEngineNumbers(re, engineRe.value);
    expectEngineNumbers(stop, engineStop.value);
    expect(stop.total_paid).toBe(answer.balance.total);
    // The term chosen is the shortest whose installment fits half of the
    // disposable income (6000 − 4200 = 1800 → 900).
    expect(toFen(re.monthly_payment)).toBeLessThanOrEqual(90_000n);
    const shorter = reamortize(
      { ...common, months: re.months - 1, rateAnnual: rateOf('0.0888') },
      authority,
    );
    if (!shorter.ok) throw new Error('engine refused');
    expect(shorter.value.monthlyPaymentFen).toBeGreaterThan(90_000n);
  });

  it('waives penalty and interest up to the policy maximum, not beyond', () => {
    const plan = byKind.get('waiver');
    if (plan === undefined) throw new Error('missing');
    const waived = waive(
      debt,
      {
        penaltyShare: rate(1n, 1n),
        interestShare: rate(3n, 10n),
        feeShare: rate(0n, 1n),
        principalFen: fen(0n),
      },
      authority,
    );
    if (!waived.ok) throw new Error('waiver refused');
    const engine = reamortize(
      {
        ...common,
        debt: waived.value.after,
        months: plan.months,
        rateAnnual: rateOf('0.0888'),
      },
      authority,
    );
    if (!engine.ok) throw new Error('engine refused');
    expectEngineNumbers(plan, engine.value);
    const w = waived.value.waived;
    expect(plan.waived).toBe(money(w.penaltyFen + w.interestFen));
    expect(toFen(plan.waived)).toBeLessThanOrEqual(
      debt.penaltyFen + (debt.interestFen * 3n) / 10n,
    );
  });

  it('settles at most 20 % below the debt and extends within the statutory cap', () => {
    const settle = byKind.get('settlement');
    const extend = byKind.get('extension');
    if (settle === undefined || extend === undefined)
      throw new Error('missing');
    const total = toFen(answer.balance.total);
    expect(toFen(settle.total_paid)).toBe(total - (total * 2n) / 10n);
    expect(toFen(settle.waived) + toFen(settle.total_paid)).toBe(total);
    const engine = extendLoan(
      {
        ...common,
        months: extend.months,
        remainingPeriods: 16,
        originalTermMonths: 36,
        method: 'equal_installment',
        rateAnnual: rateOf('0.0888'),
      },
      DEFAULT_RESTRUCTURING_POLICY,
    );
    if (!engine.ok) throw new Error(engine.error.detail);
    expectEngineNumbers(extend, engine.value);
    expect(extend.months).toBeLessThanOrEqual(16 + 18);
  });

  it('drops the plans a stricter policy does not allow and marks a short first payment', () => {
    const [strict] = negotiate([
      {
        ...CASE,
        policy: {
          ...POLICY,
          max_months: 24,
          max_penalty_waiver: 0,
          max_interest_waiver: 0,
          settlement_discount_max: 0,
          min_first_payment_yuan: 1500,
        },
      },
    ]);
    if (strict === undefined) throw new Error('no answer');
    const kinds = strict.plans.map((p) => p.kind);
    expect(kinds).not.toContain('waiver');
    expect(kinds).not.toContain('settlement');
    for (const plan of strict.plans) {
      expect(plan.months).toBeLessThanOrEqual(24);
      expect(plan.within_policy).toBe(toFen(plan.first_payment) >= 150_000n);
    }
    const firstOutside = strict.plans.findIndex((p) => !p.within_policy);
    if (firstOutside >= 0)
      expect(
        strict.plans.slice(firstOutside).every((p) => !p.within_policy),
      ).toBe(true);
  });

  it('answers a malformed line with an error line and keeps going', () => {
    const answers = negotiate([
      '{"id":"bad", "today":',
      { ...CASE, id: 'no-income', monthly_income_yuan: undefined },
      { ...CASE, id: 'bad-waiver', policy: { max_interest_waiver: 1.5 } },
      { ...CASE, id: 'ok' },
    ]);
    expect(answers.map((a) => a.id)).toEqual([
      null,
      'no-income',
      'bad-waiver',
      'ok',
    ]);
    expect(answers[0]?.error).toMatch(/JSON/);
    expect(answers[1]?.error).toMatch(/monthly_income_yuan/);
    expect(answers[2]?.error).toMatch(/policy.max_interest_waiver/);
    expect(answers[3]?.plans.length).toBe(5);
  });
});
