// Proves `loandesk nlu` end to end as a user runs it (node bin/loandesk.js):
// JSONL in, one answer per line in order with the same id, a bad line
// answered with {"id","error"}, `today` fixing relative dates, and the
// one-shot modes. The model is the one trained from content/nlu/corpus.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

function jsonl(lines: readonly unknown[]): Record<string, unknown>[] {
  const input = lines
    .map((line) => (typeof line === 'string' ? line : JSON.stringify(line)))
    .join('\n');
  const result = runCli(['nlu', '--jsonl'], `${input}\n`);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('loandesk nlu --jsonl', () => {
  it('answers each line with the contract fields, in order', {
    timeout: 120_000,
  }, () => {
    const answers = jsonl([
      { id: 'a', text: '我想借五万元，分3年，月收入1万2', today: '2026-11-20' },
      { id: 'b', text: '下个月15号能提前还款吗', today: '2026-11-20' },
      'not json',
      { id: 'c' },
      {
        id: 'd',
        text: '有人冒充你們客服，讓我先交保證金',
        today: '2026-11-20',
      },
      { id: 'e', text: '转人工', today: 'yesterday' },
    ]);
    expect(answers).toHaveLength(6);
    expect(answers[0]).toMatchObject({
      id: 'a',
      intent: 'apply_loan',
      slots: {
        amount_yuan: 50000,
        term_months: 36,
        monthly_income_yuan: 12000,
      },
      emotion: 'neutral',
      risk_signals: [],
      fraud_signals: [],
    });
    expect(typeof answers[0]?.confidence).toBe('number');
    expect(answers[1]).toMatchObject({
      id: 'b',
      intent: 'early_repayment',
      slots: { date: '2026-12-15' },
    });
    expect(answers[2]).toEqual({ id: null, error: 'line is not valid JSON' });
    expect(answers[3]).toEqual({
      id: 'c',
      error: 'text: must be a non-empty string',
    });
    expect(answers[4]).toMatchObject({
      id: 'd',
      intent: 'fraud_report',
      fraud_signals: ['upfront_fee', 'impersonation'],
    });
    expect(answers[5]).toEqual({ id: 'e', error: 'today: must be YYYY-MM-DD' });
  });

  it('prints no full ID or phone number except inside the slots it was given', {
    timeout: 120_000,
  }, () => {
    const [answer] = jsonl([
      {
        id: 'p',
        text: '身份证110101199003078515，手机13800001111',
        today: '2026-11-20',
      },
    ]);
    expect(answer?.slots).toEqual({
      id_number: '110101199003078515',
      phone: '13800001111',
    });
    expect(Object.keys(answer ?? {})).not.toContain('normalized');
  });
});

describe('loandesk nlu (one utterance)', () => {
  it('reads the text argument and honours --today', {
    timeout: 120_000,
  }, () => {
    const result = runCli(['nlu', '--today', '2026-01-31', '下个月15号还款']);
    expect(result.status).toBe(0);
    const answer = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(answer.slots).toEqual({ date: '2026-02-15' });
  });

  it('exits 2 with one stderr line for unusable input', {
    timeout: 120_000,
  }, () => {
    const result = runCli(['nlu'], '{"text": 5}');
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('text: must be a non-empty string');
  });
});
