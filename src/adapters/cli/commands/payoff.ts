import type { Command } from 'commander';
import { payoffAnswer } from '../../wire/loan-answers.js';
import { addLoanFlags, type LoanFlags, runLoanCommand } from './loan-input.js';

export function registerPayoffCommand(program: Command): void {
  addLoanFlags(
    program
      .command('payoff')
      .description(
        '结清报价：what settles a loan in full on a date (JSON on stdin or flags)',
      ),
  )
    .option('--penalty <yuan>', 'penalty interest and late fees to the date')
    .action(async (flags: LoanFlags & { penalty?: string }) => {
      const extra =
        flags.penalty === undefined ? {} : { penalty: flags.penalty };
      await runLoanCommand(flags, extra, payoffAnswer);
    });
}
