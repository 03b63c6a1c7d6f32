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
} from '../../../../contracts/qa.js';
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
} from '../../../qa/load-rubric.js';
import {
  type QaEngines,
  qaDependencies,
  rubricInForce,
} from '../../../qa/qa-parts.js';
import { HttpRefusal } from '../../refusal.js';

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

function groupBy(
  records: readonly QaScoreRecord[],
  key: (r: QaScoreRecord) => string,
) {
  const groups = new Map<string, QaScoreRecord[]>();
  for (const record of records) {
    const k = key(record);
    groups.set(k, [...(groups.get(k) ?? []), record]);
  }
  return [...groups.entries()]
    .map(([k, list]) => ({
      key: k,
      conversations: list.length,
      average: Math.round(
        list.reduce((sum, r) => sum + r.effectiveScore, 0) / list.length,
      ),
      hard_fails: list.filter((r) => r.hardFail).length,
    }))
    .sort((a, b) => a.average - b.average || a.key.localeCompare(b.key));
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
      const days = new Map<string, number[]>();
      for (const r of records)
        days.set(r.scoredOn, [
          ...(days.get(r.scoredOn) ?? []),
          r.effectiveScore,
        ]);
      const trend = [...days.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([date, scores]) => ({
          date,
          conversations: scores.length,
          average: Math.round(
            scores.reduce((s, v) => s + v, 0) / scores.length,
          ),
        }));
      const total = records.length;
      return {
        from,
        to,
        total,
        average:
          total === 0
            ? null
            : Math.round(
                records.reduce((s, r) => s + r.effectiveScore, 0) / total,
              ),
        by_speaker: groupBy(records, (r) => r.speaker),
        by_agent: groupBy(
          records.filter((r) => r.speaker === 'agent'),
          (r) => r.agentUserId ?? 'unassigned',
        ),
        by_intent: groupBy(records, (r) => r.intent ?? 'unknown'),
        trend,
        weakest_items: weakestItems(records),
        worst: records.slice(0, REPORT_LIST_MAX).map(scoreJson),
        hard_fails: records
          .filter((r) => r.hardFail)
          .slice(0, REPORT_LIST_MAX)
          .map(scoreJson),
      };
    },
  );

  app.get(
    '/qa/rubric',
    {
      preHandler: app.requirePermission('qa.read'),
      schema: {
        tags: ['qa'],
        summary: '当前生效的质检评分表（YAML）',
        response: { 200: RubricOutput, 401: ErrorOutput, 403: ErrorOutput },
      },
    },
    async () => {
      const current = await rubricInForce(repos, fileYaml);
      return {
        version: current.rubric.version,
        source: current.source,
        yaml: current.yaml,
      };
    },
  );

  app.put(
    '/qa/rubric',
    {
      preHandler: app.requirePermission('policy.manage'),
      schema: {
        tags: ['qa'],
        summary: '管理员保存新版评分表（须更换版本号；校验通过后生效）',
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
      let version: string;
      try {
        version = parseRubric(request.body.yaml).version;
      } catch (error) {
        const message =
          error instanceof RubricError ? error.message : '不是有效的YAML。';
        throw new HttpRefusal(
          400,
          'qa.rubric_invalid',
          `评分表无效：${message}`,
          'yaml',
        );
      }
      const principal = request.principal;
      const saved = await repos.qa.saveRubric(
        version,
        request.body.yaml,
        `user:${principal?.username ?? '?'}`,
      );
      if (!saved)
        throw new HttpRefusal(
          409,
          'qa.rubric_version_exists',
          `版本 ${version} 已存在，请更换版本号。`,
          'yaml',
        );
      return { version, source: 'database' as const, yaml: request.body.yaml };
    },
  );
};
