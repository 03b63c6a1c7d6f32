import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { maskName } from '../../../domain/compliance/pii-mask.js';
import {
  type CalendarDate,
  parseCalendarDate,
} from '../../../domain/shared/calendar-date.js';
import {
  generateQuiz,
  gradeQuiz,
  type QuizItem,
} from '../../../domain/training/quiz.js';
import type { RolePlayTurn } from '../../../domain/training/simulator.js';
import { startRolePlay } from '../../../domain/training/simulator.js';
import { loadCatalogue } from '../../catalogue/load-catalogue.js';
import { todayInChina } from '../../clock/today.js';
import { defaultComplianceEngine } from '../../compliance/load-pack.js';
import { loadNlu } from '../../nlu/load-nlu.js';
import { loadRubric } from '../../qa/load-rubric.js';
import { loadAgentActs } from '../../training/load-agent-acts.js';
import { loadPersonas } from '../../training/load-personas.js';
import { loadQuizSources } from '../../training/quiz-sources.js';
import {
  assessRolePlay,
  findPersona,
  playRolePlay,
  type RolePlayReport,
  step,
  type TrainingDependencies,
  TrainingInputError,
} from '../../training/role-play.js';
import { InputError, type JsonObject, runJsonl } from '../jsonl.js';

// `loandesk train`: role-play against simulated customers and knowledge
// quizzes (培训). `--jsonl` modes are for scripts and tests; without it a
// trainee practises on the terminal.

function readToday(value: unknown, fallback: CalendarDate): CalendarDate {
  if (value === undefined || value === null) return fallback;
  const date = typeof value === 'string' ? parseCalendarDate(value) : undefined;
  if (date === undefined) throw new InputError('today: must be YYYY-MM-DD');
  return date;
}

function dependencies(): TrainingDependencies {
  return {
    personas: loadPersonas(),
    agentActs: loadAgentActs().model,
    rubric: loadRubric(),
    compliance: defaultComplianceEngine(),
    nlu: loadNlu().nlu,
    catalogue: loadCatalogue(),
  };
}

function wrapInput<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof TrainingInputError)
      throw new InputError(error.message);
    throw error;
  }
}

function turnJson(turn: RolePlayTurn): JsonObject {
  return {
    agent: turn.agent,
    customer: turn.customer,
    anger: turn.anger,
    acts: [...turn.acts],
    events: turn.events.map((event) => ({ ...event })),
    compliance: {
      verdict: turn.check.verdict,
      violations: turn.check.violations.map((v) => ({
        rule: v.rule,
        category: v.category,
        severity: v.severity,
        span: [v.span[0], v.span[1]],
        message: v.message,
        basis: v.basis,
        suggestion: v.suggestion,
      })),
    },
  };
}

export function reportJson(report: RolePlayReport): JsonObject {
  const o = report.outcome;
  return {
    result: {
      score: o.score,
      qa_score: o.qaScore,
      hard_fail: o.hardFail,
      facts_revealed: o.factsRevealed,
      facts_total: o.factsTotal,
      goal_met: o.goalMet,
      final_anger: o.finalAnger,
      end: o.end,
    },
    qa: {
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
    },
  };
}

function readMessages(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new InputError('messages: must be a non-empty list of strings');
  return value.map((message, index) => {
    if (typeof message !== 'string' || message.trim() === '')
      throw new InputError(`messages[${index}]: must be a non-empty string`);
    return message.trim().slice(0, 500);
  });
}

function roleplayLine(
  deps: TrainingDependencies,
  input: JsonObject,
  fallback: CalendarDate,
): JsonObject {
  if (typeof input.persona !== 'string')
    throw new InputError('persona: must be a persona id');
  const variantId =
    typeof input.variant === 'string' ? input.variant : undefined;
  const { persona, variant } = wrapInput(() =>
    findPersona(deps, input.persona as string, variantId),
  );
  const today = readToday(input.today, fallback);
  const played = playRolePlay(
    deps,
    persona,
    variant,
    readMessages(input.messages),
    today,
  );
  return {
    persona: persona.id,
    variant: variant.id,
    opening: variant.opening,
    turns: played.turns.map(turnJson),
    ...reportJson(played.report),
    model_answer: persona.modelAnswer.map((t) => ({
      customer: t.customer,
      agent: t.agent,
    })),
  };
}

async function interactive(
  deps: TrainingDependencies,
  personaId: string,
  variantId: string | undefined,
  exam: boolean,
  today: CalendarDate,
): Promise<void> {
  const { persona, variant } = wrapInput(() =>
    findPersona(deps, personaId, variantId),
  );
  const out = process.stdout;
  out.write(
    `陪练：${persona.nameZh}（难度${persona.difficulty}）${exam ? '【考试模式：不提示合规风险】' : ''}\n`,
  );
  out.write(`客户（${maskName(variant.fullName)}）：${variant.opening}\n您：`);
  let state = startRolePlay(persona);
  const turns: RolePlayTurn[] = [];
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const raw of lines) {
    const text = raw.trim().slice(0, 500);
    if (text === '退出') break;
    if (text !== '') {
      const next = step(deps, persona, variant, state, text, today);
      state = next.state;
      turns.push(next.turn);
      if (!exam)
        for (const v of next.turn.check.violations)
          out.write(
            `  ⚠ ${v.severity === 'block' ? '红线' : '提示'}：${v.message}（${v.basis}）建议：${v.suggestion}\n`,
          );
      out.write(`客户：${next.turn.customer}\n`);
      if (state.end !== 'open') break;
    }
    out.write('您：');
  }
  lines.close();
  const report = assessRolePlay(deps, persona, variant, state, turns, today);
  const o = report.outcome;
  out.write(
    `\n综合得分 ${o.score}（质检 ${o.qaScore}${o.hardFail ? '，触碰红线' : ''}；挖掘信息 ${o.factsRevealed}/${o.factsTotal}；目标${o.goalMet ? '已' : '未'}达成）\n`,
  );
  for (const item of report.qa.items)
    out.write(
      `  ${item.item} ${item.score}/${item.max} ${item.evidence[0]?.reason ?? ''}\n`,
    );
  out.write('参考答案：\n');
  for (const t of persona.modelAnswer)
    out.write(`  客户：${t.customer}\n  客服：${t.agent}\n`);
}

function quizJson(
  quiz: readonly QuizItem[],
  withAnswers: boolean,
): JsonObject[] {
  return quiz.map((item) => ({
    id: item.id,
    kind: item.kind,
    question: item.question,
    ...(item.options === undefined ? {} : { options: [...item.options] }),
    ...(withAnswers
      ? { answer: item.answer, explanation: item.explanation }
      : {}),
  }));
}

function readSeed(value: unknown): number {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 0 ||
    value > 0xffffffff
  )
    throw new InputError('seed: must be an integer from 0 to 4294967295');
  return value;
}

function readCount(value: unknown): number {
  if (value === undefined) return 8;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > 50
  )
    throw new InputError('count: must be an integer from 1 to 50');
  return value;
}

function quizLine(input: JsonObject, fallback: CalendarDate): JsonObject {
  const today = readToday(input.today, fallback);
  const quiz = generateQuiz(
    loadQuizSources(today),
    readSeed(input.seed),
    readCount(input.count),
  );
  if (input.answers === undefined) return { items: quizJson(quiz, false) };
  if (
    input.answers === null ||
    typeof input.answers !== 'object' ||
    Array.isArray(input.answers)
  )
    throw new InputError('answers: must be an object of item id → answer');
  const grade = gradeQuiz(
    quiz,
    input.answers as Record<string, string | number>,
  );
  return {
    score: grade.score,
    correct: grade.correct,
    total: grade.total,
    items: grade.items.map((item) => ({ ...item, given: item.given ?? null })),
  };
}

export function registerTrainCommand(program: Command): void {
  const train = program
    .command('train')
    .description('培训：role-play with simulated customers, and quizzes');
  train
    .command('personas')
    .description('list the simulated customers')
    .action(() => {
      for (const persona of loadPersonas())
        process.stdout.write(
          `${persona.id}\t${persona.nameZh}\t难度${persona.difficulty}\t变体 ${persona.variants.map((v) => v.id).join(',')}\n`,
        );
    });
  train
    .command('roleplay')
    .description('practise against a simulated customer')
    .option('--persona <id>', 'persona id (see `train personas`)')
    .option('--variant <id>', 'variant of the persona')
    .option('--exam', 'exam mode: no live compliance warnings')
    .option(
      '--jsonl',
      'sessions from stdin: {"id","persona","variant","messages":[…]}',
    )
    .option('--today <date>', 'YYYY-MM-DD for the ledger')
    .action(
      async (flags: {
        persona?: string;
        variant?: string;
        exam?: boolean;
        jsonl?: boolean;
        today?: string;
      }) => {
        const today = readToday(flags.today, todayInChina());
        const deps = dependencies();
        if (flags.jsonl === true) {
          await runJsonl((input) => roleplayLine(deps, input, today));
          return;
        }
        if (flags.persona === undefined)
          throw new InputError(
            '--persona: required (see `loandesk train personas`)',
          );
        await interactive(
          deps,
          flags.persona,
          flags.variant,
          flags.exam === true,
          today,
        );
      },
    );
  train
    .command('quiz')
    .description('a knowledge quiz; with "answers" the quiz is graded')
    .option('--jsonl', 'requests from stdin: {"id","seed","count","answers"?}')
    .option('--seed <n>', 'print the quiz for this seed (with answers)')
    .option('--count <n>', 'number of items', '8')
    .action(
      async (flags: { jsonl?: boolean; seed?: string; count: string }) => {
        const today = todayInChina();
        if (flags.jsonl === true) {
          await runJsonl((input) => quizLine(input, today));
          return;
        }
        const seed = readSeed(Number(flags.seed ?? Date.now() % 0xffffffff));
        const quiz = generateQuiz(
          loadQuizSources(today),
          seed,
          readCount(Number(flags.count)),
        );
        process.stdout.write(
          `${JSON.stringify({ seed, items: quizJson(quiz, true) }, null, 2)}\n`,
        );
      },
    );
}
