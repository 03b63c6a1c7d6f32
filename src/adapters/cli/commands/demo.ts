import type { Command } from 'commander';
import type { CalendarDate } from '../../../domain/shared/calendar-date.js';
import { todayInChina } from '../../clock/today.js';
import {
  payoffAnswer,
  prepayAnswer,
  restructureAnswer,
  scheduleAnswer,
} from '../../wire/loan-answers.js';
import type { JsonObject } from '../jsonl.js';
import { renderScheduleTable } from './schedule.js';

// The demo a person sees with `npm start` until the server and its demo book
// exist: one consumer loan through the loan engine, in Chinese.
const LOAN: JsonObject = {
  principal: '50000',
  annual_rate: '0.0728',
  term_months: 12,
  method: 'equal_installment',
  start_date: '2026-01-10',
};

function section(title: string): string {
  return `\n── ${title} ${'─'.repeat(Math.max(0, 40 - title.length * 2))}\n`;
}

export function demoText(today: CalendarDate): string {
  const out: string[] = [
    'LoanDesk 贷款客服平台 — 贷款引擎演示（金额精确到分）',
  ];
  out.push(section('还款计划：个人消费贷 5万元，年化7.28%，12期等额本息'));
  out.push(renderScheduleTable(scheduleAnswer(LOAN, today)));
  const payoff = payoffAnswer(
    { loan: LOAN, paid_periods: 6, as_of: '2026-07-20' },
    today,
  );
  out.push(section('提前结清报价（已还6期，2026-07-20）'));
  out.push(
    `剩余本金 ${payoff.principal} 元 + 应计利息 ${payoff.interest} 元 = 结清金额 ${payoff.total} 元（比按期还款少付利息 ${payoff.interest_saved} 元）\n`,
  );
  const shorter = prepayAnswer(
    {
      loan: LOAN,
      paid_periods: 6,
      as_of: '2026-07-10',
      amount: '10000',
      mode: 'reduce_term',
    },
    today,
  );
  const lower = prepayAnswer(
    {
      loan: LOAN,
      paid_periods: 6,
      as_of: '2026-07-10',
      amount: '10000',
      mode: 'reduce_payment',
    },
    today,
  );
  out.push(section('提前还款1万元：缩短期限 vs 减少月供'));
  out.push(
    `缩短期限：月供 ${shorter.new_payment} 元，剩余 ${shorter.periods_left} 期，节省利息 ${shorter.interest_saved} 元\n`,
  );
  out.push(
    `减少月供：月供 ${lower.new_payment} 元，剩余 ${lower.periods_left} 期，节省利息 ${lower.interest_saved} 元\n`,
  );
  const plan = restructureAnswer(
    {
      loan: LOAN,
      paid_periods: 3,
      as_of: '2026-07-20',
      penalty: '86.40',
      option: 'stop_interest',
      months: 24,
      waiver: { penalty: 1 },
    },
    today,
  );
  out.push(section('协商还款示例：逾期后停息分期24期'));
  out.push(
    `欠款合计 ${(plan.debt as JsonObject).total} 元，减免罚息 ${(plan.waived as JsonObject).penalty} 元，每月还款 ${plan.monthly_payment} 元，共还 ${plan.total_paid} 元（方案须经审批，以正式协议为准）\n`,
  );
  out.push('\n更多命令：npx loandesk --help\n');
  return out.join('');
}

/**
 * `loandesk demo`: seeds the demo book into the database (DATABASE_URL, or
 * the SQLite file in the data directory) when it is empty, printing the demo
 * accounts once, then walks through the loan engine. `--no-seed` only walks.
 */
export function registerDemoCommand(
  program: Command,
  seed: () => Promise<void>,
): void {
  program
    .command('demo')
    .description(
      '演示：seed the demo book (5 products, 200 customers, 500 loans) and walk through the loan engine',
    )
    .option(
      '--no-seed',
      'only the loan-engine walk-through; the database is not touched',
    )
    .action(async (flags: { seed: boolean }) => {
      if (flags.seed) await seed();
      process.stdout.write(demoText(todayInChina()));
    });
}
