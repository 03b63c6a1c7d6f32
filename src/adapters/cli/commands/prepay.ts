import type { Command } from 'commander';
import { formatFen } from '../../../contracts/money.js';
import { computeApr } from '../../../domain/loan/apr.js';
import { prepayPartially } from '../../../domain/loan/early-repayment/partial-prepayment.js';
import type { CalendarDate } from '../../../domain/shared/calendar-date.js';
import {
  parseFeePolicy,
  parsePosition,
  readMode,
} from '../../wire/position-codec.js';
import { formatSchedule, readYuan } from '../../wire/schedule-codec.js';
import { InputError, type JsonObject } from '../jsonl.js';
import { addLoanFlags, type LoanFlags, runLoanCommand } from './loan-input.js';

/** 提前部分还款: pay part of the principal now; keep the term or the installment. */
export function prepayAnswer(
  input: JsonObject,
  today: CalendarDate,
): JsonObject {
  const position = parsePosition(input, today);
  const result = prepayPartially(position, {
    amountFen: readYuan(input.amount, 'amount'),
    mode: readMode(input.mode),
    feePolicy: parseFeePolicy(input.prepayment_fee),
  });
  if (!result.ok) throw new InputError(`amount: ${result.error.detail}`);
  const r = result.value;
  return {
    amount: formatFen(r.amountFen),
    interest_due_now: formatFen(r.interestDueNowFen),
    prepayment_fee: formatFen(r.prepaymentFeeFen),
    pay_now: formatFen(r.payNowFen),
    interest_saved: formatFen(r.interestSavedFen),
    new_payment:
      r.newPaymentFen === undefined ? null : formatFen(r.newPaymentFen),
    periods_left: r.periodsLeft,
    schedule: formatSchedule(r.schedule, computeApr(r.schedule)),
  };
}

export function registerPrepayCommand(program: Command): void {
  addLoanFlags(
    program
      .command('prepay')
      .description(
        '提前部分还款：a partial prepayment and the schedule it leaves',
      ),
  )
    .option('--amount <yuan>', 'principal to prepay')
    .option('--mode <id>', 'reduce_payment (减少月供) | reduce_term (缩短期限)')
    .action(async (flags: LoanFlags & { amount?: string; mode?: string }) => {
      const extra: JsonObject = {
        amount: flags.amount,
        mode: flags.mode ?? 'reduce_payment',
      };
      await runLoanCommand(flags, extra, prepayAnswer);
    });
}
