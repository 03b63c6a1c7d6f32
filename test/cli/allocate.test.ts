// Proves `loandesk allocate` end to end: the CLI is spawned as a user runs it
// (node bin/loandesk.js) with a balance and a payment on stdin; checks both
// waterfall orders, overpayment, composing with `loandesk penalty`, --jsonl
// and one-line errors naming the field.
import { describe, expect, it } from 'vitest';
import { runCli as run } from '../helpers/run-cli.js';

function allocate(input: object) {
  const result = run(['allocate'], JSON.stringify(input));
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout);
}

const INSTALLMENTS = [
  {
    due_date: '2026-01-15',
    principal: '1000.00',
    interest: '40.00',
    fee: '5.00',
    penalty: '12.00',
  },
  {
    due_date: '2026-02-15',
    principal: '1000.00',
    interest: '40.00',
    fee: '5.00',
    penalty: '12.00',
  },
];

describe('loandesk allocate', () => {
  it('pays the oldest installment in full before the next by default', () => {
    const out = allocate({
      id: 'p',
      payment: '1100.00',
      installments: INSTALLMENTS,
    });
    expect(out.id).toBe('p');
    expect(out.allocations).toEqual([
      {
        n: 1,
        fee: '5.00',
        penalty: '12.00',
        interest: '40.00',
        principal: '1000.00',
        total: '1057.00',
      },
      {
        n: 2,
        fee: '5.00',
        penalty: '12.00',
        interest: '26.00',
        principal: '0.00',
        total: '43.00',
      },
    ]);
    expect(out.remainder).toBe('0.00');
    expect(out.total_due).toBe('1014.00');
  });

  it('pays fees and penalty across installments first under components_first', () => {
    const out = allocate({
      payment: 100,
      order: 'components_first',
      installments: INSTALLMENTS,
    });
    expect(
      out.allocations.map((row: { interest: string }) => row.interest),
    ).toEqual(['40.00', '26.00']);
    expect(
      out.allocations.map((row: { penalty: string }) => row.penalty),
    ).toEqual(['12.00', '12.00']);
  });

  it('returns an overpayment as the remainder', () => {
    const out = allocate({ payment: '3000', installments: INSTALLMENTS });
    expect(out.applied).toBe('2114.00');
    expect(out.remainder).toBe('886.00');
    expect(out.total_due).toBe('0.00');
  });

  it('allocates a payment against the installments `loandesk penalty` reports', () => {
    const penalty = run(
      ['penalty'],
      JSON.stringify({
        annual_rate: '0.049',
        overdue_principal: '10000.00',
        due_date: '2026-02-14',
        as_of: '2026-03-16',
      }),
    );
    const { installments } = JSON.parse(penalty.stdout);
    const out = allocate({ payment: '100.00', installments });
    expect(out.allocations[0]).toMatchObject({
      penalty: '61.25',
      principal: '38.75',
    });
  });

  it('answers a bad --jsonl line with its id and an error and goes on', () => {
    const lines = [
      { id: 'a', payment: '10', installments: INSTALLMENTS },
      { id: 'b', payment: '10.001', installments: INSTALLMENTS },
      { id: 'c', payment: '20', installments: INSTALLMENTS },
    ].map((line) => JSON.stringify(line));
    const result = run(['allocate', '--jsonl'], `${lines.join('\n')}\n`);
    expect(result.status).toBe(0);
    const answers = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(answers.map((a) => a.id)).toEqual(['a', 'b', 'c']);
    expect(answers[1].error).toMatch(/^payment: /);
    expect(answers[2].applied).toBe('20.00');
  });

  it.each([
    [
      'a zero payment',
      { payment: '0', installments: INSTALLMENTS },
      /^loandesk: payment: must be more than 0/,
    ],
    [
      'a payment that is not a number',
      { payment: 'abc', installments: INSTALLMENTS },
      /^loandesk: payment: /,
    ],
    [
      'an empty installment list',
      { payment: '10', installments: [] },
      /^loandesk: installments: must not be empty/,
    ],
    [
      'an impossible due date',
      { payment: '10', installments: [{ due_date: '2026-13-01' }] },
      /^loandesk: installments\[0\]\.due_date: /,
    ],
    [
      'an unknown order',
      { payment: '10', installments: INSTALLMENTS, order: 'random' },
      /^loandesk: order: must be one of/,
    ],
    [
      'installments out of order',
      { payment: '10', installments: [...INSTALLMENTS].reverse() },
      /^loandesk: installments: .*balance\.installments_out_of_order/,
    ],
  ])('refuses %s with one line naming the field', (_label, input, message) => {
    const result = run(['allocate'], JSON.stringify(input));
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/NaN|at .*\.ts:/);
  });
});
