// Proves `loandesk check` end to end: the CLI is spawned as a user runs it
// (node bin/loandesk.js). Checks the --jsonl contract of spec/contracts.md
// (same order, same id, {"id","error"} for a bad line), span offsets in the
// original text, bad input (empty, 1 MB, invalid UTF-8, unknown role) and the
// readable mode, which must never print a full ID number.

import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

type Answer = {
  id: unknown;
  verdict?: string;
  error?: string;
  violations?: {
    rule: string;
    category: string;
    span: [number, number];
    message: string;
    basis: string;
  }[];
};

function checkJsonl(lines: (object | string)[]): Answer[] {
  const stdin = lines
    .map((line) => (typeof line === 'string' ? line : JSON.stringify(line)))
    .join('\n');
  const result = runCli(['check', '--jsonl'], stdin);
  expect(result.status).toBe(0);
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Answer);
}

describe('loandesk check --jsonl', () => {
  it('answers every line in order with its id and the contract fields', () => {
    const answers = checkJsonl([
      {
        id: 'a',
        text: '包过！只要有身份证就能下款。',
        role: 'bot',
        recipient: 'customer',
      },
      {
        id: 'b',
        text: '我们无法保证审批结果，以审核为准。',
        role: 'bot',
        recipient: 'customer',
      },
      {
        id: 'c',
        text: '你这种老赖就是社会败类。',
        role: 'collector',
        recipient: 'customer',
      },
    ]);
    expect(answers.map((answer) => answer.id)).toEqual(['a', 'b', 'c']);
    expect(answers.map((answer) => answer.verdict)).toEqual([
      'block',
      'pass',
      'block',
    ]);
    const violation = answers[0]?.violations?.[0];
    expect(violation?.category).toBe('promise_approval');
    expect(Object.keys(violation ?? {})).toEqual(
      expect.arrayContaining(['rule', 'category', 'span', 'message', 'basis']),
    );
    expect(violation?.basis).toMatch(/MKT-0\d/);
    expect(answers[2]?.violations?.[0]?.category).toBe('insult_abuse');
  });

  it('reports spans in UTF-16 offsets of the original, unnormalised text', () => {
    const text = '😀您好，这个 包-過 的，放心';
    const [answer] = checkJsonl([
      { id: 1, text, role: 'agent', recipient: 'customer' },
    ]);
    const span = answer?.violations?.[0]?.span ?? [0, 0];
    expect(text.slice(span[0], span[1])).toBe('包-過');
  });

  it('blocks account facts sent to an unverified recipient but not to the verified customer', () => {
    const text = '您的贷款已逾期5天，欠款8200元。';
    const [unverified, customer] = checkJsonl([
      { id: 'u', text, role: 'bot', recipient: 'unverified' },
      { id: 'c', text, role: 'bot', recipient: 'customer' },
    ]);
    expect(unverified?.verdict).toBe('block');
    expect(unverified?.violations?.[0]?.category).toBe('privacy_leak');
    expect(customer?.verdict).toBe('pass');
  });

  it('tells 提交了申请 from paying money before a loan is released', () => {
    const line = (id: string, text: string) => ({
      id,
      text,
      role: 'agent',
      recipient: 'customer',
    });
    const answers = checkJsonl([
      line('submit', '您提交了申请，审核通过并签约后就可以放款。'),
      line('paid', '您交了3000元保证金，我们马上就给您放款。'),
      line('paid2', '你先交了这笔费用就可以马上到账。'),
    ]);
    expect(answers.map((a) => a.verdict)).toEqual(['pass', 'block', 'block']);
    expect(answers[1]?.violations?.map((v) => v.category)).toContain(
      'unauthorized_payment',
    );
    expect(answers[2]?.violations?.map((v) => v.category)).toContain(
      'unauthorized_payment',
    );
  });

  it('lets an agent ask about income and repayment capacity without a warning', () => {
    const answers = checkJsonl(
      [
        '冒昧问一下，您现在每个月的工资大概有多少？',
        '您一个月能拿出多少钱来还款呢？',
      ].map((text, i) => ({
        id: i,
        text,
        role: 'agent',
        recipient: 'customer',
      })),
    );
    expect(answers.map((a) => a.verdict)).toEqual(['pass', 'pass']);
  });

  it('lets a third party hear who calls and an unverified caller hear general terms, but not the debt or the account', () => {
    const [callBack, aboutHisLoan, productInfo, yourLoan] = checkJsonl([
      {
        id: 'cb',
        text: '我是某某贷款服务中心的，麻烦您转告他方便时给我们回个电话。',
        role: 'collector',
        recipient: 'third_party',
      },
      {
        id: 'hl',
        text: '麻烦您转告他，是关于他在我们这里那笔贷款的事。',
        role: 'collector',
        recipient: 'third_party',
      },
      {
        id: 'pi',
        text: '您好，我们的贷款产品年化利率（单利）7.2%起。',
        role: 'bot',
        recipient: 'unverified',
      },
      {
        id: 'yl',
        text: '您名下有一笔贷款，下周到期。',
        role: 'bot',
        recipient: 'unverified',
      },
    ]);
    expect(callBack?.verdict).toBe('pass');
    expect(aboutHisLoan?.verdict).toBe('block');
    expect(aboutHisLoan?.violations?.[0]?.category).toBe(
      'third_party_disclosure',
    );
    expect(productInfo?.verdict).toBe('pass');
    expect(yourLoan?.verdict).toBe('block');
    expect(yourLoan?.violations?.[0]?.category).toBe('privacy_leak');
  });

  it('applies the quiet window with "at" and grounds amounts with "facts"', () => {
    const [night, noon, inflated, true_] = checkJsonl([
      {
        id: 'n',
        text: '请尽快还款',
        role: 'collector',
        recipient: 'customer',
        at: '2026-11-20T23:10:00+08:00',
      },
      {
        id: 'd',
        text: '请尽快还款',
        role: 'collector',
        recipient: 'customer',
        at: '2026-11-20T12:10:00+08:00',
      },
      {
        id: 'i',
        text: '你目前欠款5万元',
        role: 'collector',
        recipient: 'customer',
        facts: { amounts: ['42315.00'] },
      },
      {
        id: 't',
        text: '你目前欠款42,315元',
        role: 'collector',
        recipient: 'customer',
        facts: { amounts: ['42315.00'] },
      },
    ]);
    expect(night?.violations?.[0]?.basis).toMatch(/COL-01/);
    expect(noon?.verdict).toBe('pass');
    expect(inflated?.violations?.[0]?.basis).toMatch(/COL-07/);
    expect(true_?.verdict).toBe('pass');
  });

  it('answers a bad line with {"id","error"} and goes on with the batch', () => {
    const answers = checkJsonl([
      { id: 'x', text: '你好', role: 'boss', recipient: 'customer' },
      { id: 'y', text: '你好', role: 'bot', recipient: 'neighbour' },
      { id: 'z', role: 'bot', recipient: 'customer' },
      'this is not json',
      {
        id: 'ok',
        text: '您好，请问有什么可以帮您？',
        role: 'bot',
        recipient: 'customer',
      },
    ]);
    expect(answers[0]).toEqual({
      id: 'x',
      error: expect.stringMatching(/role/),
    });
    expect(answers[1]).toEqual({
      id: 'y',
      error: expect.stringMatching(/recipient/),
    });
    expect(answers[2]).toEqual({
      id: 'z',
      error: expect.stringMatching(/text/),
    });
    expect(answers[3]?.error).toMatch(/JSON/);
    expect(answers[4]).toMatchObject({ id: 'ok', verdict: 'pass' });
  });

  it('gives an empty text a safe pass and survives a text of about 1 MB', () => {
    const big = `${'您好，欢迎咨询。'.repeat(60_000)}包过`;
    const answers = checkJsonl([
      { id: 'empty', text: '', role: 'bot', recipient: 'customer' },
      { id: 'big', text: big, role: 'bot', recipient: 'customer' },
    ]);
    expect(answers[0]).toEqual({
      id: 'empty',
      verdict: 'pass',
      violations: [],
    });
    // A line over the JSONL limit is refused with an error, never a crash.
    const bigAnswer = answers[1];
    expect(
      bigAnswer?.verdict === 'block' || typeof bigAnswer?.error === 'string',
    ).toBe(true);
  });

  it('checks a text that arrived as invalid UTF-8 instead of crashing', () => {
    const head = Buffer.from('{"id":"bad","text":"包过', 'utf8');
    const invalid = Buffer.from([0xff, 0xfe, 0xc3]);
    const tail = Buffer.from(
      '","role":"bot","recipient":"customer"}\n',
      'utf8',
    );
    const result = runCli(
      ['check', '--jsonl'],
      Buffer.concat([head, invalid, tail]),
    );
    expect(result.status).toBe(0);
    const answer = JSON.parse(result.stdout) as Answer;
    expect(answer.id).toBe('bad');
    expect(answer.verdict).toBe('block');
  });
});

describe('loandesk check TEXT', () => {
  it('prints a readable verdict with the legal basis and masks the ID number it quotes', () => {
    const result = runCli([
      'check',
      '您的身份证号是11010519491231002X，不还就让你坐牢',
      '--role',
      'collector',
    ]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('拦截');
    expect(result.stdout).toContain('privacy_leak');
    expect(result.stdout).toContain('threat_intimidation');
    expect(result.stdout).toContain('COL-07');
    expect(result.stdout).not.toContain('11010519491231002X');
    expect(result.stdout).toContain('110***********002X');
  });

  it('refuses an unknown role with one stderr line and exit code 2', () => {
    const result = runCli(['check', '你好', '--role', 'boss']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/role/);
  });
});
