// Knowledge quizzes (知识测验) generated from the product catalogue, the
// knowledge base, the compliance categories and the loan engine, and graded
// automatically. The same seed always gives the same quiz, so a quiz is
// stored as (seed, count) and graded by generating it again.

import { formatFen } from '../../contracts/money.js';
import type { Product } from '../catalogue/product.js';
import { CATEGORY_NAME_ZH, type Category } from '../compliance/types.js';
import type { KnowledgeEntry } from '../knowledge/retrieve.js';
import { buildSchedule } from '../loan/schedule/build-schedule.js';
import type { RepaymentMethod } from '../loan/schedule/types.js';
import { fen, sumFen } from '../money/fen.js';
import { formatRate, rate } from '../money/rate.js';
import type { CalendarDate } from '../shared/calendar-date.js';

export const QUIZ_ITEMS_MAX = 50;

export type QuizKind = 'product' | 'knowledge' | 'compliance' | 'calculation';

export type QuizItem = {
  readonly id: string;
  readonly kind: QuizKind;
  readonly question: string;
  /** Choices for a multiple-choice item; absent for a calculation. */
  readonly options?: readonly string[];
  /** The index of the right option, or the right amount ("2244.98"). */
  readonly answer: number | string;
  /** Why the answer is right, shown after grading. */
  readonly explanation: string;
};

export type ComplianceExample = {
  readonly text: string;
  /** A category id, or 'compliant'. */
  readonly label: string;
};

export type QuizSources = {
  readonly products: readonly Product[];
  readonly knowledge: readonly KnowledgeEntry[];
  readonly complianceExamples: readonly ComplianceExample[];
  readonly today: CalendarDate;
};

/** mulberry32: a small deterministic generator (the quiz must repeat for a seed). */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Draw = () => number;

function pick<T>(draw: Draw, list: readonly T[]): T {
  const item = list[Math.floor(draw() * list.length)];
  if (item === undefined) throw new Error('pick: empty list');
  return item;
}

/** The right answer among three distractors, shuffled; returns options and the right index. */
function choices(
  draw: Draw,
  right: string,
  distractors: readonly string[],
): { options: string[]; answer: number } {
  const pool = [...new Set(distractors.filter((d) => d !== right))];
  const chosen: string[] = [];
  while (chosen.length < 3 && pool.length > 0) {
    const index = Math.floor(draw() * pool.length);
    chosen.push(...pool.splice(index, 1));
  }
  const answer = Math.floor(draw() * (chosen.length + 1));
  const options = [...chosen];
  options.splice(answer, 0, right);
  return { options, answer };
}

function percent(r: Product['rateAnnualMin']): string {
  return `${formatRate(rate(r.numerator * 100n, r.denominator), 2)}%`;
}

function rangeOf(product: Product): string {
  return `${percent(product.rateAnnualMin)}至${percent(product.rateAnnualMax)}`;
}

function productItem(draw: Draw, sources: QuizSources, id: string): QuizItem {
  const product = pick(draw, sources.products);
  if (draw() < 0.5) {
    const { options, answer } = choices(
      draw,
      rangeOf(product),
      sources.products.map(rangeOf),
    );
    return {
      id,
      kind: 'product',
      question: `${product.nameZh}的年化利率（单利）区间是多少？`,
      options,
      answer,
      explanation: `产品目录：${product.nameZh}年化利率（单利）${rangeOf(product)}，具体以审批结果为准。`,
    };
  }
  const termOf = (p: Product) => `${p.termMonthsMin}至${p.termMonthsMax}个月`;
  const { options, answer } = choices(draw, termOf(product), [
    ...sources.products.map(termOf),
    `${product.termMonthsMin}至${product.termMonthsMax + 12}个月`,
    `${Math.max(1, product.termMonthsMin - 3)}至${product.termMonthsMax}个月`,
  ]);
  return {
    id,
    kind: 'product',
    question: `${product.nameZh}的贷款期限范围是？`,
    options,
    answer,
    explanation: `产品目录：${product.nameZh}期限${termOf(product)}。`,
  };
}

function knowledgeItem(draw: Draw, sources: QuizSources, id: string): QuizItem {
  const entry = pick(draw, sources.knowledge);
  const question = entry.questions[0] ?? entry.topic;
  const others = sources.knowledge.filter(
    (other) => other.id !== entry.id && other.topic !== entry.topic,
  );
  const { options, answer } = choices(
    draw,
    entry.answer,
    (others.length >= 3 ? others : sources.knowledge).map(
      (other) => other.answer,
    ),
  );
  return {
    id,
    kind: 'knowledge',
    question: `客户问：“${question}”哪一个回答正确？`,
    options,
    answer,
    explanation: `知识库条目 ${entry.id}。`,
  };
}

function complianceItem(
  draw: Draw,
  sources: QuizSources,
  id: string,
): QuizItem {
  const violations = sources.complianceExamples.filter(
    (e) => e.label !== 'compliant',
  );
  const compliant = sources.complianceExamples.filter(
    (e) => e.label === 'compliant',
  );
  if (draw() < 0.5 && compliant.length > 0) {
    const right = pick(draw, compliant);
    const { options, answer } = choices(
      draw,
      right.text,
      violations.map((v) => v.text),
    );
    return {
      id,
      kind: 'compliance',
      question: '以下哪一句可以发送给客户？',
      options,
      answer,
      explanation: '其余选项均触碰合规红线。',
    };
  }
  const example = pick(draw, violations);
  const label = example.label as Category;
  const names = Object.values(CATEGORY_NAME_ZH);
  const { options, answer } = choices(draw, CATEGORY_NAME_ZH[label], names);
  return {
    id,
    kind: 'compliance',
    question: `“${example.text}”触犯了哪一类合规红线？`,
    options,
    answer,
    explanation: `属于“${CATEGORY_NAME_ZH[label]}”。`,
  };
}

const METHODS: readonly { method: RepaymentMethod; zh: string }[] = [
  { method: 'equal_installment', zh: '等额本息' },
  { method: 'equal_principal', zh: '等额本金' },
  { method: 'interest_first', zh: '先息后本' },
];

function calculationItem(
  draw: Draw,
  sources: QuizSources,
  id: string,
): QuizItem {
  const { method, zh } = pick(draw, METHODS);
  const principalYuan = 10_000n * BigInt(1 + Math.floor(draw() * 20));
  const termMonths = pick(draw, [12, 24, 36]);
  // 3.60 %–15.00 % in steps of 0.12 %: realistic, two decimals.
  const rateBasisPoints = 360n + 12n * BigInt(Math.floor(draw() * 96));
  const rateAnnual = rate(rateBasisPoints, 10_000n);
  const schedule = buildSchedule({
    principalFen: fen(principalYuan * 100n),
    rateAnnual,
    termMonths,
    method,
    startDate: sources.today,
    dayCount: '30/360',
    rounding: 'half_up',
    paymentMultipleFen: fen(1n),
    interestOnlyPeriods: 0,
    fees: [],
    prepayments: [],
  });
  if (!schedule.ok) throw new Error(`quiz: schedule ${schedule.error.code}`);
  const askFirst = draw() < 0.6;
  const rows = schedule.value.installments;
  const first = rows[0];
  if (first === undefined) throw new Error('quiz: empty schedule');
  const totalInterest = sumFen(rows.map((row) => row.interestFen));
  const loan = `一笔${principalYuan.toString()}元、年化利率（单利）${formatRate(rate(rateBasisPoints, 100n), 2)}%、${termMonths}期、${zh}的贷款（按月还款，每月按30/360计息，金额四舍五入到分）`;
  return askFirst
    ? {
        id,
        kind: 'calculation',
        question: `${loan}，第1期应还多少元？`,
        answer: formatFen(first.paymentFen),
        explanation: `第1期本金${formatFen(first.principalFen)}元，利息${formatFen(first.interestFen)}元，合计${formatFen(first.paymentFen)}元。`,
      }
    : {
        id,
        kind: 'calculation',
        question: `${loan}，全部期数的利息合计多少元？`,
        answer: formatFen(totalInterest),
        explanation: `逐期利息相加为${formatFen(totalInterest)}元。`,
      };
}

const KINDS: readonly QuizKind[] = [
  'product',
  'knowledge',
  'compliance',
  'calculation',
];

/**
 * A quiz of `count` items cycling through the four kinds.
 * @example generateQuiz(sources, 42, 8).length === 8
 */
export function generateQuiz(
  sources: QuizSources,
  seed: number,
  count: number,
): QuizItem[] {
  const items = Math.max(1, Math.min(QUIZ_ITEMS_MAX, Math.floor(count)));
  const draw = generator(seed);
  const quiz: QuizItem[] = [];
  const asked = new Set<string>();
  for (let index = 0; index < items; index += 1) {
    const id = `q${index + 1}`;
    const kind = KINDS[index % KINDS.length] ?? 'product';
    const make = (): QuizItem => {
      if (kind === 'product') return productItem(draw, sources, id);
      if (kind === 'knowledge') return knowledgeItem(draw, sources, id);
      if (kind === 'compliance') return complianceItem(draw, sources, id);
      return calculationItem(draw, sources, id);
    };
    // A question is not asked twice in one quiz (bounded retries).
    let item = make();
    for (let attempt = 0; attempt < 8 && asked.has(item.question); attempt += 1)
      item = make();
    asked.add(item.question);
    quiz.push(item);
  }
  return quiz;
}

/** An answer in yuan as the trainee typed it ("2,244.98元", "2244.98") → fen, or undefined. */
function typedFen(text: string): bigint | undefined {
  const match = /^\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*元?\s*$/.exec(
    text,
  );
  if (match === null) return undefined;
  return (
    BigInt((match[1] ?? '0').replaceAll(',', '')) * 100n +
    BigInt((match[2] ?? '').padEnd(2, '0'))
  );
}

export type GradedItem = {
  readonly id: string;
  readonly correct: boolean;
  readonly given: string | number | undefined;
  readonly answer: number | string;
  readonly explanation: string;
};

export type QuizGrade = {
  /** 0–100. */
  readonly score: number;
  readonly correct: number;
  readonly total: number;
  readonly items: readonly GradedItem[];
};

/** Grades answers (option index, or the amount typed) against the quiz; exact to the fen. */
export function gradeQuiz(
  quiz: readonly QuizItem[],
  answers: Readonly<Record<string, string | number | undefined>>,
): QuizGrade {
  const items = quiz.map((item): GradedItem => {
    const given = answers[item.id];
    let correct = false;
    if (typeof item.answer === 'number') correct = given === item.answer;
    else if (given !== undefined) {
      const typed = typedFen(String(given));
      correct = typed !== undefined && typed === typedFen(item.answer);
    }
    return {
      id: item.id,
      correct,
      given,
      answer: item.answer,
      explanation: item.explanation,
    };
  });
  const correct = items.filter((item) => item.correct).length;
  return {
    score: Math.floor((100 * correct) / Math.max(1, items.length)),
    correct,
    total: items.length,
    items,
  };
}
