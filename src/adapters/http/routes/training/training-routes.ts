import { readFileSync } from 'node:fs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorOutput } from '../../../../contracts/loan.js';
import {
  PersonaOutput,
  QuizAnswersInput,
  QuizGradeOutput,
  QuizOutput,
  QuizStartInput,
  TrainingMessageInput,
  TrainingReportOutput,
  TrainingSessionOutput,
  TrainingStartInput,
} from '../../../../contracts/qa.js';
import { maskName, maskPii } from '../../../../domain/compliance/pii-mask.js';
import { can } from '../../../../domain/security/permissions.js';
import type { CalendarDate } from '../../../../domain/shared/calendar-date.js';
import { generateQuiz, gradeQuiz } from '../../../../domain/training/quiz.js';
import {
  type RolePlayState,
  type RolePlayTurn,
  startRolePlay,
} from '../../../../domain/training/simulator.js';
import type { Repositories } from '../../../db/repositories/index.js';
import type { TrainingSessionRecord } from '../../../db/repositories/training-repository.js';
import { DEFAULT_RUBRIC_PATH } from '../../../qa/load-rubric.js';
import { type QaEngines, rubricInForce } from '../../../qa/qa-parts.js';
import { lazyAgentActs } from '../../../training/load-agent-acts.js';
import { loadPersonas } from '../../../training/load-personas.js';
import { loadQuizSources } from '../../../training/quiz-sources.js';
import {
  assessRolePlay,
  findPersona,
  step,
  type TrainingDependencies,
  TrainingInputError,
} from '../../../training/role-play.js';
import { HttpRefusal } from '../../refusal.js';
import { renderTrainingReport } from './training-report-html.js';

// Training (培训) over HTTP: role-play sessions against simulated customers
// (persisted turn by turn; exam mode hides the live warnings), quizzes, and
// each trainee's assessment report (JSON, and printable HTML).

export type TrainingRouteOptions = {
  readonly repositories: Repositories;
  readonly engines: () => QaEngines;
  readonly today: () => CalendarDate;
};

const SESSIONS_MAX = 500;
const QUIZ_DEFAULT_ITEMS = 10;

type StoredResult = {
  score: number;
  qa_score: number;
  hard_fail: boolean;
  facts_revealed: number;
  facts_total: number;
  goal_met: boolean;
  end: string;
  items: {
    item: string;
    score: number;
    max: number;
    evidence: { turn: number; span: number[]; reason: string }[];
  }[];
  model_answer: { customer: string; agent: string }[];
};

export const trainingRoutes: FastifyPluginAsyncTypebox<
  TrainingRouteOptions
> = async (app, options) => {
  const repos = options.repositories;
  const personas = loadPersonas();
  const fileYaml = () => readFileSync(DEFAULT_RUBRIC_PATH, 'utf8');

  const agentActs = lazyAgentActs();

  async function dependencies(): Promise<TrainingDependencies> {
    const { rubric } = await rubricInForce(repos, fileYaml);
    return { ...options.engines(), personas, rubric, agentActs: agentActs() };
  }

  function locate(personaId: string, variantId: string | undefined) {
    try {
      return findPersona({ personas }, personaId, variantId);
    } catch (error) {
      if (error instanceof TrainingInputError)
        throw new HttpRefusal(
          400,
          'training.unknown_persona',
          '没有这个陪练角色或变体。',
          variantId === undefined ? 'persona_id' : 'variant_id',
        );
      throw error;
    }
  }

  function sessionJson(record: TrainingSessionRecord) {
    const { persona, variant } = locate(record.personaId, record.variantId);
    const turns = JSON.parse(record.turns) as RolePlayTurn[];
    return {
      id: record.id,
      persona_id: persona.id,
      persona_name: persona.nameZh,
      goal_zh: persona.goalZh,
      variant_id: variant.id,
      customer: maskName(variant.fullName),
      opening: variant.opening,
      exam: record.exam,
      status: record.status,
      turns: turns.map((turn) =>
        record.exam && record.status === 'open'
          ? { agent: turn.agent, customer: maskPii(turn.customer) }
          : {
              agent: turn.agent,
              customer: maskPii(turn.customer),
              anger: turn.anger,
              // Turns stored before acts were read have none.
              acts: [...(turn.acts ?? [])],
              events: turn.events.map((e) => e.type),
              findings: turn.check.violations.map((v) => ({
                rule: v.rule,
                category: v.category,
                severity: v.severity,
                span: [v.span[0], v.span[1]],
                message: v.message,
                basis: v.basis,
                suggestion: v.suggestion,
              })),
            },
      ),
      result:
        record.result === undefined
          ? null
          : (JSON.parse(record.result) as StoredResult),
    };
  }

  async function ownSession(
    id: string,
    userId: string,
  ): Promise<TrainingSessionRecord> {
    const record = await repos.training.findSession(id);
    if (record === undefined || record.userId !== userId)
      throw new HttpRefusal(
        404,
        'training.session_not_found',
        '未找到该陪练记录。',
      );
    return record;
  }

  async function finish(
    record: TrainingSessionRecord,
    state: RolePlayState,
    turns: RolePlayTurn[],
  ) {
    const deps = await dependencies();
    const { persona, variant } = locate(record.personaId, record.variantId);
    const report = assessRolePlay(
      deps,
      persona,
      variant,
      state,
      turns,
      options.today(),
    );
    const o = report.outcome;
    const result: StoredResult = {
      score: o.score,
      qa_score: o.qaScore,
      hard_fail: o.hardFail,
      facts_revealed: o.factsRevealed,
      facts_total: o.factsTotal,
      goal_met: o.goalMet,
      end: o.end,
      items: report.qa.items.map((item) => ({
        item: item.item,
        score: item.score,
        max: item.max,
        evidence: item.evidence.map((e) => ({
          turn: e.turn,
          span: [e.span[0], e.span[1]],
          reason: e.reason,
        })),
      })),
      model_answer: persona.modelAnswer.map((t) => ({
        customer: maskPii(t.customer),
        agent: maskPii(t.agent),
      })),
    };
    return { result: JSON.stringify(result), score: o.score };
  }

  app.get(
    '/training/personas',
    {
      preHandler: app.requirePermission('training.practice'),
      schema: {
        tags: ['training'],
        summary: '陪练角色（模拟客户）列表',
        response: { 200: Type.Object({ items: Type.Array(PersonaOutput) }) },
      },
    },
    async () => ({
      items: personas.map((p) => ({
        id: p.id,
        name_zh: p.nameZh,
        difficulty: p.difficulty,
        goal_zh: p.goalZh,
        variants: p.variants.map((v) => ({
          id: v.id,
          customer: maskName(v.fullName),
          opening: v.opening,
        })),
      })),
    }),
  );

  app.post(
    '/training/sessions',
    {
      preHandler: app.requirePermission('training.practice'),
      schema: {
        tags: ['training'],
        summary: '开始一次陪练（exam=true 为考试模式，不提示合规风险）',
        body: TrainingStartInput,
        response: {
          201: TrainingSessionOutput,
          400: ErrorOutput,
          401: ErrorOutput,
          403: ErrorOutput,
        },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (principal === undefined)
        throw new HttpRefusal(400, 'training.session_not_found', '未登录。');
      const { persona, variant } = locate(
        request.body.persona_id,
        request.body.variant_id,
      );
      const record = await repos.training.openSession({
        userId: principal.userId,
        personaId: persona.id,
        variantId: variant.id,
        exam: request.body.exam === true,
        state: JSON.stringify(startRolePlay(persona)),
      });
      return reply.status(201).send(sessionJson(record));
    },
  );

  app.get(
    '/training/sessions/:id',
    {
      preHandler: app.requirePermission('training.practice'),
      schema: {
        tags: ['training'],
        summary: '陪练记录',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: {
          200: TrainingSessionOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
        },
      },
    },
    async (request) =>
      sessionJson(
        await ownSession(request.params.id, request.principal?.userId ?? ''),
      ),
  );

  app.post(
    '/training/sessions/:id/messages',
    {
      preHandler: app.requirePermission('training.practice'),
      schema: {
        tags: ['training'],
        summary:
          '学员发送一句话，模拟客户回应；会话结束时给出评分、证据和参考答案',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        body: TrainingMessageInput,
        response: {
          200: TrainingSessionOutput,
          400: ErrorOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
          409: ErrorOutput,
        },
      },
    },
    async (request) => {
      const record = await ownSession(
        request.params.id,
        request.principal?.userId ?? '',
      );
      if (record.status !== 'open')
        throw new HttpRefusal(
          409,
          'training.session_finished',
          '本次陪练已结束。',
        );
      const { persona, variant } = locate(record.personaId, record.variantId);
      const deps = await dependencies();
      const next = step(
        deps,
        persona,
        variant,
        JSON.parse(record.state) as RolePlayState,
        request.body.text.trim(),
        options.today(),
      );
      const turns = [
        ...(JSON.parse(record.turns) as RolePlayTurn[]),
        next.turn,
      ];
      const done =
        next.state.end !== 'open'
          ? await finish(record, next.state, turns)
          : undefined;
      const saved = await repos.training.saveProgress(
        record.id,
        {
          state: JSON.stringify(next.state),
          turns: JSON.stringify(turns),
          ...(done ?? {}),
        },
        record.updatedAt,
      );
      if (!saved)
        throw new HttpRefusal(
          409,
          'training.session_changed',
          '陪练记录已在别处更新，请刷新后重试。',
        );
      return sessionJson(await ownSession(record.id, record.userId));
    },
  );

  app.post(
    '/training/sessions/:id/finish',
    {
      preHandler: app.requirePermission('training.practice'),
      schema: {
        tags: ['training'],
        summary: '结束陪练并评分',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: {
          200: TrainingSessionOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
          409: ErrorOutput,
        },
      },
    },
    async (request) => {
      const record = await ownSession(
        request.params.id,
        request.principal?.userId ?? '',
      );
      if (record.status !== 'open') return sessionJson(record);
      const state = JSON.parse(record.state) as RolePlayState;
      const turns = JSON.parse(record.turns) as RolePlayTurn[];
      const done = await finish(record, state, turns);
      const saved = await repos.training.saveProgress(
        record.id,
        { state: record.state, turns: record.turns, ...done },
        record.updatedAt,
      );
      if (!saved)
        throw new HttpRefusal(
          409,
          'training.session_changed',
          '陪练记录已在别处更新，请刷新后重试。',
        );
      return sessionJson(await ownSession(record.id, record.userId));
    },
  );

  app.post(
    '/training/quizzes',
    {
      preHandler: app.requirePermission('training.practice'),
      schema: {
        tags: ['training'],
        summary: '生成一份知识测验（产品、知识库、合规、计算题）',
        body: QuizStartInput,
        response: { 201: QuizOutput, 401: ErrorOutput, 403: ErrorOutput },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (principal === undefined)
        throw new HttpRefusal(400, 'training.session_not_found', '未登录。');
      const count = request.body.count ?? QUIZ_DEFAULT_ITEMS;
      // The seed only decides which questions; it is not a secret.
      const seed = Math.floor(Math.random() * 0xffffffff);
      const attempt = await repos.training.createQuiz(
        principal.userId,
        seed,
        count,
      );
      const quiz = generateQuiz(loadQuizSources(options.today()), seed, count);
      return reply.status(201).send({
        id: attempt.id,
        items: quiz.map((item) => ({
          id: item.id,
          kind: item.kind,
          question: item.question,
          ...(item.options === undefined ? {} : { options: [...item.options] }),
        })),
      });
    },
  );

  app.post(
    '/training/quizzes/:id/answers',
    {
      preHandler: app.requirePermission('training.practice'),
      schema: {
        tags: ['training'],
        summary: '提交答案并自动判分（计算题精确到分）',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        body: QuizAnswersInput,
        response: {
          200: QuizGradeOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
          409: ErrorOutput,
        },
      },
    },
    async (request) => {
      const attempt = await repos.training.findQuiz(request.params.id);
      if (attempt === undefined || attempt.userId !== request.principal?.userId)
        throw new HttpRefusal(404, 'training.quiz_not_found', '未找到该测验。');
      if (attempt.gradedAt !== undefined)
        throw new HttpRefusal(
          409,
          'training.quiz_graded',
          '该测验已提交过答案。',
        );
      const quiz = generateQuiz(
        loadQuizSources(attempt.createdAt.slice(0, 10) as CalendarDate),
        attempt.seed,
        attempt.itemCount,
      );
      const grade = gradeQuiz(quiz, request.body.answers);
      const body = {
        id: attempt.id,
        score: grade.score,
        correct: grade.correct,
        total: grade.total,
        items: grade.items.map((item) => ({
          ...item,
          given: item.given ?? null,
        })),
      };
      if (
        !(await repos.training.gradeQuiz(
          attempt.id,
          grade.score,
          JSON.stringify(body),
        ))
      )
        throw new HttpRefusal(
          409,
          'training.quiz_graded',
          '该测验已提交过答案。',
        );
      return body;
    },
  );

  async function report(userId: string) {
    const user = await repos.users.findById(userId);
    if (user === undefined)
      throw new HttpRefusal(
        404,
        'training.trainee_not_found',
        '未找到该学员。',
      );
    const sessions = (
      await repos.training.listSessions(userId, SESSIONS_MAX)
    ).filter((s) => s.status === 'finished');
    const results = sessions.map((s) => ({
      record: s,
      result: JSON.parse(s.result ?? '{}') as StoredResult,
    }));
    const nameOf = (id: string) =>
      personas.find((p) => p.id === id)?.nameZh ?? id;
    const byPersona = new Map<string, number[]>();
    for (const { record, result } of results)
      byPersona.set(record.personaId, [
        ...(byPersona.get(record.personaId) ?? []),
        result.score,
      ]);
    const lost = new Map<string, { lost: number; max: number }>();
    for (const { result } of results)
      for (const item of result.items) {
        const entry = lost.get(item.item) ?? { lost: 0, max: 0 };
        entry.lost += item.max - item.score;
        entry.max += item.max;
        lost.set(item.item, entry);
      }
    const quizzes = (
      await repos.training.listQuizzes(userId, SESSIONS_MAX)
    ).filter((q) => q.score !== undefined);
    return {
      user_id: user.id,
      username: user.username,
      team: (await repos.teams.teamOf(user.id))?.name ?? null,
      sessions: results.map(({ record, result }) => ({
        id: record.id,
        date: record.updatedAt.slice(0, 10),
        persona_id: record.personaId,
        persona_name: nameOf(record.personaId),
        exam: record.exam,
        score: result.score,
        hard_fail: result.hard_fail,
      })),
      by_persona: [...byPersona.entries()].map(([id, scores]) => ({
        persona_id: id,
        persona_name: nameOf(id),
        sessions: scores.length,
        best: Math.max(...scores),
        latest: scores.at(-1) ?? 0,
      })),
      quizzes: quizzes.map((q) => ({
        id: q.id,
        date: (q.gradedAt ?? q.createdAt).slice(0, 10),
        score: q.score ?? 0,
        total: q.itemCount,
      })),
      weakest_items: [...lost.entries()]
        .filter(([, v]) => v.max > 0)
        .map(([item, v]) => ({ item, ratio: v.lost / v.max }))
        .sort((a, b) => b.ratio - a.ratio)
        .map(({ item, ratio }) => ({ item, share: ratio.toFixed(4) })),
    };
  }

  function reportSubject(request: {
    principal: { userId: string; roles: readonly string[] } | undefined;
    query: { user?: string | undefined };
  }) {
    const principal = request.principal;
    if (principal === undefined)
      throw new HttpRefusal(
        404,
        'training.trainee_not_found',
        '未找到该学员。',
      );
    const wanted = request.query.user ?? principal.userId;
    if (
      wanted !== principal.userId &&
      !can(principal.roles as never, 'training.report')
    )
      throw new HttpRefusal(
        404,
        'training.trainee_not_found',
        '未找到该学员。',
      );
    return wanted;
  }

  app.get(
    '/training/report',
    {
      preHandler: app.requirePermission('training.practice'),
      schema: {
        tags: ['training'],
        summary:
          '学员考核报告：各角色陪练得分、测验成绩、最薄弱的评分项、进步曲线',
        querystring: Type.Object({
          user: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        response: {
          200: TrainingReportOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
        },
      },
    },
    async (request) => report(reportSubject(request)),
  );

  app.get(
    '/training/report.html',
    {
      preHandler: app.requirePermission('training.practice'),
      schema: {
        tags: ['training'],
        summary: '可打印的学员考核报告（HTML）',
        querystring: Type.Object({
          user: Type.Optional(Type.String({ maxLength: 64 })),
        }),
      },
    },
    async (request, reply) => {
      const data = await report(reportSubject(request));
      return reply
        .type('text/html; charset=utf-8')
        .send(renderTrainingReport(data, options.today()));
    },
  );
};
