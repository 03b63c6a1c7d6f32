// The list of CLI commands. Each command lives in src/adapters/cli/commands/
// and exports a `register…Command(program)` function; add one line per command.
import type { Command } from 'commander';
import { registerAllocateCommand } from '../adapters/cli/commands/allocate.js';
import { registerAuditCommand } from '../adapters/cli/commands/audit.js';
import { registerChatCommand } from '../adapters/cli/commands/chat.js';
import { registerCheckCommand } from '../adapters/cli/commands/check.js';
import { registerContactCheckCommand } from '../adapters/cli/commands/contact-check.js';
import { registerDbMigrateCommand } from '../adapters/cli/commands/db-migrate.js';
import { registerDemoCommand } from '../adapters/cli/commands/demo.js';
import { registerEodCommand } from '../adapters/cli/commands/eod.js';
import { registerJobsCommand } from '../adapters/cli/commands/jobs.js';
import { registerKbCommand } from '../adapters/cli/commands/kb.js';
import { registerNegotiateCommand } from '../adapters/cli/commands/negotiate.js';
import { registerNluCommand } from '../adapters/cli/commands/nlu.js';
import { registerPayoffCommand } from '../adapters/cli/commands/payoff.js';
import { registerPenaltyCommand } from '../adapters/cli/commands/penalty.js';
import { registerPrepayCommand } from '../adapters/cli/commands/prepay.js';
import { registerQaCommand } from '../adapters/cli/commands/qa.js';
import { registerRemindersCommand } from '../adapters/cli/commands/reminders.js';
import { registerRestructureCommand } from '../adapters/cli/commands/restructure.js';
import { registerScheduleCommand } from '../adapters/cli/commands/schedule.js';
import { registerServeCommand } from '../adapters/cli/commands/serve.js';
import { registerTrainCommand } from '../adapters/cli/commands/train.js';

export function registerCommands(program: Command): void {
  registerScheduleCommand(program);
  registerJobsCommand(program);
  registerDemoCommand(program, async () => {
    const { openStore, seedDemoIfEmpty } = await import('./store.js');
    const store = await openStore();
    try {
      if (!(await seedDemoIfEmpty(store, process.stdout)))
        process.stdout.write('数据库中已有数据，未重复生成演示数据。\n');
    } finally {
      await store.close();
    }
  });
  // The server (Fastify and its plugins) loads only when `serve` runs.
  registerServeCommand(program, async (options) =>
    (await import('./server.js')).startServer(options),
  );
  registerPayoffCommand(program);
  registerPrepayCommand(program);
  registerRestructureCommand(program);
  registerPenaltyCommand(program);
  registerAllocateCommand(program);
  registerDbMigrateCommand(program);
  registerAuditCommand(program);
  registerCheckCommand(program);
  registerContactCheckCommand(program);
  registerNluCommand(program);
  registerKbCommand(program);
  registerChatCommand(program);
  registerNegotiateCommand(program);
  registerQaCommand(program);
  registerEodCommand(program);
  registerTrainCommand(program);
  registerRemindersCommand(program);
}
