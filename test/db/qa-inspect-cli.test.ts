// `loandesk qa inspect` and `loandesk eod` through the real CLI on every
// dialect: finished conversations in the database are scored once, the
// second run finds none.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRepositories } from '../../src/adapters/db/repositories/index.js';
import { SYSTEM_DEPS } from '../../src/adapters/db/repositories/repository-context.js';
import { runCli } from '../helpers/run-cli.js';
import {
  DIALECTS,
  openTestDatabase,
  TEST_SECRET_KEY,
  type TestDatabase,
  testCipher,
} from './dialects.js';

describe.each(DIALECTS)('loandesk qa inspect on %s', (dialect) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await openTestDatabase(dialect);
  });
  afterEach(async () => {
    await t.destroy();
  });

  it('scores each finished conversation once and leaves open ones alone', {
    timeout: 120_000,
  }, async () => {
    const repos = createRepositories(t.db, SYSTEM_DEPS, testCipher());
    const closed = await repos.conversations.open('web');
    await repos.conversations.appendMessage({
      conversationId: closed.id,
      sender: 'customer',
      body: '你们有什么贷款产品',
    });
    await repos.conversations.appendMessage({
      conversationId: closed.id,
      sender: 'bot',
      body: '您好，我是LoanDesk贷款客服。我们有个人消费贷、装修贷等产品，请问您想了解哪一款？',
    });
    await repos.conversations.close(closed.id);
    const open = await repos.conversations.open('web');
    await repos.conversations.appendMessage({
      conversationId: open.id,
      sender: 'customer',
      body: '你好',
    });

    const env = {
      DATABASE_URL: t.url,
      LOANDESK_SECRET_KEY: TEST_SECRET_KEY.toString('hex'),
    };
    const first = runCli(['qa', 'inspect', '--date', '2026-11-20'], '', env);
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      date: '2026-11-20',
      conversations: 1,
      scores: 1,
    });
    const rows = await t.db
      .selectFrom('qa_scores')
      .select(['conversation_id', 'speaker', 'score', 'scored_on'])
      .execute();
    expect(rows).toEqual([
      expect.objectContaining({
        conversation_id: closed.id,
        speaker: 'bot',
        scored_on: '2026-11-20',
      }),
    ]);
    expect(Number(rows[0]?.score)).toBeGreaterThan(50);
    const second = runCli(['qa', 'inspect', '--date', '2026-11-20'], '', env);
    expect(JSON.parse(second.stdout)).toMatchObject({
      conversations: 0,
      scores: 0,
    });
    const bad = runCli(['qa', 'inspect', '--date', '2026-13-01'], '', env);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--date/);
  });

  it('runs as part of the end-of-day batch', { timeout: 120_000 }, async () => {
    const repos = createRepositories(t.db, SYSTEM_DEPS, testCipher());
    const closed = await repos.conversations.open('web');
    await repos.conversations.appendMessage({
      conversationId: closed.id,
      sender: 'customer',
      body: '怎么申请贷款',
    });
    await repos.conversations.appendMessage({
      conversationId: closed.id,
      sender: 'bot',
      body: '您好，我是LoanDesk贷款客服。您可以在官方App提交申请，请问您想申请哪款产品？',
    });
    await repos.conversations.close(closed.id);
    const env = {
      DATABASE_URL: t.url,
      LOANDESK_SECRET_KEY: TEST_SECRET_KEY.toString('hex'),
    };
    const result = runCli(['eod', '--date', '2026-11-20'], '', env);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      qa: { conversations: 1, scores: 1 },
    });
    const again = runCli(['eod', '--date', '2026-11-20'], '', env);
    expect(JSON.parse(again.stdout).qa).toBeUndefined();
  });
});
