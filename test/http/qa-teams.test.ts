// Teams and the rubric editor over HTTP on every dialect: an admin creates,
// renames and staffs teams (audited; refused names, users and roles named),
// the QA report groups agents' scores per team with a trend each; an admin
// saves a new rubric version from the editor's data (zh-CN errors naming the
// field, stale edits refused), the history lists it, and conversations
// scored afterwards carry the new version while older scores keep theirs.
// The training assessment report names the trainee's team.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditForSubject } from '../../src/adapters/db/repositories/audit-repository.js';
import { hashPassword } from '../../src/adapters/security/passwords.js';
import { DIALECTS } from '../db/dialects.js';
import {
  type ErrorJson,
  openStoreApp,
  type StoreApp,
  TEST_PASSWORD,
} from './store-app.js';

type Member = { user_id: string; username: string; display_name: string };
type Team = {
  id: string;
  name: string;
  lead: Member | null;
  members: Member[];
};
type TeamGroup = {
  key: string;
  name?: string;
  conversations: number;
  average: number;
  hard_fails: number;
  trend: { date: string; conversations: number; average: number }[];
};
type RubricData = {
  version: string;
  items: { id: string; name_zh: string; max: number; description_zh: string }[];
  phrases: Record<string, string[]>;
  jargon: string[];
  long_reply_chars: number;
  clarity_deduction_percent: number;
  compliance_warn_deduction_percent: number;
};
type RubricJson = {
  version: string;
  source: string;
  rubric: RubricData;
  created_by: string | null;
};

const GOOD_REPLY =
  '您好，我是LoanDesk贷款客服，很高兴为您服务。请问您是想了解还款日期吗？';
const BAD_REPLY = '你欠钱不还还有理了？再不还就上门找你。';

describe.each(DIALECTS)('teams and the rubric editor on %s', (dialect) => {
  let s: StoreApp;
  let secondAgent = '';

  /** A finished conversation the given agent answered with `reply`. */
  const conversation = async (agentId: string, reply: string) => {
    const conv = await s.repos.conversations.open('web');
    await s.repos.conversations.appendMessage({
      conversationId: conv.id,
      sender: 'customer',
      body: '我想问一下还款的事，转人工',
    });
    await s.repos.conversations.handOff(conv.id, 'customer_request');
    const taken = await s.repos.conversations.takeOver(conv.id, agentId);
    expect(taken.ok).toBe(true);
    await s.repos.conversations.appendMessage({
      conversationId: conv.id,
      sender: 'agent',
      body: reply,
    });
    await s.repos.conversations.close(conv.id);
    return conv.id;
  };

  const inspect = async () => {
    const run = await s.app.inject({
      method: 'POST',
      url: '/api/v1/qa/inspections',
      headers: s.as('supervisor'),
      payload: {},
    });
    expect(run.statusCode, run.body).toBe(200);
  };

  beforeAll(async () => {
    s = await openStoreApp(dialect);
    const created = await s.repos.users.create(
      {
        username: 'agent2',
        displayName: '王客服',
        passwordHash: await hashPassword(TEST_PASSWORD),
        roles: ['agent'],
      },
      'test',
    );
    if (!created.ok) throw new Error(created.error.code);
    secondAgent = created.value.id;
  }, 120_000);

  afterAll(async () => {
    await s?.close();
  });

  it('lets an admin create, rename and staff teams, audited; others may not', async () => {
    const agentId = s.userIds.get('agent') ?? '';
    const byAgent = await s.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: s.as('supervisor'),
      payload: { name: '客服一组' },
    });
    expect(byAgent.statusCode).toBe(403);
    const first = await s.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: s.as('admin'),
      payload: { name: ' 客服一组 ', lead_user_id: agentId },
    });
    expect(first.statusCode, first.body).toBe(201);
    const one = first.json() as Team;
    expect(one.name).toBe('客服一组');
    expect(one.lead?.display_name).toBe('agent');
    const taken = await s.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: s.as('admin'),
      payload: { name: '客服一组' },
    });
    expect(taken.statusCode).toBe(409);
    expect((taken.json() as ErrorJson).error).toMatchObject({
      field: 'name',
      message: expect.stringContaining('已被使用'),
    });
    const blank = await s.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: s.as('admin'),
      payload: { name: '   ' },
    });
    expect(blank.statusCode).toBe(400);
    expect((blank.json() as ErrorJson).error.message).toBe(
      '班组名称不能为空。',
    );
    const second = await s.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: s.as('admin'),
      payload: { name: '二组' },
    });
    const two = second.json() as Team;
    const renamed = await s.app.inject({
      method: 'PATCH',
      url: `/api/v1/teams/${two.id}`,
      headers: s.as('admin'),
      payload: { name: '客服二组', lead_user_id: secondAgent },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({
      name: '客服二组',
      lead: { username: 'agent2' },
    });
    const clash = await s.app.inject({
      method: 'PATCH',
      url: `/api/v1/teams/${two.id}`,
      headers: s.as('admin'),
      payload: { name: '客服一组' },
    });
    expect(clash.statusCode).toBe(409);

    const staffOne = await s.app.inject({
      method: 'POST',
      url: `/api/v1/teams/${one.id}/members`,
      headers: s.as('admin'),
      payload: { user_ids: [agentId, secondAgent] },
    });
    expect(staffOne.statusCode, staffOne.body).toBe(200);
    expect(
      (staffOne.json() as Team).members.map((m) => m.username).sort(),
    ).toEqual(['agent', 'agent2']);
    // Assigning to another team moves the user.
    const move = await s.app.inject({
      method: 'POST',
      url: `/api/v1/teams/${two.id}/members`,
      headers: s.as('admin'),
      payload: { user_ids: [secondAgent] },
    });
    expect((move.json() as Team).members.map((m) => m.username)).toEqual([
      'agent2',
    ]);
    const unknownUser = await s.app.inject({
      method: 'POST',
      url: `/api/v1/teams/${two.id}/members`,
      headers: s.as('admin'),
      payload: { user_ids: ['user_nobody'] },
    });
    expect(unknownUser.statusCode).toBe(404);
    expect((unknownUser.json() as ErrorJson).error.field).toBe('user_ids');
    const unknownTeam = await s.app.inject({
      method: 'POST',
      url: '/api/v1/teams/team_nope/members',
      headers: s.as('admin'),
      payload: { user_ids: [agentId] },
    });
    expect(unknownTeam.statusCode).toBe(404);
    const collector = s.userIds.get('collector') ?? '';
    await s.app.inject({
      method: 'POST',
      url: `/api/v1/teams/${two.id}/members`,
      headers: s.as('admin'),
      payload: { user_ids: [collector] },
    });
    const removed = await s.app.inject({
      method: 'DELETE',
      url: `/api/v1/teams/${two.id}/members/${collector}`,
      headers: s.as('admin'),
    });
    expect(removed.statusCode, removed.body).toBe(200);
    const notMember = await s.app.inject({
      method: 'DELETE',
      url: `/api/v1/teams/${two.id}/members/${collector}`,
      headers: s.as('admin'),
    });
    expect(notMember.statusCode).toBe(404);

    const list = await s.app.inject({
      url: '/api/v1/teams',
      headers: s.as('admin'),
    });
    expect(list.statusCode).toBe(200);
    const overview = list.json() as { teams: Team[]; unassigned: Member[] };
    expect(overview.teams.map((t) => t.name)).toEqual(['客服一组', '客服二组']);
    expect(overview.unassigned.map((m) => m.username).sort()).toEqual([
      'admin',
      'collector',
      'negotiator',
      'supervisor',
    ]);
    const audit = await listAuditForSubject(s.database.db, 'team', two.id);
    expect(audit.map((e) => e.action)).toEqual([
      'team.create',
      'team.update',
      'team.assign',
      'team.assign',
      'team.unassign',
    ]);
  });

  it('reports the agents’ scores per team, each with its trend', async () => {
    await conversation(s.userIds.get('agent') ?? '', GOOD_REPLY);
    await conversation(secondAgent, BAD_REPLY);
    await conversation(secondAgent, GOOD_REPLY);
    await inspect();
    const report = await s.app.inject({
      url: '/api/v1/qa/report',
      headers: s.as('supervisor'),
    });
    expect(report.statusCode, report.body).toBe(200);
    const body = report.json() as {
      by_team: TeamGroup[];
      by_agent: { key: string; name?: string; conversations: number }[];
    };
    const scores = (
      (
        await s.app.inject({
          url: '/api/v1/qa/scores?speaker=agent',
          headers: s.as('supervisor'),
        })
      ).json() as {
        items: {
          agent_user_id: string;
          effective_score: number;
          hard_fail: boolean;
          scored_on: string;
        }[];
      }
    ).items;
    const of = (id: string) => scores.filter((x) => x.agent_user_id === id);
    const expected = (name: string, list: typeof scores) => ({
      name,
      conversations: list.length,
      average: Math.round(
        list.reduce((sum, x) => sum + x.effective_score, 0) / list.length,
      ),
      hard_fails: list.filter((x) => x.hard_fail).length,
    });
    const first = of(s.userIds.get('agent') ?? '');
    const second = of(secondAgent);
    expect(second.some((x) => x.hard_fail)).toBe(true);
    expect(body.by_team).toHaveLength(2);
    expect(body.by_team).toEqual(
      expect.arrayContaining([
        expect.objectContaining(expected('客服一组', first)),
        expect.objectContaining(expected('客服二组', second)),
      ]),
    );
    const teamTwo = body.by_team.find((g) => g.name === '客服二组');
    expect(teamTwo?.trend).toEqual([
      {
        date: second[0]?.scored_on,
        conversations: 2,
        average: expected('', second).average,
      },
    ]);
    expect(body.by_agent.find((g) => g.key === secondAgent)?.name).toBe(
      '王客服',
    );
    // An agent outside every team is grouped as 未分组.
    const agentId = s.userIds.get('agent') ?? '';
    const list = (
      await s.app.inject({ url: '/api/v1/teams', headers: s.as('admin') })
    ).json() as { teams: Team[] };
    const teamOne = list.teams.find((t) => t.name === '客服一组');
    await s.app.inject({
      method: 'DELETE',
      url: `/api/v1/teams/${teamOne?.id}/members/${agentId}`,
      headers: s.as('admin'),
    });
    const after = (
      await s.app.inject({
        url: '/api/v1/qa/report',
        headers: s.as('supervisor'),
      })
    ).json() as { by_team: TeamGroup[] };
    expect(after.by_team.map((g) => [g.key, g.name]).sort()).toEqual(
      [
        [teamTwo?.key, '客服二组'],
        ['unassigned', '未分组'],
      ].sort(),
    );
  });

  it('shows the trainee’s team on the assessment report, JSON and printable', async () => {
    const json = await s.app.inject({
      url: `/api/v1/training/report?user=${secondAgent}`,
      headers: s.as('supervisor'),
    });
    expect(json.statusCode, json.body).toBe(200);
    expect(json.json()).toMatchObject({ username: 'agent2', team: '客服二组' });
    const html = await s.app.inject({
      url: `/api/v1/training/report.html?user=${secondAgent}`,
      headers: s.as('supervisor'),
    });
    expect(html.body).toContain('班组：客服二组');
    // A user in no team: no team line.
    const own = await s.app.inject({
      url: '/api/v1/training/report.html',
      headers: s.as('collector'),
    });
    expect(own.statusCode).toBe(200);
    expect(own.body).not.toContain('班组：');
    expect(
      (
        await s.app.inject({
          url: '/api/v1/training/report',
          headers: s.as('collector'),
        })
      ).json(),
    ).toMatchObject({ team: null });
  });

  it('saves an edited rubric as a new version; errors name the field in Chinese', async () => {
    const forbidden = await s.app.inject({
      url: '/api/v1/qa/rubric',
      headers: s.as('agent'),
    });
    expect(forbidden.statusCode).toBe(403);
    const read = await s.app.inject({
      url: '/api/v1/qa/rubric',
      headers: s.as('admin'),
    });
    expect(read.statusCode, read.body).toBe(200);
    const current = read.json() as RubricJson;
    expect(current.source).toBe('file');
    const old = current.rubric;
    const { version: _, ...edited } = structuredClone(old);
    const greeting = edited.items.findIndex((i) => i.id === 'greeting');
    const closing = edited.items.findIndex((i) => i.id === 'closing');
    const put = (
      payload: Record<string, unknown>,
      role: 'admin' | 'supervisor' = 'admin',
    ) =>
      s.app.inject({
        method: 'PUT',
        url: '/api/v1/qa/rubric',
        headers: s.as(role),
        payload,
      });

    // Weights that no longer add up to 100: refused, naming the items.
    const items = edited.items.map((i, n) =>
      n === greeting ? { ...i, max: i.max + 5 } : i,
    );
    const total = await put({ rubric: { ...edited, items } });
    expect(total.statusCode).toBe(400);
    expect((total.json() as ErrorJson).error).toMatchObject({
      code: 'qa.rubric_invalid',
      field: 'items',
      message: '评分表无效：评分项：各项分值合计为105，应为100。',
    });
    const zero = await put({
      rubric: {
        ...edited,
        items: edited.items.map((i, n) =>
          n === closing ? { ...i, max: 0 } : i,
        ),
      },
    });
    expect((zero.json() as ErrorJson).error).toMatchObject({
      field: `items[${closing}].max`,
      message: `评分表无效：第${closing + 1}个评分项的分值：应为1到100之间的整数。`,
    });
    const emptyPhrase = await put({
      rubric: { ...edited, phrases: { ...edited.phrases, greeting: [] } },
    });
    expect((emptyPhrase.json() as ErrorJson).error).toMatchObject({
      field: 'phrases.greeting',
      message: expect.stringMatching(/至少需要一个词语/),
    });
    const noDescription = await put({
      rubric: {
        ...edited,
        items: edited.items.map((i, n) =>
          n === greeting ? { ...i, description_zh: ' ' } : i,
        ),
      },
    });
    expect((noDescription.json() as ErrorJson).error.field).toBe(
      `items[${greeting}].description_zh`,
    );

    // Greeting −5 and closing +5: a valid new weighting.
    const reweighted = edited.items.map((i, n) =>
      n === greeting
        ? { ...i, max: i.max - 5, description_zh: '首次回复须问候客户。' }
        : n === closing
          ? { ...i, max: i.max + 5 }
          : i,
    );
    const bySupervisor = await put(
      { rubric: { ...edited, items: reweighted } },
      'supervisor',
    );
    expect(bySupervisor.statusCode).toBe(403);
    const stale = await put({
      rubric: { ...edited, items: reweighted },
      base_version: 'not-the-current-one',
    });
    expect(stale.statusCode).toBe(409);
    expect((stale.json() as ErrorJson).error.code).toBe('qa.rubric_stale');

    const scoredBefore = (
      (
        await s.app.inject({
          url: '/api/v1/qa/scores',
          headers: s.as('supervisor'),
        })
      ).json() as { items: { id: string; rubric_version: string }[] }
    ).items;
    expect(scoredBefore.length).toBeGreaterThan(0);
    const saved = await put({
      rubric: { ...edited, items: reweighted, phrases: edited.phrases },
      base_version: old.version,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const next = saved.json() as RubricJson;
    expect(next.version).not.toBe(old.version);
    expect(next.version).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
    expect(next.source).toBe('database');
    expect(next.created_by).toBe('user:admin');
    expect(next.rubric.items[greeting]).toMatchObject({
      max: (old.items[greeting]?.max ?? 0) - 5,
      description_zh: '首次回复须问候客户。',
    });

    // In force for everyone, listed in the history with the file version.
    const bySupervisorRead = (
      await s.app.inject({
        url: '/api/v1/qa/rubric',
        headers: s.as('supervisor'),
      })
    ).json() as RubricJson;
    expect(bySupervisorRead.version).toBe(next.version);
    const history = await s.app.inject({
      url: '/api/v1/qa/rubric/versions',
      headers: s.as('supervisor'),
    });
    expect(history.statusCode, history.body).toBe(200);
    expect(history.json()).toEqual({
      in_force: next.version,
      file_version: old.version,
      items: [
        expect.objectContaining({
          version: next.version,
          source: 'database',
          created_by: 'user:admin',
          scores: 0,
        }),
        expect.objectContaining({
          version: old.version,
          source: 'file',
          scores: scoredBefore.length,
        }),
      ],
    });
    const older = await s.app.inject({
      url: `/api/v1/qa/rubric/versions/${encodeURIComponent(old.version)}`,
      headers: s.as('admin'),
    });
    expect((older.json() as RubricJson).rubric).toEqual(old);
    const missing = await s.app.inject({
      url: '/api/v1/qa/rubric/versions/1999-01-01.1',
      headers: s.as('admin'),
    });
    expect(missing.statusCode).toBe(404);

    // Scoring uses the new version from now on; old scores keep theirs.
    const fresh = await conversation(secondAgent, GOOD_REPLY);
    await inspect();
    const after = (
      (
        await s.app.inject({
          url: '/api/v1/qa/scores?limit=500',
          headers: s.as('supervisor'),
        })
      ).json() as {
        items: {
          id: string;
          conversation_id: string;
          rubric_version: string;
          items: { item: string; max: number }[];
        }[];
      }
    ).items;
    const newScore = after.find((x) => x.conversation_id === fresh);
    expect(newScore?.rubric_version).toBe(next.version);
    expect(newScore?.items.find((i) => i.item === 'greeting')?.max).toBe(
      (old.items[greeting]?.max ?? 0) - 5,
    );
    for (const before of scoredBefore)
      expect(after.find((x) => x.id === before.id)?.rubric_version).toBe(
        old.version,
      );
    // The same edit saved again gets the next number of the day.
    const again = await put({ rubric: { ...edited, items: reweighted } });
    expect(again.statusCode, again.body).toBe(200);
    expect((again.json() as RubricJson).version).not.toBe(next.version);
  });
});
