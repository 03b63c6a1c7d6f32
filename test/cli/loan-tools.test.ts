// Proves the loan engine's person-facing commands through the real bin:
// payoff, prepay and restructure answer with amounts that agree with the
// schedule the same loan yields from `loandesk schedule`.
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../helpers/run-cli.js';

const LOAN = {
  principal: 50000,
  annual_rate: '0.0728',
  term_months: 24,
  method: 'equal_installment',
  start_date: '2026-01-10',
};
const toFen = (text: unknown) => BigInt(String(text).replace('.', ''));

describe('loandesk payoff', () => {
  it('quotes remaining principal plus interest accrued since the last due date', () => {
    const schedule = runCliJson(['schedule'], LOAN) as {
      periods: { balance: string }[];
    };
    const quote = runCliJson(['payoff'], {
      id: 'p',
      loan: LOAN,
      paid_periods: 10,
      as_of: '2026-11-20',
    });
    expect(quote.principal).toBe(schedule.periods[9]?.balance);
    // 30044.79 × 0.0728 × 10 days / 360 = 60.76
    expect(quote.accrued_interest).toBe('60.76');
    expect(toFen(quote.total)).toBe(
      toFen(quote.principal) +
        toFen(quote.interest) +
        toFen(quote.fee) +
        toFen(quote.penalty) +
        toFen(quote.prepayment_fee),
    );
  });

  it('adds the contract fee within its period and the penalty given', () => {
    const quote = runCliJson(['payoff'], {
      loan: LOAN,
      paid_periods: 3,
      as_of: '2026-04-10',
      penalty: '12.50',
      prepayment_fee: { share: '0.01', free_after_days: 365 },
    });
    expect(quote.penalty).toBe('12.50');
    expect(toFen(quote.prepayment_fee)).toBe(
      (toFen(quote.principal) + 50n) / 100n,
    );
  });

  it('refuses a paid_periods beyond the schedule with one line', () => {
    const result = runCli(
      ['payoff'],
      JSON.stringify({ loan: LOAN, paid_periods: 30 }),
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^loandesk: paid_periods: must be a whole number from 0 to 24/,
    );
  });
});

describe('loandesk prepay', () => {
  it('shortens the term and keeps the installment', () => {
    const out = runCliJson(['prepay'], {
      loan: LOAN,
      paid_periods: 10,
      as_of: '2026-11-10',
      amount: 10000,
      mode: 'reduce_term',
    });
    expect(out.periods_left).toBeLessThan(14);
    expect(out.new_payment).toBe(
      (runCliJson(['schedule'], LOAN) as { payment: string }).payment,
    );
    expect(out.pay_now).toBe('10000.00');
  });
});

describe('loandesk restructure', () => {
  it('offers stop-interest installments that repay exactly the debt after waiving the penalty', () => {
    const out = runCliJson(['restructure'], {
      loan: {
        principal: 60000,
        annual_rate: '0.0888',
        term_months: 36,
        method: 'equal_installment',
        start_date: '2024-01-10',
      },
      paid_periods: 20,
      as_of: '2026-11-20',
      penalty: '800.00',
      option: 'stop_interest',
      months: 48,
      waiver: { penalty: 1 },
    }) as {
      debt: Record<string, string>;
      waived: Record<string, string>;
      total_paid: string;
      schedule: { periods: unknown[]; total_interest: string };
    };
    expect(out.waived.penalty).toBe('800.00');
    expect(out.schedule.periods).toHaveLength(48);
    expect(out.schedule.total_interest).toBe('0.00');
    expect(toFen(out.total_paid)).toBe(
      toFen(out.debt.total) - toFen(out.waived.total),
    );
  });

  it('refuses a plan longer than the policy allows', () => {
    const result = runCli(
      ['restructure'],
      JSON.stringify({
        loan: LOAN,
        paid_periods: 10,
        as_of: '2026-11-20',
        option: 'reamortization',
        months: 72,
      }),
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/at most 60 months/);
  });
});

describe('loandesk demo', () => {
  it('walks a sample loan through the engine in Chinese', () => {
    const result = runCli(['demo', '--no-seed']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('还款计划');
    expect(result.stdout).toMatch(/结清金额 \d+\.\d{2} 元/);
    expect(result.stdout).toContain('以正式协议为准');
  });
});
