// Shared by the loan commands: how a person gives a loan with flags, and how
// one answer is printed (JSON, or JSONL for many).
import type { Command } from 'commander';
import type { CalendarDate } from '../../../domain/shared/calendar-date.js';
import { todayInChina } from '../../clock/today.js';
import {
  type JsonObject,
  parseSingleObject,
  readStdin,
  runJsonl,
} from '../jsonl.js';

export type LoanFlags = {
  jsonl?: boolean;
  principal?: string;
  rate?: string;
  months?: string;
  method?: string;
  start?: string;
  paid?: string;
  asOf?: string;
};

export function addLoanFlags(command: Command): Command {
  return command
    .option('--jsonl', 'one request per stdin line → one JSON answer per line')
    .option('--principal <yuan>', 'loan principal in yuan')
    .option('--rate <decimal>', 'annual rate as a decimal, e.g. 0.0728')
    .option('--months <n>', 'term in months')
    .option('--method <id>', 'repayment method (default equal_installment)')
    .option('--start <date>', 'start date YYYY-MM-DD')
    .option('--paid <n>', 'installments already paid')
    .option('--as-of <date>', 'date of the quote (default: today in China)');
}

/** The request from flags when a loan is given with them, else undefined. */
export function requestFromFlags(
  flags: LoanFlags,
  extra: JsonObject,
): JsonObject | undefined {
  if (flags.principal === undefined) return undefined;
  const loan: JsonObject = {
    principal: flags.principal,
    annual_rate: flags.rate,
    term_months: flags.months,
    method: flags.method ?? 'equal_installment',
  };
  if (flags.start !== undefined) loan.start_date = flags.start;
  const request: JsonObject = { loan, paid_periods: flags.paid ?? 0, ...extra };
  if (flags.asOf !== undefined) request.as_of = flags.asOf;
  return request;
}

/** Runs one handler in JSONL mode, on flags, or on one JSON object from stdin. */
export async function runLoanCommand(
  flags: LoanFlags,
  extra: JsonObject,
  handler: (input: JsonObject, today: CalendarDate) => JsonObject,
): Promise<void> {
  const today = todayInChina();
  if (flags.jsonl === true) {
    await runJsonl((input) => handler(input, today));
    return;
  }
  const input =
    requestFromFlags(flags, extra) ?? parseSingleObject(await readStdin());
  process.stdout.write(
    `${JSON.stringify({ id: input.id ?? null, ...handler(input, today) })}\n`,
  );
}
