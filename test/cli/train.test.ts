// Proves `loandesk train` through the real CLI: the simulated customers
// react to how they are treated (soothing, ignoring, red lines), tell hidden
// facts only when asked, the session is scored on the QA rubric with a model
// answer; quizzes repeat for a seed and are graded exactly, the calculation
// items against the loan engine.
import { describe, expect, it } from 'vitest';
import { formatFen } from '../../src/contracts/money.js';
import { buildSchedule } from '../../src/domain/loan/schedule/build-schedule.js';
import type { RepaymentMethod } from '../../src/domain/loan/schedule/types.js';
import { fen, sumFen } from '../../src/domain/money/fen.js';
import { parseRate } from '../../src/domain/money/rate.js';
import { calendarDate } from '../../src/domain/shared/calendar-date.js';
import { runCli } from '../helpers/run-cli.js';

function fail(what: string): never {
  throw new Error(`bad ${what}`);
}

type Event = {
  type: string;
  date?: string;
  fact?: string;
  rule?: string;
  act?: string;
  amount?: string;
};
type Turn = {
  agent: string;
  customer: string;
  anger: number;
  acts: string[];
  events: Event[];
  compliance: {
    verdict: string;
    violations: { rule: string; basis: string }[];
  };
};
type Session = {
  id: string;
  error?: string;
  opening: string;
  turns: Turn[];
  result: {
    score: number;
    qa_score: number;
    hard_fail: boolean;
    facts_revealed: number;
    facts_total: number;
    goal_met: boolean;
    final_anger: number;
    end: string;
  };
  qa: { items: { item: string; score: number; max: number }[] };
  model_answer: { customer: string; agent: string }[];
};

const TODAY = '2026-11-23';

function roleplay(sessions: readonly object[]): Session[] {
  const input = sessions
    .map((s) => JSON.stringify({ today: TODAY, ...s }))
    .join('\n');
  const result = runCli(['train', 'roleplay', '--jsonl'], `${input}\n`);
  expect(result.status, result.stderr).toBe(0);
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Session);
}

function one(session: object): Session {
  const [answer] = roleplay([session]);
  if (answer === undefined) throw new Error('no answer');
  return answer;
}

const events = (turn: Turn | undefined) =>
  (turn?.events ?? []).map((e) => e.type);

describe('loandesk train', { timeout: 60_000 }, () => {
  it('lists at least 8 personas with three variants each', () => {
    const result = runCli(['train', 'personas']);
    expect(result.status, result.stderr).toBe(0);
    const rows = result.stdout.trim().split('\n');
    expect(rows.length).toBeGreaterThanOrEqual(8);
    for (const row of rows) {
      const variants = row.split('变体 ')[1]?.split(',') ?? [];
      expect(variants.length, row).toBeGreaterThanOrEqual(3);
    }
  });

  it('calms down when soothed and gets angrier when ignored', () => {
    const [soothed, ignored] = roleplay([
      {
        id: 'soothed',
        persona: 'angry_slow_approval',
        messages: ['您好，非常理解您着急的心情，让您久等了。'],
      },
      { id: 'ignored', persona: 'angry_slow_approval', messages: ['您好。'] },
    ]);
    const start = 75;
    expect(soothed?.turns[0]?.anger).toBeLessThan(start);
    expect(events(soothed?.turns[0])).toContain('empathy');
    expect(ignored?.turns[0]?.anger).toBeGreaterThan(start);
    expect(events(ignored?.turns[0])).toContain('ignored_emotion');
  });

  it('tells a hidden fact only when a question asks for it', () => {
    const statement = one({
      id: 'statement',
      persona: 'overdue_job_loss',
      messages: ['已经逾期了，原因不重要，请尽快还款。'],
    });
    expect(events(statement.turns[0])).not.toContain('revealed');
    expect(statement.turns[0]?.acts).toContain('urge_payment');
    const question = one({
      id: 'question',
      persona: 'overdue_job_loss',
      messages: ['理解您的难处，方便说说是什么原因导致还款困难吗？'],
    });
    expect(question.turns[0]?.acts).toEqual(
      expect.arrayContaining(['empathise', 'ask_reason']),
    );
    expect(question.turns[0]?.events).toContainEqual({
      type: 'revealed',
      fact: 'job',
    });
    expect(question.turns[0]?.customer).toContain('裁员');
  });

  it('reads the act, not the words: asking about income draws out the job loss, then the budget', () => {
    const session = one({
      id: 'income',
      persona: 'overdue_job_loss',
      messages: [
        '请问您现在的收入情况怎么样？',
        '您每个月大概能承受多少还款？',
      ],
    });
    const [first, second] = session.turns;
    expect(first?.acts).toContain('ask_income');
    expect(first?.events).toContainEqual({ type: 'revealed', fact: 'job' });
    expect(first?.customer).toContain('裁员');
    expect(second?.events).toContainEqual({
      type: 'revealed',
      fact: 'income',
    });
    // A question about something else tells nothing.
    const other = one({
      id: 'other',
      persona: 'overdue_job_loss',
      messages: ['请问您能听清我说话吗？'],
    });
    expect(events(other.turns[0])).not.toContain('revealed');
  });

  it('withholds facts while angry and unsoothed, tells them once soothed', () => {
    const [cold, warm] = roleplay([
      {
        id: 'cold',
        persona: 'collection_complaint',
        messages: ['请问对方是谁，有没有报工号？'],
      },
      {
        id: 'warm',
        persona: 'collection_complaint',
        messages: ['非常抱歉给您带来困扰。请问对方是谁，有没有报工号？'],
      },
    ]);
    expect(cold?.turns[0]?.events).toContainEqual({
      type: 'withheld',
      fact: 'who',
    });
    expect(cold?.turns[0]?.customer).not.toContain('CS0387');
    expect(warm?.turns[0]?.events).toContainEqual({
      type: 'revealed',
      fact: 'who',
    });
    expect(warm?.turns[0]?.customer).toContain('CS0387');
  });

  it('gets angrier at acts it dislikes: urging a jobless borrower to pay', () => {
    const [urged, plain] = roleplay([
      {
        id: 'urged',
        persona: 'overdue_job_loss',
        messages: ['您好，请尽快还款，别再拖了。'],
      },
      { id: 'plain', persona: 'overdue_job_loss', messages: ['您好。'] },
    ]);
    expect(urged?.turns[0]?.events).toContainEqual({
      type: 'disliked',
      act: 'urge_payment',
    });
    expect(urged?.turns[0]?.anger).toBeGreaterThan(plain?.turns[0]?.anger ?? 0);
  });

  it('checks an amount the trainee states against the loan engine figures of its account', () => {
    // The persona's loan (early_repayment_fee, variant a), scheduled here by
    // the loan engine: 50,000 元 at 7.28 % over 24 months, equal installments.
    const schedule = buildSchedule({
      principalFen: fen(5_000_000n),
      rateAnnual: parseRate('0.0728') ?? fail('rate'),
      termMonths: 24,
      method: 'equal_installment',
      startDate: calendarDate('2026-01-10'),
      dayCount: '30/360',
      rounding: 'half_up',
      paymentMultipleFen: fen(1n),
      interestOnlyPeriods: 0,
      fees: [],
      prepayments: [],
    });
    if (!schedule.ok) throw new Error('schedule failed');
    const monthly = formatFen(
      schedule.value.installments[10]?.paymentFen ?? fen(0n),
    );
    const verify = '您好，为了核实身份，请提供您的姓名和注册手机号。';
    const [right, wrong] = roleplay([
      {
        id: 'right',
        persona: 'early_repayment_fee',
        messages: [verify, `已核实。您每月的月供是${monthly}元。`],
      },
      {
        id: 'wrong',
        persona: 'early_repayment_fee',
        messages: [verify, '已核实。您每月的月供是3,999.99元。'],
      },
    ]);
    const said = right?.turns[1];
    expect(said?.acts).toContain('explain_amount');
    expect(said?.events).toContainEqual({
      type: 'amount_confirmed',
      amount: monthly,
    });
    const disputed = wrong?.turns[1];
    expect(disputed?.events).toContainEqual({
      type: 'amount_disputed',
      amount: '3999.99',
    });
    expect(disputed?.customer).toMatch(/对不上|不是这个数/);
    expect(disputed?.anger).toBeGreaterThan(said?.anger ?? 100);
  });

  it('checks a due date the trainee states against the schedule of its loan', () => {
    const verify = '您好，为了核实身份，请提供您的姓名和注册手机号。';
    // early_repayment_fee a: monthly from 2026-01-10, 10 of 24 paid, so the
    // next due date after 2026-11-23 is 2026-12-10.
    const [right, wrong] = roleplay([
      {
        id: 'right',
        persona: 'early_repayment_fee',
        messages: [verify, '已核实。您下一期的还款日是12月10日。'],
      },
      {
        id: 'wrong',
        persona: 'early_repayment_fee',
        messages: [verify, '已核实。您下一期的还款日是12月3日。'],
      },
    ]);
    expect(right?.turns[1]?.events).toContainEqual({
      type: 'date_confirmed',
      date: '2026-12-10',
    });
    expect(wrong?.turns[1]?.events).toContainEqual({
      type: 'date_disputed',
      date: '2026-12-03',
    });
    expect(wrong?.turns[1]?.anger).toBeGreaterThan(
      right?.turns[1]?.anger ?? 100,
    );
  });

  it("checks a quoted rate against the persona's loan and the product ranges", () => {
    const verify = '您好，为了核实身份，请提供您的姓名和注册手机号。';
    const [loanRate, range, wrong] = roleplay([
      {
        // overdue_job_loss a: a loan at 8.88 % a year (0.0888 in its record).
        id: 'loan',
        persona: 'overdue_job_loss',
        messages: [verify, '您这笔贷款的合同年利率是8.88%。'],
      },
      {
        id: 'range',
        persona: 'urgent_rate_insensitive',
        messages: ['我们的个人消费贷年化利率为3.6%至15%，以审批为准。'],
      },
      {
        id: 'wrong',
        persona: 'urgent_rate_insensitive',
        messages: ['我们的个人消费贷年化利率只要0.5%。'],
      },
    ]);
    expect(loanRate?.turns[1]?.events).toContainEqual({
      type: 'rate_confirmed',
      rate: '8.88%',
    });
    expect(range?.turns[0]?.events).toEqual(
      expect.arrayContaining([
        { type: 'rate_confirmed', rate: '3.6%' },
        { type: 'rate_confirmed', rate: '15%' },
      ]),
    );
    expect(wrong?.turns[0]?.events).toContainEqual({
      type: 'rate_disputed',
      rate: '0.5%',
    });
    expect(wrong?.turns[0]?.anger).toBeGreaterThan(
      range?.turns[0]?.anger ?? 100,
    );
  });

  it('meets the goal through acts and plays the same way every time', () => {
    const messages = [
      '您好，理解您的担心。请先提供您的姓名和注册手机号，方便核实。',
      '已核实。结清金额由剩余本金、当期利息和合同约定的违约金组成。',
      '您可以在App的还款页面操作提前结清，结清后可以申请结清证明。请问还有其他可以帮您的吗？',
    ];
    const [first, again] = roleplay([
      { id: 'first', persona: 'early_repayment_fee', messages },
      { id: 'again', persona: 'early_repayment_fee', messages },
    ]);
    expect(first?.result).toMatchObject({ goal_met: true, end: 'closed' });
    expect(events(first?.turns[2])).toContain('goal_met');
    expect(again?.turns).toEqual(first?.turns);
    expect(again?.result).toEqual(first?.result);
  });

  it('hangs up on red lines and fails the session with the rule and its basis', () => {
    const session = one({
      id: 'bad',
      persona: 'angry_slow_approval',
      messages: [
        '放心，包过的，明天就能下款。',
        '不还钱就上门找你，你这种老赖。',
        '还在吗？',
      ],
    });
    expect(session.result.end).toBe('hung_up');
    // The customer is gone: the messages after the hang-up are never said.
    expect(session.turns.length).toBeLessThan(3);
    const last = session.turns.at(-1);
    expect(events(last)).toContain('hung_up');
    expect(session.result.hard_fail).toBe(true);
    expect(session.result.score).toBe(0);
    const blocked = last?.compliance;
    expect(blocked?.verdict).toBe('block');
    expect(blocked?.violations[0]?.basis).not.toBe('');
  });

  it('treats a relative as a third party: telling them the debt is a red line', () => {
    const session = one({
      id: 'relative',
      persona: 'relative_loan',
      messages: ['你父亲欠我们3万元，已经逾期两个月了，让他赶紧还。'],
    });
    expect(session.turns[0]?.compliance.verdict).toBe('block');
    expect(session.result.hard_fail).toBe(true);
  });

  it('scores a good session on the rubric and gives the model answer', () => {
    const session = one({
      id: 'good',
      persona: 'angry_slow_approval',
      variant: 'b',
      messages: [
        '您好，我是LoanDesk客服。让您久等了，非常理解您着急的心情。为了帮您查询进度，请提供您的姓名和注册手机号。',
        '已核实，感谢配合。请问您是着急什么时候用这笔钱呢？',
        '理解您的时间很紧。请问您最近有收到补充材料的短信通知吗？',
        '明白了。①请在App上传收入证明；②材料齐全后一般3个工作日内完成审核；③我会请专员跟进进度，审批结果以短信通知为准。请问还有其他可以帮您的吗？',
      ],
    });
    expect(session.opening).toContain('第六天');
    expect(session.turns[0]?.customer).toContain('13688880002');
    expect(session.result).toMatchObject({
      hard_fail: false,
      goal_met: true,
      end: 'closed',
    });
    expect(session.result.facts_revealed).toBeGreaterThanOrEqual(2);
    expect(session.result.qa_score).toBeGreaterThanOrEqual(80);
    expect(session.result.score).toBeGreaterThan(70);
    expect(session.model_answer.length).toBeGreaterThan(0);
  });

  it("plays every persona's model answer to its goal without a red line", () => {
    const listed = runCli(['train', 'personas']);
    expect(listed.status, listed.stderr).toBe(0);
    const sessions = listed.stdout
      .trim()
      .split('\n')
      .flatMap((row) => {
        const [persona = '', , , variants = ''] = row.split('\t');
        return variants
          .replace('变体 ', '')
          .split(',')
          .map((variant) => ({ persona, variant }));
      });
    const probes = roleplay(
      sessions.map((s, i) => ({ id: `probe${i}`, ...s, messages: ['您好'] })),
    );
    const played = roleplay(
      sessions.map((s, i) => ({
        id: `model${i}`,
        ...s,
        messages: (probes[i]?.model_answer ?? []).map((t) => t.agent),
      })),
    );
    expect(played.length).toBeGreaterThanOrEqual(24);
    for (const [i, session] of played.entries()) {
      const name = `${sessions[i]?.persona}/${sessions[i]?.variant}`;
      expect(session.result.hard_fail, name).toBe(false);
      expect(session.result.goal_met, name).toBe(true);
      expect(session.result.end, name).toBe('closed');
    }
  });

  it('answers a bad session line with an error naming the field', () => {
    const answers = roleplay([
      { id: 'x', persona: 'no_such_persona', messages: ['您好'] },
      { id: 'y', persona: 'relative_loan', variant: 'z', messages: ['您好'] },
      { id: 'z', persona: 'relative_loan', messages: [] },
    ]);
    expect(answers[0]?.error).toMatch(/^persona/);
    expect(answers[1]?.error).toMatch(/^variant/);
    expect(answers[2]?.error).toMatch(/^messages/);
  });
});

type QuizItem = {
  id: string;
  kind: string;
  question: string;
  options?: string[];
  answer?: number | string;
};

function quiz(requests: readonly object[]): Record<string, unknown>[] {
  const result = runCli(
    ['train', 'quiz', '--jsonl'],
    `${requests.map((r) => JSON.stringify({ today: TODAY, ...r })).join('\n')}\n`,
  );
  expect(result.status, result.stderr).toBe(0);
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const METHOD_ZH: Record<string, RepaymentMethod> = {
  等额本息: 'equal_installment',
  等额本金: 'equal_principal',
  先息后本: 'interest_first',
};

/** "12345.60" → "12,345.60", as a person might type it. */
function withThousands(amount: string): string {
  return amount.replace(/\B(?=(\d{3})+\.)/g, ',');
}

/** The answer to a calculation item, worked out here by the loan engine. */
function expectedAmount(question: string): string {
  const match =
    /一笔(\d+)元、年化利率（单利）([\d.]+)%、(\d+)期、(\S+?)的贷款/.exec(
      question,
    );
  if (match === null) throw new Error(`unexpected question ${question}`);
  const [, yuan = '0', percent = '0', term = '0', method = ''] = match;
  const rateAnnual = parseRate((Number.parseFloat(percent) / 100).toFixed(4));
  const methodId = METHOD_ZH[method];
  if (rateAnnual === undefined || methodId === undefined)
    throw new Error('bad question');
  const schedule = buildSchedule({
    principalFen: fen(BigInt(yuan) * 100n),
    rateAnnual,
    termMonths: Number.parseInt(term, 10),
    method: methodId,
    startDate: calendarDate(TODAY),
    dayCount: '30/360',
    rounding: 'half_up',
    paymentMultipleFen: fen(1n),
    interestOnlyPeriods: 0,
    fees: [],
    prepayments: [],
  });
  if (!schedule.ok) throw new Error('schedule failed');
  const rows = schedule.value.installments;
  if (question.includes('第1期应还'))
    return formatFen(rows[0]?.paymentFen ?? fen(0n));
  return formatFen(sumFen(rows.map((row) => row.interestFen)));
}

describe('loandesk train quiz', { timeout: 60_000 }, () => {
  it('gives the same quiz for the same seed, of every kind, without answers', () => {
    const [first, again, other] = quiz([
      { id: 'a', seed: 11, count: 8 },
      { id: 'b', seed: 11, count: 8 },
      { id: 'c', seed: 12, count: 8 },
    ]);
    expect(first?.items).toEqual(again?.items);
    expect(first?.items).not.toEqual(other?.items);
    const items = (first?.items ?? []) as QuizItem[];
    expect(new Set(items.map((i) => i.kind))).toEqual(
      new Set(['product', 'knowledge', 'compliance', 'calculation']),
    );
    for (const item of items) expect(item.answer).toBeUndefined();
    expect(new Set(items.map((i) => i.question)).size).toBe(items.length);
  });

  it('grades exactly: the answer key scores 100, the engine agrees on every amount', () => {
    const printed = runCli(['train', 'quiz', '--seed', '21', '--count', '8']);
    expect(printed.status, printed.stderr).toBe(0);
    const key = JSON.parse(printed.stdout) as { items: QuizItem[] };
    const answers: Record<string, string | number> = {};
    for (const item of key.items) {
      if (item.answer === undefined) throw new Error('no answer in the key');
      answers[item.id] = item.answer;
      if (item.kind === 'calculation')
        expect(item.answer).toBe(expectedAmount(item.question));
    }
    const wrong: Record<string, string | number> = {};
    for (const item of key.items)
      wrong[item.id] =
        typeof item.answer === 'number' ? (item.answer + 1) % 4 : '1.00';
    const [right, bad, typed] = quiz([
      { id: 'right', seed: 21, count: 8, answers },
      { id: 'wrong', seed: 21, count: 8, answers: wrong },
      {
        id: 'typed',
        seed: 21,
        count: 8,
        answers: Object.fromEntries(
          key.items.map((i) => [
            i.id,
            typeof i.answer === 'string'
              ? `${withThousands(i.answer)}元`
              : (i.answer ?? 0),
          ]),
        ),
      },
    ]);
    expect(right?.score).toBe(100);
    expect(bad?.score).toBe(0);
    expect(typed?.score).toBe(100);
  });

  it('refuses a bad request with the field named', () => {
    const [seed, count] = quiz([
      { id: 's', seed: -1 },
      { id: 'c', seed: 1, count: 500 },
    ]);
    expect(seed?.error).toMatch(/^seed/);
    expect(count?.error).toMatch(/^count/);
  });
});
