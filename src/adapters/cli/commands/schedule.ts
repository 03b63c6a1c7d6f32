import Table from 'cli-table3';
import type { Command } from 'commander';
import {
  formatRate,
  multiplyRate,
  parseRate,
  rate,
} from '../../../domain/money/rate.js';
import { todayInChina } from '../../clock/today.js';
import { scheduleAnswer } from '../../wire/loan-answers.js';
import {
  type JsonObject,
  parseSingleObject,
  readStdin,
  runJsonl,
} from '../jsonl.js';

const METHOD_ZH: Record<string, string> = {
  equal_installment: '等额本息',
  equal_principal: '等额本金',
  interest_first: '先息后本',
  bullet: '一次性还本付息',
  flat: '等本等息',
};

type Flags = {
  jsonl?: boolean;
  json?: boolean;
  table?: boolean;
  principal?: string;
  rate?: string;
  months?: string;
  method?: string;
  start?: string;
  firstDue?: string;
  dayCount?: string;
  rounding?: string;
  paymentMultiple?: string;
  interestOnly?: string;
};

function inputFromFlags(flags: Flags): JsonObject | undefined {
  if (
    flags.principal === undefined &&
    flags.rate === undefined &&
    flags.months === undefined
  ) {
    return undefined;
  }
  const input: JsonObject = {
    principal: flags.principal,
    annual_rate: flags.rate,
    term_months: flags.months,
    method: flags.method ?? 'equal_installment',
  };
  if (flags.start !== undefined) input.start_date = flags.start;
  if (flags.firstDue !== undefined) input.first_due_date = flags.firstDue;
  if (flags.dayCount !== undefined) input.day_count = flags.dayCount;
  if (flags.rounding !== undefined) input.rounding = flags.rounding;
  if (flags.paymentMultiple !== undefined)
    input.payment_multiple = flags.paymentMultiple;
  if (flags.interestOnly !== undefined)
    input.interest_only_periods = flags.interestOnly;
  return input;
}

function percent(rateText: unknown): string {
  const parsed = typeof rateText === 'string' ? parseRate(rateText) : undefined;
  if (parsed === undefined) return '—';
  return `${formatRate(multiplyRate(parsed, rate(100n, 1n)), 4)}%`;
}

/** A readable table for a person at a terminal (zh-CN headers). */
export function renderScheduleTable(output: JsonObject): string {
  const table = new Table({
    head: ['期数', '还款日', '应还金额', '本金', '利息', '费用', '剩余本金'],
    colAligns: ['right', 'left', 'right', 'right', 'right', 'right', 'right'],
    style: process.stdout.isTTY === true ? {} : { head: [], border: [] },
  });
  for (const row of output.periods as JsonObject[]) {
    table.push([
      row.n,
      row.due_date,
      row.payment,
      row.principal,
      row.interest,
      row.fee,
      row.balance,
    ] as string[]);
  }
  const lines = [
    `还款方式：${METHOD_ZH[String(output.method)] ?? output.method}`,
    table.toString(),
    `利息合计：${output.total_interest} 元　费用合计：${output.total_fees} 元　还款总额：${output.total_paid} 元`,
    `年化利率（单利，IRR×12）：${percent(output.apr_nominal)}　年化利率（复利）：${percent(output.apr_effective)}`,
  ];
  return `${lines.join('\n')}\n`;
}

export function registerScheduleCommand(program: Command): void {
  program
    .command('schedule')
    .description(
      '还款计划：a loan (JSON on stdin or flags) → its schedule, totals and APR',
    )
    .option('--jsonl', 'one loan per stdin line → one JSON answer per line')
    .option('--json', 'print JSON even on a terminal')
    .option('--table', 'print a readable table even when piped')
    .option('--principal <yuan>', 'principal in yuan, e.g. 100000')
    .option('--rate <decimal>', 'annual rate as a decimal, e.g. 0.049')
    .option('--months <n>', 'term in months')
    .option(
      '--method <id>',
      'equal_installment | equal_principal | interest_first | bullet | flat',
    )
    .option('--start <date>', 'start date YYYY-MM-DD (default: today in China)')
    .option('--first-due <date>', 'first due date YYYY-MM-DD')
    .option('--day-count <id>', '30/360 | actual/360 | actual/365')
    .option('--rounding <id>', 'half_up | half_even | down')
    .option(
      '--payment-multiple <yuan>',
      'round the installment to a multiple, e.g. 1',
    )
    .option('--interest-only <n>', 'interest-only periods at the start')
    .action(async (flags: Flags) => {
      const today = todayInChina();
      if (flags.jsonl === true) {
        await runJsonl((input) => scheduleAnswer(input, today));
        return;
      }
      const input =
        inputFromFlags(flags) ?? parseSingleObject(await readStdin());
      const output = { id: input.id ?? null, ...scheduleAnswer(input, today) };
      const wantTable =
        flags.table === true ||
        (process.stdout.isTTY === true && flags.json !== true);
      process.stdout.write(
        wantTable ? renderScheduleTable(output) : `${JSON.stringify(output)}\n`,
      );
    });
}
