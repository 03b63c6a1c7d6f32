// The list of CLI commands. Each command lives in src/adapters/cli/commands/
// and exports a `register…Command(program)` function; add one line per command.
import type { Command } from 'commander';
import { registerScheduleCommand } from '../adapters/cli/commands/schedule.js';

export function registerCommands(program: Command): void {
  registerScheduleCommand(program);
}
