// Proves `loandesk qa score --jsonl` end to end through the real CLI: the
// bot's own transcripts (made by `loandesk chat` from the scenario fixtures)
// are scored against their ledger, and hand-made transcripts with one defect
// each show that the matching rubric item — and only the evidence for it —
// catches the defect.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/run-cli.js';

type Evidence = { turn: number; span: [number, number]; reason: string };
type Item = { item: string; score: number; max: number; evidence: Evidence[] };
type Scored = {
  id: string;
  score: number;
  hard_fail: boolean;
  items: Item[];
  error?: string;
};
type Turn = {
  user?: string;
  bot?: string;
  agent?: string;
  actions?: unknown[];
};
type Transcript = {
  id: string;
  today?: string | undefined;
  setup?: unknown;
  turns: Turn[];
};

const SCENARIOS = fileURLToPath(
  new URL('../fixtures/chat/scenarios.json', import.meta.url),
);
const RUBRIC = fileURLToPath(
  new URL('../../content/qa/rubric.yaml', import.meta.url),
);
const TAXONOMY_RUBRIC_IDS = [
  'greeting',
  'identity_check',
  'confirm_need',
  'empathy',
  'clear_explanation',
  'correct_facts',
  'compliance',
  'handoff_or_ticket',
  'closing',
];

function score(transcripts: readonly unknown[], args: string[] = []): Scored[] {
  const input = transcripts.map((t) => JSON.stringify(t)).join('\n');
  const result = runCli(['qa', 'score', '--jsonl', ...args], `${input}\n`);
  expect(result.status, result.stderr).toBe(0);
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Scored);
}

function item(scored: Scored, id: string): Item {
  const found = scored.items.find((entry) => entry.item === id);
  if (found === undefined) throw new Error(`no item ${id}`);
  return found;
}

const scenarios = JSON.parse(readFileSync(SCENARIOS, 'utf8')) as Transcript[];
const scenario = (id: string): Transcript => {
  const found = scenarios.find((s) => s.id === id);
  if (found === undefined) throw new Error(`no scenario ${id}`);
  return found;
};

describe('loandesk qa score --jsonl', { timeout: 60_000 }, () => {
  let botTranscripts: Transcript[] = [];
  let botScores: Scored[] = [];

  beforeAll(() => {
    const chat = runCli(
      ['chat', '--jsonl'],
      `${scenarios.map((s) => JSON.stringify(s)).join('\n')}\n`,
    );
    expect(chat.status, chat.stderr).toBe(0);
    botTranscripts = chat.stdout
      .trim()
      .split('\n')
      .map((line) => {
        const output = JSON.parse(line) as Transcript;
        const source = scenario(output.id);
        return { ...output, setup: source.setup, today: source.today };
      });
    botScores = score(botTranscripts);
  }, 180_000);

  it('answers every transcript with the rubric items of taxonomy.md, worth 100 in all', () => {
    expect(botScores).toHaveLength(scenarios.length);
    for (const scored of botScores) {
      expect(scored.items.map((i) => i.item)).toEqual(TAXONOMY_RUBRIC_IDS);
      expect(scored.items.reduce((sum, i) => sum + i.max, 0)).toBe(100);
      expect(scored.score).toBe(
        scored.hard_fail ? 0 : scored.items.reduce((s, i) => s + i.score, 0),
      );
      for (const entry of scored.items) {
        expect(entry.score).toBeGreaterThanOrEqual(0);
        expect(entry.score).toBeLessThanOrEqual(entry.max);
        expect(entry.evidence.length).toBeGreaterThan(0);
      }
    }
  });

  it("finds every amount, rate and date in the bot's replies in the ledger", () => {
    for (const scored of botScores) {
      expect(item(scored, 'correct_facts').score, scored.id).toBe(
        item(scored, 'correct_facts').max,
      );
      expect(scored.hard_fail, scored.id).toBe(false);
      expect(item(scored, 'identity_check').score, scored.id).toBe(15);
    }
  });

  it('catches an amount that does not match the ledger, pointing at it', () => {
    const original = botTranscripts.find(
      (t) => t.id === 'verify-then-schedule',
    );
    if (original === undefined) throw new Error('missing transcript');
    const reply = original.turns[1]?.bot ?? '';
    const amount = /(\d+\.\d{2})元/.exec(reply);
    if (amount === null || amount[1] === undefined)
      throw new Error('no amount');
    const inflated = `${(Number.parseInt(amount[1], 10) + 300).toString()}.00`;
    const tampered = structuredClone(original);
    const turn = tampered.turns[1];
    if (turn === undefined) throw new Error('missing turn');
    turn.bot = reply.replace(amount[1], inflated);
    const [scored] = score([tampered]);
    if (scored === undefined) throw new Error('no answer');
    const facts = item(scored, 'correct_facts');
    expect(facts.score).toBeLessThan(facts.max);
    const evidence = facts.evidence[0];
    expect(evidence?.turn).toBe(1);
    expect(turn.bot.slice(evidence?.span[0], evidence?.span[1])).toContain(
      inflated,
    );
  });

  it('fails the whole conversation on a red line, with the rule and its legal basis', () => {
    const [scored] = score([
      {
        id: 'threat',
        turns: [
          {
            user: '这个月手头紧，能晚几天吗',
            agent: '您好，我是催收专员小李。',
          },
          {
            user: '真的没钱',
            agent: '再不还钱我们就上门找你，让你全家都知道你是老赖。',
          },
        ],
      },
    ]);
    if (scored === undefined) throw new Error('no answer');
    expect(scored.hard_fail).toBe(true);
    expect(scored.score).toBe(0);
    const compliance = item(scored, 'compliance');
    expect(compliance.score).toBe(0);
    expect(compliance.evidence.some((e) => e.turn === 1)).toBe(true);
    expect(compliance.evidence.map((e) => e.reason).join('')).toMatch(/依据/);
  });

  it('scores account details given before verification as an identity-check failure', () => {
    const [scored] = score([
      {
        id: 'no-verification',
        turns: [
          {
            user: '我的贷款还剩多少',
            bot: '您好，我是LoanDesk贷款客服。您的剩余本金为30044.79元。',
          },
        ],
      },
    ]);
    if (scored === undefined) throw new Error('no answer');
    const identity = item(scored, 'identity_check');
    expect(identity.score).toBe(0);
    expect(identity.evidence[0]?.turn).toBe(0);
  });

  it('rewards soothing an upset customer before the solution, not after', () => {
    const upset = '你们怎么回事，审批这么慢，气死我了';
    const [first, after] = score([
      {
        id: 'empathy-first',
        turns: [
          {
            user: upset,
            bot: '您好，我是LoanDesk贷款客服。非常理解您着急的心情，让您久等了。审批一般需要3个工作日，我马上帮您查询进度。',
          },
        ],
      },
      {
        id: 'empathy-after',
        turns: [
          {
            user: upset,
            bot: '您好，我是LoanDesk贷款客服。审批一般需要3个工作日，请耐心等待。给您带来不便很抱歉。',
          },
        ],
      },
    ]);
    if (first === undefined || after === undefined)
      throw new Error('no answer');
    expect(item(first, 'empathy').score).toBe(item(first, 'empathy').max);
    expect(item(after, 'empathy').score).toBe(0);
  });

  it('wants a hand-off or ticket for a complaint, and a polite close', () => {
    const complaint = '我要投诉你们的服务';
    const [ignored, handled] = score([
      {
        id: 'complaint-ignored',
        turns: [{ user: complaint, bot: '好的，知道了。' }],
      },
      {
        id: 'complaint-handled',
        turns: [
          {
            user: complaint,
            bot: '您好，我是LoanDesk贷款客服。很抱歉给您带来不好的体验，已为您登记投诉工单，专员会在1个工作日内联系您。请问还有其他可以帮您的吗？',
            actions: [{ type: 'create_ticket', ticket_type: 'complaint' }],
          },
        ],
      },
    ]);
    if (ignored === undefined || handled === undefined)
      throw new Error('no answer');
    expect(item(ignored, 'handoff_or_ticket').score).toBe(0);
    expect(item(ignored, 'greeting').score).toBe(0);
    expect(item(ignored, 'closing').score).toBe(0);
    expect(item(handled, 'handoff_or_ticket').score).toBe(10);
    expect(item(handled, 'greeting').score).toBe(10);
    expect(item(handled, 'closing').score).toBe(5);
    expect(handled.score).toBeGreaterThan(ignored.score);
  });

  it('answers a malformed transcript with an error naming the field', () => {
    const answers = score([
      { id: 'empty' },
      { id: 'both', turns: [{ user: '你好', bot: '您好', agent: '您好' }] },
      {
        id: 'bad-day',
        today: '2026-13-40',
        turns: [{ user: '你好', bot: '您好' }],
      },
    ]);
    expect(answers.map((a) => a.id)).toEqual(['empty', 'both', 'bad-day']);
    expect(answers[0]?.error).toMatch(/^turns/);
    expect(answers[1]?.error).toMatch(/turns\[0\]/);
    expect(answers[2]?.error).toMatch(/^today/);
  });

  it('refuses a rubric whose weights do not add up to 100, naming why', () => {
    const rubric = parse(readFileSync(RUBRIC, 'utf8')) as {
      items: { max: number }[];
    };
    const first = rubric.items[0];
    if (first === undefined) throw new Error('empty rubric');
    first.max += 5;
    const dir = mkdtempSync(join(tmpdir(), 'loandesk-qa-'));
    try {
      const path = join(dir, 'rubric.yaml');
      writeFileSync(path, JSON.stringify(rubric));
      const result = runCli(
        ['qa', 'score', '--jsonl', '--rubric', path],
        '{"id":"x","turns":[{"user":"你好","bot":"您好"}]}\n',
      );
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/105/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
