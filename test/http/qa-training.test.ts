// Quality inspection and training over HTTP on every dialect: finished
// conversations are scored once per speaker with evidence, the report and
// the override (audited) work by role, the rubric is versioned by an admin;
// a trainee role-plays against a simulated customer, takes a quiz, and the
// assessment report (JSON and printable HTML) shows both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditForSubject } from '../../src/adapters/db/repositories/audit-repository.js';
import { DIALECTS } from '../db/dialects.js';
import { type ErrorJson, openStoreApp, type StoreApp } from './store-app.js';

type Item = {
  item: string;
  score: number;
  max: number;
  evidence: { turn: number; reason: string }[];
};
type Score = {
  id: string;
  conversation_id: string;
  speaker: 'bot' | 'agent';
  agent_user_id: string | null;
  score: number;
  effective_score: number;
  hard_fail: boolean;
  items: Item[];
  override: { score: number; comment: string } | null;
};

describe.each(DIALECTS)('quality inspection and training on %s', (dialect) => {
  let s: StoreApp;
  let conversationId = '';

  beforeAll(async () => {
    s = await openStoreApp(dialect);
    const agentId = s.userIds.get('agent') ?? '';
    const conv = await s.repos.conversations.open('web');
    conversationId = conv.id;
    const say = (
      sender: 'customer' | 'bot' | 'agent',
      body: string,
      actions?: unknown[],
    ) =>
      s.repos.conversations.appendMessage({
        conversationId: conv.id,
        sender,
        body,
        ...(actions === undefined ? {} : { actions }),
      });
    await say('customer', '我要投诉你们的催收');
    await say(
      'bot',
      '您好，我是LoanDesk贷款客服。很抱歉给您带来困扰，正在为您转接人工客服。',
      [{ type: 'handoff', reason: 'complaint' }],
    );
    await s.repos.conversations.handOff(conv.id, 'complaint');
    const taken = await s.repos.conversations.takeOver(conv.id, agentId);
    expect(taken.ok).toBe(true);
    await say('customer', '你们的人天天打电话骚扰我家里人');
    await say('agent', '你欠钱不还还有理了？再不还就上门找你。');
    await s.repos.conversations.close(conv.id);
  }, 120_000);

  afterAll(async () => {
    await s.close();
  });

  it('scores each finished conversation once per speaker, worst first', async () => {
    const run = await s.app.inject({
      method: 'POST',
      url: '/api/v1/qa/inspections',
      headers: s.as('supervisor'),
      payload: {},
    });
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json()).toEqual({ conversations: 1, scores: 2 });
    const again = await s.app.inject({
      method: 'POST',
      url: '/api/v1/qa/inspections',
      headers: s.as('supervisor'),
      payload: {},
    });
    expect(again.json()).toEqual({ conversations: 0, scores: 0 });

    const list = await s.app.inject({
      url: '/api/v1/qa/scores',
      headers: s.as('supervisor'),
    });
    expect(list.statusCode).toBe(200);
    const items = (list.json() as { items: Score[] }).items;
    expect(items.map((i) => i.speaker)).toEqual(['agent', 'bot']);
    const agent = items[0];
    expect(agent?.hard_fail).toBe(true);
    expect(agent?.effective_score).toBe(0);
    expect(agent?.agent_user_id).toBe(s.userIds.get('agent'));
    const compliance = agent?.items.find((i) => i.item === 'compliance');
    expect(compliance?.evidence[0]?.reason).toMatch(/依据/);
    const bot = items[1];
    expect(bot?.hard_fail).toBe(false);
    expect(bot?.items.find((i) => i.item === 'handoff_or_ticket')?.score).toBe(
      10,
    );
  });

  it('lets a supervisor override a score with a comment, audited; others may not', async () => {
    const list = await s.app.inject({
      url: '/api/v1/qa/scores?speaker=bot',
      headers: s.as('supervisor'),
    });
    const bot = (list.json() as { items: Score[] }).items[0];
    if (bot === undefined) throw new Error('no bot score');
    const forbidden = await s.app.inject({
      method: 'POST',
      url: `/api/v1/qa/scores/${bot.id}/override`,
      headers: s.as('agent'),
      payload: { score: 100, comment: '我觉得很好' },
    });
    expect(forbidden.statusCode).toBe(403);
    const bad = await s.app.inject({
      method: 'POST',
      url: `/api/v1/qa/scores/${bot.id}/override`,
      headers: s.as('supervisor'),
      payload: { score: 101, comment: '超过满分' },
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as ErrorJson).error.field).toBe('score');
    const done = await s.app.inject({
      method: 'POST',
      url: `/api/v1/qa/scores/${bot.id}/override`,
      headers: s.as('supervisor'),
      payload: { score: 95, comment: '转接及时，结束语由人工完成' },
    });
    expect(done.statusCode, done.body).toBe(200);
    const updated = done.json() as Score;
    expect(updated.effective_score).toBe(95);
    expect(updated.score).toBe(bot.score);
    const audit = await listAuditForSubject(s.database.db, 'qa_score', bot.id);
    expect(audit.map((e) => e.action)).toContain('qa.override');
    const missing = await s.app.inject({
      method: 'POST',
      url: '/api/v1/qa/scores/qa_missing/override',
      headers: s.as('supervisor'),
      payload: { score: 50, comment: '不存在' },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('reports per agent, per speaker and the hard fails', async () => {
    const report = await s.app.inject({
      url: '/api/v1/qa/report',
      headers: s.as('supervisor'),
    });
    expect(report.statusCode, report.body).toBe(200);
    const body = report.json() as {
      total: number;
      by_agent: { key: string; hard_fails: number }[];
      by_speaker: { key: string }[];
      hard_fails: Score[];
      weakest_items: { item: string }[];
    };
    expect(body.total).toBe(2);
    expect(body.by_agent).toEqual([
      expect.objectContaining({ key: s.userIds.get('agent'), hard_fails: 1 }),
    ]);
    expect(body.by_speaker.map((g) => g.key).sort()).toEqual(['agent', 'bot']);
    expect(body.hard_fails.map((h) => h.conversation_id)).toEqual([
      conversationId,
    ]);
    expect(body.weakest_items.length).toBeGreaterThan(0);
    const collector = await s.app.inject({
      url: '/api/v1/qa/report',
      headers: s.as('collector'),
    });
    expect(collector.statusCode).toBe(403);
  });

  it('keeps rubric versions: an admin saves a new one, a repeated version is refused', async () => {
    const current = await s.app.inject({
      url: '/api/v1/qa/rubric',
      headers: s.as('supervisor'),
    });
    const { yaml, version } = current.json() as {
      yaml: string;
      version: string;
    };
    const next = yaml.replace(version, `${version}-b`);
    const bySupervisor = await s.app.inject({
      method: 'PUT',
      url: '/api/v1/qa/rubric',
      headers: s.as('supervisor'),
      payload: { yaml: next },
    });
    expect(bySupervisor.statusCode).toBe(403);
    const saved = await s.app.inject({
      method: 'PUT',
      url: '/api/v1/qa/rubric',
      headers: s.as('admin'),
      payload: { yaml: next },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const repeated = await s.app.inject({
      method: 'PUT',
      url: '/api/v1/qa/rubric',
      headers: s.as('admin'),
      payload: { yaml: next },
    });
    expect(repeated.statusCode).toBe(409);
    const broken = await s.app.inject({
      method: 'PUT',
      url: '/api/v1/qa/rubric',
      headers: s.as('admin'),
      payload: {
        yaml: next
          .replace(/max: 10\n/, 'max: 11\n')
          .replace(`${version}-b`, `${version}-c`),
      },
    });
    expect(broken.statusCode).toBe(400);
    expect((broken.json() as ErrorJson).error.field).toBe('yaml');
    const now = await s.app.inject({
      url: '/api/v1/qa/rubric',
      headers: s.as('supervisor'),
    });
    expect(now.json()).toMatchObject({
      version: `${version}-b`,
      source: 'database',
    });
  });

  it('runs a role-play turn by turn, hides warnings in exam mode, scores it at the end', async () => {
    const start = await s.app.inject({
      method: 'POST',
      url: '/api/v1/training/sessions',
      headers: s.as('agent'),
      payload: { persona_id: 'angry_slow_approval', variant_id: 'a' },
    });
    expect(start.statusCode, start.body).toBe(201);
    const session = start.json() as {
      id: string;
      opening: string;
      customer: string;
    };
    expect(session.customer).not.toBe('周建华');
    const turn = await s.app.inject({
      method: 'POST',
      url: `/api/v1/training/sessions/${session.id}/messages`,
      headers: s.as('agent'),
      payload: { text: '放心，包过的，明天就能下款。' },
    });
    expect(turn.statusCode, turn.body).toBe(200);
    const after = turn.json() as {
      turns: { findings?: { rule: string }[]; acts?: string[] }[];
      status: string;
    };
    expect(after.turns[0]?.findings?.length).toBeGreaterThan(0);
    // The persona read the message as agent acts, not phrase lists.
    const polite = await s.app.inject({
      method: 'POST',
      url: '/api/v1/training/sessions',
      headers: s.as('agent'),
      payload: { persona_id: 'angry_slow_approval', variant_id: 'a' },
    });
    const politeId = (polite.json() as { id: string }).id;
    const asked = await s.app.inject({
      method: 'POST',
      url: `/api/v1/training/sessions/${politeId}/messages`,
      headers: s.as('agent'),
      payload: {
        text: '让您久等了，非常抱歉。为了查询进度，请提供您的姓名和注册手机号。',
      },
    });
    expect(asked.statusCode, asked.body).toBe(200);
    const reply = (
      asked.json() as {
        turns: { acts?: string[]; events?: string[]; customer: string }[];
      }
    ).turns[0];
    expect(reply?.acts).toEqual(
      expect.arrayContaining(['empathise', 'ask_verification']),
    );
    expect(reply?.events).toContain('verification_given');
    expect(reply?.customer).toContain('139****0001');

    const exam = await s.app.inject({
      method: 'POST',
      url: '/api/v1/training/sessions',
      headers: s.as('agent'),
      payload: { persona_id: 'early_repayment_fee', exam: true },
    });
    const examId = (exam.json() as { id: string }).id;
    const examTurn = await s.app.inject({
      method: 'POST',
      url: `/api/v1/training/sessions/${examId}/messages`,
      headers: s.as('agent'),
      payload: {
        text: '您好，我是LoanDesk客服。请提供您的姓名和注册手机号，方便核实身份。',
      },
    });
    const examBody = examTurn.json() as {
      turns: { findings?: unknown; acts?: unknown; customer: string }[];
    };
    expect(examBody.turns[0]?.findings).toBeUndefined();
    expect(examBody.turns[0]?.acts).toBeUndefined();
    expect(examBody.turns[0]?.customer).toContain('137****0013');
    const finish = await s.app.inject({
      method: 'POST',
      url: `/api/v1/training/sessions/${examId}/finish`,
      headers: s.as('agent'),
    });
    expect(finish.statusCode, finish.body).toBe(200);
    const finished = finish.json() as {
      status: string;
      result: { score: number; items: Item[]; model_answer: unknown[] };
    };
    expect(finished.status).toBe('finished');
    expect(finished.result.items).toHaveLength(9);
    expect(finished.result.model_answer.length).toBeGreaterThan(0);
    const late = await s.app.inject({
      method: 'POST',
      url: `/api/v1/training/sessions/${examId}/messages`,
      headers: s.as('agent'),
      payload: { text: '还在吗？' },
    });
    expect(late.statusCode).toBe(409);
    const someoneElse = await s.app.inject({
      url: `/api/v1/training/sessions/${examId}`,
      headers: s.as('collector'),
    });
    expect(someoneElse.statusCode).toBe(404);
    const unknown = await s.app.inject({
      method: 'POST',
      url: '/api/v1/training/sessions',
      headers: s.as('agent'),
      payload: { persona_id: 'nobody' },
    });
    expect(unknown.statusCode).toBe(400);
    expect((unknown.json() as ErrorJson).error.field).toBe('persona_id');
  });

  it('grades a quiz once and reports the trainee, printable; only supervisors see others', async () => {
    const quiz = await s.app.inject({
      method: 'POST',
      url: '/api/v1/training/quizzes',
      headers: s.as('agent'),
      payload: { count: 4 },
    });
    expect(quiz.statusCode, quiz.body).toBe(201);
    const body = quiz.json() as {
      id: string;
      items: { id: string; options?: string[]; answer?: unknown }[];
    };
    expect(body.items).toHaveLength(4);
    for (const item of body.items) expect(item.answer).toBeUndefined();
    const answers = Object.fromEntries(
      body.items.map((i) => [i.id, i.options === undefined ? '1.00' : 0]),
    );
    const graded = await s.app.inject({
      method: 'POST',
      url: `/api/v1/training/quizzes/${body.id}/answers`,
      headers: s.as('agent'),
      payload: { answers },
    });
    expect(graded.statusCode, graded.body).toBe(200);
    const grade = graded.json() as {
      total: number;
      score: number;
      items: { correct: boolean }[];
    };
    expect(grade.total).toBe(4);
    expect(grade.score).toBe(
      Math.floor((100 * grade.items.filter((i) => i.correct).length) / 4),
    );
    const twice = await s.app.inject({
      method: 'POST',
      url: `/api/v1/training/quizzes/${body.id}/answers`,
      headers: s.as('agent'),
      payload: { answers },
    });
    expect(twice.statusCode).toBe(409);

    const own = await s.app.inject({
      url: '/api/v1/training/report',
      headers: s.as('agent'),
    });
    expect(own.statusCode, own.body).toBe(200);
    const report = own.json() as {
      sessions: { persona_id: string; score: number; hard_fail: boolean }[];
      quizzes: unknown[];
    };
    // The angry customer hung up on the red line: finished, scored 0.
    expect(report.sessions.map((x) => x.persona_id)).toEqual([
      'angry_slow_approval',
      'early_repayment_fee',
    ]);
    expect(report.sessions[0]).toMatchObject({ score: 0, hard_fail: true });
    expect(report.quizzes).toHaveLength(1);
    const agentId = s.userIds.get('agent') ?? '';
    const bySupervisor = await s.app.inject({
      url: `/api/v1/training/report.html?user=${agentId}`,
      headers: s.as('supervisor'),
    });
    expect(bySupervisor.statusCode).toBe(200);
    expect(bySupervisor.headers['content-type']).toMatch(/text\/html/);
    expect(bySupervisor.body).toContain('学员考核报告');
    const byCollector = await s.app.inject({
      url: `/api/v1/training/report?user=${agentId}`,
      headers: s.as('collector'),
    });
    expect(byCollector.statusCode).toBe(404);
  });
});
