// Composition root of the `loandesk` bin: registers every command and turns
// an InputError into one stderr line and a non-zero exit (spec/contracts.md).
import { Command } from 'commander';
import { InputError } from '../adapters/cli/jsonl.js';
import { registerCommands } from './commands.js';

const program = new Command();
program
  .name('loandesk')
  .description('LoanDesk 贷款客服平台 — loan customer-service platform')
  .showHelpAfterError();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof InputError) {
    process.stderr.write(`loandesk: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
