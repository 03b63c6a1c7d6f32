import type { Command } from 'commander';
import { prepayAnswer } from '../../wire/loan-answers.js';
import type { JsonObject } from '../jsonl.js';
import { addLoanFlags, type LoanFlags, runLoanCommand } from './loan-input.js';

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
