// Proves `loandesk schedule` end to end through the real bin: the contract's
// example, every public vector fed as wire JSON in one --jsonl batch, the
// readable table, and one-line errors naming the field for bad input.
import { describe, expect, it } from 'vitest';
import vectors from '../fixtures/loan-vectors.json' with { type: 'json' };
import { runCli, runCliJson } from '../helpers/run-cli.js';

type Period = {
  n: number;
  payment: string;
  principal: string;
  interest: string;
  balance: string;
};

// The vectors describe their conventions in prose; this is their wire form.
const WIRE: Record<string, object> = {
  'CN-EPI-1M-30Y-4.90': { method: 'equal_installment' },
  'CN-EP-1M-30Y-4.90': { method: 'equal_principal' },
  'CN-IOB-100K-12M-6.00': { method: 'interest_first' },
  'FIN-PROG-100-7-12M-360': {
    method: 'equal_installment',
    rounding: 'half_even',
  },
  'FIN-E2E-RS02-EMI': {
    method: 'equal_installment',
    rounding: 'half_even',
    payment_multiple: '1',
  },
  'FIN-E2E-RS04-EP': { method: 'equal_principal', rounding: 'half_even' },
  'NPF-IPMT-2500-8.24-12M': { method: 'equal_installment' },
  'FLAT-12K-0.5PM-12M': { method: 'flat' },
  'CC-INSTAL-12K-0.60PM-12M': { method: 'flat' },
  'FEE-UPFRONT-10K-7.2-12M-2PCT': {
    method: 'equal_installment',
    fees: [{ kind: 'upfront', amount: '200.00' }],
  },
  'PREPAY-1M30Y-K12-200K-REDUCE-PAYMENT': {
    method: 'equal_installment',
    principal: '1000000.00',
    term_months: 360,
    prepayments: [{ after_period: 12, amount: 200000, mode: 'reduce_payment' }],
  },
};

describe('loandesk schedule', () => {
  it('answers the contract example exactly', () => {
    const out = runCliJson(['schedule'], {
      id: 'x',
      principal: 100000,
      annual_rate: 0.049,
      term_months: 36,
      method: 'equal_installment',
      start_date: '2026-01-15',
      first_due_date: '2026-02-15',
      day_count: '30/360',
      rounding: 'half_up',
    });
    expect(out).toMatchObject({
      id: 'x',
      payment: '2992.60',
      total_interest: '7733.69',
      total_fees: '0.00',
      total_paid: '107733.69',
      apr_nominal: '0.049000',
      apr_effective: '0.050116',
    });
    expect((out.periods as unknown[])[0]).toEqual({
      n: 1,
      due_date: '2026-02-15',
      payment: '2992.60',
      principal: '2584.27',
      interest: '408.33',
      fee: '0.00',
      balance: '97415.73',
    });
  });

  it('reproduces every public vector through one --jsonl batch, in order', () => {
    const inputs = vectors
      .filter((v) => WIRE[v.id] !== undefined)
      .map((v) => ({
        id: v.id,
        principal: v.principal,
        annual_rate: v.annual_rate,
        term_months: v.term_months,
        start_date: '2026-01-15',
        ...WIRE[v.id],
      }));
    const result = runCli(
      ['schedule', '--jsonl'],
      inputs.map((i) => JSON.stringify(i)).join('\n'),
    );
    expect(result.status).toBe(0);
    const answers = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(answers.map((a) => a.id)).toEqual(inputs.map((i) => i.id));
    for (const answer of answers) {
      const vector = vectors.find((v) => v.id === answer.id);
      const expected = vector?.expected as {
        payment: string | null;
        periods: Period[];
        apr: Record<string, string> | null;
      };
      if (expected.payment !== null)
        expect(answer.payment, answer.id).toBe(expected.payment);
      for (const period of expected.periods) {
        const { n, payment, principal, interest, balance } =
          answer.periods[period.n - 1];
        expect({ n, payment, principal, interest, balance }, answer.id).toEqual(
          period,
        );
      }
      if (expected.apr?.apr_compound !== undefined) {
        expect(answer.apr_nominal, answer.id).toBe(expected.apr.apr_simple);
        expect(answer.apr_effective, answer.id).toBe(expected.apr.apr_compound);
      }
    }
  });

  it('answers a bad line with its id and an error, and keeps going', () => {
    const lines = [
      JSON.stringify({
        id: 'a',
        principal: 1000,
        annual_rate: '0.06',
        term_months: 3,
        method: 'bullet',
        start_date: '2026-01-01',
      }),
      JSON.stringify({
        id: 'b',
        principal: -5,
        annual_rate: '0.06',
        term_months: 3,
        method: 'bullet',
      }),
      'not json',
      JSON.stringify({
        id: 'c',
        principal: 1000,
        annual_rate: '0.06',
        term_months: 3,
        method: 'flat',
        start_date: '2026-01-01',
      }),
    ];
    const result = runCli(['schedule', '--jsonl'], lines.join('\n'));
    const answers = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(answers.map((a) => a.id)).toEqual(['a', 'b', null, 'c']);
    expect(answers[1].error).toMatch(/^principal: /);
    expect(answers[2].error).toMatch(/JSON/);
    expect(answers[3].payment).toBe('338.33');
  });

  it.each([
    [{ principal: -5 }, /^loandesk: principal: must be greater than 0/],
    [
      { term_months: 0 },
      /^loandesk: term_months: must be a whole number from 1 to 360/,
    ],
    [
      { annual_rate: '4.9%' },
      /^loandesk: annual_rate: must be a decimal rate such as 0\.049/,
    ],
    [
      { annual_rate: 4.9 },
      /^loandesk: annual_rate: must be a decimal between 0 and 1/,
    ],
    [
      { method: 'balloon' },
      /^loandesk: method: must be one of equal_installment \| equal_principal/,
    ],
    [
      { start_date: '2026-02-30' },
      /^loandesk: start_date: must be a date YYYY-MM-DD/,
    ],
    [
      { start_date: '9999-01-01' },
      /^loandesk: start_date: must be a date YYYY-MM-DD/,
    ],
    [
      { first_due_date: '2027-06-01' },
      /^loandesk: first_due_date: must fall 1 to 62 days after start_date/,
    ],
    [
      { principal: '100.001' },
      /^loandesk: principal: must have at most two decimals/,
    ],
    [{ principal: undefined }, /^loandesk: principal: is required/],
  ])('refuses %j with one line naming the field', (override, message) => {
    const input = {
      principal: 100000,
      annual_rate: 0.049,
      term_months: 36,
      method: 'equal_installment',
      start_date: '2026-01-15',
      ...override,
    };
    const result = runCli(['schedule'], JSON.stringify(input));
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/NaN|\bat\s+\S+:\d+/);
  });

  it('prints a readable table with the APR for a person', () => {
    const result = runCli([
      'schedule',
      '--principal',
      '100000',
      '--rate',
      '0.049',
      '--months',
      '12',
      '--start',
      '2026-01-31',
      '--table',
    ]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('还款方式：等额本息');
    expect(result.stdout).toContain('2026-02-28');
    expect(result.stdout).toMatch(/年化利率（单利，IRR×12）：4\.9000%/);
  });
});
