// Proves `loandesk kb ask` end to end as a user runs it (node
// bin/loandesk.js): a readable answer with its entry and confidence, the
// refusal below the threshold, --json and --jsonl output, input errors, and
// that every FAQ answer comes back `pass` from `loandesk check --jsonl`
// (bot to an unverified customer: the strictest recipient a FAQ meets).
import { describe, expect, it } from 'vitest';
import { readKnowledgeEntries } from '../../src/adapters/knowledge/load-knowledge.js';
import { runCli } from '../helpers/run-cli.js';

const SLOW = { timeout: 120_000 };

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('loandesk kb ask', () => {
  it('prints the answer, its entry and its confidence', SLOW, () => {
    const result = runCli(['kb', 'ask', '多久能下款', '--top', '2']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('条目 disbursement-time');
    expect(result.stdout).toMatch(/置信度 0\.\d+/);
    expect(result.stdout).toContain('其他候选');
  });

  it('says it has no reliable answer to an unrelated question', SLOW, () => {
    const result = runCli(['kb', 'ask', '今天天气怎么样']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('未找到可靠答案');
    expect(result.stdout).toContain('转人工');
  });

  it('prints one JSON object with --json', SLOW, () => {
    const result = runCli(['kb', 'ask', '提前還款有違約金嗎', '--json']);
    expect(result.status).toBe(0);
    const [answer] = jsonLines(result.stdout);
    expect(answer).toMatchObject({ entry_id: 'prepay-fee' });
    expect(typeof answer?.answer).toBe('string');
    expect(answer?.confidence).toBeGreaterThan(0);
  });

  it('answers JSONL lines in order and reports a bad line', SLOW, () => {
    const input = [
      JSON.stringify({ id: 'a', question: '我被骗了钱已经转过去了' }),
      JSON.stringify({ id: 'b' }),
      JSON.stringify({ id: 'c', question: '给我讲个笑话吧' }),
    ].join('\n');
    const result = runCli(['kb', 'ask', '--jsonl'], `${input}\n`);
    expect(result.status).toBe(0);
    const answers = jsonLines(result.stdout);
    expect(answers.map((answer) => answer.id)).toEqual(['a', 'b', 'c']);
    expect(answers[0]).toMatchObject({ entry_id: 'fraud-report' });
    expect(answers[1]?.error).toMatch(/question/);
    expect(answers[2]).toMatchObject({ entry_id: null, answer: null });
  });

  it('exits 2 with one stderr line for a bad --top', SLOW, () => {
    const result = runCli(['kb', 'ask', '怎么还款', '--top', '99']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('--top');
  });
});

describe('FAQ answers through loandesk check --jsonl', () => {
  it('passes every answer', SLOW, () => {
    const entries = readKnowledgeEntries();
    const input = entries
      .map((entry) =>
        JSON.stringify({
          id: entry.id,
          text: entry.answer,
          role: 'bot',
          recipient: 'unverified',
        }),
      )
      .join('\n');
    const result = runCli(['check', '--jsonl'], `${input}\n`);
    expect(result.status).toBe(0);
    const verdicts = jsonLines(result.stdout);
    expect(verdicts).toHaveLength(entries.length);
    const failing = verdicts.filter((verdict) => verdict.verdict !== 'pass');
    expect(failing).toEqual([]);
  });
});
