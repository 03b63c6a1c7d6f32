import { readFileSync } from 'node:fs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorOutput } from '../../../../contracts/loan.js';
import {
  QaInspectInput,
  QaInspectOutput,
  QaOverrideInput,
  QaReportOutput,
  QaScoreOutput,
  QaScoresQuery,
  RubricInput,
  RubricOutput,
  RubricVersionsOutput,
} from '../../../../contracts/qa.js';
import type { Rubric } from '../../../../domain/qa/rubric.js';
import {
  type CalendarDate,
  parseCalendarDate,
} from '../../../../domain/shared/calendar-date.js';
import type { Repositories } from '../../../db/repositories/index.js';
import type { QaScoreRecord } from '../../../db/repositories/qa-repository.js';
import { inspectClosedConversations } from '../../../qa/inspect-store.js';
import {
  DEFAULT_RUBRIC_PATH,
  parseRubric,
  RubricError,
  rubricData,
  rubricFromData,
  rubricYaml,
} from '../../../qa/load-rubric.js';
import {
  type QaEngines,
  qaDependencies,
  type RubricInForce,
  rubricInForce,
} from '../../../qa/qa-parts.js';
import { HttpRefusal } from '../../refusal.js';
import { rubricFieldZh } from './rubric-fields.js';

// Quality inspection (质检) over HTTP: run the inspection, list scores worst
// first, a report for supervisors, a supervisor's override (audited), and
// the rubric, which an admin may replace with a new version.

export type QaRouteOptions = {
  readonly repositories: Repositories;
  readonly engines: () => QaEngines;
  readonly today: () => CalendarDate;
};

const REPORT_ROWS_MAX = 5000;
const REPORT_LIST_MAX = 20;
const DAY_MS = 86_400_000;
/** Group key of agents' scores outside any team (and of unassigned conversations). */
const UNASSIGNED = 'unassigned';

function scoreJson(record: QaScoreRecord) {
  return {
    id: record.id,
    conversation_id: record.conversationId,
    speaker: record.speaker,
    agent_user_id: record.agentUserId ?? null,
    rubric_version: record.rubricVersion,
    score: record.score,
    effective_score: record.effectiveScore,
    hard_fail: record.hardFail,
    intent: record.intent ?? null,
    scored_on: record.scoredOn,
    items: record.items.map((item) => ({
      item: item.item,
      score: item.score,
      max: item.max,
      evidence: item.evidence.map((e) => ({
        turn: e.turn,
        span: [e.span[0], e.span[1]],
        reason: e.reason,
      })),
    })),
    override: record.override ?? null,
  };
}

function daysBefore(day: CalendarDate, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - days * DAY_MS)
    .toISOString()
    .slice(0, 10);
}

function average(scores: readonly number[]): number {
  return Math.round(scores.reduce((sum, v) => sum + v, 0) / scores.length);
}

function groupBy(
  records: readonly QaScoreRecord[],
  key: (r: QaScoreRecord) => string,
  name: (key: string) => string | undefined = () => undefined,
) {
  const groups = new Map<string, QaScoreRecord[]>();
  for (const record of records) {
    const k = key(record);
    groups.set(k, [...(groups.get(k) ?? []), record]);
  }
  return [...groups.entries()]
    .map(([k, list]) => {
      const label = name(k);
      return {
        key: k,
        ...(label === undefined ? {} : { name: label }),
        conversations: list.length,
        average: average(list.map((r) => r.effectiveScore)),
        hard_fails: list.filter((r) => r.hardFail).length,
        records: list,
      };
    })
    .sort((a, b) => a.average - b.average || a.key.localeCompare(b.key));
}

/** Average effective score per business date, oldest first. */
function trendOf(records: readonly QaScoreRecord[]) {
  const days = new Map<string, number[]>();
  for (const r of records)
    days.set(r.scoredOn, [...(days.get(r.scoredOn) ?? []), r.effectiveScore]);
  return [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, scores]) => ({
      date,
      conversations: scores.length,
      average: average(scores),
    }));
}

function withoutRecords<T extends { records: unknown }>(
  groups: readonly T[],
): Omit<T, 'records'>[] {
  return groups.map(({ records: _, ...group }) => group);
}

/** For each rubric item, the share of its points lost over the window, largest first. */
function weakestItems(records: readonly QaScoreRecord[]) {
  const lost = new Map<string, { lost: number; max: number }>();
  for (const record of records)
    for (const item of record.items) {
      const entry = lost.get(item.item) ?? { lost: 0, max: 0 };
      entry.lost += item.max - item.score;
      entry.max += item.max;
      lost.set(item.item, entry);
    }
  return [...lost.entries()]
    .filter(([, v]) => v.max > 0)
    .map(([item, v]) => ({ item, ratio: v.lost / v.max }))
    .sort((a, b) => b.ratio - a.ratio)
    .map(({ item, ratio }) => ({ item, share: ratio.toFixed(4) }));
}

export const qaRoutes: FastifyPluginAsyncTypebox<QaRouteOptions> = async (
  app,
  options,
) => {
  const repos = options.repositories;
  const fileYaml = () => readFileSync(DEFAULT_RUBRIC_PATH, 'utf8');

  app.post(
    '/qa/inspections',
    {
      preHandler: app.requirePermission('qa.override'),
      schema: {
        tags: ['qa'],
        summary:
          '质检：对已结束、尚未评分的会话按评分表自动打分（机器人与人工分别评分）',
        body: QaInspectInput,
        response: {
          200: QaInspectOutput,
          400: ErrorOutput,
          401: ErrorOutput,
          403: ErrorOutput,
        },
      },
    },
    async (request) => {
      const today =
        request.body.date === undefined
          ? options.today()
          : parseCalendarDate(request.body.date);
      if (today === undefined)
        throw new HttpRefusal(400, 'qa.bad_date', '日期无效。', 'date');
      const { rubric } = await rubricInForce(repos, fileYaml);
      return inspectClosedConversations(
        repos,
        qaDependencies(options.engines(), rubric),
        today,
        request.body.limit,
      );
    },
  );

  app.get(
    '/qa/scores',
    {
      preHandler: app.requirePermission('qa.read'),
      schema: {
        tags: ['qa'],
        summary: '质检结果，得分最低的在前',
        querystring: QaScoresQuery,
        response: {
          200: Type.Object({ items: Type.Array(QaScoreOutput) }),
          401: ErrorOutput,
          403: ErrorOutput,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const records = await repos.qa.list({
        ...(q.from === undefined ? {} : { from: q.from }),
        ...(q.to === undefined ? {} : { to: q.to }),
        ...(q.speaker === undefined ? {} : { speaker: q.speaker }),
        ...(q.agent === undefined ? {} : { agentUserId: q.agent }),
        hardFailOnly: q.hard_fail === true,
        limit: q.limit ?? 100,
      });
      return { items: records.map(scoreJson) };
    },
  );

  app.get(
    '/qa/scores/:id',
    {
      preHandler: app.requirePermission('qa.read'),
      schema: {
        tags: ['qa'],
        summary: '一条质检结果及逐项证据',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: {
          200: QaScoreOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
        },
      },
    },
    async (request) => {
      const record = await repos.qa.findById(request.params.id);
      if (record === undefined)
        throw new HttpRefusal(404, 'qa.not_found', '未找到该质检结果。');
      return scoreJson(record);
    },
  );

  app.post(
    '/qa/scores/:id/override',
    {
      preHandler: app.requirePermission('qa.override'),
      schema: {
        tags: ['qa'],
        summary: '主管复核：修改得分并填写理由（写入审计日志）',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        body: QaOverrideInput,
        response: {
          200: QaScoreOutput,
          400: ErrorOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
        },
      },
    },
    async (request) => {
      const principal = request.principal;
      if (principal === undefined)
        throw new HttpRefusal(400, 'qa.not_found', '未登录。');
      const result = await repos.qa.override(request.params.id, request.body, {
        actor: `user:${principal.username}`,
        userId: principal.userId,
      });
      if (!result.ok) {
        if (result.error.code === 'qa.not_found')
          throw new HttpRefusal(404, 'qa.not_found', '未找到该质检结果。');
        throw new HttpRefusal(
          400,
          'qa.score_out_of_range',
          '分数须为0到100的整数。',
          'score',
        );
      }
      return scoreJson(result.value);
    },
  );

  app.get(
    '/qa/report',
    {
      preHandler: app.requirePermission('qa.read'),
      schema: {
        tags: ['qa'],
        summary:
          '质检报表：按坐席、团队（机器人/人工）、意图统计，趋势，最差会话，红线清单',
        querystring: Type.Object({
          from: Type.Optional(
            Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
          ),
          to: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
        }),
        response: { 200: QaReportOutput, 401: ErrorOutput, 403: ErrorOutput },
      },
    },
    async (request) => {
      const to = request.query.to ?? options.today();
      const from = request.query.from ?? daysBefore(options.today(), 29);
      const records = await repos.qa.list({ from, to, limit: REPORT_ROWS_MAX });
      const agentScores = records.filter((r) => r.speaker === 'agent');
      const agentIds = [
        ...new Set(agentScores.flatMap((r) => r.agentUserId ?? [])),
      ];
      const names = new Map<string, string>();
      for (const id of agentIds) {
        const user = await repos.users.findById(id);
        if (user !== undefined) names.set(id, user.displayName);
      }
      const teamOf = await repos.teams.teamsOfUsers();
      const teamNames = new Map(
        [...teamOf.values()].map((team) => [team.id, team.name]),
      );
      const byTeam = groupBy(
        agentScores,
        (r) =>
          (r.agentUserId === undefined
            ? undefined
            : teamOf.get(r.agentUserId)?.id) ?? UNASSIGNED,
        (key) => (key === UNASSIGNED ? '未分组' : teamNames.get(key)),
      ).map(({ records: list, ...group }) => ({
        ...group,
        trend: trendOf(list),
      }));
      const total = records.length;
      return {
        from,
        to,
        total,
        average:
          total === 0 ? null : average(records.map((r) => r.effectiveScore)),
        by_speaker: withoutRecords(groupBy(records, (r) => r.speaker)),
        by_agent: withoutRecords(
          groupBy(
            agentScores,
            (r) => r.agentUserId ?? UNASSIGNED,
            (key) => names.get(key),
          ),
        ),
        by_team: byTeam,
        by_intent: withoutRecords(
          groupBy(records, (r) => r.intent ?? 'unknown'),
        ),
        trend: trendOf(records),
        weakest_items: weakestItems(records),
        worst: records.slice(0, REPORT_LIST_MAX).map(scoreJson),
        hard_fails: records
          .filter((r) => r.hardFail)
          .slice(0, REPORT_LIST_MAX)
          .map(scoreJson),
      };
    },
  );

  const rubricJson = (current: RubricInForce) => ({
    version: current.rubric.version,
    source: current.source,
    yaml: current.yaml,
    rubric: rubricData(current.rubric),
    created_by: current.saved?.by ?? null,
    created_at: current.saved?.at ?? null,
  });

  app.get(
    '/qa/rubric',
    {
      preHandler: app.requirePermission('qa.rubric'),
      schema: {
        tags: ['qa'],
        summary: '当前生效的质检评分表（YAML 与结构化数据）',
        response: { 200: RubricOutput, 401: ErrorOutput, 403: ErrorOutput },
      },
    },
    async () => rubricJson(await rubricInForce(repos, fileYaml)),
  );

  app.get(
    '/qa/rubric/versions',
    {
      preHandler: app.requirePermission('qa.rubric'),
      schema: {
        tags: ['qa'],
        summary: '评分表版本历史（最新在前，含出厂版本及各版本的评分条数）',
        response: {
          200: RubricVersionsOutput,
          401: ErrorOutput,
          403: ErrorOutput,
        },
      },
    },
    async () => {
      const current = await rubricInForce(repos, fileYaml);
      const file = parseRubric(fileYaml());
      const saved = await repos.qa.listRubrics();
      const scores = await repos.qa.scoresByRubricVersion();
      return {
        in_force: current.rubric.version,
        file_version: file.version,
        items: [
          ...saved.map((entry) => ({
            version: entry.version,
            source: 'database' as const,
            created_by: entry.createdBy,
            created_at: entry.createdAt,
            scores: scores.get(entry.version) ?? 0,
          })),
          ...(saved.some((entry) => entry.version === file.version)
            ? []
            : [
                {
                  version: file.version,
                  source: 'file' as const,
                  created_by: null,
                  created_at: null,
                  scores: scores.get(file.version) ?? 0,
                },
              ]),
        ],
      };
    },
  );

  app.get(
    '/qa/rubric/versions/:version',
    {
      preHandler: app.requirePermission('qa.rubric'),
      schema: {
        tags: ['qa'],
        summary: '某一版本的评分表',
        params: Type.Object({ version: Type.String({ maxLength: 40 }) }),
        response: {
          200: RubricOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
        },
      },
    },
    async (request) => {
      const stored = await repos.qa.findRubric(request.params.version);
      if (stored !== undefined)
        return rubricJson({
          rubric: parseRubric(stored.body),
          source: 'database',
          yaml: stored.body,
          saved: { by: stored.createdBy, at: stored.createdAt },
        });
      const yaml = fileYaml();
      const file = parseRubric(yaml);
      if (file.version !== request.params.version)
        throw new HttpRefusal(
          404,
          'qa.rubric_not_found',
          '未找到该版本的评分表。',
        );
      return rubricJson({
        rubric: file,
        source: 'file',
        yaml,
        saved: undefined,
      });
    },
  );

  /** The next free version number of the day: <date>.<n>. */
  const nextVersion = async (): Promise<string> => {
    const taken = new Set([
      parseRubric(fileYaml()).version,
      ...(await repos.qa.listRubrics()).map((entry) => entry.version),
    ]);
    const day = options.today();
    let n = 1;
    while (taken.has(`${day}.${n}`)) n += 1;
    return `${day}.${n}`;
  };

  app.put(
    '/qa/rubric',
    {
      preHandler: app.requirePermission('policy.manage'),
      schema: {
        tags: ['qa'],
        summary:
          '管理员保存新版评分表：YAML（须更换版本号）或编辑器数据（自动编号）；校验通过后即用于此后的质检',
        body: RubricInput,
        response: {
          200: RubricOutput,
          400: ErrorOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          409: ErrorOutput,
        },
      },
    },
    async (request) => {
      const body = request.body;
      if ((body.yaml === undefined) === (body.rubric === undefined))
        throw new HttpRefusal(
          400,
          'qa.rubric_invalid',
          '请提交 yaml 或 rubric 其中之一。',
          'rubric',
        );
      const actor = `user:${request.principal?.username ?? '?'}`;
      let rubric: Rubric;
      let yaml: string;
      try {
        if (body.rubric !== undefined) {
          rubric = rubricFromData({
            ...body.rubric,
            version: body.rubric.version ?? (await nextVersion()),
          });
          yaml = rubricYaml(
            rubric,
            ` LoanDesk quality-inspection rubric (质检评分表), saved by ${actor} in the rubric editor.`,
          );
        } else {
          yaml = body.yaml ?? '';
          rubric = parseRubric(yaml);
        }
      } catch (error) {
        if (!(error instanceof RubricError)) throw error;
        throw new HttpRefusal(
          400,
          'qa.rubric_invalid',
          `评分表无效：${rubricFieldZh(error.field)}${error.reasonZh}。`,
          body.rubric === undefined ? 'yaml' : error.field,
        );
      }
      if (body.base_version !== undefined) {
        const current = await rubricInForce(repos, fileYaml);
        if (current.rubric.version !== body.base_version)
          throw new HttpRefusal(
            409,
            'qa.rubric_stale',
            `评分表已被他人更新为版本 ${current.rubric.version}，请刷新后再修改。`,
            'base_version',
          );
      }
      const saved = await repos.qa.saveRubric(rubric.version, yaml, actor);
      if (!saved)
        throw new HttpRefusal(
          409,
          'qa.rubric_version_exists',
          `版本 ${rubric.version} 已存在，请更换版本号。`,
          body.rubric === undefined ? 'yaml' : 'version',
        );
      return rubricJson(await rubricInForce(repos, fileYaml));
    },
  );
};
