// Proves `loandesk chat` end to end: the scenarios of
// test/fixtures/chat/scenarios.json go through the real CLI
// (node bin/loandesk.js chat --jsonl) in one batch, and each test asserts the
// actions of its turns and the numbers in the replies. How the numbers are
// known: every expected amount and rate is computed here from the scenario's
// setup by the loan engine (schedule, position, payoff, penalty,
// restructuring, APR) or by the contract's rules — none is pasted.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/adapters/catalogue/load-catalogue.js';
import { parseLoanTerms } from '../../src/adapters/wire/schedule-codec.js';
import { formatFen } from '../../src/contracts/money.js';
import { computeApr } from '../../src/domain/loan/apr.js';
import { penaltyOnOverdueAmount } from '../../src/domain/loan/delinquency/overdue-amount.js';
import {
  DEFAULT_PENALTY_POLICIES,
  penaltyToDate,
} from '../../src/domain/loan/delinquency/penalty-to-date.js';
import { payoffQuote } from '../../src/domain/loan/early-repayment/payoff.js';
import {
  type LoanPosition,
  outstandingAt,
} from '../../src/domain/loan/early-repayment/position.js';
import { NO_PREPAYMENT_FEE } from '../../src/domain/loan/early-repayment/prepayment-fee.js';
import {
  extendLoan,
  reamortize,
  stopInterestInstallments,
} from '../../src/domain/loan/restructuring/plans.js';
import {
  DEFAULT_RESTRUCTURING_POLICY,
  extensionMonthsMax,
} from '../../src/domain/loan/restructuring/policy.js';
import { buildSchedule } from '../../src/domain/loan/schedule/build-schedule.js';
import { type Fen, fen, ZERO_FEN } from '../../src/domain/money/fen.js';
import { formatRate } from '../../src/domain/money/rate.js';
import {
  addDays,
  type CalendarDate,
  calendarDate,
} from '../../src/domain/shared/calendar-date.js';
import { runCli } from '../helpers/run-cli.js';

type Action = { type: string; [key: string]: unknown };
type Turn = {
  user: string;
  bot: string;
  intent: string;
  actions: Action[];
  compliance: { verdict: string; violations: unknown[] };
};
type LoanSetup = Record<string, unknown> & {
  loan_no: string;
  paid_periods: number;
  overdue_days: number;
  overdue_amount_yuan: number;
};
type Scenario = {
  id: string;
  today: string;
  setup: {
    customer?: { name: string; id_number: string; phone: string };
    loans: LoanSetup[];
  };
  turns: { user: string }[];
};

const FIXTURE = fileURLToPath(
  new URL('../fixtures/chat/scenarios.json', import.meta.url),
);
const scenarios = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Scenario[];
const answers = new Map<string, Turn[]>();

beforeAll(() => {
  const input = scenarios.map((s) => JSON.stringify(s)).join('\n');
  const result = runCli(['chat', '--jsonl'], `${input}\n`);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  for (const line of result.stdout.trim().split('\n')) {
    const answer = JSON.parse(line) as { id: string; turns: Turn[] };
    answers.set(answer.id, answer.turns);
  }
}, 180_000);

function scenario(id: string): Scenario {
  const found = scenarios.find((s) => s.id === id);
  if (found === undefined) throw new Error(`no scenario ${id}`);
  return found;
}

function turns(id: string): Turn[] {
  const found = answers.get(id);
  if (found === undefined) throw new Error(`no answer for ${id}`);
  expect(found).toHaveLength(scenario(id).turns.length);
  return found;
}

function types(turn: Turn | undefined): string[] {
  return (turn?.actions ?? []).map((action) => action.type);
}

function actionsOf(turn: Turn | undefined, type: string): Action[] {
  return (turn?.actions ?? []).filter((action) => action.type === type);
}

// The loan engine's view of a scenario loan.
function positionOf(
  id: string,
  loanNo: string,
): LoanPosition & { loan: LoanSetup } {
  const s = scenario(id);
  const loan = s.setup.loans.find((l) => l.loan_no === loanNo);
  if (loan === undefined) throw new Error(`no loan ${loanNo}`);
  const today = calendarDate(s.today);
  const terms = parseLoanTerms(
    { ...loan, principal: loan.principal_yuan },
    today,
  );
  const built = buildSchedule(terms);
  if (!built.ok) throw new Error('schedule refused');
  return {
    schedule: built.value,
    paidPeriods: loan.paid_periods,
    asOf: today,
    loan,
  };
}

// Penalty so far: on the record's overdue amount from the day it fell due
// when the record states one, else on the installments past their due date.
function penaltyOf(p: ReturnType<typeof positionOf>): Fen {
  const rateAnnual = p.schedule.terms.rateAnnual;
  if (p.loan.overdue_amount_yuan > 0) {
    const report = penaltyOnOverdueAmount(
      {
        rateAnnual,
        overduePrincipalFen: fen(
          BigInt(Math.round(p.loan.overdue_amount_yuan * 100)),
        ),
        overdueInterestFen: ZERO_FEN,
        dueDate: addDays(p.asOf, -p.loan.overdue_days),
        asOf: p.asOf,
      },
      DEFAULT_PENALTY_POLICIES,
    );
    if (!report.ok) throw new Error('penalty refused');
    const r = report.value;
    return fen(r.penaltyInterestFen + r.compoundInterestFen + r.lateFeeFen);
  }
  const pastDue = p.schedule.installments
    .slice(p.paidPeriods)
    .filter((row) => row.dueDate < p.asOf);
  if (pastDue.length === 0) return ZERO_FEN;
  const report = penaltyToDate(
    { rateAnnual, installments: pastDue, payments: [], asOf: p.asOf },
    DEFAULT_PENALTY_POLICIES,
  );
  if (!report.ok) throw new Error('penalty refused');
  const r = report.value;
  return fen(r.penaltyInterestFen + r.compoundInterestFen + r.lateFeeFen);
}

function nextInstallment(p: LoanPosition) {
  const next = p.schedule.installments
    .slice(p.paidPeriods)
    .find((row) => row.dueDate >= p.asOf);
  if (next === undefined) throw new Error('no next installment');
  return next;
}

function payoffTotal(p: ReturnType<typeof positionOf>): string {
  const quote = payoffQuote(p, {
    feePolicy: NO_PREPAYMENT_FEE,
    penaltyFen: penaltyOf(p),
  });
  if (!quote.ok) throw new Error('payoff refused');
  return formatFen(quote.value.totalFen);
}

function expectScheduleFacts(bot: string, p: LoanPosition): void {
  const next = nextInstallment(p);
  expect(bot).toContain(next.dueDate);
  expect(bot).toContain(`${formatFen(next.paymentFen)}元`);
  expect(bot).toContain(`${formatFen(outstandingAt(p).principalFen)}元`);
}

// docs/dialogue.md: extension by min(12, the policy cap); re-amortisation and
// stop-interest over the remaining periods + 12, at most 60.
function expectedPlans(p: ReturnType<typeof positionOf>) {
  const out = outstandingAt(p);
  const terms = p.schedule.terms;
  const debt = {
    principalFen: out.principalFen,
    interestFen: out.interestFen,
    feeFen: out.feeFen,
    penaltyFen: penaltyOf(p),
  };
  const remaining = p.schedule.installments.length - p.paidPeriods;
  const common = { debt, startDate: p.asOf, rounding: terms.rounding };
  const policy = DEFAULT_RESTRUCTURING_POLICY;
  const long = Math.min(60, remaining + 12);
  const extra = Math.min(12, extensionMonthsMax(policy, terms.termMonths));
  return [
    extendLoan(
      {
        ...common,
        months: remaining + extra,
        remainingPeriods: remaining,
        originalTermMonths: terms.termMonths,
        method: terms.method,
        rateAnnual: terms.rateAnnual,
      },
      policy,
    ),
    reamortize(
      { ...common, months: long, rateAnnual: terms.rateAnnual },
      policy,
    ),
    stopInterestInstallments({ ...common, months: long }, policy),
  ].map((result) => {
    if (!result.ok) throw new Error('plan refused');
    const plan = result.value;
    return {
      kind: plan.kind,
      months: plan.months,
      due_at_signing: formatFen(plan.dueAtSigningFen),
      first_payment: formatFen(plan.firstPaymentFen),
      monthly_payment: formatFen(plan.monthlyPaymentFen),
      total_paid: formatFen(plan.totalPaidFen),
    };
  });
}

function aprOf(p: LoanPosition): string {
  const apr = computeApr(p.schedule);
  if (apr === undefined) throw new Error('no apr');
  return formatRate(apr.aprNominal, 6);
}

function percent(wire: string): string {
  return `${(Number(wire) * 100).toFixed(2)}%`;
}

function productAprs(
  today: CalendarDate,
  amountYuan?: number,
  termMonths?: number,
) {
  return loadCatalogue().map((product) => {
    const aprAt = (rateAnnual: typeof product.rateAnnualMin) => {
      const amountFen =
        amountYuan === undefined
          ? product.amountFenMin
          : fen(BigInt(amountYuan * 100));
      const built = buildSchedule({
        principalFen: amountFen,
        rateAnnual,
        termMonths: termMonths ?? product.termMonthsMin,
        method: product.methods[0] ?? 'equal_installment',
        startDate: today,
        dayCount: '30/360',
        rounding: 'half_up',
        paymentMultipleFen: fen(1n),
        interestOnlyPeriods: 0,
        fees:
          product.upfrontFeeFen > 0n
            ? [{ kind: 'upfront', amountFen: product.upfrontFeeFen }]
            : [],
        prepayments: [],
      });
      if (!built.ok) throw new Error('schedule refused');
      const apr = computeApr(built.value);
      if (apr === undefined) throw new Error('no apr');
      return {
        apr: formatRate(apr.aprNominal, 6),
        payment: built.value.installments[0],
      };
    };
    return {
      product,
      min: aprAt(product.rateAnnualMin).apr,
      max: aprAt(product.rateAnnualMax),
    };
  });
}

describe('loandesk chat --jsonl: identity verification', () => {
  it('asks for verification before a balance and answers once two factors match', () => {
    const [first, second] = turns('verify-then-schedule');
    expect(types(first)).toEqual(['ask_verification']);
    expect(first?.bot).not.toMatch(/\d+\.\d{2}元/);
    expect(types(second)).toContain('verified');
    expectScheduleFacts(
      second?.bot ?? '',
      positionOf('verify-then-schedule', 'L202601001'),
    );
  });

  it('verifies and answers when identity and question come in one utterance', () => {
    const [first] = turns('verify-and-ask-in-one-utterance');
    expect(types(first)).toContain('verified');
    expectScheduleFacts(
      first?.bot ?? '',
      positionOf('verify-and-ask-in-one-utterance', 'L202601001'),
    );
  });

  it('accepts the name with the last six characters of the ID number', () => {
    const [, second] = turns('verify-name-and-id-tail');
    expect(types(second)).toContain('verified');
    const p = positionOf('verify-name-and-id-tail', 'L202601001');
    expect(second?.bot).toContain(formatFen(outstandingAt(p).principalFen));
  });

  it('does not verify on a wrong phone number and does once it is corrected', () => {
    const [, wrong, right] = turns('verify-mismatch-then-match');
    expect(types(wrong)).not.toContain('verified');
    expect(wrong?.bot).not.toMatch(/\d+\.\d{2}元/);
    expect(types(right)).toContain('verified');
    expectScheduleFacts(
      right?.bot ?? '',
      positionOf('verify-mismatch-then-match', 'L202601001'),
    );
  });

  it('keeps account details back when only one factor matches', () => {
    const [, second] = turns('verify-one-factor-is-not-enough');
    expect(types(second)).not.toContain('verified');
    expect(second?.bot).not.toMatch(/\d+\.\d{2}元/);
  });

  it('reads full-width digits and traditional characters when verifying', () => {
    const [first, second] = turns('full-width-and-traditional');
    expect(first?.intent).toBe('repayment_schedule');
    expect(types(second)).toContain('verified');
    expectScheduleFacts(
      second?.bot ?? '',
      positionOf('full-width-and-traditional', 'L202601001'),
    );
  });

  it('answers the question asked before verification once verification completes', () => {
    const [first, second, third] = turns(
      'pending-question-answered-after-verification',
    );
    expect(types(first)).toEqual(['ask_verification']);
    expect(types(second)).toEqual([]);
    const payoff = actionsOf(third, 'quote_payoff');
    expect(types(third)).toContain('verified');
    expect(payoff[0]?.amount).toBe(
      payoffTotal(
        positionOf(
          'pending-question-answered-after-verification',
          'L202601001',
        ),
      ),
    );
  });

  it('refuses account details when there is no customer record', () => {
    const [first] = turns('no-customer-record');
    expect(actionsOf(first, 'refuse_disclosure')[0]?.reason).toBe('no_record');
  });
});

describe('loandesk chat --jsonl: numbers from the loan engine', () => {
  it('quotes the payoff today as the loan engine computes it', () => {
    const [, second] = turns('payoff-quote');
    const amount = payoffTotal(positionOf('payoff-quote', 'L202601001'));
    expect(actionsOf(second, 'quote_payoff')).toEqual([
      { type: 'quote_payoff', loan_no: 'L202601001', amount },
    ]);
    expect(second?.bot).toContain(`${amount}元`);
  });

  it('states the annualised rate of the customer loan', () => {
    const [, second] = turns('loan-apr');
    const apr = aprOf(positionOf('loan-apr', 'L202601001'));
    expect(actionsOf(second, 'state_apr')[0]?.apr).toBe(apr);
    expect(second?.bot).toContain(`年化利率（单利）为${percent(apr)}`);
  });

  it('lists next installment and remaining principal of each loan', () => {
    const [, second] = turns('two-loans-schedule');
    expectScheduleFacts(
      second?.bot ?? '',
      positionOf('two-loans-schedule', 'L202601001'),
    );
    expectScheduleFacts(
      second?.bot ?? '',
      positionOf('two-loans-schedule', 'L202503002'),
    );
  });

  it('quotes the payoff of the loan named by its number only', () => {
    const [, second] = turns('loan-number-selects-payoff');
    const payoff = actionsOf(second, 'quote_payoff');
    expect(payoff).toHaveLength(1);
    expect(payoff[0]).toMatchObject({
      loan_no: 'L202503002',
      amount: payoffTotal(
        positionOf('loan-number-selects-payoff', 'L202503002'),
      ),
    });
  });

  it('states the overdue amount and the penalty so far to a verified customer', () => {
    const [, second] = turns('overdue-amount-and-penalty');
    const p = positionOf('overdue-amount-and-penalty', 'L202401001');
    expect(second?.bot).toContain(`逾期${p.loan.overdue_days}天`);
    expect(second?.bot).toContain('5800.00元');
    expect(second?.bot).toContain(`罚息${formatFen(penaltyOf(p))}元`);
  });

  it('explains overdue consequences without account figures before verification', () => {
    const [first] = turns('overdue-consequence-unverified');
    expect(first?.intent).toBe('overdue_consequence');
    expect(first?.bot).toContain('逾期');
    expect(types(first)).not.toContain('ask_verification');
    expect(first?.bot).not.toMatch(/\d+\.\d{2}元/);
  });

  it('explains early repayment rules to anyone and quotes no figure', () => {
    const [first] = turns('early-repayment-rules-without-verification');
    expect(first?.intent).toBe('early_repayment');
    expect(types(first)).toEqual([]);
    expect(first?.bot).toContain('违约金');
    expect(first?.bot).not.toMatch(/\d+\.\d{2}元/);
  });

  it('replays installments past due when the record states no overdue amount', () => {
    const [, second] = turns('schedule-behind-without-record');
    const p = positionOf('schedule-behind-without-record', 'L202505003');
    const pastDue = p.schedule.installments
      .slice(p.paidPeriods)
      .filter((r) => r.dueDate < p.asOf);
    let amount = 0n;
    for (const row of pastDue) amount += row.paymentFen;
    expect(pastDue.length).toBeGreaterThan(0);
    expect(second?.bot).toContain(`逾期金额${formatFen(amount)}元`);
    expect(second?.bot).toContain(`罚息${formatFen(penaltyOf(p))}元`);
    expectScheduleFacts(second?.bot ?? '', p);
  });

  it('offers restructuring plans with the loan engine numbers', () => {
    const [, second] = turns('difficulty-not-overdue');
    const offer = actionsOf(second, 'offer_plans')[0];
    expect(offer?.plans).toEqual(
      expectedPlans(positionOf('difficulty-not-overdue', 'L202601001')),
    );
    expect(types(second)).not.toContain('handoff');
  });
});

describe('loandesk chat --jsonl: needs analysis and products', () => {
  it('asks purpose, amount, term and income one at a time, then recommends', () => {
    const t = turns('needs-form-one-question-at-a-time');
    expect(
      t.slice(0, 4).map((turn) => actionsOf(turn, 'ask_slot')[0]?.slot),
    ).toEqual(['purpose', 'amount_yuan', 'term_months', 'monthly_income_yuan']);
    for (const turn of t.slice(0, 4))
      expect(actionsOf(turn, 'ask_slot')).toHaveLength(1);
    const last = t[4];
    const recommended = actionsOf(last, 'recommend_product');
    expect(recommended.map((a) => a.code)).toEqual(['renovation']);
    const expected = productAprs(calendarDate('2026-11-20'), 200000, 60).find(
      (p) => p.product.code === 'renovation',
    );
    expect(recommended[0]).toMatchObject({
      apr_min: expected?.min,
      apr_max: expected?.max.apr,
    });
    expect(types(last)).toContain('state_apr');
    expect(last?.bot).toContain(
      `${formatFen(expected?.max.payment?.paymentFen ?? 0n)}元`,
    );
  });

  it('answers a rate question in the middle of the form, then asks the open question again', () => {
    const [, second, third] = turns('needs-form-resumes-after-a-rate-question');
    expect(actionsOf(second, 'ask_slot')[0]?.slot).toBe('amount_yuan');
    const auto = productAprs(calendarDate('2026-11-20')).find(
      (p) => p.product.code === 'auto',
    );
    expect(actionsOf(third, 'state_apr')).toEqual([
      {
        type: 'state_apr',
        apr: auto?.min,
        apr_max: auto?.max.apr,
        subject: '车贷',
      },
    ]);
    expect(actionsOf(third, 'ask_slot')[0]?.slot).toBe('amount_yuan');
  });

  it('recommends from one utterance that states every slot', () => {
    const [first] = turns('needs-form-all-at-once');
    expect(types(first)).not.toContain('ask_slot');
    const codes = actionsOf(first, 'recommend_product').map((a) => a.code);
    expect(codes).toContain('auto');
    const auto = productAprs(calendarDate('2026-11-20'), 50000, 36).find(
      (p) => p.product.code === 'auto',
    );
    expect(
      actionsOf(first, 'state_apr').find((a) => a.subject === '车贷')?.apr,
    ).toBe(auto?.min);
  });

  it('recommends nothing when the installment exceeds half the income', () => {
    const t = turns('needs-form-unaffordable');
    const last = t[t.length - 1];
    const renovation = productAprs(calendarDate('2026-11-20'), 300000, 12).find(
      (p) => p.product.code === 'renovation',
    );
    // The contract's rule: installment at the highest rate above 50 % of 5000.
    expect((renovation?.max.payment?.paymentFen ?? 0n) * 2n).toBeGreaterThan(
      500000n,
    );
    expect(types(last)).not.toContain('recommend_product');
    expect(last?.bot).toContain('一半');
  });

  it('states every product rate as an annualised rate range', () => {
    const [first] = turns('product-rates-unverified');
    const expected = productAprs(calendarDate('2026-11-20'));
    const stated = actionsOf(first, 'state_apr');
    expect(stated.map((a) => [a.subject, a.apr, a.apr_max])).toEqual(
      expected.map((p) => [p.product.nameZh, p.min, p.max.apr]),
    );
    for (const p of expected)
      expect(first?.bot).toContain(
        `${p.product.nameZh}：年化利率（单利）${percent(p.min)}`,
      );
  });
});

describe('loandesk chat --jsonl: personas', () => {
  it('calms a customer angry about a slow approval, then reports the status', () => {
    const [first, second, third] = turns('persona-angry-slow-approval');
    expect(types(first)[0]).toBe('empathy');
    expect(types(first)).toContain('ask_verification');
    expect(types(second)).toContain('verified');
    expect(second?.bot).toContain('人工复核');
    expect(second?.bot).not.toMatch(/保证|一定能批/);
    expect(types(third)[0]).toBe('empathy');
    expect(types(third)).toContain('handoff');
  });

  it('flags an urgent, rate-insensitive applicant and answers responsibly', () => {
    const [first, second] = turns('persona-urgent-rate-insensitive');
    const flags = actionsOf(first, 'flag_risk').map((a) => a.signal);
    expect(flags).toEqual(
      expect.arrayContaining(['urgent_need', 'rate_insensitive']),
    );
    expect(first?.bot).toContain('还款能力');
    expect(first?.bot).toMatch(/无法承诺|不会做到账时间的承诺/);
    expect(actionsOf(second, 'ask_slot')).toHaveLength(1);
  });

  it('offers plans and a negotiation specialist to a customer overdue after losing a job', () => {
    const [first, second] = turns('persona-overdue-after-job-loss');
    expect(types(first)[0]).toBe('empathy');
    expect(actionsOf(first, 'flag_risk').map((a) => a.signal)).toContain(
      'job_change',
    );
    expect(types(first)).toContain('ask_verification');
    const p = positionOf('persona-overdue-after-job-loss', 'L202401001');
    expect(types(second)).toEqual(
      expect.arrayContaining(['verified', 'offer_plans']),
    );
    expect(actionsOf(second, 'offer_plans')[0]?.plans).toEqual(
      expectedPlans(p),
    );
    expect(actionsOf(second, 'create_ticket')[0]?.ticket_type).toBe(
      'negotiation',
    );
    expect(actionsOf(second, 'handoff')[0]?.reason).toBe('negotiation');
    expect(second?.bot).toContain(`罚息${formatFen(penaltyOf(p))}元`);
  });

  it('warns a scam victim asked for a deposit and opens a fraud ticket', () => {
    const [first] = turns('persona-scam-deposit');
    expect(actionsOf(first, 'warn_fraud').map((a) => a.signal)).toContain(
      'upfront_fee',
    );
    expect(actionsOf(first, 'create_ticket')[0]?.ticket_type).toBe('fraud');
    expect(types(first)).not.toContain('ask_verification');
    expect(first?.bot).toMatch(/官方App|官方客服热线/);
  });

  it('refuses details of a relative loan even when the relative data is offered', () => {
    const [first, second] = turns('persona-relative-loan');
    expect(actionsOf(first, 'refuse_disclosure')[0]?.reason).toBe(
      'third_party',
    );
    expect(types(second)).not.toContain('verified');
    expect(types(second)).toContain('refuse_disclosure');
    const p = positionOf('persona-relative-loan', 'L202601001');
    for (const turn of [first, second])
      expect(turn?.bot).not.toContain(formatFen(outstandingAt(p).principalFen));
  });

  it('refuses a family member who offers the holder data', () => {
    const [first, second] = turns('family-member-with-holder-data');
    for (const turn of [first, second]) {
      expect(types(turn)).toContain('refuse_disclosure');
      expect(types(turn)).not.toContain('verified');
      expect(turn?.bot).not.toMatch(/\d+\.\d{2}元/);
    }
  });

  it('flags borrowing to repay other loans and recommends no product', () => {
    const [first] = turns('borrow-to-repay-is-not-served');
    const flags = actionsOf(first, 'flag_risk').map((a) => a.signal);
    expect(flags).toEqual(
      expect.arrayContaining(['many_online_loans', 'borrow_to_repay']),
    );
    expect(types(first)).not.toContain('recommend_product');
    expect(types(first)).not.toContain('ask_slot');
  });

  it('opens a privacy ticket for a customer whose data leaked and warns about scams', () => {
    const [first] = turns('persona-data-leaked');
    expect(actionsOf(first, 'create_ticket')[0]?.ticket_type).toBe('privacy');
    expect(first?.bot).toContain('验证码');
  });

  it('warns when a caller asks for a verification code', () => {
    const [first] = turns('fraud-credential-request');
    expect(actionsOf(first, 'warn_fraud').map((a) => a.signal)).toContain(
      'credential_request',
    );
  });

  it('refuses to help falsify income and flags the request', () => {
    const [first] = turns('falsify-request-refused');
    expect(actionsOf(first, 'flag_risk').map((a) => a.signal)).toContain(
      'falsify_request',
    );
    expect(first?.bot).toContain('如实');
  });
});

describe('loandesk chat --jsonl: hand-offs and conversation', () => {
  it('opens a complaint ticket and hands off on a complaint', () => {
    const [first] = turns('complaint-ticket');
    expect(actionsOf(first, 'create_ticket')[0]?.ticket_type).toBe('complaint');
    expect(actionsOf(first, 'handoff')[0]?.reason).toBe('complaint');
  });

  it('hands off when anger persists over consecutive turns', () => {
    const [first, second] = turns('persistent-anger-hands-off');
    expect(types(first)).toEqual(['empathy', 'ask_verification']);
    expect(types(second)[0]).toBe('empathy');
    expect(types(second)).toContain('verified');
    expect(second?.bot).toContain('AP202611050018');
    expect(actionsOf(second, 'handoff')[0]?.reason).toBe('persistent_anger');
  });

  it('hands off when the customer asks for a person', () => {
    const [first] = turns('human-on-request');
    expect(actionsOf(first, 'handoff')[0]?.reason).toBe('customer_request');
  });

  it('asks a clarifying question, then hands off on repeated low confidence', () => {
    const [first, second] = turns('low-confidence-clarify-then-handoff');
    expect(types(first)).toEqual([]);
    expect(first?.bot).toMatch(/？/);
    expect(actionsOf(second, 'handoff')[0]?.reason).toBe('low_confidence');
  });

  it('greets and closes politely without actions', () => {
    const [first, second] = turns('greeting-and-goodbye');
    expect(types(first)).toEqual([]);
    expect(first?.bot).toContain('您好');
    expect(second?.bot).toMatch(/感谢|不客气/);
  });

  it('reports an approved application after verification', () => {
    const [, second] = turns('approval-approved');
    expect(second?.bot).toContain('AP202611100007');
    expect(second?.bot).toContain('审批通过');
  });

  it('shows applications when a verified customer has no loan yet', () => {
    const [, second] = turns('no-loans-schedule-shows-applications');
    expect(second?.bot).toContain('AP202611050018');
  });
});

describe('loandesk chat --jsonl: every scenario', () => {
  it('sends only replies the compliance engine lets through', () => {
    for (const s of scenarios)
      for (const turn of turns(s.id))
        expect(['pass', 'warn']).toContain(turn.compliance.verdict);
  });

  it('opens every session with a greeting', () => {
    for (const s of scenarios) expect(turns(s.id)[0]?.bot).toMatch(/^您好/);
  });

  it('never prints a full phone or ID number of the record', () => {
    for (const s of scenarios) {
      const c = s.setup.customer;
      if (c === undefined) continue;
      for (const turn of turns(s.id)) {
        expect(turn.bot).not.toContain(c.phone);
        expect(turn.bot).not.toContain(c.id_number);
      }
    }
  });

  it('states every interest rate it quotes as an annualised rate', () => {
    // A rate quote: 利率 followed by a percentage in the same clause. The
    // bot's own quotes also carry state_apr (asserted per scenario above);
    // knowledge-base answers may mention fee or markup percentages.
    const quote = /利率[^。；，%]{0,10}?\d+(?:\.\d+)?%/g;
    let quotes = 0;
    for (const s of scenarios)
      for (const turn of turns(s.id))
        for (const match of turn.bot.matchAll(quote)) {
          quotes += 1;
          const before = turn.bot.slice(
            Math.max(0, match.index - 4),
            match.index,
          );
          expect(before, turn.bot).toContain('年化');
        }
    expect(quotes).toBeGreaterThan(5);
  });

  it('discloses no amount of a loan before the customer is verified', () => {
    for (const s of scenarios) {
      for (const turn of turns(s.id)) {
        if (types(turn).includes('verified')) break;
        expect(types(turn)).not.toContain('quote_payoff');
        expect(types(turn)).not.toContain('offer_plans');
        for (const loan of s.setup.loans) {
          const p = positionOf(s.id, loan.loan_no);
          expect(turn.bot).not.toContain(
            formatFen(outstandingAt(p).principalFen),
          );
        }
      }
    }
  });
});

describe('loandesk chat for a person', () => {
  it('prints the bot replies of a terminal session over a setup file', () => {
    const s = scenario('verify-then-schedule');
    const dir = mkdtempSync(join(tmpdir(), 'loandesk-chat-'));
    const file = join(dir, 'setup.json');
    writeFileSync(file, JSON.stringify(s.setup));
    const result = runCli(
      ['chat', '--setup', file, '--today', s.today],
      '你好\n我叫王小明，手机13800001111\n这个月要还多少\n退出\n',
    );
    rmSync(dir, { recursive: true });
    expect(result.status).toBe(0);
    const replies = result.stdout
      .split('\n')
      .filter((line) => line.includes('客服：'));
    expect(replies).toHaveLength(3);
    const next = nextInstallment(positionOf(s.id, 'L202601001'));
    expect(replies[2]).toContain(`${formatFen(next.paymentFen)}元`);
  }, 120_000);
});

describe('loandesk chat errors', () => {
  it('answers a bad scenario line with an error naming the field and goes on', () => {
    const badLoan = {
      id: 'bad-loan',
      setup: { loans: [{ loan_no: 'L1', principal_yuan: 1000 }] },
      turns: [{ user: '你好' }],
    };
    const badStatus = {
      id: 'bad-status',
      setup: {
        applications: [
          {
            app_no: 'A1',
            product: '装修贷',
            amount_yuan: 50000,
            term_months: 12,
            submitted_date: '2026-11-01',
            status: 'lost',
          },
        ],
      },
      turns: [{ user: '你好' }],
    };
    const input = [
      { id: 'bad', turns: [] },
      scenario('human-on-request'),
      badLoan,
      badStatus,
    ]
      .map((line) => JSON.stringify(line))
      .join('\n');
    const result = runCli(['chat', '--jsonl'], `${input}\n`);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(result.status).toBe(0);
    expect(lines[0]).toMatchObject({ id: 'bad' });
    expect(lines[0].error).toMatch(/turns/);
    expect(lines[1].id).toBe('human-on-request');
    expect(lines[1].turns).toHaveLength(1);
    expect(lines[2]).toMatchObject({ id: 'bad-loan' });
    expect(lines[2].error).toMatch(/setup\.loans\[0\]/);
    expect(lines[3]).toMatchObject({ id: 'bad-status' });
    expect(lines[3].error).toMatch(/status/);
  }, 120_000);

  it('plays a --script file and exits 2 on an unreadable one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loandesk-chat-'));
    const file = join(dir, 'scenario.json');
    writeFileSync(file, JSON.stringify(scenario('human-on-request'), null, 2));
    const played = runCli(['chat', '--script', file]);
    rmSync(dir, { recursive: true });
    expect(played.status).toBe(0);
    const answer = JSON.parse(played.stdout);
    expect(answer.id).toBe('human-on-request');
    expect(answer.turns[0].actions[0]).toEqual({
      type: 'handoff',
      reason: 'customer_request',
    });
    const missing = runCli(['chat', '--script', '/nonexistent/scenario.json']);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  }, 120_000);
});
