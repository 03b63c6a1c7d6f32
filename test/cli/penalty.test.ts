// Proves `loandesk penalty` end to end: the CLI is spawned as a user runs it
// (node bin/loandesk.js), fed JSON on stdin, and its stdout, stderr and exit
// code are checked. Covers the public penalty vector, a loan replayed with
// payments, policy options, --jsonl with a bad line, and one-line errors.
import { describe, expect, it } from 'vitest';
import { runCli as run } from '../helpers/run-cli.js';

function penalty(input: object) {
  const result = run(['penalty'], JSON.stringify(input));
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout);
}

// 7.2 % a year × 1.5 / 360 = 0.03 % a day: 3.00 yuan a day on 10000.00.
const LOAN = {
  annual_rate: '0.072',
  installments: [
    { due_date: '2026-01-15', principal: '10000.00', interest: '500.00' },
    { due_date: '2026-02-15', principal: '10000.00', interest: '450.00' },
  ],
};

describe('loandesk penalty', () => {
  it('reproduces the PEN-10K-4.90-1.5X-30D-ACT360 vector', () => {
    const out = penalty({
      id: 'v',
      overdue_principal: '10000.00',
      annual_rate: '0.049',
      due_date: '2026-02-14',
      as_of: '2026-03-16',
    });
    expect(out).toMatchObject({
      id: 'v',
      penalty: '61.25',
      penalty_rate_daily: '0.000204166667',
      days_past_due: 30,
      bucket: 'M1',
      classification: 'special_mention',
    });
  });

  it('replays payments and reports penalty, days past due and the balance per installment', () => {
    // Day 10: 30.00 penalty + 1.50 compound are paid first, then interest and
    // 4968.50 principal; the second installment is not yet due.
    const out = penalty({
      ...LOAN,
      payments: [{ date: '2026-01-25', amount: '5500.00' }],
      as_of: '2026-02-04',
    });
    expect(out.days_past_due).toBe(20);
    expect(out.penalty_interest).toBe('45.09');
    expect(out.compound_interest).toBe('1.50');
    expect(out.overdue.principal).toBe('5031.50');
    expect(out.installments[1]).toMatchObject({
      principal: '10000.00',
      days_past_due: 0,
    });
  });

  it('applies the policy given with the request', () => {
    const out = penalty({
      ...LOAN,
      as_of: '2026-01-20',
      policy: {
        penalty_multiple: '1.3',
        compound: false,
        late_fee: { kind: 'fixed', amount: '50' },
      },
    });
    // 10000.00 × 7.2 % × 1.3 / 360 × 5 days = 13.00.
    expect(out.penalty).toBe('13.00');
    expect(out.late_fees).toBe('50.00');
    expect(out.overdue.fee).toBe('50.00');
  });

  it('classifies a loan more than 90 days past due as substandard', () => {
    const out = penalty({ ...LOAN, as_of: '2026-04-16' });
    expect(out.days_past_due).toBe(91);
    expect(out.bucket).toBe('M4');
    expect(out.classification).toBe('substandard');
    expect(out.classification_zh).toBe('次级');
  });

  it('classifies by the credit-card thresholds when asked', () => {
    const out = penalty({
      ...LOAN,
      as_of: '2026-05-16',
      policy: { classification: 'credit_card' },
    });
    expect(out.days_past_due).toBe(121);
    expect(out.classification).toBe('doubtful');
  });

  it('answers each --jsonl line in order and a bad line with its id and an error', () => {
    const lines = [
      { id: 'a', ...LOAN, as_of: '2026-01-25' },
      { id: 'b', ...LOAN, as_of: 'tomorrow' },
      { id: 'c', ...LOAN, as_of: '2026-01-15' },
    ].map((line) => JSON.stringify(line));
    const result = run(['penalty', '--jsonl'], `${lines.join('\n')}\n`);
    expect(result.status).toBe(0);
    const answers = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(answers.map((a) => a.id)).toEqual(['a', 'b', 'c']);
    expect(answers[0].days_past_due).toBe(10);
    expect(answers[1].error).toMatch(/^as_of: /);
    expect(answers[2].penalty).toBe('0.00');
  });

  it.each([
    [
      'a percent-sign rate',
      { ...LOAN, as_of: '2026-02-01', annual_rate: '4.9%' },
      /^loandesk: annual_rate: /,
    ],
    [
      'a negative principal',
      {
        ...LOAN,
        as_of: '2026-02-01',
        installments: [{ due_date: '2026-01-15', principal: '-5' }],
      },
      /^loandesk: installments\[0\]\.principal: must not be negative/,
    ],
    [
      'a payment after as_of',
      {
        ...LOAN,
        as_of: '2026-02-01',
        payments: [{ date: '2026-03-01', amount: '1' }],
      },
      /^loandesk: payments\[0\]\.date: is after as_of \(penalty\.payment_after_as_of\)/,
    ],
    [
      'an as_of before the due date',
      {
        overdue_principal: '100',
        annual_rate: '0.05',
        due_date: '2026-03-01',
        as_of: '2026-02-01',
      },
      /^loandesk: as_of: .*penalty\.as_of_before_due/,
    ],
    [
      'installments that already carry penalty',
      {
        ...LOAN,
        as_of: '2026-02-01',
        installments: [
          { due_date: '2026-01-15', principal: '1', penalty: '2' },
        ],
      },
      /^loandesk: installments\[0\]\.penalty: give the scheduled installments/,
    ],
    [
      'non-numeric grace days',
      { ...LOAN, as_of: '2026-02-01', policy: { grace_days: 'x' } },
      /^loandesk: policy\.grace_days: /,
    ],
  ])('refuses %s with one line naming the field', (_label, input, message) => {
    const result = run(['penalty'], JSON.stringify(input));
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/NaN|at .*\.ts:/);
  });
});
