import type { Command } from 'commander';
import { restructureAnswer } from '../../wire/loan-answers.js';
import type { JsonObject } from '../jsonl.js';
import { addLoanFlags, type LoanFlags, runLoanCommand } from './loan-input.js';

export function registerRestructureCommand(program: Command): void {
  addLoanFlags(
    program
      .command('restructure')
      .description(
        '重组方案：extension (展期), re-amortisation (个性化分期) or stop-interest (停息挂账), with waivers',
      ),
  )
    .option('--option <id>', 'extension | reamortization | stop_interest')
    .option('--new-months <n>', 'months of the new schedule')
    .option('--penalty <yuan>', 'penalty interest owed so far')
    .action(
      async (
        flags: LoanFlags & {
          option?: string;
          newMonths?: string;
          penalty?: string;
        },
      ) => {
        const extra: JsonObject = {
          option: flags.option,
          months: flags.newMonths,
        };
        if (flags.penalty !== undefined) extra.penalty = flags.penalty;
        await runLoanCommand(flags, extra, restructureAnswer);
      },
    );
}
